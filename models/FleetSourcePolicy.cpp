#include "FleetSourcePolicy.h"

#include <QCoreApplication>

namespace switchboard {

FleetSourcePolicy::Choice FleetSourcePolicy::choose(int agentCount,
                                                    bool prometheusConfigured) const {
    const auto tr = [](const char* source) {
        return QCoreApplication::translate("FleetSourcePolicy", source);
    };
    if (agentCount <= directLimit)
        return {FleetSource::DirectAgents,
                tr("%1 agents, at most %2 polled directly").arg(agentCount).arg(directLimit)};
    if (!prometheusConfigured)
        return {FleetSource::DirectAgents,
                tr("%1 agents, past the %2 polled directly, but no Prometheus is configured")
                    .arg(agentCount)
                    .arg(directLimit)};
    return {FleetSource::Prometheus,
            tr("%1 agents, past the %2 polled directly: read through Prometheus")
                .arg(agentCount)
                .arg(directLimit)};
}

} // namespace switchboard
