// One HTTP request from a test, waited for on the event loop (never a sleep), with its status,
// headers and body, and the body parsed as JSON when it is JSON.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>
#include <QUrl>

struct HttpResult {
    int status = 0; // 0: no HTTP answer at all
    QByteArray body;
    QByteArray contentType;
    QJsonObject json;                             // empty unless the body is a JSON object
    QList<QPair<QByteArray, QByteArray>> headers; // the response's
    QByteArray header(const QByteArray& name) const {
        for (const auto& [key, value] : headers)
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
    QString networkError;
};

class HttpCall {
public:
    // `authorization` is sent as the Authorization header when not empty.
    static HttpResult run(const QByteArray& method, const QUrl& url,
                          const QByteArray& authorization = {}, const QByteArray& body = {},
                          int timeoutMs = 10000,
                          const QList<QPair<QByteArray, QByteArray>>& extraHeaders = {});
    static QByteArray bearer(const QString& token) { return "Bearer " + token.toUtf8(); }
};
