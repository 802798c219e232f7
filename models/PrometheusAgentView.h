#pragma once

#include "AgentSnapshot.h"
#include "ConnectionState.h"
#include "PrometheusSeries.h"
#include "PrometheusTarget.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace switchboard {

// One agent as a Prometheus server sees it (docs/metrics.md, "A fleet read through Prometheus"):
// its target (labels, scrape health) and what the fleet round's instant queries said of it.
// The fleet shows these rows in place of one stream per agent once the fleet outgrows direct
// polling (FleetSourcePolicy.h).
struct PrometheusAgentView {
    QString agentId; // the agent's base URL: its scrape URL without the trailing /metrics
    PrometheusTarget target;
    std::optional<double> ratePerSecond; // sum of rate(switchboard_requests_total[1m])
    QList<ProbeResult> probes;           // from switchboard_probe_up and _latency_seconds
    qint64 timeMs = 0;                   // the queries' evaluation time

    // What the fleet's models read: the agent's info from the target's labels, its probes and
    // request rate. Breakers, replication and the rest are left absent: Prometheus's samples
    // do not carry them whole, and a view of them streams from the agent itself.
    AgentSnapshot snapshot() const;
    // Live while Prometheus scrapes it, Stale (since the last good scrape) while the scrape
    // fails, Connecting before the first scrape.
    ConnectionState connectionState() const;
    QDateTime lastScrape() const;
    // Why the row is not live, in Prometheus's words; empty when it is.
    QString errorText() const;

    friend bool operator==(const PrometheusAgentView&, const PrometheusAgentView&) = default;
};

// The agent's id for a target: its scrape URL without the trailing "/metrics" and without a
// query, e.g. http://127.0.0.1:7464/metrics → http://127.0.0.1:7464 (the id Fleet::addAgent
// gives the same agent added by hand, so a listed agent and its target are one row).
QString agentIdOfTarget(const PrometheusTarget& target);

// The series name the fleet round asks for (PrometheusFleetFeed) and reads back here.
namespace fleetround {
// Requests/s per agent, summed over routes and outcomes.
QString rateQuery();
// Every probe's up and latency gauges of every agent.
QString probesQuery();
} // namespace fleetround

// Joins one round's answers into a row per target, in the targets' order. Series whose
// `instance` matches no target are ignored; a target without samples keeps no rate and no
// probes (an agent Prometheus cannot scrape has none).
QList<PrometheusAgentView> assembleFleetRound(const QList<PrometheusTarget>& targets,
                                              const QList<PrometheusSeries>& rates,
                                              const QList<PrometheusSeries>& probes, qint64 timeMs);

} // namespace switchboard
