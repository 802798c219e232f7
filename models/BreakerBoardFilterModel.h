#pragma once

#include <QSortFilterProxyModel>
#include <optional>
#include <switchboard/protocol.h>

namespace switchboard {

// The board as the operator asked to see it: breakers whose name contains a text, in a state,
// ordered by name, by how bad their state is, or by failure rate. Filters and sorts the top
// level (breakers); a shown breaker keeps all its instances, ordered the same way, because an
// instance is only understood next to its siblings. Sits on a BreakerBoardModel's roles.
class BreakerBoardFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class SortKey {
        Name,        // A to Z
        Severity,    // worst state first, then name
        FailureRate, // highest failure rate first (unknown last), then name
    };
    Q_ENUM(SortKey)

    // Which states to show. A breaker matches when any of its instances is in such a state.
    enum class StateFilter {
        All,
        NotClosed, // anything but closed: the ones to look at
        Open,      // open or forced open
        HalfOpen,
        Closed,
        Disabled, // disabled or metrics only: calls pass without protection
        Stale,    // some instance's data is stale
    };
    Q_ENUM(StateFilter)

    explicit BreakerBoardFilterModel(QObject* parent = nullptr);

    void setNameFilter(const QString& text); // case-insensitive substring; empty shows all
    QString nameFilter() const { return m_name; }
    // Only the breakers of one instance (a Fleet agent id), and only its row under each: the
    // topology's arrows from an instance open it. Empty shows every instance.
    void setAgentFilter(const QString& agentId);
    QString agentFilter() const { return m_agent; }
    void setStateFilter(StateFilter filter);
    StateFilter stateFilter() const { return m_state; }
    void setSortKey(SortKey key);
    SortKey sortKey() const { return m_sortKey; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    bool stateMatches(const QModelIndex& group) const;

    bool hasAgent(const QModelIndex& group) const;

    QString m_name;
    QString m_agent;
    StateFilter m_state = StateFilter::All;
    SortKey m_sortKey = SortKey::Severity;
};

} // namespace switchboard
