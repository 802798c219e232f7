#include "CacheModel.h"

#include "FreshestReport.h"
#include "ReplicationStatus.h" // replicationBytesText
#include "ShardsStatus.h"      // shardCountText

#include <algorithm>

namespace switchboard {

CacheModel::CacheModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_prefixes(this) {}

int CacheModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || m_rows.isEmpty())
        return 0;
    return static_cast<int>(m_rows.size()) + 1; // the totals row
}

int CacheModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CacheModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const bool total = index.row() == m_rows.size();
    const AgentState* state = nullptr;
    if (!total) {
        state = m_agents.find(m_rows.at(index.row()));
        if (!state || !state->cache)
            return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        return displayData(index.row(), index.column());
    case Qt::ToolTipRole:
        if (!total && index.column() == RedisColumn && !state->cache->redis.error.isEmpty())
            return state->cache->redis.error;
        if (!total && index.column() == L2ErrorsColumn)
            return tr("Redis errors and timeouts / gets that skipped Redis because its breaker "
                      "(%1) refused")
                .arg(state->cache->l2.breaker.isEmpty() ? tr("state unknown")
                                                        : state->cache->l2.breaker);
        if (!total && index.column() == InvalidationColumn)
            return state->cache->invalidation.channel;
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= HitRateColumn && index.column() != InvalidationColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case HealthRole:
        if (index.column() != HealthColumn)
            return {};
        return QVariant::fromValue(cacheHealthColour(health(index.row())));
    case CacheHealthRole:
        return static_cast<int>(health(index.row()));
    case AgentIdRole:
        return total ? QString() : state->id;
    case TotalRole:
        return total;
    case HitRateRole:
        return total ? totals().hitRate : state->cache->hitRate;
    default:
        return {};
    }
}

QVariant CacheModel::displayData(int row, int column) const {
    const bool total = row == m_rows.size();
    const AgentState* state = nullptr;
    CacheFigures figures;
    if (total) {
        figures = totals();
    } else {
        state = m_agents.find(m_rows.at(row));
        figures = cacheFiguresOf({&*state->cache});
    }
    switch (column) {
    case HealthColumn: {
        const CacheHealth h = health(row);
        // Words next to the colour: a stale row says since when, so nobody trusts old figures.
        if (h == CacheHealth::Stale && state && state->staleSince.isValid())
            return tr("stale since %1").arg(state->staleSince.toString(QStringLiteral("HH:mm:ss")));
        return cacheHealthText(h);
    }
    case InstanceColumn:
        return total ? tr("All instances (%1)").arg(m_rows.size()) : state->name();
    case RedisColumn: {
        if (total) {
            const QStringList keys = targetKeys();
            return keys.size() == 1 ? keys.first() : tr("%1 targets").arg(keys.size());
        }
        const CacheRedisStatus& redis = state->cache->redis;
        const QString target = redis.target.isEmpty() ? tr("Redis") : redis.target;
        return redis.isDown() ? tr("%1 — down").arg(target) : target;
    }
    case HitRateColumn:
        return cachePercentText(figures.hitRate);
    case L1HitRateColumn:
        return cachePercentText(figures.l1HitRate);
    case L2HitRateColumn:
        return cachePercentText(figures.l2HitRate);
    case GetsColumn:
        return cacheRateText(figures.getsPerSecond);
    case L1EntriesColumn:
        return shardCountText(figures.l1Entries);
    case L1MemoryColumn:
        return figures.l1Bytes < 0 ? QStringLiteral("–") : replicationBytesText(figures.l1Bytes);
    case L2ErrorsColumn:
        return QStringLiteral("%1 / %2").arg(shardCountText(figures.l2Errors),
                                             shardCountText(figures.l2Skipped));
    case LoadsColumn:
        return cacheRateText(figures.loadsPerSecond);
    case InvalidationColumn: {
        if (total) {
            int subscribed = 0;
            for (const AgentState* agent : reporting())
                subscribed += agent->cache->invalidation.subscribed ? 1 : 0;
            return tr("%1 of %2 listening").arg(subscribed).arg(m_rows.size());
        }
        const CacheInvalidationStatus& invalidation = state->cache->invalidation;
        return invalidation.subscribed ? tr("listening (%1 received)").arg(invalidation.received)
                                       : tr("not listening");
    }
    default:
        return {};
    }
}

