#include "FleetModel.h"

#include <algorithm>

namespace switchboard {

using protocol::ProbeStatus;

FleetModel::FleetModel(QObject* parent)
    : QAbstractTableModel(parent) {}

int FleetModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int FleetModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FleetModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AgentRow& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == ConnectionColumn || index.column() == InstanceColumn)
            return row.errorText.isEmpty() ? row.id : row.id + QLatin1Char('\n') + row.errorText;
        if (index.column() == ProbesColumn && row.snapshot) {
            QStringList lines;
            for (const ProbeResult& probe : row.snapshot->probes)
                lines.append(probe.target.isEmpty()
                                 ? probe.name
                                 : probe.name + QStringLiteral(" → ") + probe.target);
            return lines.join(QLatin1Char('\n'));
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == RateColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case AgentIdRole:
        return row.id;
    case HealthRole: {
        Health health = std::max(connectionHealth(row.state), probeHealth(row));
        if (index.column() == ConnectionColumn)
            health = connectionHealth(row.state);
        else if (index.column() == ProbesColumn)
            health = probeHealth(row);
        else if (index.column() == ReplicationColumn)
            health = row.snapshot && row.snapshot->replication
                         ? replicationHealthColour(replicationWorstHealth(
                               *row.snapshot->replication, row.snapshot->readRouter))
                         : Health::Up;
        return QVariant::fromValue(health);
    }
    case ConnectionStateRole:
        return QVariant::fromValue(row.state);
    case StaleSinceRole:
        return row.staleSince;
    case RatePerSecondRole:
        return row.snapshot ? row.snapshot->requests.ratePerSecond : 0.0;
    case ErrorTextRole:
        return row.errorText;
    default:
        return {};
    }
}

QVariant FleetModel::displayData(const AgentRow& row, int column) const {
    switch (column) {
    case InstanceColumn:
        return displayName(row.id);
    case RegionColumn:
        return row.snapshot ? row.snapshot->info.region : QString();
    case VersionColumn:
        return row.snapshot ? row.snapshot->info.agentVersion : QString();
    case ConnectionColumn:
        return connectionText(row);
    case ProbesColumn:
        return row.snapshot ? probeSummary(row.snapshot->probes) : QString();
    case ReplicationColumn:
        return row.snapshot && row.snapshot->replication
                   ? replicationSummaryText(*row.snapshot->replication, row.snapshot->readRouter)
                   : QString();
    case RateColumn:
        return row.snapshot
                   ? QStringLiteral("%1 /s").arg(row.snapshot->requests.ratePerSecond, 0, 'f', 1)
                   : QString();
    default:
        return {};
    }
}

QVariant FleetModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case InstanceColumn:
        return tr("Instance");
    case RegionColumn:
        return tr("Region");
    case VersionColumn:
        return tr("Agent");
    case ConnectionColumn:
        return tr("Connection");
    case ProbesColumn:
        return tr("Probes");
    case ReplicationColumn:
        return tr("Replication");
    case RateColumn:
        return tr("Requests");
    default:
        return {};
    }
}

QHash<int, QByteArray> FleetModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(AgentIdRole, "agentId");
    names.insert(HealthRole, "health");
    names.insert(ConnectionStateRole, "connectionState");
    names.insert(StaleSinceRole, "staleSince");
    names.insert(RatePerSecondRole, "ratePerSecond");
    names.insert(ErrorTextRole, "errorText");
    return names;
}

