#include "BreakerBoardFilterModel.h"

#include "BreakerBoardModel.h"

namespace switchboard {

using protocol::BreakerState;

BreakerBoardFilterModel::BreakerBoardFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent) {
    // Reports arrive every second: the order follows them without the view asking.
    setDynamicSortFilter(true);
    sort(0, Qt::AscendingOrder);
}

void BreakerBoardFilterModel::setNameFilter(const QString& text) {
    if (text == m_name)
        return;
    m_name = text;
    invalidateRowsFilter();
}

void BreakerBoardFilterModel::setAgentFilter(const QString& agentId) {
    if (agentId == m_agent)
        return;
    m_agent = agentId;
    invalidateRowsFilter();
}

bool BreakerBoardFilterModel::hasAgent(const QModelIndex& group) const {
    const int count = sourceModel()->rowCount(group);
    for (int row = 0; row < count; ++row) {
        if (sourceModel()->index(row, 0, group).data(BreakerBoardModel::AgentIdRole).toString() ==
            m_agent)
            return true;
    }
    return false;
}

void BreakerBoardFilterModel::setStateFilter(StateFilter filter) {
    if (filter == m_state)
        return;
    m_state = filter;
    invalidateRowsFilter();
}

void BreakerBoardFilterModel::setSortKey(SortKey key) {
    if (key == m_sortKey)
        return;
    m_sortKey = key;
    invalidate(); // re-sorts with the new key
}

bool BreakerBoardFilterModel::filterAcceptsRow(int sourceRow,
                                               const QModelIndex& sourceParent) const {
    if (sourceParent.isValid()) // instances follow their breaker, unless one is asked for
        return m_agent.isEmpty() || sourceModel()
                                            ->index(sourceRow, 0, sourceParent)
                                            .data(BreakerBoardModel::AgentIdRole)
                                            .toString() == m_agent;
    const QModelIndex group = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_agent.isEmpty() && !hasAgent(group))
        return false;
    if (!m_name.isEmpty() && !group.data(BreakerBoardModel::BreakerNameRole)
                                  .toString()
                                  .contains(m_name, Qt::CaseInsensitive))
        return false;
    return stateMatches(group);
}

bool BreakerBoardFilterModel::stateMatches(const QModelIndex& group) const {
    if (m_state == StateFilter::All)
        return true;
    const int count = sourceModel()->rowCount(group);
    for (int row = 0; row < count; ++row) {
        const QModelIndex instance = sourceModel()->index(row, 0, group);
        const auto state =
            static_cast<BreakerState>(instance.data(BreakerBoardModel::StateRole).toInt());
        bool match = false;
        switch (m_state) {
        case StateFilter::All:
            match = true;
            break;
        case StateFilter::NotClosed:
            match = state != BreakerState::Closed;
            break;
        case StateFilter::Open:
            match = state == BreakerState::Open || state == BreakerState::ForcedOpen;
            break;
        case StateFilter::HalfOpen:
            match = state == BreakerState::HalfOpen;
            break;
        case StateFilter::Closed:
            match = state == BreakerState::Closed;
            break;
        case StateFilter::Disabled:
            match = state == BreakerState::Disabled || state == BreakerState::MetricsOnly;
            break;
        case StateFilter::Stale:
            match = instance.data(BreakerBoardModel::IsStaleRole).toBool();
            break;
        }
        if (match)
            return true;
    }
    return false;
}

bool BreakerBoardFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    // Always sorted ascending; "worst first" orders are written as the comparison itself, so
    // the name tie-break stays A to Z in every order.
    const QString leftName = left.data(BreakerBoardModel::InstanceLabelRole).toString();
    const QString rightName = right.data(BreakerBoardModel::InstanceLabelRole).toString();
    switch (m_sortKey) {
    case SortKey::Name:
        break;
    case SortKey::Severity: {
        const int a = left.data(BreakerBoardModel::SeverityRole).toInt();
        const int b = right.data(BreakerBoardModel::SeverityRole).toInt();
        if (a != b)
            return a > b;
        break;
    }
    case SortKey::FailureRate: {
        const double a = left.data(BreakerBoardModel::FailureRateRole).toDouble();
        const double b = right.data(BreakerBoardModel::FailureRateRole).toDouble();
        if (a != b)
            return a > b; // unknown is -1, so last
        break;
    }
    }
    const int byName = QString::compare(leftName, rightName, Qt::CaseInsensitive);
    return byName != 0 ? byName < 0 : leftName < rightName;
}

} // namespace switchboard