QVariant CacheModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case HealthColumn:
        return tr("Health");
    case InstanceColumn:
        return tr("Instance");
    case RedisColumn:
        return tr("Redis");
    case HitRateColumn:
        return tr("Hit rate");
    case L1HitRateColumn:
        return tr("L1");
    case L2HitRateColumn:
        return tr("L2");
    case GetsColumn:
        return tr("Gets/s");
    case L1EntriesColumn:
        return tr("L1 entries");
    case L1MemoryColumn:
        return tr("L1 memory");
    case L2ErrorsColumn:
        return tr("L2 errors / skipped");
    case LoadsColumn:
        return tr("Loads/s");
    case InvalidationColumn:
        return tr("Invalidations");
    default:
        return {};
    }
}

void CacheModel::addAgent(const QString& agentId, const QString& label) {
    m_agents.add(agentId, label);
}

void CacheModel::removeAgent(const QString& agentId) {
    m_agents.remove(agentId);
    refresh();
}

void CacheModel::updateAgent(const QString& agentId, const AgentSnapshot& snapshot) {
    AgentState& state = m_agents.addFromSnapshot(agentId, snapshot);
    if (snapshot.cache) {
        applyCache(agentId, *snapshot.cache);
        return;
    }
    // An agent without a cache now (reconfigured, or older): what it fed goes.
    state.cache.reset();
    refresh();
}

void CacheModel::applyEvent(const QString& agentId, const StreamEvent& event) {
    if (event.kind == StreamEvent::Kind::Cache)
        applyCache(agentId, event.cache);
}

void CacheModel::applyCache(const QString& agentId, const CacheStatus& cache) {
    AgentState& state = m_agents.add(agentId);
    state.cache = cache;
    refresh();
    appendHistory(keyOf(state));
}

void CacheModel::setConnectionState(const QString& agentId, ConnectionState state,
                                    const QDateTime& staleSince) {
    if (!m_agents.setConnectionState(agentId, state, staleSince))
        return;
    refresh();
}

QStringList CacheModel::targetKeys() const {
    QStringList keys;
    for (const AgentState* state : reporting()) {
        if (!keys.contains(keyOf(*state)))
            keys.append(keyOf(*state));
    }
    return keys;
}

QString CacheModel::targetOf(const QString& agentId) const {
    const AgentState* state = m_agents.find(agentId);
    return state && state->cache ? keyOf(*state) : QString();
}

void CacheModel::setCurrentTarget(const QString& key) {
    m_chosen = key;
    refresh();
}

CacheTargetSummary CacheModel::target(const QString& key) const {
    const AgentState* source = freshest(key);
    if (!source)
        return {};
    const CacheStatus& report = *source->cache;
    CacheTargetSummary summary;
    summary.key = key;
    summary.target = report.redis.target;
    summary.redis = report.redis;
    summary.targetHitRate = report.targetHitRate;
    summary.channel = report.invalidation.channel;
    summary.sourceAgentId = source->id;
    QList<const CacheStatus*> all;
    for (const AgentState* state : reporting()) {
        if (keyOf(*state) != key)
            continue;
        all.append(&*state->cache);
        summary.subscribed += state->cache->invalidation.subscribed ? 1 : 0;
        if (state == source)
            summary.reporters.prepend(state->name());
        else
            summary.reporters.append(state->name());
    }
    summary.now = cacheFiguresOf(nowReports(key));
    summary.prefixes = sumCachePrefixes(all, &report);
    // The freshest report comes from a stale agent only when every reporter is stale.
    if (source->state != ConnectionState::Live) {
        summary.stale = true;
        summary.staleSince = source->staleSince;
    }
    return summary;
}

const RingBuffer<CacheHitRatePoint>* CacheModel::history(const QString& key) const {
    const auto it = m_history.constFind(key);
    return it == m_history.constEnd() ? nullptr : &*it;
}

QList<QPair<QString, bool>> CacheModel::subscribers(const QString& key) const {
    QList<QPair<QString, bool>> names;
    for (const AgentState* state : reporting()) {
        if (keyOf(*state) == key)
            names.append({state->name(), state->cache->invalidation.subscribed});
    }
    return names;
}

CacheFigures CacheModel::totals() const {
    QList<const CacheStatus*> live;
    QList<const CacheStatus*> all;
    for (const AgentState* state : reporting()) {
        all.append(&*state->cache);
        if (state->state == ConnectionState::Live)
            live.append(&*state->cache);
    }
    return cacheFiguresOf(live.isEmpty() ? all : live);
}

