#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

namespace switchboard {

class DrillDialog;
class Fleet;
class MainWindow;

// --screenshot, after the views: a live switchover drill in the active region through the
// first agent that reports regions, pictured as an operator sees it: the wizard's preflight
// (drill-preflight.png), the drill in progress (drill-running.png) and finished
// (drill-done.png), with its report exported (drill-report.md, drill-report.pdf). It changes the
// demo stack's leader, as the drill does. Finishes with 0 when the drill succeeded and every
// file was written, 1 otherwise (saying why).
class DrillScreenshots : public QObject {
    Q_OBJECT
public:
    DrillScreenshots(MainWindow* window, Fleet* fleet, QString dir, QObject* parent = nullptr);
    void start();
    // The agent the drill runs through (a Fleet id), once start() found one.
    QString agentId() const { return m_agentId; }

signals:
    void finished(int exitCode);

private:
    void poll();
    bool grab(const QString& name);
    void fail(const QString& why);

    MainWindow* m_window;
    Fleet* m_fleet;
    QString m_dir;
    QString m_agentId;
    QPointer<DrillDialog> m_dialog;
    QTimer m_poll;
    int m_ticks = 0;
    bool m_runningSaved = false;
};

} // namespace switchboard
