#include "BreakerBoardModel.h"

#include <QSet>
#include <algorithm>

namespace switchboard {

using protocol::BreakerState;

struct BreakerBoardModel::Instance : BreakerInstanceState {
    QString agentId;
    bool dirty = false;
};

struct BreakerBoardModel::Group {
    QString name;
    int row = 0;
    std::vector<std::unique_ptr<Instance>> instances; // in the order they appeared
    BreakerHistory history{kHistoryLength};
    bool dirty = false;

    int rowOf(const QString& agentId) const {
        for (std::size_t i = 0; i < instances.size(); ++i) {
            if (instances[i]->agentId == agentId)
                return static_cast<int>(i);
        }
        return -1;
    }
};

BreakerBoardModel::BreakerBoardModel(QObject* parent)
    : QAbstractItemModel(parent) {
    m_flushTimer.setSingleShot(true);
    // Long enough to gather one agent's burst of reports, short enough not to be seen.
    m_flushTimer.setInterval(50);
    connect(&m_flushTimer, &QTimer::timeout, this, &BreakerBoardModel::flushPendingChanges);
}

BreakerBoardModel::~BreakerBoardModel() = default;

QModelIndex BreakerBoardModel::index(int row, int column, const QModelIndex& parent) const {
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid()) {
        if (row >= static_cast<int>(m_groups.size()))
            return {};
        return createIndex(row, column, quintptr(0));
    }
    if (parent.internalId() != 0 || parent.row() >= static_cast<int>(m_groups.size()))
        return {};
    Group* group = m_groups[static_cast<std::size_t>(parent.row())].get();
    if (row >= static_cast<int>(group->instances.size()))
        return {};
    // Children carry their group's address: it stays the same when groups before it come
    // and go, where a row number would not.
    return createIndex(row, column, reinterpret_cast<quintptr>(group));
}

QModelIndex BreakerBoardModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const auto* group = reinterpret_cast<const Group*>(child.internalId());
    return createIndex(group->row, 0, quintptr(0));
}

int BreakerBoardModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid())
        return static_cast<int>(m_groups.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return static_cast<int>(m_groups[static_cast<std::size_t>(parent.row())]->instances.size());
}

int BreakerBoardModel::columnCount(const QModelIndex& parent) const {
    // Every row has the same columns; an instance has no children but keeps the column count,
    // which QTreeView and QAbstractItemModelTester expect.
    Q_UNUSED(parent)
    return ColumnCount;
}

QVariant BreakerBoardModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == 0)
        return groupData(*m_groups[static_cast<std::size_t>(index.row())], index.column(), role);
    const auto* group = reinterpret_cast<const Group*>(index.internalId());
    return instanceData(*group->instances[static_cast<std::size_t>(index.row())], index.column(),
                        role);
}

