#pragma once

#include "MetricInfo.h"
#include "TlsTrust.h"

#include <QFuture>
#include <QHash>
#include <QMap>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <atomic>
#include <chrono>
#include <memory>

namespace switchboard {

class ScrapeFold;
class TimeSeriesStore;

// Polls every agent's GET /metrics (its Prometheus registry: the agent's own metrics and the
// backend's) every interval, parses and folds each answer on the parser thread (ParserThread.h;
// ScrapeFold.h) and appends the points to the store, so the Metrics view can chart any metric
// an agent exports. Direct polling is for a fleet of a few dozen agents; past that the console
// reads Prometheus instead (FleetSourcePolicy.h). A failed scrape is a signal with its cause,
// never a stall: each request has a transfer timeout and one scrape per agent is in flight.
class MetricsScraper : public QObject {
    Q_OBJECT
public:
    MetricsScraper(TimeSeriesStore* store, QObject* parent = nullptr);
    ~MetricsScraper() override;

    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const;

    // `ssl`: whom an https:// agent's certificate must chain to (TlsTrust).
    void addAgent(const QString& agentId, const QUrl& baseUrl, const QString& token,
                  const QSslConfiguration& ssl = TlsTrust::systemConfiguration());
    void removeAgent(const QString& agentId);
    // Scrapes every agent now (tests, and a view that wants fresh data at once).
    void scrapeNow();
    // Stops polling and forgets the agents (scrapes in flight are dropped; a fold already on the
    // parser thread is waited for, so nothing reaches the store after this returns).
    void stop();

    // Every metric seen so far across the agents, sorted by name.
    QList<MetricInfo> catalog() const;
    // Scrapes that reached the store, per agent (tests, status).
    int scrapes(const QString& agentId) const;

signals:
    void catalogChanged();
    // A scrape reached the store.
    void scraped(const QString& agentId);
    // A scrape failed (no answer, HTTP error) or its text had malformed lines (kept the rest).
    void scrapeFailed(const QString& agentId, const QString& message);

private:
    struct Agent {
        QUrl metricsUrl;
        QByteArray authorization;
        QSslConfiguration ssl;
        std::shared_ptr<ScrapeFold> fold; // used on the parser thread only, one job at a time
        // Cleared when the agent is removed, so a job still on the parser thread appends
        // nothing after its series were removed.
        std::shared_ptr<std::atomic<bool>> active;
        bool inFlight = false;
        int scrapes = 0;
    };
    void scrape(const QString& agentId);
    void onReply(const QString& agentId, QNetworkReply* reply);
    void merge(const QList<MetricInfo>& metrics);

    TimeSeriesStore* m_store;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    QHash<QString, Agent> m_agents;
    QMap<QString, MetricInfo> m_catalog;
    QList<QFuture<void>> m_jobs; // folds sent to the parser thread, waited for by stop()
};

} // namespace switchboard