void FleetModel::addAgent(const QString& agentId, const QString& label) {
    if (rowOfAgent(agentId) >= 0)
        return;
    const int row = static_cast<int>(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(AgentRow{agentId, label});
    m_rowOfAgent.insert(agentId, row);
    endInsertRows();
}

void FleetModel::removeAgent(const QString& agentId) {
    const int row = rowOfAgent(agentId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    reindex();
    endRemoveRows();
}

void FleetModel::updateAgent(const QString& agentId, const AgentSnapshot& snapshot) {
    addAgent(agentId);
    const int row = rowOfAgent(agentId);
    m_rows[row].snapshot = snapshot;
    emitRowChanged(row);
}

void FleetModel::applyEvent(const QString& agentId, const StreamEvent& event) {
    const int row = rowOfAgent(agentId);
    if (row < 0 || !m_rows.at(row).snapshot)
        return;
    AgentSnapshot& snapshot = *m_rows[row].snapshot;
    switch (event.kind) {
    case StreamEvent::Kind::Probe: {
        auto it = std::find_if(snapshot.probes.begin(), snapshot.probes.end(),
                               [&](const ProbeResult& p) { return p.name == event.probe.name; });
        if (it != snapshot.probes.end())
            *it = event.probe;
        else
            snapshot.probes.append(event.probe);
        break;
    }
    case StreamEvent::Kind::Requests:
        snapshot.requests = event.requests;
        break;
    case StreamEvent::Kind::Breaker: {
        auto it =
            std::find_if(snapshot.breakers.begin(), snapshot.breakers.end(),
                         [&](const BreakerStatus& b) { return b.name == event.breaker.name; });
        if (it != snapshot.breakers.end())
            *it = event.breaker;
        else
            snapshot.breakers.append(event.breaker);
        break;
    }
    case StreamEvent::Kind::Replication:
        snapshot.replication = event.replication;
        break;
    case StreamEvent::Kind::ReadRouter:
        snapshot.readRouter = event.readRouter;
        break;
    case StreamEvent::Kind::Shards:
        snapshot.shards = event.shards;
        break;
    case StreamEvent::Kind::Cache:
        snapshot.cache = event.cache;
        break;
    case StreamEvent::Kind::Regions:
        snapshot.regions = event.regions;
        break;
    case StreamEvent::Kind::Pools:
        snapshot.pools = event.pools;
        break;
    case StreamEvent::Kind::Process:
        snapshot.process = event.process;
        break;
    case StreamEvent::Kind::Unknown:
        return;
    }
    snapshot.revision = event.seq;
    if (event.timeMs > 0)
        snapshot.timeMs = event.timeMs;
    // No column shows breakers (BreakerBoardModel does), shards (ShardsModel), the cache
    // (CacheModel), the regions (RegionsModel), pools or the process, and every breaker ticks
    // each second: repainting the row for them would only cost the overview its column fitting.
    if (event.kind != StreamEvent::Kind::Breaker && event.kind != StreamEvent::Kind::Shards &&
        event.kind != StreamEvent::Kind::Cache && event.kind != StreamEvent::Kind::Regions &&
        event.kind != StreamEvent::Kind::Pools && event.kind != StreamEvent::Kind::Process)
        emitRowChanged(row);
}

void FleetModel::setConnectionState(const QString& agentId, ConnectionState state,
                                    const QDateTime& staleSince, const QString& errorText) {
    addAgent(agentId);
    const int row = rowOfAgent(agentId);
    AgentRow& agent = m_rows[row];
    if (agent.state == state && agent.staleSince == staleSince && agent.errorText == errorText)
        return;
    agent.state = state;
    agent.staleSince = staleSince;
    agent.errorText = errorText;
    emitRowChanged(row);
}

int FleetModel::rowOfAgent(const QString& agentId) const {
    return m_rowOfAgent.value(agentId, -1);
}

void FleetModel::reindex() {
    m_rowOfAgent.clear();
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        m_rowOfAgent.insert(m_rows.at(i).id, static_cast<int>(i));
}

void FleetModel::updateFromPrometheus(const QList<PrometheusAgentView>& views) {
    QList<const PrometheusAgentView*> added;
    for (const PrometheusAgentView& view : views) {
        if (rowOfAgent(view.agentId) < 0)
            added.append(&view);
    }
    if (!added.isEmpty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
        for (const PrometheusAgentView* view : std::as_const(added)) {
            m_rowOfAgent.insert(view->agentId, static_cast<int>(m_rows.size()));
            m_rows.append(AgentRow{view->agentId, view->target.instance});
        }
        endInsertRows();
    }
    int firstChanged = -1;
    int lastChanged = -1;
    for (const PrometheusAgentView& view : views) {
        const int row = rowOfAgent(view.agentId);
        AgentRow& agent = m_rows[row];
        agent.snapshot = view.snapshot();
        agent.state = view.connectionState();
        agent.errorText = view.errorText();
        agent.lastScrape = view.lastScrape();
        agent.staleSince = agent.state == ConnectionState::Stale ? agent.lastScrape : QDateTime();
        agent.throughPrometheus = true;
        firstChanged = firstChanged < 0 ? row : std::min(firstChanged, row);
        lastChanged = std::max(lastChanged, row);
    }
    if (firstChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
}

void FleetModel::clearPrometheus(const QString& agentId) {
    const int row = rowOfAgent(agentId);
    if (row < 0 || !m_rows.at(row).throughPrometheus)
        return;
    m_rows[row].throughPrometheus = false;
    m_rows[row].lastScrape = {};
    emitRowChanged(row);
}

bool FleetModel::isThroughPrometheus(const QString& agentId) const {
    const int row = rowOfAgent(agentId);
    return row >= 0 && m_rows.at(row).throughPrometheus;
}

QString FleetModel::agentId(int row) const {
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : QString();
}

QStringList FleetModel::agentIds() const {
    QStringList ids;
    for (const AgentRow& row : m_rows)
        ids.append(row.id);
    return ids;
}

QString FleetModel::displayName(const QString& agentId) const {
    const int row = rowOfAgent(agentId);
    if (row < 0)
        return agentId;
    const AgentRow& agent = m_rows.at(row);
    if (agent.snapshot && !agent.snapshot->info.instance.isEmpty())
        return agent.snapshot->info.instance;
    return agent.label.isEmpty() ? agent.id : agent.label;
}

std::optional<AgentSnapshot> FleetModel::snapshot(const QString& agentId) const {
    const int row = rowOfAgent(agentId);
    return row < 0 ? std::nullopt : m_rows.at(row).snapshot;
}

ConnectionState FleetModel::connectionState(const QString& agentId) const {
    const int row = rowOfAgent(agentId);
    return row < 0 ? ConnectionState::Connecting : m_rows.at(row).state;
}

QString FleetModel::probeSummary(const QList<ProbeResult>& probes) {
    if (probes.isEmpty())
        return QStringLiteral("no probes configured");
    QStringList parts;
    for (const ProbeResult& probe : probes) {
        parts.append(
            probe.status == ProbeStatus::Up
                ? QStringLiteral("%1 up %2 ms").arg(probe.name).arg(probe.latencyMs, 0, 'f', 1)
                : QStringLiteral("%1 %2").arg(probe.name, probeStatusText(probe)));
    }
    return parts.join(QStringLiteral(" · "));
}

Health FleetModel::probeHealth(const AgentRow& row) {
    if (!row.snapshot)
        return Health::Unknown;
    // An agent configured without dependencies to probe has nothing that can be wrong: live, it
    // is healthy (amber would send the operator looking for a problem that is not there).
    if (row.snapshot->probes.isEmpty())
        return row.state == ConnectionState::Live ? Health::Up : Health::Unknown;
    Health worst = Health::Up;
    for (const ProbeResult& probe : row.snapshot->probes) {
        if (probe.status == ProbeStatus::Down)
            return Health::Down;
        if (probe.status == ProbeStatus::Unknown)
            worst = Health::Unknown;
    }
    // Green would claim the probes are fine now; data from a stale stream only says they were.
    if (worst == Health::Up && row.state != ConnectionState::Live)
        return Health::Unknown;
    return worst;
}

QString FleetModel::connectionText(const AgentRow& row) const {
    // Through Prometheus the console holds no connection to the agent: the cell says how
    // Prometheus's scrapes of it go.
    if (row.throughPrometheus) {
        const QString at = row.lastScrape.toString(QStringLiteral("HH:mm:ss"));
        switch (row.state) {
        case ConnectionState::Live:
            return tr("Prometheus: scraped %1").arg(at);
        case ConnectionState::Stale:
            return row.lastScrape.isValid() ? tr("Prometheus: scrape failing at %1").arg(at)
                                            : tr("Prometheus: scrape failing");
        default:
            return tr("Prometheus: not scraped yet");
        }
    }
    if (row.state == ConnectionState::Stale && row.staleSince.isValid())
        return tr("Stale since %1").arg(row.staleSince.toString(QStringLiteral("HH:mm:ss")));
    return connectionStateName(row.state);
}

void FleetModel::emitRowChanged(int row) {
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace switchboard
