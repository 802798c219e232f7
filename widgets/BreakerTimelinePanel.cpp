#include "BreakerTimelinePanel.h"

#include "BreakerTimelineModel.h"
#include "HealthDelegate.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

BreakerTimelinePanel::BreakerTimelinePanel(BreakerTimelineModel* timeline, QWidget* parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_title(new QLabel(this))
    , m_table(new QTableView(this))
    , m_delegate(new HealthDelegate(BreakerTimelineModel::HealthRole, this)) {
    setObjectName(QStringLiteral("breakerTimeline"));
    m_title->setObjectName(QStringLiteral("breakerTimelineTitle"));
    m_table->setObjectName(QStringLiteral("breakerTimelineTable"));
    m_table->setModel(timeline);
    m_table->setItemDelegate(m_delegate);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setHighlightSections(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);

    // Re-applied on every insert: a ResizeToContents header does not look at rows added later.
    const auto fitColumns = [this] {
        QHeaderView* header = m_table->horizontalHeader();
        for (int column = 0; column < BreakerTimelineModel::ColumnCount; ++column)
            header->setSectionResizeMode(column, column == BreakerTimelineModel::ReasonColumn
                                                     ? QHeaderView::Stretch
                                                     : QHeaderView::ResizeToContents);
    };
    connect(timeline, &QAbstractItemModel::rowsInserted, this, fitColumns);
    connect(timeline, &QAbstractItemModel::rowsInserted, this, &BreakerTimelinePanel::updateTitle);
    connect(timeline, &QAbstractItemModel::rowsRemoved, this, &BreakerTimelinePanel::updateTitle);
    connect(timeline, &QAbstractItemModel::modelReset, this, &BreakerTimelinePanel::updateTitle);
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        emit breakerActivated(index.data(BreakerTimelineModel::BreakerNameRole).toString());
    });
    fitColumns();
    updateTitle();
}

void BreakerTimelinePanel::setTheme(const Theme& theme) {
    m_delegate->setTheme(theme);
    m_table->viewport()->update();
}

void BreakerTimelinePanel::updateTitle() {
    const int count = m_timeline->rowCount();
    m_title->setText(count == 0 ? tr("<b>Transitions</b> — none since the console started")
                                : tr("<b>Transitions</b> — %n, newest first", nullptr, count));
}

} // namespace switchboard