QVariant BreakerBoardModel::instanceData(const Instance& instance, int column, int role) const {
    const BreakerStatus& status = instance.status();
    const bool stale = isStale(instance.agentId);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return instanceLabel(instance.agentId);
        case StateColumn:
            return stale ? tr("%1 (stale)").arg(breakerStateLabel(status.state))
                         : breakerStateLabel(status.state);
        case FailureRateColumn:
            return breakerPercentText(status.failureRate);
        case SlowCallRateColumn:
            return breakerPercentText(status.slowCallRate);
        case CallsPerSecondColumn:
            return instance.callsPerSecond() < 0
                       ? QStringLiteral("–")
                       : QString::number(instance.callsPerSecond(), 'f', 1);
        case NotPermittedColumn:
            return QString::number(status.notPermittedCalls);
        case TimeInStateColumn:
            return breakerDurationText(instance.timeInStateMs());
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QStringList lines{
            QStringLiteral("%1 on %2").arg(status.name, instanceLabel(instance.agentId)),
            tr("%1 calls in the window, %2 successful, %3 failed, %4 not permitted")
                .arg(status.bufferedCalls)
                .arg(status.successfulCalls)
                .arg(status.failedCalls)
                .arg(status.notPermittedCalls)};
        if (!instance.lastTransition().isEmpty())
            lines.append(tr("Last transition: %1").arg(instance.lastTransition()));
        if (stale)
            lines.append(instanceStatusText(instance));
        return lines.join(QLatin1Char('\n'));
    }
    case BreakerNameRole:
        return status.name;
    case AgentIdRole:
        return instance.agentId;
    case InstanceLabelRole:
        return instanceLabel(instance.agentId);
    case IsGroupRole:
        return false;
    case StateRole:
        return static_cast<int>(status.state);
    case StateLabelRole:
    case SummaryRole:
        return breakerStateLabel(status.state);
    case SeverityRole:
        return breakerStateSeverity(status.state);
    case HealthRole:
        // The colour would claim the state is current; data from a stale stream only says
        // what it was.
        return QVariant::fromValue(stale ? Health::Unknown : breakerHealth(status.state));
    case FailureRateRole:
        return status.failureRate;
    case SlowCallRateRole:
        return status.slowCallRate;
    case CallsPerSecondRole:
        return instance.callsPerSecond();
    case NotPermittedCallsRole:
        return status.notPermittedCalls;
    case NotPermittedPerSecondRole:
        return instance.notPermittedPerSecond();
    case BufferedCallsRole:
        return status.bufferedCalls;
    case TimeInStateRole:
        return instance.timeInStateMs();
    case InstanceCountRole:
        return 1;
    case FailureHistoryRole:
        return QVariant::fromValue(instance.history().values());
    case FailureThresholdRole:
        return status.failureRateThreshold >= 0 ? status.failureRateThreshold
                                                : m_thresholds.value(status.name, -1.0);
    case IsStaleRole:
        return stale;
    case StaleSinceRole:
        return stale ? m_agents.value(instance.agentId).staleSince : QDateTime();
    case StatusTextRole:
        return instanceStatusText(instance);
    case LastTransitionRole:
        return instance.lastTransition();
    case OverrideTextRole:
        return instance.overrideText();
    default:
        return {};
    }
}

