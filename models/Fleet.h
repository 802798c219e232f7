#pragma once

#include "ActionClient.h"
#include "AgentClient.h"
#include "BreakerBoardModel.h"
#include "BreakerTimelineModel.h"
#include "CacheModel.h"
#include "ChartRequest.h"
#include "ConnectionState.h"
#include "EventLogModel.h"
#include "FleetModel.h"
#include "FleetSourcePolicy.h"
#include "MetricInfo.h"
#include "MetricsScraper.h"
#include "RegionsModel.h"
#include "ReplicationModel.h"
#include "ShardsModel.h"
#include "TimeSeriesStore.h"
#include "TlsTrust.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace switchboard {

class PrometheusFleetFeed;
class PrometheusHistory;

// The agents the console watches. Owns one AgentClient per agent and folds what they deliver
// into the models the views read: FleetModel (one row per agent), TimeSeriesStore (every time
// series, among them each agent's requests/s: requestRateSeries()), EventLogModel (connection
// and probe status changes), BreakerBoardModel (every breaker of every agent), BreakerTimelineModel
// (their transitions) and ReplicationModel (every database node, with the read router's view of
// it), ShardsModel (every shard cluster and its bucket map) CacheModel (every instance's tiered
// cache) and RegionsModel (the regions and drills). The views see only those models and the signals
// below; they never reach a socket.
class Fleet : public QObject {
    Q_OBJECT
public:
    explicit Fleet(QObject* parent = nullptr);
    ~Fleet() override;

    // Adds an agent and starts connecting to it. Returns its id: the URL, with "#2", "#3"...
    // appended when the same URL is added again. `label` names the row until the agent says
    // its instance name. `caFile`: the CA an https:// agent's certificate must chain to (PEM);
    // empty: the system's CAs. A CA file that cannot be read is an errorOccurred, and the agent
    // is then trusted by no CA, never by the system's.
    QString addAgent(const QUrl& url, const QString& token, const QString& label = {},
                     const QString& caFile = {});
    void removeAgent(const QString& agentId);
    // Adds an agent fed from a recording (StreamReplay) rather than a socket: its AgentClient
    // runs in replay mode, so every model is fed through the same path as from a live agent.
    // No actions and no /metrics scrape. Returns its id: `recordedId`, with "#2"... if taken.
    QString addReplayedAgent(const QString& recordedId, const QUrl& url, const QString& label);
    bool isReplayed(const QString& agentId) const;
    // Every streaming agent asks for a whole new snapshot (AgentClient::restartStream): a
    // recording started now then begins with each agent's whole state.
    void restartStreams();

    QStringList agentIds() const;                      // in the order added
    AgentClient* client(const QString& agentId) const; // nullptr if unknown
    // The agent's action API (plans, jobs, audit), with the same token; nullptr if unknown.
    ActionClient* actions(const QString& agentId) const;
    // The agent's instance name once known, else its label, else its id.
    QString displayName(const QString& agentId) const;
    // True once the agent has delivered a snapshot (ever); it may be stale now.
    bool hasData(const QString& agentId) const;

    FleetModel* model() { return &m_model; }
    const FleetModel* model() const { return &m_model; }
    EventLogModel* eventLog() { return &m_eventLog; }
    BreakerBoardModel* breakers() { return &m_breakers; }
    BreakerTimelineModel* breakerTimeline() { return &m_breakerTimeline; }
    ReplicationModel* replication() { return &m_replication; }
    ShardsModel* shards() { return &m_shards; }
    CacheModel* cache() { return &m_cache; }
    RegionsModel* regions() { return &m_regions; }
    // Every series of every agent, labelled agent="<id>" (AgentSeries.h).
    // Every metric the agents' /metrics export, scraped into series() (MetricsScraper.h).
    // Through Prometheus, the catalog is Prometheus's metadata (PrometheusHistory).
    QList<MetricInfo> metricCatalog() const;
    // The Metrics view's charts over a range (MetricsView::historyWanted): through Prometheus,
    // loaded with query_range into series() (historyLoaded or historyFailed follows); with
    // direct polling the scraper fills the store already and this does nothing.
    void loadHistory(const QList<ChartRequest>& charts, qint64 fromMs, qint64 toMs, int widthPx);
    MetricsScraper& scraper() { return m_scraper; }
    TimeSeriesStore& series() { return m_series; }
    const TimeSeriesStore& series() const { return m_series; }

    // Reads the fleet through the Prometheus server at `url` too (docs/metrics.md, "A fleet read
    // through Prometheus"): every agent it scrapes joins the fleet (reached with
    // `discoveredToken` for actions, and for streams while they are direct), and once the fleet
    // has more agents than `policy.directLimit` its rows, probes and request rates come from
    // Prometheus's rounds in place of a stream and a scrape per agent. An empty url: direct only.
    void setPrometheus(const QUrl& url, const FleetSourcePolicy& policy = {},
                       const QString& discoveredToken = {});
    PrometheusFleetFeed* prometheusFeed() const { return m_prometheus; }
    FleetSource source() const { return m_source; }
    // Why the fleet is read as it is: FleetSourcePolicy's sentence.
    QString sourceReason() const { return m_sourceReason; }
    // True for an agent the fleet knows from Prometheus's targets rather than by hand.
    bool isDiscovered(const QString& agentId) const;

