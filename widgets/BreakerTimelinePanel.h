#pragma once

#include "Theme.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace switchboard {

class BreakerTimelineModel;
class HealthDelegate;

// The breakers' transitions, newest first: time, instance, breaker, from → to (coloured by
// where it went, and written out), reason. Activating a row names its breaker, so the board
// can show it.
class BreakerTimelinePanel : public QWidget {
    Q_OBJECT
public:
    explicit BreakerTimelinePanel(BreakerTimelineModel* timeline, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    QTableView* table() const { return m_table; }

signals:
    void breakerActivated(const QString& breakerName);

private:
    void updateTitle();

    BreakerTimelineModel* m_timeline;
    QLabel* m_title;
    QTableView* m_table;
    HealthDelegate* m_delegate;
};

} // namespace switchboard
