#pragma once

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace switchboard {

// One sample of a Prometheus answer. Values keep NaN and ±infinity as doubles (Prometheus
// sends them as the strings "NaN", "+Inf", "-Inf"), so a chart can show the gap.
struct PrometheusPoint {
    qint64 timeMs = 0;
    double value = 0;
};

// One series of a query or query_range answer: its labels (__name__ included when the query
// kept it) and its points, oldest first.
struct PrometheusSeries {
    QMap<QString, QString> labels;
    QList<PrometheusPoint> points;

    QString label(const QString& name) const { return labels.value(name); }
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::PrometheusSeries)