CacheHealth CacheModel::health(int row) const {
    if (row < 0 || row > m_rows.size() || m_rows.isEmpty())
        return CacheHealth::Stale;
    if (row < m_rows.size()) {
        for (const AgentState& state : m_agents) {
            if (state.id == m_rows.at(row) && state.cache)
                return agentHealth(state);
        }
        return CacheHealth::Stale;
    }
    // The totals: stale when every instance is; else the worst of the live ones' Redis, then
    // the weighted hit rate against the target.
    bool anyLive = false;
    bool redisDown = false;
    double target = -1.0;
    for (const AgentState* state : reporting()) {
        if (state->state != ConnectionState::Live)
            continue;
        anyLive = true;
        redisDown = redisDown || state->cache->redis.isDown();
        target = std::max(target, state->cache->targetHitRate);
    }
    if (!anyLive)
        return CacheHealth::Stale;
    if (redisDown)
        return CacheHealth::RedisDown;
    const double rate = totals().hitRate;
    return target >= 0 && rate >= 0 && rate < target ? CacheHealth::BelowTarget
                                                     : CacheHealth::Healthy;
}

QString CacheModel::agentName(const QString& agentId) const {
    const AgentState* state = m_agents.find(agentId);
    return state ? state->name() : agentId;
}

CacheHealth CacheModel::agentHealth(const AgentState& agent) const {
    if (agent.state != ConnectionState::Live)
        return CacheHealth::Stale;
    const CacheStatus& cache = *agent.cache;
    if (cache.redis.isDown())
        return CacheHealth::RedisDown;
    if (cache.targetHitRate >= 0 && cache.hitRate >= 0 && cache.hitRate < cache.targetHitRate)
        return CacheHealth::BelowTarget;
    return CacheHealth::Healthy;
}

QString CacheModel::keyOf(const AgentState& agent) {
    // Instances of one backend share its Redis: its address is where their keys live.
    const QString target = agent.cache ? agent.cache->redis.target : QString();
    return target.isEmpty() ? QStringLiteral("agent:") + agent.id : target;
}

const CacheModel::AgentState* CacheModel::freshest(const QString& key) const {
    return freshestReport(
        m_agents.list(),
        [&](const AgentState& state) { return state.cache && keyOf(state) == key; },
        [](const AgentState& state) { return state.cache->checkedMs; });
}

QList<const CacheStatus*> CacheModel::nowReports(const QString& key) const {
    QList<const CacheStatus*> live;
    QList<const CacheStatus*> all;
    for (const AgentState* state : reporting()) {
        if (keyOf(*state) != key)
            continue;
        all.append(&*state->cache);
        if (state->state == ConnectionState::Live)
            live.append(&*state->cache);
    }
    return live.isEmpty() ? all : live;
}

QList<const CacheModel::AgentState*> CacheModel::reporting() const {
    QList<const AgentState*> agents;
    for (const AgentState& state : m_agents) {
        if (state.cache)
            agents.append(&state);
    }
    return agents;
}

void CacheModel::appendHistory(const QString& key) {
    const AgentState* source = freshest(key);
    if (!source)
        return;
    const CacheFigures figures = cacheFiguresOf(nowReports(key));
    const qint64 timeMs = source->cache->checkedMs > 0 ? source->cache->checkedMs
                                                       : QDateTime::currentMSecsSinceEpoch();
    auto it = m_history.find(key);
    if (it == m_history.end())
        it = m_history.insert(key, RingBuffer<CacheHitRatePoint>(kHistoryCapacity));
    // Several instances report each interval: keep the lines moving forward in time.
    if (!it->isEmpty() && it->back().timeMs >= timeMs)
        return;
    it->push_back(CacheHitRatePoint{timeMs, figures.hitRate, figures.l1HitRate, figures.l2HitRate});
    emit historyChanged();
}

void CacheModel::refresh() {
    QList<QString> rows;
    for (const AgentState* state : reporting())
        rows.append(state->id);
    if (rows == m_rows) {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    } else {
        // Instances join and leave rarely: a reset is simpler than diffing.
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
    }
    const QStringList keys = targetKeys();
    // History of targets nobody reports any more would only grow stale in the chart.
    for (auto it = m_history.begin(); it != m_history.end();) {
        if (keys.contains(it.key()))
            ++it;
        else
            it = m_history.erase(it);
    }
    const QString key = keys.contains(m_chosen) ? m_chosen : keys.value(0);
    m_current = key.isEmpty() ? CacheTargetSummary() : target(key);
    m_prefixes.setPrefixes(m_current.prefixes, m_current.targetHitRate);
    emit cacheChanged();
}

} // namespace switchboard