    // How often Prometheus is asked while it is the source, and while it only lists the agents.
    static constexpr std::chrono::milliseconds kPrometheusRound{5000};
    static constexpr std::chrono::milliseconds kDiscoveryRound{15000};
    static constexpr int kCatalogEveryRounds = 12; // Prometheus's metadata, asked again

    // Applies to agents added from now on (tests shorten the heartbeat with it).
    void setTiming(const AgentClient::Timing& timing) { m_timing = timing; }

    void stopAll();

signals:
    void agentAdded(const QString& agentId);
    void agentRemoved(const QString& agentId);
    void connectionStateChanged(const QString& agentId, switchboard::ConnectionState state);
    // A text frame of an agent's stream, as received and before it is parsed (StreamRecorder).
    void frameReceived(const QString& agentId, const QByteArray& frame);
    // A metric not seen before came from an agent's /metrics (metricCatalog()).
    void metricCatalogChanged();
    // A new point reached the agent's requestRateSeries().
    void rateAppended(const QString& agentId);
    // The fleet changed source: streams per agent, or Prometheus (FleetSourcePolicy).
    void sourceChanged(switchboard::FleetSource source, const QString& reason);
    // A loadHistory() is in, or failed (a sentence for the view).
    void historyLoaded();
    void historyFailed(const QString& message);
    // A Prometheus round reached the models (`agents`: the targets it listed).
    void prometheusRoundApplied(int agents);
    // Prometheus could not be read: a sentence for the status line.
    void prometheusFailed(const QString& message);
    // A user-facing sentence: why an agent cannot be reached, or what it sent that is wrong.
    void errorOccurred(const QString& agentId, const QString& message);

private:
    // An agent the fleet knows: how to reach it, whether it came from Prometheus's targets.
    struct Member {
        QUrl url;
        QString token;
        QString label;
        bool discovered = false;
        bool replayed = false; // fed by StreamReplay, not a socket
        // Whom its certificate must chain to, for every client of it (TlsTrust).
        QSslConfiguration ssl = TlsTrust::systemConfiguration();
    };

    struct ProbeState {
        protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
        QString error;
    };

    QString freeId(const QString& wanted) const;
    void addMember(const QString& agentId, const Member& member);
    void startStreaming(const QString& agentId);
    void stopStreaming(const QString& agentId);
    // FleetThroughPrometheus.cpp
    void onPrometheusRound(const QList<PrometheusAgentView>& agents,
                           const QList<PrometheusSeries>& history);
    void applySource(const FleetSourcePolicy::Choice& choice);
    void dropPrometheus();
    void applyPrometheusRows(const QList<PrometheusAgentView>& agents,
                             const QList<PrometheusSeries>& history);
    void logScrapeHealth(const PrometheusAgentView& agent);
    void onSnapshot(const QString& agentId, const AgentSnapshot& snapshot);
    void onEvent(const QString& agentId, const StreamEvent& event);
    void onStateChanged(const QString& agentId, ConnectionState state);
    void noteProbe(const QString& agentId, const ProbeResult& probe, qint64 timeMs);
    void appendRate(const QString& agentId, qint64 timeMs, double ratePerSecond);
    void noteBreakers(const QString& agentId, const AgentSnapshot& snapshot);
    void noteBreakerEvent(const QString& agentId, const StreamEvent& event);
    void log(const QString& agentId, EventLogEntry::Kind kind, Health health,
             const QString& message, qint64 timeMs = 0);

    FleetModel m_model;
    EventLogModel m_eventLog;
    TimeSeriesStore m_series;
    MetricsScraper m_scraper{&m_series}; // after the store it appends to
    BreakerBoardModel m_breakers;
    BreakerTimelineModel m_breakerTimeline;
    ReplicationModel m_replication;
    ShardsModel m_shards;
    CacheModel m_cache;
    RegionsModel m_regions;
    AgentClient::Timing m_timing;
    QStringList m_order;
    QHash<QString, Member> m_members;
    FleetSource m_source = FleetSource::DirectAgents;
    QString m_sourceReason;
    FleetSourcePolicy m_policy;
    QString m_discoveredToken;
    PrometheusFleetFeed* m_prometheus = nullptr; // a child; nullptr without Prometheus
    PrometheusHistory* m_history = nullptr;      // on m_prometheus's source, into m_series
    QHash<QString, PrometheusTarget::Health> m_scrapeHealth; // agent → last target health seen
    QHash<QString, QString> m_scrapeErrors; // agent → why its /metrics scrape fails, while it does
    QHash<QString, AgentClient*> m_clients;
    QHash<QString, ActionClient*> m_actions;
    QHash<QString, QHash<QString, ProbeState>> m_probeStates; // agent → probe name → last seen
};

} // namespace switchboard
