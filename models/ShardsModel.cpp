#include "ShardsModel.h"

#include "FreshestReport.h"
#include "ProbeResult.h"       // probeDownSinceMs
#include "ReplicationStatus.h" // replicationBytesText: one way to write sizes

#include <algorithm>

namespace switchboard {

namespace {

// Adds a figure to a sum that stays -1 (unknown) until some figure is known.
void addKnown(double* sum, double value) {
    if (value < 0)
        return;
    *sum = *sum < 0 ? value : *sum + value;
}

double opsOf(double writes, double reads) {
    if (writes < 0 && reads < 0)
        return -1.0;
    return std::max(writes, 0.0) + std::max(reads, 0.0);
}

} // namespace

ShardsModel::ShardsModel(QObject* parent)
    : QAbstractTableModel(parent) {}

int ShardsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_current.nodes.size());
}

int ShardsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ShardsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ShardNodeSummary& node = m_current.nodes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(node, index.column());
    case Qt::ToolTipRole:
        return node.error.isEmpty() ? QVariant() : QVariant(node.error);
    case Qt::TextAlignmentRole:
        if (index.column() >= BucketsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case HealthRole:
        return QVariant::fromValue(shardHealthColour(node.health));
    case ShardHealthRole:
        return static_cast<int>(node.health);
    case NodeIndexRole:
        return index.row();
    case RowsRole:
        return node.rows;
    case BytesRole:
        return node.bytes;
    case OpsRole:
        return node.opsPerSecond;
    case ShareRole:
        return node.rowsShare;
    default:
        return {};
    }
}

QVariant ShardsModel::displayData(const ShardNodeSummary& node, int column) const {
    switch (column) {
    case HealthColumn:
        // Words next to the colour: a stale row says since when, so nobody trusts old figures.
        if (node.health == ShardHealth::Stale && m_current.staleSince.isValid())
            return tr("stale since %1")
                .arg(m_current.staleSince.toString(QStringLiteral("HH:mm:ss")));
        return shardHealthText(node.health);
    case NodeColumn:
        return node.name;
    case TargetColumn:
        return node.target;
    case BucketsColumn:
        return shardCountText(node.buckets);
    case RowsColumn:
        return shardCountText(node.rows);
    case BytesColumn:
        return node.bytes < 0 ? QStringLiteral("–") : replicationBytesText(node.bytes);
    case OpsColumn:
        return shardRateText(node.opsPerSecond);
    case ShareColumn:
        return node.rowsShare < 0 ? QStringLiteral("–")
                                  : QStringLiteral("%1 %").arg(node.rowsShare, 0, 'f', 1);
    default:
        return {};
    }
}

QVariant ShardsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case HealthColumn:
        return tr("Health");
    case NodeColumn:
        return tr("Node");
    case TargetColumn:
        return tr("Target");
    case BucketsColumn:
        return tr("Buckets");
    case RowsColumn:
        return tr("Rows");
    case BytesColumn:
        return tr("Bytes");
    case OpsColumn:
        return tr("Ops/s");
    case ShareColumn:
        return tr("Share of rows");
    default:
        return {};
    }
}

void ShardsModel::addAgent(const QString& agentId, const QString& label) {
    m_agents.add(agentId, label);
}

void ShardsModel::removeAgent(const QString& agentId) {
    m_agents.remove(agentId);
    refresh();
}

void ShardsModel::updateAgent(const QString& agentId, const AgentSnapshot& snapshot) {
    AgentState& state = m_agents.addFromSnapshot(agentId, snapshot);
    if (snapshot.shards) {
        applyShards(agentId, *snapshot.shards);
        return;
    }
    // An agent without shards now (reconfigured, or older): what it fed goes.
    state.shards.reset();
    state.downSinceMs = 0;
    refresh();
}

void ShardsModel::applyEvent(const QString& agentId, const StreamEvent& event) {
    if (event.kind == StreamEvent::Kind::Shards)
        applyShards(agentId, event.shards);
}

void ShardsModel::applyShards(const QString& agentId, const ShardsStatus& shards) {
    AgentState& state = m_agents.add(agentId);
    state.downSinceMs = probeDownSinceMs(state.downSinceMs, shards.status, shards.checkedMs);
    state.shards = shards;
    refresh();
}

void ShardsModel::setConnectionState(const QString& agentId, ConnectionState state,
                                     const QDateTime& staleSince) {
    if (!m_agents.setConnectionState(agentId, state, staleSince))
        return;
    refresh();
}

QStringList ShardsModel::clusterKeys() const {
    QStringList keys;
    for (const AgentState& state : m_agents) {
        if (state.shards && !keys.contains(keyOf(state)))
            keys.append(keyOf(state));
    }
    return keys;
}

QString ShardsModel::clusterOf(const QString& agentId) const {
    const AgentState* state = m_agents.find(agentId);
    return state && state->shards ? keyOf(*state) : QString();
}

void ShardsModel::setCurrentCluster(const QString& key) {
    m_chosen = key;
    refresh();
}

