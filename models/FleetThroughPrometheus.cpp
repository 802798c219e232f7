// The Fleet's Prometheus side (Fleet.h, setPrometheus): agents discovered from the targets, and
// the switch between a stream per agent and Prometheus's rounds as the fleet grows and shrinks.
#include "AgentSeries.h"
#include "Fleet.h"
#include "PrometheusFleetFeed.h"
#include "PrometheusHistory.h"

namespace switchboard {

void Fleet::setPrometheus(const QUrl& url, const FleetSourcePolicy& policy,
                          const QString& discoveredToken) {
    dropPrometheus();
    m_policy = policy;
    m_discoveredToken = discoveredToken;
    if (url.isEmpty()) {
        applySource(m_policy.choose(static_cast<int>(m_order.size()), false));
        return;
    }
    m_prometheus = new PrometheusFleetFeed(url, this);
    connect(m_prometheus, &PrometheusFleetFeed::roundCompleted, this, &Fleet::onPrometheusRound);
    connect(m_prometheus, &PrometheusFleetFeed::roundFailed, this, &Fleet::prometheusFailed);
    m_history = new PrometheusHistory(m_prometheus->source(), &m_series, this);
    connect(m_history, &PrometheusHistory::catalogChanged, this, [this] {
        if (m_source == FleetSource::Prometheus)
            emit metricCatalogChanged();
    });
    connect(m_history, &PrometheusHistory::loaded, this, &Fleet::historyLoaded);
    connect(m_history, &PrometheusHistory::failed, this, &Fleet::historyFailed);
    applySource(m_policy.choose(static_cast<int>(m_order.size()), true));
    m_prometheus->setQueriesEnabled(m_source == FleetSource::Prometheus);
    m_prometheus->start(m_source == FleetSource::Prometheus ? kPrometheusRound : kDiscoveryRound);
}

void Fleet::dropPrometheus() {
    delete m_history; // first: it uses the feed's source
    m_history = nullptr;
    delete m_prometheus;
    m_prometheus = nullptr;
}

QList<MetricInfo> Fleet::metricCatalog() const {
    return m_source == FleetSource::Prometheus && m_history ? m_history->catalog()
                                                            : m_scraper.catalog();
}

void Fleet::loadHistory(const QList<ChartRequest>& charts, qint64 fromMs, qint64 toMs,
                        int widthPx) {
    if (m_source == FleetSource::Prometheus && m_history && !charts.isEmpty())
        m_history->load(charts, fromMs, toMs, widthPx);
}

bool Fleet::isDiscovered(const QString& agentId) const {
    return m_members.value(agentId).discovered;
}

void Fleet::applySource(const FleetSourcePolicy::Choice& choice) {
    const bool changed = choice.source != m_source;
    const bool reasonChanged = choice.reason != m_sourceReason;
    m_sourceReason = choice.reason;
    m_source = choice.source;
    if (changed) {
        const bool throughPrometheus = m_source == FleetSource::Prometheus;
        for (const QString& agentId : std::as_const(m_order)) {
            if (throughPrometheus)
                stopStreaming(agentId);
            else
                startStreaming(agentId);
        }
        if (m_prometheus) {
            m_prometheus->setQueriesEnabled(throughPrometheus);
            m_prometheus->start(throughPrometheus ? kPrometheusRound : kDiscoveryRound);
        }
        // The metric browser lists what the new source knows.
        if (throughPrometheus && m_history)
            m_history->refreshCatalog();
        emit metricCatalogChanged();
    }
    if (changed || reasonChanged)
        emit sourceChanged(m_source, m_sourceReason);
}

void Fleet::onPrometheusRound(const QList<PrometheusAgentView>& agents,
                              const QList<PrometheusSeries>& history) {
    // The fleet's size: the agents listed by hand and every agent Prometheus scrapes.
    QSet<QString> listed;
    for (const PrometheusAgentView& agent : agents)
        listed.insert(agent.agentId);
    int size = static_cast<int>(listed.size());
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        if (!it->discovered && !listed.contains(it.key()))
            ++size;
    }
    // Agents Prometheus no longer lists leave; those added by hand stay.
    const QStringList known = m_order;
    for (const QString& agentId : known) {
        if (isDiscovered(agentId) && !listed.contains(agentId))
            removeAgent(agentId);
    }
    applySource(m_policy.choose(size, true));
    // Rows first, in one batch: members added below then find their row in place.
    if (m_source == FleetSource::Prometheus)
        m_model.updateFromPrometheus(agents);
    // A new target joins as an agent (streamed now if the fleet is direct).
    for (const PrometheusAgentView& agent : agents) {
        if (!m_members.contains(agent.agentId))
            addMember(agent.agentId,
                      Member{QUrl(agent.agentId), m_discoveredToken, agent.target.instance, true});
    }
    if (m_source == FleetSource::Prometheus)
        applyPrometheusRows(agents, history);
    emit prometheusRoundApplied(static_cast<int>(agents.size()));
}

