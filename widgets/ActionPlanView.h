#pragma once

#include "ActionPlan.h"

#include <QDeadlineTimer>
#include <QGroupBox>
#include <QTimer>
#include <chrono>
#include <optional>

class QLabel;
class QTableWidget;

namespace switchboard {

// Shows one action plan as the agent made it: the summary, each change (from → to), each
// preflight check with its verdict in words and colour, whether it may run, and the time left
// to confirm it, counted down on this machine from the plan's lifetime. Any action's dialog
// can show its plan with it.
class ActionPlanView : public QGroupBox {
    Q_OBJECT
public:
    explicit ActionPlanView(QWidget* parent = nullptr);

    // Shows the plan and starts its countdown.
    void setPlan(const ActionPlan& plan);
    void clearPlan();
    std::optional<ActionPlan> plan() const { return m_plan; }

    // The checks as they stand now (a confirm refused as preflight_failed carries them); a
    // plan with a failing check may not run.
    void setChecks(const QList<PreflightCheck>& checks);
    void setExecutable(bool executable);
    // The agent said so (410), whatever the countdown shows.
    void markExpired();
    // Hidden once the plan is confirmed: the time left no longer matters.
    void setCountdownVisible(bool visible);

    bool isExpired() const;
    // 0 without a plan or once expired.
    std::chrono::milliseconds timeLeft() const;

signals:
    // The plan can no longer be confirmed; also when what the view shows changed size.
    void expired();
    void contentChanged();

private:
    void showChecks(const QList<PreflightCheck>& checks);
    void updateCountdown();
    void updateBlocked();

    QLabel* m_summary;
    QTableWidget* m_changes;
    QTableWidget* m_checks;
    QLabel* m_blocked;
    QLabel* m_countdown;
    std::optional<ActionPlan> m_plan;
    QDeadlineTimer m_deadline;
    bool m_expired = false;
    bool m_countdownVisible = true;
    QTimer m_timer;
};

} // namespace switchboard
