#pragma once

#include "Theme.h"

#include <QDockWidget>

class QTableView;

namespace switchboard {

class EventLogModel;
class HealthDelegate;

// The fleet's recent connection and probe changes, newest first, in a dock the operator can
// move, float or hide.
class EventLogDock : public QDockWidget {
    Q_OBJECT
public:
    EventLogDock(EventLogModel* log, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    QTableView* table() const { return m_table; }

private:
    QTableView* m_table;
    HealthDelegate* m_delegate;
};

} // namespace switchboard
