#pragma once

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace switchboard {

// One active target of a Prometheus server (GET /api/v1/targets): an agent as Prometheus sees
// it. The fleet lists these instead of connecting to each agent once Prometheus is the source.
struct PrometheusTarget {
    enum class Health { Unknown, Up, Down };

    QUrl scrapeUrl;
    QString instance; // labels["instance"]: the agent's name in the stack's targets
    QString job;
    QString region;                // empty when the target has no region label
    QString service;               // empty when the target has no service label
    QMap<QString, QString> labels; // every target label, the ones above included
    Health health = Health::Unknown;
    QString lastError;               // Prometheus's text for the last failed scrape, else empty
    qint64 lastScrapeMs = 0;         // 0: never scraped
    double lastScrapeDurationS = -1; // < 0: unknown

    friend bool operator==(const PrometheusTarget&, const PrometheusTarget&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::PrometheusTarget)
