#include "BreakersView.h"

#include "BreakerBoardModel.h"
#include "BreakerTileDelegate.h"
#include "BreakerTimelineModel.h"
#include "BreakerTimelinePanel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace switchboard {

using StateFilter = BreakerBoardFilterModel::StateFilter;
using SortKey = BreakerBoardFilterModel::SortKey;

BreakersView::BreakersView(BreakerBoardModel* board, BreakerTimelineModel* timeline,
                           QWidget* parent)
    : QWidget(parent)
    , m_board(board)
    , m_filter(new BreakerBoardFilterModel(this))
    , m_delegate(new BreakerTileDelegate(this))
    , m_filterEdit(new QLineEdit(this))
    , m_stateBox(new QComboBox(this))
    , m_sortBox(new QComboBox(this))
    , m_overrideButton(new QPushButton(tr("Override…"), this))
    , m_agentFilterButton(new QPushButton(this))
    , m_summary(new QLabel(this))
    , m_tree(new QTreeView(this))
    , m_placeholder(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_timelinePanel(new BreakerTimelinePanel(timeline, this))
    , m_splitter(new QSplitter(Qt::Vertical, this)) {
    setObjectName(QStringLiteral("breakers"));
    m_filter->setSourceModel(board);

    m_filterEdit->setObjectName(QStringLiteral("breakerFilter"));
    m_filterEdit->setPlaceholderText(tr("Filter breakers by name"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setMinimumWidth(220);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filter,
            &BreakerBoardFilterModel::setNameFilter);

    m_stateBox->setObjectName(QStringLiteral("breakerStateFilter"));
    const QList<std::pair<QString, StateFilter>> states{
        {tr("All states"), StateFilter::All},
        {tr("Not closed"), StateFilter::NotClosed},
        {tr("Open or forced open"), StateFilter::Open},
        {tr("Half-open"), StateFilter::HalfOpen},
        {tr("Closed"), StateFilter::Closed},
        {tr("Disabled or metrics only"), StateFilter::Disabled},
        {tr("Stale data"), StateFilter::Stale},
    };
    for (const auto& [label, filter] : states)
        m_stateBox->addItem(label, QVariant::fromValue(filter));
    m_stateBox->setToolTip(tr("Show breakers with at least one instance in this state"));
    connect(m_stateBox, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setStateFilter(m_stateBox->currentData().value<StateFilter>()); });

    m_sortBox->setObjectName(QStringLiteral("breakerSort"));
    m_sortBox->addItem(tr("Worst state first"), QVariant::fromValue(SortKey::Severity));
    m_sortBox->addItem(tr("Highest failure rate first"), QVariant::fromValue(SortKey::FailureRate));
    m_sortBox->addItem(tr("By name"), QVariant::fromValue(SortKey::Name));
    connect(m_sortBox, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setSortKey(m_sortBox->currentData().value<SortKey>()); });
    m_filter->setSortKey(SortKey::Severity);

    m_overrideButton->setObjectName(QStringLiteral("breakerOverride"));
    m_overrideButton->setToolTip(
        tr("Force open, disable or reset the selected breaker on one instance"));
    connect(m_overrideButton, &QPushButton::clicked, this,
            &BreakersView::requestOverrideForCurrent);

    m_agentFilterButton->setObjectName(QStringLiteral("breakerAgentFilter"));
    m_agentFilterButton->setToolTip(tr("Show every instance's breakers again"));
    m_agentFilterButton->hide();
    connect(m_agentFilterButton, &QPushButton::clicked, this, [this] { showAgent({}); });

    auto* expand = new QPushButton(tr("Expand all"), this);
    auto* collapse = new QPushButton(tr("Collapse all"), this);
    connect(expand, &QPushButton::clicked, this, &BreakersView::expandAll);
    connect(collapse, &QPushButton::clicked, this, &BreakersView::collapseAll);

    m_summary->setObjectName(QStringLiteral("breakerSummary"));
    m_summary->setTextFormat(Qt::PlainText);

    auto* bar = new QHBoxLayout;
    bar->setSpacing(6);
    bar->addWidget(m_filterEdit);
    bar->addWidget(m_agentFilterButton);
    bar->addWidget(m_stateBox);
    bar->addWidget(m_sortBox);
    bar->addWidget(expand);
    bar->addWidget(collapse);
    bar->addWidget(m_overrideButton);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);

    m_tree->setObjectName(QStringLiteral("breakerBoard"));
    m_tree->setModel(m_filter);
    m_tree->setItemDelegate(m_delegate);
    m_tree->setHeaderHidden(true);
    // One painted column: the tile draws every value itself.
    for (int column = 1; column < BreakerBoardModel::ColumnCount; ++column)
        m_tree->setColumnHidden(column, true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setRootIsDecorated(false); // the tile has its own chevron
    m_tree->setIndentation(28);
    m_tree->setUniformRowHeights(false);
    m_tree->setExpandsOnDoubleClick(false);
    m_tree->setAnimated(false);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setFrameShape(QFrame::NoFrame);
    // A click on a tile unfolds it: the instances are what the operator came to see.
    connect(m_tree, &QTreeView::clicked, this, [this](const QModelIndex& index) {
        if (index.data(BreakerBoardModel::IsGroupRole).toBool())
            m_tree->setExpanded(index, !m_tree->isExpanded(index));
    });
    connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_tree->indexAt(pos);
        if (!index.isValid())
            return;
        QMenu* menu = createContextMenu(index, this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_tree->viewport()->mapToGlobal(pos));
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &BreakersView::updateOverrideButton);

    m_placeholder->setObjectName(QStringLiteral("breakerPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_stack->addWidget(m_tree);
    m_stack->addWidget(m_placeholder);

    auto* boardPane = new QWidget(this);
    auto* boardLayout = new QVBoxLayout(boardPane);
    boardLayout->setContentsMargins(0, 0, 0, 0);
    boardLayout->setSpacing(6);
    boardLayout->addLayout(bar);
    boardLayout->addWidget(m_stack, 1);

    m_splitter->setObjectName(QStringLiteral("breakersSplitter"));
    m_splitter->addWidget(boardPane);
    m_splitter->addWidget(m_timelinePanel);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({600, 200});
    m_splitter->setChildrenCollapsible(false);
    connect(m_timelinePanel, &BreakerTimelinePanel::breakerActivated, this,
            &BreakersView::showBreaker);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    // The summary counts the whole board (not just what the filter shows); the placeholder
    // follows what is shown. Recounted once the model's burst of signals is over: mid-insert,
    // a new breaker has no state to count yet.
    m_summaryTimer.setSingleShot(true);
    m_summaryTimer.setInterval(0);
    connect(&m_summaryTimer, &QTimer::timeout, this, &BreakersView::updateSummary);
    for (QAbstractItemModel* model :
         {static_cast<QAbstractItemModel*>(board), static_cast<QAbstractItemModel*>(m_filter)}) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &BreakersView::scheduleSummary);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &BreakersView::scheduleSummary);
        connect(model, &QAbstractItemModel::modelReset, this, &BreakersView::scheduleSummary);
        connect(model, &QAbstractItemModel::layoutChanged, this, &BreakersView::scheduleSummary);
    }
    connect(board, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& topLeft) {
        if (!topLeft.parent().isValid())
            scheduleSummary();
    });
    // What is shown (tiles or the placeholder) follows the filter at once.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &BreakersView::updatePlaceholder);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &BreakersView::updatePlaceholder);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &BreakersView::updatePlaceholder);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &BreakersView::updatePlaceholder);
    connect(m_filter, &QAbstractItemModel::dataChanged, this, &BreakersView::updateOverrideButton);
    updateSummary();
    updateOverrideButton();
}

