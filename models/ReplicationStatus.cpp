#include "ReplicationStatus.h"

#include <QCoreApplication>
#include <QStringList>
#include <algorithm>
#include <cmath>

namespace switchboard {

QString replicationBytesText(qint64 bytes) {
    if (bytes < 0)
        return QStringLiteral("–");
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    static const char* const units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes) / 1024.0;
    int unit = 0;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

QString replicationLagText(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    if (seconds < 1.0)
        return QStringLiteral("%1 ms").arg(std::lround(seconds * 1000.0));
    if (seconds < 60.0)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
    const long whole = std::lround(seconds);
    return QStringLiteral("%1 min %2 s").arg(whole / 60).arg(whole % 60);
}

QString replicationStateLabel(const QString& stateName) {
    if (stateName == QLatin1String("catchup"))
        return QCoreApplication::translate("Replication", "catching up");
    if (stateName == QLatin1String("not_connected"))
        return QCoreApplication::translate("Replication", "not connected");
    if (stateName.isEmpty())
        return QCoreApplication::translate("Replication", "unknown");
    // streaming, startup, backup, stopping, down: already words; a newer name shows as sent.
    return QString(stateName).replace(QLatin1Char('_'), QLatin1Char(' '));
}

ReplicationHealth primaryHealth(const ReplicationStatus& replication) {
    if (replication.status == protocol::ProbeStatus::Down ||
        replication.primary.status == protocol::ProbeStatus::Down)
        return ReplicationHealth::Down;
    return ReplicationHealth::Healthy;
}

ReplicationHealth replicaHealth(const ReplicationStatus& replication, const ReplicaStatus& replica,
                                const std::optional<ReadRouterStatus>& router) {
    // Without the primary the replica's lag cannot be measured: the row holds the last figures.
    if (replication.status == protocol::ProbeStatus::Down)
        return ReplicationHealth::Stale;
    if (replica.status == protocol::ProbeStatus::Down ||
        replica.stateName == QLatin1String("down") ||
        replica.stateName == QLatin1String("not_connected"))
        return ReplicationHealth::Down;
    if (router) {
        const bool overTime =
            router->maxLagMs > 0 && replica.replayLagSeconds * 1000.0 > double(router->maxLagMs);
        const bool overBytes =
            router->maxLagBytes > 0 && replica.replayLagBytes > router->maxLagBytes;
        if (overTime || overBytes)
            return ReplicationHealth::Lagging;
    }
    return ReplicationHealth::Healthy;
}

QString replicationHealthText(ReplicationHealth health) {
    switch (health) {
    case ReplicationHealth::Healthy:
        return QCoreApplication::translate("Replication", "healthy");
    case ReplicationHealth::Lagging:
        return QCoreApplication::translate("Replication", "lagging");
    case ReplicationHealth::Stale:
        return QCoreApplication::translate("Replication", "stale");
    case ReplicationHealth::Down:
        return QCoreApplication::translate("Replication", "down");
    }
    return {};
}

Health replicationHealthColour(ReplicationHealth health) {
    switch (health) {
    case ReplicationHealth::Healthy:
        return Health::Up;
    case ReplicationHealth::Lagging:
    case ReplicationHealth::Stale:
        return Health::Unknown;
    case ReplicationHealth::Down:
        return Health::Down;
    }
    return Health::Unknown;
}

QString replicationSummaryText(const ReplicationStatus& replication,
                               const std::optional<ReadRouterStatus>& router) {
    if (primaryHealth(replication) == ReplicationHealth::Down) {
        const QString cause =
            replication.error.isEmpty() ? replication.primary.error : replication.error;
        return cause.isEmpty()
                   ? QCoreApplication::translate("Replication", "primary down")
                   : QCoreApplication::translate("Replication", "primary down: %1").arg(cause);
    }
    if (replication.replicas.isEmpty())
        return QCoreApplication::translate("Replication", "no replicas");
    QStringList parts;
    for (const ReplicaStatus& replica : replication.replicas) {
        switch (replicaHealth(replication, replica, router)) {
        case ReplicationHealth::Healthy:
            parts << QStringLiteral("%1 %2, %3")
                         .arg(replica.name, replicationStateLabel(replica.stateName),
                              replicationLagText(replica.replayLagSeconds));
            break;
        case ReplicationHealth::Lagging:
            parts << QCoreApplication::translate("Replication", "%1 lagging %2")
                         .arg(replica.name, replicationLagText(replica.replayLagSeconds));
            break;
        case ReplicationHealth::Stale:
        case ReplicationHealth::Down:
            parts << QCoreApplication::translate("Replication", "%1 down").arg(replica.name);
            break;
        }
    }
    return parts.join(QStringLiteral(" · "));
}

ReplicationHealth replicationWorstHealth(const ReplicationStatus& replication,
                                         const std::optional<ReadRouterStatus>& router) {
    ReplicationHealth worst = primaryHealth(replication);
    for (const ReplicaStatus& replica : replication.replicas)
        worst = std::max(worst, replicaHealth(replication, replica, router));
    return worst;
}

} // namespace switchboard
