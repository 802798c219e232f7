#include "ReplicationModel.h"

#include "FreshestReport.h"
#include "ProbeResult.h" // probeDownSinceMs

#include <algorithm>

namespace switchboard {

ReplicationModel::ReplicationModel(QObject* parent)
    : QAbstractTableModel(parent) {}

int ReplicationModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ReplicationModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReplicationModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    const AgentState* source = freshest(row);
    const ReplicaStatus* replica = source && !row.primary ? replicaOf(*source, row.node) : nullptr;
    const bool measured = replica && rowHealth(row) != ReplicationHealth::Down;
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == ReportedByColumn)
            return reporters(row).join(QLatin1Char('\n'));
        if (source && source->replication) {
            const QString error = row.primary ? source->replication->primary.error
                                  : replica   ? replica->error
                                              : QString();
            return error.isEmpty() ? QVariant() : QVariant(error);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == LagBytesColumn || index.column() == LagSecondsColumn ||
            index.column() == ReadsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case HealthRole:
        return QVariant::fromValue(replicationHealthColour(rowHealth(row)));
    case ReplicationHealthRole:
        return static_cast<int>(rowHealth(row));
    case NodeKeyRole:
        return row.key;
    case LagSecondsRole:
        return measured ? replica->replayLagSeconds : -1.0;
    case LagBytesRole:
        return measured ? replica->replayLagBytes : qint64(-1);
    case ReadsPerSecondRole:
        return readsPerSecond(row);
    default:
        return {};
    }
}

QVariant ReplicationModel::displayData(const Row& row, int column) const {
    const AgentState* source = freshest(row);
    if (!source || !source->replication)
        return {};
    const ReplicationStatus& replication = *source->replication;
    const ReplicaStatus* replica = row.primary ? nullptr : replicaOf(*source, row.node);
    QDateTime since;
    const ReplicationHealth health = rowHealth(row, &since);
    const bool measured = replica && health != ReplicationHealth::Down;
    switch (column) {
    case HealthColumn:
        // Words next to the colour: a stale row says since when, so nobody trusts old lag.
        if (health == ReplicationHealth::Stale && since.isValid())
            return tr("stale since %1").arg(since.toString(QStringLiteral("HH:mm:ss")));
        return replicationHealthText(health);
    case NodeColumn: {
        const QString target = row.primary ? replication.primary.target
                               : replica   ? replica->target
                                           : QString();
        return target.isEmpty() ? row.node : QStringLiteral("%1 (%2)").arg(row.node, target);
    }
    case RoleColumn:
        return row.primary ? tr("primary") : tr("replica");
    case StateColumn:
        if (row.primary)
            return primaryHealth(replication) == ReplicationHealth::Down
                       ? tr("down")
                       : tr("primary, timeline %1").arg(replication.primary.timeline);
        return replica ? replicationStateLabel(replica->stateName) : QString();
    case SyncColumn:
        return replica && !replica->syncState.isEmpty() ? replica->syncState : QStringLiteral("–");
    case LagBytesColumn:
        return measured ? replicationBytesText(replica->replayLagBytes) : QStringLiteral("–");
    case LagSecondsColumn:
        return measured ? replicationLagText(replica->replayLagSeconds) : QStringLiteral("–");
    case ReadsColumn: {
        const double rate = readsPerSecond(row);
        return rate < 0 ? QStringLiteral("–") : QStringLiteral("%1 /s").arg(rate, 0, 'f', 1);
    }
    case EligibleColumn: {
        if (!source->router)
            return QStringLiteral("–");
        for (const ReadRouterTarget& target : source->router->targets) {
            if (target.name == row.node)
                return target.eligible
                           ? tr("yes")
                           : (target.whyNot.isEmpty() ? tr("no") : tr("no: %1").arg(target.whyNot));
        }
        return QStringLiteral("–");
    }
    case ReportedByColumn: {
        const QStringList names = reporters(row);
        return names.size() > 1 ? tr("%1 (+%2)").arg(names.first()).arg(names.size() - 1)
                                : names.value(0);
    }
    default:
        return {};
    }
}

QVariant ReplicationModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case HealthColumn:
        return tr("Health");
    case NodeColumn:
        return tr("Node");
    case RoleColumn:
        return tr("Role");
    case StateColumn:
        return tr("State");
    case SyncColumn:
        return tr("Sync");
    case LagBytesColumn:
        return tr("Lag");
    case LagSecondsColumn:
        return tr("Replay lag");
    case ReadsColumn:
        return tr("Reads");
    case EligibleColumn:
        return tr("Eligible for reads");
    case ReportedByColumn:
        return tr("Reported by");
    default:
        return {};
    }
}

