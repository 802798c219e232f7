#pragma once

#include "BreakerBoardFilterModel.h"
#include "Theme.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTreeView;

namespace switchboard {

class BreakerBoardModel;
class BreakerTileDelegate;
class BreakerTimelineModel;
class BreakerTimelinePanel;

// The circuit-breaker board: one tile per breaker name across the fleet (worst state, fleet
// summary, rates, sparkline), which unfolds into its instances; a filter by name and state,
// three orders; the transitions below. Reads models only. Acting on a breaker is someone
// else's job: the view only says which one the operator picked (overrideRequested).
class BreakersView : public QWidget {
    Q_OBJECT
public:
    BreakersView(BreakerBoardModel* board, BreakerTimelineModel* timeline,
                 QWidget* parent = nullptr);

    void setTheme(const Theme& theme);

    QTreeView* boardView() const { return m_tree; }
    BreakerBoardFilterModel* filterModel() const { return m_filter; }
    BreakerTileDelegate* delegate() const { return m_delegate; }
    QLineEdit* filterEdit() const { return m_filterEdit; }
    QComboBox* stateBox() const { return m_stateBox; }
    QComboBox* sortBox() const { return m_sortBox; }
    QLabel* summaryLabel() const { return m_summary; }
    QLabel* placeholder() const { return m_placeholder; }
    QPushButton* overrideButton() const { return m_overrideButton; }
    // Shown while the board is narrowed to one instance; a click shows every instance again.
    QPushButton* agentFilterButton() const { return m_agentFilterButton; }
    BreakerTimelinePanel* timelinePanel() const { return m_timelinePanel; }
    QSplitter* splitter() const { return m_splitter; }

    int tileCount() const; // breakers shown after filtering

    // Selects the combos' entries, as the operator would.
    void setStateFilter(BreakerBoardFilterModel::StateFilter filter);
    void setSortKey(BreakerBoardFilterModel::SortKey key);

    // The menu a tile or an instance offers: "Override <breaker> on <instance>…" for each
    // instance it covers, plus expand/collapse. The caller owns it. `index` is the view's.
    QMenu* createContextMenu(const QModelIndex& index, QWidget* parent = nullptr);

public slots:
    void expandAll();
    void collapseAll();
    // Selects and shows the breaker's tile, clearing a filter that hides it.
    void showBreaker(const QString& breakerName);
    // Narrows the board to one instance's breakers (`name` for the button); empty id: all.
    void showAgent(const QString& agentId, const QString& name = {});

signals:
    // The operator asked to override this breaker on this agent (the Fleet's agent id).
    void overrideRequested(const QString& agentId, const QString& breakerName);

private:
    void requestOverrideForCurrent();
    void scheduleSummary();
    void updateSummary();
    void updatePlaceholder();
    void updateOverrideButton();

    BreakerBoardModel* m_board;
    BreakerBoardFilterModel* m_filter;
    BreakerTileDelegate* m_delegate;
    QLineEdit* m_filterEdit;
    QComboBox* m_stateBox;
    QComboBox* m_sortBox;
    QPushButton* m_overrideButton;
    QPushButton* m_agentFilterButton;
    QLabel* m_summary;
    QTreeView* m_tree;
    QLabel* m_placeholder;
    QStackedWidget* m_stack;
    BreakerTimelinePanel* m_timelinePanel;
    QSplitter* m_splitter;
    QTimer m_summaryTimer; // one recount per burst of model signals
};

} // namespace switchboard
