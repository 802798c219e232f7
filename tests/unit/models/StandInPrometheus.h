// What the tests of the console's Prometheus clients need to stand in for a Prometheus server on
// FakeHttpAgent: its JSON answers, and its reading of the POST forms queries arrive in.
#pragma once

#include "FakeHttpAgent.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QUrl>

// An answer with Prometheus's content type.
inline HttpAnswer prometheusJsonAnswer(int status, const QByteArray& body) {
    return {HttpAnswer::Kind::Reply,
            status,
            body,
            {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}}};
}

// A form body as Prometheus's Go decodes it: '+' is a space, %XX a byte.
inline QHash<QString, QString> decodePrometheusForm(const QByteArray& body) {
    QHash<QString, QString> fields;
    for (const QByteArray& pair : body.split('&')) {
        const qsizetype equals = pair.indexOf('=');
        const auto decode = [](QByteArray text) {
            return QUrl::fromPercentEncoding(text.replace('+', ' '));
        };
        fields.insert(decode(pair.left(equals)), decode(pair.mid(equals + 1)));
    }
    return fields;
}