QVariant BreakerBoardModel::groupData(const Group& group, int column, int role) const {
    // Aggregates are computed when asked: a handful of instances per breaker costs less than
    // keeping cached sums right through every insertion, removal and report.
    const Instance* worst = nullptr;
    double failureRate = -1.0;
    double slowCallRate = -1.0;
    double callsPerSecond = -1.0;
    double notPermittedPerSecond = -1.0;
    qint64 notPermitted = 0;
    qint64 buffered = 0;
    for (const auto& instance : group.instances) {
        const BreakerStatus& status = instance->status();
        if (!worst ||
            breakerStateSeverity(status.state) > breakerStateSeverity(worst->status().state) ||
            (status.state == worst->status().state &&
             instance->timeInStateMs() > worst->timeInStateMs()))
            worst = instance.get();
        failureRate = std::max(failureRate, status.failureRate);
        slowCallRate = std::max(slowCallRate, status.slowCallRate);
        if (instance->callsPerSecond() >= 0)
            callsPerSecond = std::max(callsPerSecond, 0.0) + instance->callsPerSecond();
        if (instance->notPermittedPerSecond() >= 0)
            notPermittedPerSecond =
                std::max(notPermittedPerSecond, 0.0) + instance->notPermittedPerSecond();
        notPermitted += status.notPermittedCalls;
        buffered += status.bufferedCalls;
    }
    if (!worst)
        return {};
    const BreakerState state = worst->status().state;

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return group.name;
        case StateColumn:
            return breakerStateLabel(state);
        case FailureRateColumn:
            return breakerPercentText(failureRate);
        case SlowCallRateColumn:
            return breakerPercentText(slowCallRate);
        case CallsPerSecondColumn:
            return callsPerSecond < 0 ? QStringLiteral("–")
                                      : QString::number(callsPerSecond, 'f', 1);
        case NotPermittedColumn:
            return QString::number(notPermitted);
        case TimeInStateColumn:
            return breakerDurationText(worst->timeInStateMs());
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QStringList lines{group.name};
        for (const auto& instance : group.instances)
            lines.append(QStringLiteral("%1: %2, failure %3")
                             .arg(instanceLabel(instance->agentId),
                                  instanceData(*instance, StateColumn, Qt::DisplayRole).toString(),
                                  breakerPercentText(instance->status().failureRate)));
        return lines.join(QLatin1Char('\n'));
    }
    case BreakerNameRole:
    case InstanceLabelRole:
        return group.name;
    case AgentIdRole:
        return QString();
    case IsGroupRole:
        return true;
    case StateRole:
        return static_cast<int>(state);
    case StateLabelRole:
        return breakerStateLabel(state);
    case SeverityRole:
        return breakerStateSeverity(state);
    case HealthRole: {
        Health health = Health::Up;
        for (const auto& instance : group.instances)
            health = std::max(health, instanceData(*instance, 0, HealthRole).value<Health>());
        return QVariant::fromValue(health);
    }
    case FailureRateRole:
        return failureRate;
    case SlowCallRateRole:
        return slowCallRate;
    case CallsPerSecondRole:
        return callsPerSecond;
    case NotPermittedCallsRole:
        return notPermitted;
    case NotPermittedPerSecondRole:
        return notPermittedPerSecond;
    case BufferedCallsRole:
        return buffered;
    case TimeInStateRole:
        return worst->timeInStateMs();
    case SummaryRole: {
        QList<BreakerState> states;
        for (const auto& instance : group.instances)
            states.append(instance->status().state);
        return summaryText(states);
    }
    case InstanceCountRole:
        return static_cast<int>(group.instances.size());
    case FailureHistoryRole:
        return QVariant::fromValue(group.history.values());
    case FailureThresholdRole: {
        double threshold = -1.0;
        for (const auto& instance : group.instances) {
            const double sent = instance->status().failureRateThreshold;
            if (sent >= 0 && (threshold < 0 || sent < threshold))
                threshold = sent;
        }
        return threshold >= 0 ? threshold : m_thresholds.value(group.name, -1.0);
    }
    case IsStaleRole:
        return std::all_of(group.instances.begin(), group.instances.end(),
                           [this](const auto& instance) { return isStale(instance->agentId); });
    case StaleSinceRole: {
        QDateTime oldest;
        for (const auto& instance : group.instances) {
            const QDateTime since = instanceData(*instance, 0, StaleSinceRole).toDateTime();
            if (since.isValid() && (!oldest.isValid() || since < oldest))
                oldest = since;
        }
        return oldest;
    }
    case StatusTextRole:
        return groupStatusText(group);
    case LastTransitionRole: {
        const Instance* latest = nullptr;
        for (const auto& instance : group.instances) {
            if (!instance->lastTransition().isEmpty() &&
                (!latest || instance->lastTransitionMs() > latest->lastTransitionMs()))
                latest = instance.get();
        }
        if (!latest)
            return QString();
        return group.instances.size() == 1
                   ? latest->lastTransition()
                   : QStringLiteral("%1: %2").arg(instanceLabel(latest->agentId),
                                                  latest->lastTransition());
    }
    case OverrideTextRole: {
        const Instance* first = nullptr;
        int overridden = 0;
        for (const auto& instance : group.instances) {
            if (!instance->status().override)
                continue;
            if (!first)
                first = instance.get();
            ++overridden;
        }
        if (!first)
            return QString();
        if (overridden > 1)
            return tr("%1 instances overridden").arg(overridden);
        return group.instances.size() == 1
                   ? first->overrideText()
                   : QStringLiteral("%1: %2").arg(instanceLabel(first->agentId),
                                                  first->overrideText());
    }
    default:
        return {};
    }
}

QString BreakerBoardModel::instanceStatusText(const Instance& instance) const {
    if (!isStale(instance.agentId))
        return {};
    const AgentState agent = m_agents.value(instance.agentId);
    if (agent.staleSince.isValid())
        return tr("stale since %1").arg(agent.staleSince.toString(QStringLiteral("HH:mm:ss")));
    return tr("stale (%1)").arg(connectionStateName(agent.state));
}

