#pragma once

#include "PrometheusAgentView.h"
#include "PrometheusError.h"
#include "PrometheusSource.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <optional>

namespace switchboard {

// The fleet as one Prometheus server knows it, read in rounds (docs/metrics.md, "A fleet read
// through Prometheus"). A round sends its requests at once and completes when all are answered:
//   discovery   GET /api/v1/targets: every agent Prometheus scrapes, with its health
//   rates       sum by (instance) (rate(switchboard_requests_total[1m]))   (with queries on)
//   probes      switchboard_probe_up and switchboard_probe_latency_seconds  (with queries on)
//   history     the rates over the last kHistory, once, in the first round with queries on
// and then says roundCompleted with a row per target. Rounds never overlap: a round still
// waiting when the timer fires is left to finish. With queries off (the fleet polls its agents
// directly) a round is discovery alone, for the fleet's size and for agents to add.
class PrometheusFleetFeed : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::seconds kHistory{15 * 60};
    static constexpr std::chrono::seconds kHistoryStep{15};

    explicit PrometheusFleetFeed(const QUrl& prometheusUrl, QObject* parent = nullptr);

    PrometheusSource* source() { return &m_source; }
    QUrl url() const { return m_source.baseUrl(); }

    // Starts the rounds: one now, then one every interval.
    void start(std::chrono::milliseconds interval);
    void stop();
    // Rates and probes with each round (the fleet reads Prometheus), or discovery alone.
    void setQueriesEnabled(bool enabled);
    bool queriesEnabled() const { return m_queries; }
    // Starts a round now unless one is under way.
    void refreshNow();

    int rounds() const { return m_rounds; }

signals:
    // A round's fleet, one view per active target, in Prometheus's order. `history` holds the
    // per-agent request rates of the last kHistory in the first round with queries, else nothing.
    void roundCompleted(const QList<switchboard::PrometheusAgentView>& agents,
                        const QList<switchboard::PrometheusSeries>& history);
    // Discovery failed (nothing known of the fleet this round), or a query did (the round still
    // completes, without that part): a sentence for the status line.
    void roundFailed(const QString& message);

private:
    struct Round {
        quint64 targets = 0, rates = 0, probes = 0, history = 0; // 0: not asked or answered
        QList<PrometheusTarget> discovered;
        QList<PrometheusSeries> rateSeries, probeSeries, historySeries;
        bool discoveryFailed = false;
        qint64 timeMs = 0;
        bool waiting() const { return targets || rates || probes || history; }
    };

    void onTargets(quint64 id, const QList<PrometheusTarget>& targets);
    void onSeries(quint64 id, const QList<PrometheusSeries>& series);
    void onFailed(quint64 id, PrometheusSource::Operation operation, const PrometheusError& error);
    void finishIfAnswered();

    PrometheusSource m_source;
    QTimer m_timer;
    bool m_queries = false;
    bool m_historyLoaded = false;
    std::optional<Round> m_round;
    int m_rounds = 0;
};

} // namespace switchboard