void ReplicationModel::addAgent(const QString& agentId, const QString& label) {
    m_agents.add(agentId, label);
}

void ReplicationModel::removeAgent(const QString& agentId) {
    m_agents.remove(agentId);
    rebuildRows();
}

void ReplicationModel::updateAgent(const QString& agentId, const AgentSnapshot& snapshot) {
    AgentState& state = m_agents.addFromSnapshot(agentId, snapshot);
    // A snapshot without them comes from an agent without a primary (or an older one): the
    // rows it fed go, rather than linger with old figures.
    if (!snapshot.replication)
        state.replication.reset();
    if (!snapshot.readRouter)
        state.router.reset();
    if (snapshot.readRouter)
        applyReadRouter(agentId, *snapshot.readRouter, snapshot.timeMs);
    if (snapshot.replication)
        applyReplication(agentId, *snapshot.replication);
    else
        rebuildRows();
}

void ReplicationModel::applyEvent(const QString& agentId, const StreamEvent& event) {
    if (event.kind == StreamEvent::Kind::Replication)
        applyReplication(agentId, event.replication);
    else if (event.kind == StreamEvent::Kind::ReadRouter)
        applyReadRouter(agentId, event.readRouter, event.timeMs);
}

void ReplicationModel::applyReplication(const QString& agentId,
                                        const ReplicationStatus& replication) {
    AgentState& state = m_agents.add(agentId);
    state.downSinceMs =
        probeDownSinceMs(state.downSinceMs, replication.status, replication.checkedMs);
    state.replication = replication;
    rebuildRows();
    appendHistory(state);
}

void ReplicationModel::applyReadRouter(const QString& agentId, const ReadRouterStatus& router,
                                       qint64 timeMs) {
    AgentState& state = m_agents.add(agentId);
    for (const ReadRouterTarget& target : router.targets) {
        const auto last = state.lastReads.constFind(target.name);
        if (last != state.lastReads.constEnd() && timeMs > last->timeMs &&
            target.reads >= last->reads) {
            state.readRates.insert(target.name, double(target.reads - last->reads) * 1000.0 /
                                                    double(timeMs - last->timeMs));
        } else if (last != state.lastReads.constEnd() && target.reads < last->reads) {
            // The counter went back: the agent restarted. No rate until the next report.
            state.readRates.remove(target.name);
        }
        if (last == state.lastReads.constEnd() || timeMs > last->timeMs ||
            target.reads < last->reads)
            state.lastReads.insert(target.name, ReadCounter{target.reads, timeMs});
    }
    state.router = router;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void ReplicationModel::setConnectionState(const QString& agentId, ConnectionState state,
                                          const QDateTime& staleSince) {
    if (!m_agents.setConnectionState(agentId, state, staleSince))
        return;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QStringList ReplicationModel::replicaKeys() const {
    QStringList keys;
    for (const Row& row : m_rows) {
        if (!row.primary)
            keys.append(row.key);
    }
    return keys;
}

QString ReplicationModel::nodeName(const QString& key) const {
    const int row = rowOfNode(key);
    return row < 0 ? QString() : m_rows.at(row).node;
}

const RingBuffer<ReplicationModel::LagPoint>*
ReplicationModel::lagHistory(const QString& key) const {
    const auto it = m_history.constFind(key);
    return it == m_history.constEnd() ? nullptr : &*it;
}

double ReplicationModel::maxLagSeconds() const {
    qint64 maxMs = -1;
    for (const AgentState& state : m_agents) {
        if (state.router && state.router->maxLagMs > 0)
            maxMs = std::max(maxMs, state.router->maxLagMs);
    }
    return maxMs < 0 ? -1.0 : double(maxMs) / 1000.0;
}

ReplicationHealth ReplicationModel::health(int row) const {
    return row < 0 || row >= m_rows.size() ? ReplicationHealth::Stale : rowHealth(m_rows.at(row));
}

QDateTime ReplicationModel::staleSince() const {
    QDateTime earliest;
    for (const Row& row : m_rows) {
        QDateTime since;
        if (rowHealth(row, &since) == ReplicationHealth::Stale && since.isValid() &&
            (!earliest.isValid() || since < earliest))
            earliest = since;
    }
    return earliest;
}

int ReplicationModel::rowOfNode(const QString& key) const {
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).key == key)
            return static_cast<int>(i);
    }
    return -1;
}

QString ReplicationModel::groupOf(const AgentState& agent) {
    // Instances of one backend reach the same primary: its address identifies the database.
    const QString target = agent.replication ? agent.replication->primary.target : QString();
    return target.isEmpty() ? QStringLiteral("agent:") + agent.id : target;
}