void BreakersView::setTheme(const Theme& theme) {
    m_delegate->setTheme(theme);
    m_timelinePanel->setTheme(theme);
    m_tree->viewport()->update();
}

int BreakersView::tileCount() const {
    return m_filter->rowCount();
}

void BreakersView::setStateFilter(StateFilter filter) {
    m_stateBox->setCurrentIndex(m_stateBox->findData(QVariant::fromValue(filter)));
}

void BreakersView::setSortKey(SortKey key) {
    m_sortBox->setCurrentIndex(m_sortBox->findData(QVariant::fromValue(key)));
}

QMenu* BreakersView::createContextMenu(const QModelIndex& index, QWidget* parent) {
    auto* menu = new QMenu(parent);
    const QString breaker = index.data(BreakerBoardModel::BreakerNameRole).toString();
    const bool group = index.data(BreakerBoardModel::IsGroupRole).toBool();
    const QModelIndex groupIndex = group ? index.siblingAtColumn(0) : index.parent();
    QList<QModelIndex> instances;
    if (group) {
        for (int row = 0; row < m_filter->rowCount(groupIndex); ++row)
            instances.append(m_filter->index(row, 0, groupIndex));
    } else {
        instances.append(index.siblingAtColumn(0));
    }
    for (const QModelIndex& instance : instances) {
        const QString agentId = instance.data(BreakerBoardModel::AgentIdRole).toString();
        QAction* action = menu->addAction(
            tr("Override %1 on %2…")
                .arg(breaker, instance.data(BreakerBoardModel::InstanceLabelRole).toString()));
        action->setData(agentId);
        connect(action, &QAction::triggered, this,
                [this, agentId, breaker] { emit overrideRequested(agentId, breaker); });
    }
    menu->addSeparator();
    const bool expanded = m_tree->isExpanded(groupIndex);
    QAction* toggle = menu->addAction(expanded ? tr("Collapse") : tr("Show instances"));
    connect(toggle, &QAction::triggered, this,
            [this, groupIndex = QPersistentModelIndex(groupIndex), expanded] {
                if (groupIndex.isValid())
                    m_tree->setExpanded(groupIndex, !expanded);
            });
    return menu;
}

