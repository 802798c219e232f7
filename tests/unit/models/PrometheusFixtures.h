// Real Prometheus 2.42 answers captured into tests/data/prometheus-api (its README says which is
// which), for the tests of the console's Prometheus data source.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

inline QByteArray capturedPrometheusAnswer(const char* name) {
    QFile file(QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/data/prometheus-api/%1")
                   .arg(QLatin1String(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