ShardCluster ShardsModel::cluster(const QString& key) const {
    const AgentState* source = freshest(key);
    if (!source)
        return {};
    const ShardsStatus& report = *source->shards;
    ShardCluster cluster;
    cluster.key = key;
    cluster.catalog = report.catalog;
    cluster.version = report.version;
    cluster.bucketCount = report.bucketCount;
    cluster.checkedMs = report.checkedMs;
    cluster.catalogStatus = report.status;
    cluster.catalogError = report.error;
    cluster.skew = report.skew;
    cluster.moves = report.moves;
    cluster.sourceAgentId = source->id;

    // Rates: every live instance routes its own share; a stale one's last rate is old news.
    QList<const AgentState*> members;
    bool anyLive = false;
    for (const AgentState& state : m_agents) {
        if (!state.shards || keyOf(state) != key)
            continue;
        members.append(&state);
        anyLive = anyLive || state.state == ConnectionState::Live;
        if (&state == source)
            cluster.reporters.prepend(state.name());
        else
            cluster.reporters.append(state.name());
    }
    QList<const AgentState*> rateSources;
    for (const AgentState* member : members) {
        if (!anyLive || member->state == ConnectionState::Live)
            rateSources.append(member);
    }

    // The freshest report comes from a stale agent only when every reporter is stale.
    if (source->state != ConnectionState::Live) {
        cluster.stale = true;
        cluster.staleSince = source->staleSince;
    } else if (report.status == protocol::ProbeStatus::Down) {
        cluster.stale = true;
        cluster.staleSince = QDateTime::fromMSecsSinceEpoch(source->downSinceMs);
    }

    qint64 totalRows = 0;
    for (const ShardNode& node : report.nodes) {
        ShardNodeSummary summary;
        summary.name = node.name;
        summary.target = node.target;
        summary.error = node.error;
        const bool down = node.status == protocol::ProbeStatus::Down;
        summary.health = cluster.stale ? ShardHealth::Stale
                         : down        ? ShardHealth::Down
                                       : ShardHealth::Healthy;
        summary.buckets = node.buckets;
        summary.rows = down ? -1 : node.rows;
        summary.bytes = down ? -1 : node.bytes;
        for (const AgentState* member : rateSources) {
            for (const ShardNode& seen : member->shards->nodes) {
                if (seen.name == node.name)
                    addKnown(&summary.opsPerSecond,
                             opsOf(seen.writesPerSecond, seen.readsPerSecond));
            }
        }
        if (summary.rows > 0)
            totalRows += summary.rows;
        cluster.nodes.append(summary);
    }
    for (ShardNodeSummary& summary : cluster.nodes) {
        if (summary.rows >= 0 && totalRows > 0)
            summary.rowsShare = double(summary.rows) * 100.0 / double(totalRows);
    }

    const ShardBuckets& columns = report.buckets;
    cluster.buckets.reserve(report.bucketCount);
    for (int i = 0; i < report.bucketCount; ++i) {
        ShardBucketCell cell;
        cell.bucket = i;
        const int node = columns.node.value(i, -1);
        cell.node = node >= 0 && node < cluster.nodes.size() ? node : -1;
        cell.rows = columns.rows.value(i, -1);
        cell.bytes = columns.bytes.value(i, -1);
        for (const AgentState* member : rateSources) {
            const ShardBuckets& theirs = member->shards->buckets;
            addKnown(&cell.opsPerSecond, opsOf(theirs.writesPerSecond.value(i, -1.0),
                                               theirs.readsPerSecond.value(i, -1.0)));
        }
        cluster.buckets.append(cell);
    }
    for (const ShardMove& move : report.moves) {
        if (move.bucket >= 0 && move.bucket < cluster.buckets.size())
            cluster.buckets[move.bucket].move = move;
    }

    // Several instances route their own share: the load skew is over the summed rates.
    if (rateSources.size() > 1) {
        QList<double> loads;
        for (const ShardNodeSummary& summary : std::as_const(cluster.nodes))
            loads.append(summary.opsPerSecond);
        cluster.skew.load = skewOf(loads);
    }
    return cluster;
}

QString ShardsModel::keyOf(const AgentState& agent) {
    // Instances of one backend share the catalog on the core primary: its address is the cluster.
    const QString catalog = agent.shards ? agent.shards->catalog : QString();
    return catalog.isEmpty() ? QStringLiteral("agent:") + agent.id : catalog;
}

const ShardsModel::AgentState* ShardsModel::freshest(const QString& key) const {
    return freshestReport(
        m_agents.list(),
        [&](const AgentState& state) { return state.shards && keyOf(state) == key; },
        [](const AgentState& state) { return state.shards->checkedMs; });
}

void ShardsModel::refresh() {
    const QStringList keys = clusterKeys();
    const QString key = keys.contains(m_chosen) ? m_chosen : keys.value(0);
    ShardCluster next = key.isEmpty() ? ShardCluster() : cluster(key);
    const bool sameRows = std::equal(
        next.nodes.begin(), next.nodes.end(), m_current.nodes.begin(), m_current.nodes.end(),
        [](const ShardNodeSummary& a, const ShardNodeSummary& b) { return a.name == b.name; });
    if (sameRows) {
        m_current = std::move(next);
        if (!m_current.nodes.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    } else {
        // Nodes come and go only when the configuration changes: a reset is simpler than diffing.
        beginResetModel();
        m_current = std::move(next);
        endResetModel();
    }
    emit clusterChanged();
}

} // namespace switchboard
