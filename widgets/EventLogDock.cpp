#include "EventLogDock.h"

#include "EventLogModel.h"
#include "HealthDelegate.h"

#include <QHeaderView>
#include <QTableView>

namespace switchboard {

EventLogDock::EventLogDock(EventLogModel* log, QWidget* parent)
    : QDockWidget(tr("Events"), parent)
    , m_table(new QTableView(this))
    , m_delegate(new HealthDelegate(EventLogModel::HealthRole, this)) {
    // saveState() finds docks by object name.
    setObjectName(QStringLiteral("eventsDock"));
    m_table->setObjectName(QStringLiteral("eventsTable"));
    m_table->setModel(log);
    m_table->setItemDelegate(m_delegate);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Re-applied on every insert: a ResizeToContents header does not look at rows added later.
    const auto fitColumns = [this] {
        QHeaderView* header = m_table->horizontalHeader();
        header->setSectionResizeMode(EventLogModel::TimeColumn, QHeaderView::ResizeToContents);
        header->setSectionResizeMode(EventLogModel::AgentColumn, QHeaderView::ResizeToContents);
        header->setSectionResizeMode(EventLogModel::KindColumn, QHeaderView::ResizeToContents);
        header->setSectionResizeMode(EventLogModel::MessageColumn, QHeaderView::Stretch);
    };
    connect(log, &QAbstractItemModel::rowsInserted, this, fitColumns);
    fitColumns();
    setWidget(m_table);
}

void EventLogDock::setTheme(const Theme& theme) {
    m_delegate->setTheme(theme);
    m_table->viewport()->update();
}

} // namespace switchboard
