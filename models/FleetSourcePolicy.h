#pragma once

#include <QMetaType>
#include <QString>

namespace switchboard {

// Where the console reads the fleet's telemetry from: a stream per agent (AgentClient), or a
// Prometheus server that scrapes them all. Streams are live and rich but cost one socket and
// one snapshot per agent; past a few dozen agents, Prometheus's targets (discovery) and
// query_range (history) are cheaper, and the console talks to single agents only to act.
enum class FleetSource { DirectAgents, Prometheus };

// The rule "use Prometheus in place of direct polling past N agents", with N configurable. A
// pure value: the caller gives the fleet's size and whether a Prometheus is known.
struct FleetSourcePolicy {
    // "A few dozen" (docs/metrics.md): the console keeps up with this many streams easily.
    static constexpr int kDefaultDirectLimit = 30;

    int directLimit = kDefaultDirectLimit; // at most this many agents are polled directly

    struct Choice {
        FleetSource source = FleetSource::DirectAgents;
        QString reason; // for the status line: why this source
    };

    // Prometheus when the fleet has more than directLimit agents and a Prometheus URL is
    // configured; direct otherwise (past the limit without Prometheus, the reason says so).
    Choice choose(int agentCount, bool prometheusConfigured) const;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::FleetSource)
