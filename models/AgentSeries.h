#pragma once

#include "SeriesKey.h"

namespace switchboard {

// The series the console records from each agent's stream (rather than scrapes), and the label
// that ties every series to its agent, so all of an agent's series go when the agent goes.
inline const QString& agentLabel() {
    static const QString name = QStringLiteral("agent");
    return name;
}

// Requests/s the agent reports in its request statistics.
inline SeriesKey requestRateSeries(const QString& agentId) {
    return SeriesKey(QStringLiteral("switchboard_requests_per_second"), {{agentLabel(), agentId}});
}

} // namespace switchboard