QString BreakerBoardModel::groupStatusText(const Group& group) const {
    int stale = 0;
    const Instance* staleOne = nullptr;
    for (const auto& instance : group.instances) {
        if (isStale(instance->agentId)) {
            ++stale;
            staleOne = instance.get();
        }
    }
    if (stale == 0)
        return {};
    if (stale == static_cast<int>(group.instances.size()) && stale == 1)
        return instanceStatusText(*staleOne);
    if (stale == static_cast<int>(group.instances.size())) {
        const QDateTime since = groupData(group, 0, StaleSinceRole).toDateTime();
        return since.isValid()
                   ? tr("all stale, since %1").arg(since.toString(QStringLiteral("HH:mm:ss")))
                   : tr("all stale");
    }
    return tr("%1 of %2 instances stale").arg(stale).arg(group.instances.size());
}

QVariant BreakerBoardModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Breaker");
    case StateColumn:
        return tr("State");
    case FailureRateColumn:
        return tr("Failure");
    case SlowCallRateColumn:
        return tr("Slow calls");
    case CallsPerSecondColumn:
        return tr("Calls/s");
    case NotPermittedColumn:
        return tr("Not permitted");
    case TimeInStateColumn:
        return tr("In state");
    default:
        return {};
    }
}

QHash<int, QByteArray> BreakerBoardModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(BreakerNameRole, "breakerName");
    names.insert(AgentIdRole, "agentId");
    names.insert(InstanceLabelRole, "instanceLabel");
    names.insert(IsGroupRole, "isGroup");
    names.insert(StateRole, "state");
    names.insert(StateLabelRole, "stateLabel");
    names.insert(SeverityRole, "severity");
    names.insert(HealthRole, "health");
    names.insert(FailureRateRole, "failureRate");
    names.insert(SlowCallRateRole, "slowCallRate");
    names.insert(CallsPerSecondRole, "callsPerSecond");
    names.insert(NotPermittedCallsRole, "notPermittedCalls");
    names.insert(NotPermittedPerSecondRole, "notPermittedPerSecond");
    names.insert(BufferedCallsRole, "bufferedCalls");
    names.insert(TimeInStateRole, "timeInState");
    names.insert(SummaryRole, "summary");
    names.insert(InstanceCountRole, "instanceCount");
    names.insert(FailureHistoryRole, "failureHistory");
    names.insert(FailureThresholdRole, "failureThreshold");
    names.insert(IsStaleRole, "isStale");
    names.insert(StaleSinceRole, "staleSince");
    names.insert(StatusTextRole, "statusText");
    names.insert(LastTransitionRole, "lastTransition");
    names.insert(OverrideTextRole, "overrideText");
    return names;
}

void BreakerBoardModel::addAgent(const QString& agentId, const QString& label) {
    AgentState& agent = m_agents[agentId];
    if (agent.label.isEmpty())
        agent.label = label;
}

void BreakerBoardModel::updateAgent(const QString& agentId, const AgentSnapshot& snapshot) {
    const AgentInfo& info = snapshot.info;
    QString label = info.instance;
    if (!info.service.isEmpty() && !info.instance.isEmpty())
        label = info.service + QLatin1Char('/') + info.instance;
    if (!label.isEmpty() && m_agents.value(agentId).label != label) {
        m_agents[agentId].label = label;
        for (const auto& group : m_groups) {
            if (const int row = group->rowOf(agentId); row >= 0)
                markDirty(group.get(), group->instances[static_cast<std::size_t>(row)].get());
        }
    }

    QSet<QString> names;
    for (const BreakerStatus& breaker : snapshot.breakers) {
        names.insert(breaker.name);
        applyBreaker(agentId, breaker, snapshot.timeMs);
    }
    // A breaker the agent no longer reports (it restarted without it) is gone, not stale.
    for (int g = static_cast<int>(m_groups.size()) - 1; g >= 0; --g) {
        Group* group = m_groups[static_cast<std::size_t>(g)].get();
        const int row = group->rowOf(agentId);
        if (row >= 0 && !names.contains(group->name))
            removeInstance(group, row);
    }
}