void BreakersView::expandAll() {
    m_tree->expandAll();
}

void BreakersView::collapseAll() {
    m_tree->collapseAll();
}

void BreakersView::showAgent(const QString& agentId, const QString& name) {
    m_filter->setAgentFilter(agentId);
    m_agentFilterButton->setText(tr("Instance: %1  ✕").arg(name.isEmpty() ? agentId : name));
    m_agentFilterButton->setVisible(!agentId.isEmpty());
    if (!agentId.isEmpty())
        expandAll(); // the instance's own tile under each breaker is what was asked for
}

void BreakersView::showBreaker(const QString& breakerName) {
    QModelIndex source = m_board->groupIndex(breakerName);
    if (!source.isValid())
        return;
    if (!m_filter->mapFromSource(source).isValid()) {
        m_filterEdit->clear();
        setStateFilter(StateFilter::All);
    }
    const QModelIndex index = m_filter->mapFromSource(source);
    m_tree->setCurrentIndex(index);
    m_tree->setExpanded(index, true);
    m_tree->scrollTo(index, QAbstractItemView::PositionAtTop);
}

void BreakersView::requestOverrideForCurrent() {
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid())
        return;
    const bool group = current.data(BreakerBoardModel::IsGroupRole).toBool();
    if (!group || m_filter->rowCount(current.siblingAtColumn(0)) == 1) {
        const QModelIndex instance =
            group ? m_filter->index(0, 0, current.siblingAtColumn(0)) : current;
        emit overrideRequested(instance.data(BreakerBoardModel::AgentIdRole).toString(),
                               instance.data(BreakerBoardModel::BreakerNameRole).toString());
        return;
    }
    // Several instances: an override acts on one agent, so the operator picks which.
    QMenu* menu = createContextMenu(current, this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(m_overrideButton->mapToGlobal(QPoint(0, m_overrideButton->height())));
}

void BreakersView::scheduleSummary() {
    if (!m_summaryTimer.isActive())
        m_summaryTimer.start();
}

void BreakersView::updateSummary() {
    m_summaryTimer.stop();
    const int total = m_board->rowCount();
    QString text;
    if (total == 0) {
        text = tr("No breakers");
    } else {
        // Written out: without a loaded translation "%n breaker(s)" stays as it is.
        text = (total == 1 ? tr("1 breaker") : tr("%1 breakers").arg(total)) +
               QStringLiteral(": ") + m_board->boardSummary();
        if (tileCount() != total)
            text += tr(" · showing %1").arg(tileCount());
    }
    if (m_summary->text() != text)
        m_summary->setText(text);
    updatePlaceholder();
}

void BreakersView::updatePlaceholder() {
    if (m_board->rowCount() == 0)
        m_placeholder->setText(
            tr("No circuit breakers reported yet.\n\nAn agent lists every breaker its service "
               "registers with agent.breaker(name); they appear here as soon as an agent "
               "connected to this console sends them."));
    else
        m_placeholder->setText(tr("No breaker matches the filter."));
    m_stack->setCurrentWidget(tileCount() == 0 ? static_cast<QWidget*>(m_placeholder)
                                               : static_cast<QWidget*>(m_tree));
}

void BreakersView::updateOverrideButton() {
    m_overrideButton->setEnabled(m_tree->currentIndex().isValid());
}

} // namespace switchboard