void Fleet::applyPrometheusRows(const QList<PrometheusAgentView>& agents,
                                const QList<PrometheusSeries>& history) {
    QHash<QString, QString> agentOfInstance;
    QSet<QString> targetLabels;
    for (const PrometheusAgentView& agent : agents) {
        agentOfInstance.insert(agent.target.instance, agent.agentId);
        for (auto it = agent.target.labels.cbegin(); it != agent.target.labels.cend(); ++it)
            targetLabels.insert(it.key());
        logScrapeHealth(agent);
        // A probe that goes down (or up) between rounds is news for the Events dock, as from
        // a stream.
        for (const ProbeResult& probe : agent.probes)
            noteProbe(agent.agentId, probe, agent.timeMs);
    }
    if (m_history) {
        m_history->setAgents(agentOfInstance);
        m_history->setTargetLabelNames(targetLabels);
        // New agents may export metrics the catalog lacks: asked again about once a minute.
        if (m_prometheus->rounds() % kCatalogEveryRounds == 0)
            m_history->refreshCatalog();
    }
    // History first: the store keeps each series in time order, and the round's own rate is
    // the newest point.
    for (const PrometheusSeries& series : history) {
        const QString agentId = agentOfInstance.value(series.label(QStringLiteral("instance")));
        if (agentId.isEmpty())
            continue;
        for (const PrometheusPoint& point : series.points)
            m_series.append(requestRateSeries(agentId), point.timeMs, point.value);
    }
    for (const PrometheusAgentView& agent : agents) {
        if (agent.ratePerSecond)
            appendRate(agent.agentId, agent.timeMs, *agent.ratePerSecond);
    }
    // An agent listed by hand that Prometheus does not scrape cannot be shown from it.
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        if (!it->discovered && !m_model.isThroughPrometheus(it.key()) &&
            m_model.connectionState(it.key()) != ConnectionState::Stale)
            m_model.setConnectionState(it.key(), ConnectionState::Stale, {},
                                       tr("Prometheus does not scrape this agent, and the fleet "
                                          "is read through Prometheus"));
    }
}

void Fleet::logScrapeHealth(const PrometheusAgentView& agent) {
    // A scrape that starts failing, or recovers, is news for the Events dock; the first sight
    // of a healthy target is not.
    const PrometheusTarget::Health health = agent.target.health;
    const auto known = m_scrapeHealth.constFind(agent.agentId);
    const bool first = known == m_scrapeHealth.constEnd();
    m_scrapeHealth.insert(agent.agentId, health);
    if ((first && health != PrometheusTarget::Health::Down) || (!first && *known == health))
        return;
    if (health == PrometheusTarget::Health::Down)
        log(agent.agentId, EventLogEntry::Kind::Connection, Health::Down, agent.errorText());
    else if (health == PrometheusTarget::Health::Up)
        log(agent.agentId, EventLogEntry::Kind::Connection, Health::Up,
            tr("Prometheus scrapes this agent again"));
}

} // namespace switchboard
