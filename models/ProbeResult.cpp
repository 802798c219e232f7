#include "ProbeResult.h"

#include <QDateTime>

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

qint64 probeDownSinceMs(qint64 downSinceMs, protocol::ProbeStatus status, qint64 checkedMs) {
    if (status != protocol::ProbeStatus::Down)
        return 0;
    if (downSinceMs != 0)
        return downSinceMs;
    return checkedMs > 0 ? checkedMs : QDateTime::currentMSecsSinceEpoch();
}

} // namespace switchboard