void BreakerBoardModel::applyBreaker(const QString& agentId, const BreakerStatus& breaker,
                                     qint64 timeMs) {
    if (breaker.name.isEmpty())
        return;
    if (!m_agents.contains(agentId))
        m_agents.insert(agentId, {});

    // A new breaker or instance arrives whole, values included, so whoever looks at it on
    // rowsInserted (a view, a filter by state) sees what it is rather than a blank.
    Group* group = findGroup(breaker.name);
    const int row = group ? group->rowOf(agentId) : -1;
    if (row >= 0) {
        Instance* instance = group->instances[static_cast<std::size_t>(row)].get();
        const bool stateChanged =
            instance->status().state != breaker.state || breaker.transition.has_value();
        instance->record(breaker, timeMs);
        if (timeMs > 0)
            group->history.add(timeMs, breaker.failureRate);
        markDirty(group, instance);
        // Figures wait for the burst; a breaker that opened or closed is news now.
        if (stateChanged)
            flushPendingChanges();
        return;
    }
    auto instance = std::make_unique<Instance>();
    instance->agentId = agentId;
    instance->record(breaker, timeMs);
    if (!group) {
        auto added = std::make_unique<Group>();
        added->name = breaker.name;
        if (timeMs > 0)
            added->history.add(timeMs, breaker.failureRate);
        added->instances.push_back(std::move(instance));
        insertGroup(std::move(added));
        return;
    }
    if (timeMs > 0)
        group->history.add(timeMs, breaker.failureRate);
    const int last = static_cast<int>(group->instances.size());
    beginInsertRows(index(group->row, 0), last, last);
    group->instances.push_back(std::move(instance));
    endInsertRows();
    group->dirty = true; // its aggregates changed
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void BreakerBoardModel::setConnectionState(const QString& agentId, ConnectionState state,
                                           const QDateTime& staleSince) {
    AgentState& agent = m_agents[agentId];
    if (agent.state == state && agent.staleSince == staleSince)
        return;
    agent.state = state;
    agent.staleSince = staleSince;
    for (const auto& group : m_groups) {
        if (const int row = group->rowOf(agentId); row >= 0)
            markDirty(group.get(), group->instances[static_cast<std::size_t>(row)].get());
    }
}

void BreakerBoardModel::removeAgent(const QString& agentId) {
    for (int g = static_cast<int>(m_groups.size()) - 1; g >= 0; --g) {
        Group* group = m_groups[static_cast<std::size_t>(g)].get();
        if (const int row = group->rowOf(agentId); row >= 0)
            removeInstance(group, row);
    }
    m_agents.remove(agentId);
}

void BreakerBoardModel::setFailureThreshold(const QString& breakerName, double percent) {
    m_thresholds.insert(breakerName, percent);
    if (Group* group = findGroup(breakerName)) {
        for (const auto& instance : group->instances)
            markDirty(group, instance.get());
    }
}

void BreakerBoardModel::flushPendingChanges() {
    m_flushTimer.stop();
    int first = -1;
    int last = -1;
    for (const auto& group : m_groups) {
        if (!group->dirty)
            continue;
        group->dirty = false;
        if (first < 0)
            first = group->row;
        last = group->row;
        int firstChild = -1;
        int lastChild = -1;
        for (std::size_t i = 0; i < group->instances.size(); ++i) {
            if (!group->instances[i]->dirty)
                continue;
            group->instances[i]->dirty = false;
            if (firstChild < 0)
                firstChild = static_cast<int>(i);
            lastChild = static_cast<int>(i);
        }
        if (firstChild >= 0) {
            const QModelIndex parent = createIndex(group->row, 0, quintptr(0));
            emit dataChanged(index(firstChild, 0, parent),
                             index(lastChild, ColumnCount - 1, parent));
        }
    }
    if (first >= 0)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

QModelIndex BreakerBoardModel::groupIndex(const QString& breakerName, int column) const {
    const Group* group = findGroup(breakerName);
    return group ? index(group->row, column) : QModelIndex();
}

QModelIndex BreakerBoardModel::instanceIndex(const QString& breakerName, const QString& agentId,
                                             int column) const {
    const Group* group = findGroup(breakerName);
    if (!group)
        return {};
    const int row = group->rowOf(agentId);
    return row < 0 ? QModelIndex() : index(row, column, index(group->row, 0));
}

std::optional<BreakerStatus> BreakerBoardModel::breaker(const QString& agentId,
                                                        const QString& name) const {
    const Group* group = findGroup(name);
    if (!group)
        return std::nullopt;
    const int row = group->rowOf(agentId);
    if (row < 0)
        return std::nullopt;
    return group->instances[static_cast<std::size_t>(row)]->status();
}

QString BreakerBoardModel::instanceLabel(const QString& agentId) const {
    const QString label = m_agents.value(agentId).label;
    return label.isEmpty() ? agentId : label;
}

QString BreakerBoardModel::boardSummary() const {
    QList<BreakerState> states;
    for (const auto& group : m_groups)
        states.append(static_cast<BreakerState>(groupData(*group, 0, StateRole).toInt()));
    return summaryText(states);
}

QString BreakerBoardModel::summaryText(const QList<BreakerState>& states) {
    QList<BreakerState> order{BreakerState::Closed,   BreakerState::Open,
                              BreakerState::HalfOpen, BreakerState::ForcedOpen,
                              BreakerState::Disabled, BreakerState::MetricsOnly};
    std::sort(order.begin(), order.end(), [](BreakerState a, BreakerState b) {
        return breakerStateSeverity(a) > breakerStateSeverity(b);
    });
    QStringList parts;
    for (BreakerState state : order) {
        if (const auto count = states.count(state); count > 0)
            parts.append(QStringLiteral("%1 %2").arg(breakerStateLabel(state)).arg(count));
    }
    return parts.join(QStringLiteral(" / "));
}

BreakerBoardModel::Group* BreakerBoardModel::findGroup(const QString& name) const {
    const auto it =
        std::lower_bound(m_groups.begin(), m_groups.end(), name,
                         [](const auto& group, const QString& key) { return group->name < key; });
    return it != m_groups.end() && (*it)->name == name ? it->get() : nullptr;
}

void BreakerBoardModel::insertGroup(std::unique_ptr<Group> group) {
    const auto it = std::lower_bound(
        m_groups.begin(), m_groups.end(), group->name,
        [](const auto& existing, const QString& key) { return existing->name < key; });
    const int row = static_cast<int>(it - m_groups.begin());
    beginInsertRows({}, row, row);
    m_groups.insert(it, std::move(group));
    reindexGroups();
    endInsertRows();
}

void BreakerBoardModel::removeInstance(Group* group, int row) {
    if (group->instances.size() == 1) {
        removeGroup(group->row);
        return;
    }
    beginRemoveRows(index(group->row, 0), row, row);
    group->instances.erase(group->instances.begin() + row);
    endRemoveRows();
    group->dirty = true; // its aggregates changed
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void BreakerBoardModel::removeGroup(int row) {
    beginRemoveRows({}, row, row);
    m_groups.erase(m_groups.begin() + row);
    reindexGroups();
    endRemoveRows();
}

void BreakerBoardModel::reindexGroups() {
    for (std::size_t i = 0; i < m_groups.size(); ++i)
        m_groups[i]->row = static_cast<int>(i);
}

void BreakerBoardModel::markDirty(Group* group, Instance* instance) {
    group->dirty = true;
    instance->dirty = true;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

bool BreakerBoardModel::isStale(const QString& agentId) const {
    const auto it = m_agents.constFind(agentId);
    if (it == m_agents.constEnd())
        return false;
    switch (it->state) {
    case ConnectionState::Live:
    case ConnectionState::Connecting: // no data yet, so no row to call stale
        return false;
    case ConnectionState::Stale:
    case ConnectionState::Unauthorized:
    case ConnectionState::Incompatible:
    case ConnectionState::TlsFailed:
        break;
    }
    return true;
}

} // namespace switchboard
