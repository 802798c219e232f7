#pragma once

#include <QString>

namespace switchboard {

// The agent's host process over the agent's last statistics interval.
struct ProcessStatus {
    qint64 intervalMs = 0;
    // User + system CPU time over wall time, in percent of one core (top's convention: 150 is
    // one and a half cores busy); -1 when the agent could not measure it.
    double cpuPercent = -1;
    int cpuCount = 0;     // cores the process may use; 0 when the agent did not say
    qint64 rssBytes = -1; // resident memory; -1 when the agent could not measure it
    QString error;        // why a figure is -1

    // cpuPercent spread over every usable core (0..100), -1 when either is unknown.
    double cpuPercentOfAllCores() const {
        return cpuPercent >= 0 && cpuCount > 0 ? cpuPercent / cpuCount : -1.0;
    }

    friend bool operator==(const ProcessStatus&, const ProcessStatus&) = default;
};

} // namespace switchboard
