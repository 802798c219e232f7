#include "ProbeResult.h"

namespace switchboard {

using protocol::ProbeStatus;

Health probeHealth(ProbeStatus status) {
    switch (status) {
    case ProbeStatus::Up:
        return Health::Up;
    case ProbeStatus::Down:
        return Health::Down;
    case ProbeStatus::Unknown:
        break;
    }
    return Health::Unknown;
}

QString probeStatusText(const ProbeResult& probe) {
    switch (probe.status) {
    case ProbeStatus::Up:
        return QStringLiteral("up");
    case ProbeStatus::Down:
        return probe.error.isEmpty() ? QStringLiteral("down")
                                     : QStringLiteral("down: %1").arg(probe.error);
    case ProbeStatus::Unknown:
        break;
    }
    return QStringLiteral("not checked yet");
}

} // namespace switchboard