const ReplicationModel::AgentState* ReplicationModel::freshest(const Row& row) const {
    return freshestReport(
        m_agents.list(),
        [&](const AgentState& state) {
            return state.replication && groupOf(state) == row.group &&
                   (row.primary || replicaOf(state, row.node));
        },
        [](const AgentState& state) { return state.replication->checkedMs; });
}

const ReplicaStatus* ReplicationModel::replicaOf(const AgentState& agent,
                                                 const QString& node) const {
    if (!agent.replication)
        return nullptr;
    for (const ReplicaStatus& replica : agent.replication->replicas) {
        if (replica.name == node)
            return &replica;
    }
    return nullptr;
}

ReplicationHealth ReplicationModel::rowHealth(const Row& row, QDateTime* staleSince) const {
    const AgentState* source = freshest(row);
    if (!source)
        return ReplicationHealth::Stale;
    // The freshest report comes from a stale agent only when every reporter is stale.
    if (source->state != ConnectionState::Live) {
        if (staleSince)
            *staleSince = source->staleSince;
        return ReplicationHealth::Stale;
    }
    const ReplicationStatus& replication = *source->replication;
    if (row.primary)
        return primaryHealth(replication);
    const ReplicationHealth health =
        replicaHealth(replication, *replicaOf(*source, row.node), source->router);
    if (health == ReplicationHealth::Stale && staleSince && source->downSinceMs > 0)
        *staleSince = QDateTime::fromMSecsSinceEpoch(source->downSinceMs);
    return health;
}

double ReplicationModel::readsPerSecond(const Row& row) const {
    double sum = 0.0;
    bool any = false;
    for (const AgentState& state : m_agents) {
        if (!state.replication || groupOf(state) != row.group)
            continue;
        const auto rate = state.readRates.constFind(row.node);
        if (rate != state.readRates.constEnd()) {
            sum += *rate;
            any = true;
        }
    }
    return any ? sum : -1.0;
}

QStringList ReplicationModel::reporters(const Row& row) const {
    QStringList names;
    const AgentState* source = freshest(row);
    for (const AgentState& state : m_agents) {
        if (!state.replication || groupOf(state) != row.group)
            continue;
        const QString name = state.name();
        // The instance whose figures the row shows comes first.
        if (&state == source)
            names.prepend(name);
        else
            names.append(name);
    }
    return names;
}

void ReplicationModel::rebuildRows() {
    QList<Row> rows;
    QStringList seen;
    for (const AgentState& state : m_agents) {
        if (!state.replication)
            continue;
        const QString group = groupOf(state);
        auto add = [&](const QString& node, bool primary) {
            const QString key = group + QLatin1Char('/') + node;
            if (seen.contains(key))
                return;
            seen.append(key);
            rows.append(Row{key, group, node, primary});
        };
        const QString primaryName = state.replication->primary.name.isEmpty()
                                        ? QStringLiteral("primary")
                                        : state.replication->primary.name;
        add(primaryName, true);
        for (const ReplicaStatus& replica : state.replication->replicas)
            add(replica.name, false);
    }
    const bool sameRows = std::equal(rows.begin(), rows.end(), m_rows.begin(), m_rows.end(),
                                     [](const Row& a, const Row& b) { return a.key == b.key; });
    if (sameRows) {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    // Rows come and go only when the configuration changes: a reset is simpler than diffing.
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    // History of nodes nobody reports any more would only grow stale in the chart.
    for (auto it = m_history.begin(); it != m_history.end();) {
        if (seen.contains(it.key()))
            ++it;
        else
            it = m_history.erase(it);
    }
}

void ReplicationModel::appendHistory(const AgentState& state) {
    if (!state.replication || state.replication->status == protocol::ProbeStatus::Down)
        return;
    const QString group = groupOf(state);
    bool appended = false;
    for (const ReplicaStatus& replica : state.replication->replicas) {
        if (replicaHealth(*state.replication, replica, state.router) == ReplicationHealth::Down)
            continue;
        const QString key = group + QLatin1Char('/') + replica.name;
        auto it = m_history.find(key);
        if (it == m_history.end())
            it = m_history.insert(key, RingBuffer<LagPoint>(kHistoryCapacity));
        const qint64 timeMs = state.replication->checkedMs > 0
                                  ? state.replication->checkedMs
                                  : QDateTime::currentMSecsSinceEpoch();
        // Several instances report the same replica: keep the line moving forward in time.
        if (!it->isEmpty() && it->back().timeMs >= timeMs)
            continue;
        it->push_back(LagPoint{timeMs, replica.replayLagSeconds});
        appended = true;
    }
    if (appended)
        emit historyChanged();
}

} // namespace switchboard
