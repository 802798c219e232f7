#include "ActionPlanView.h"

#include "ActionStyles.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace switchboard {

using std::chrono::milliseconds;

namespace {

struct VerdictLook {
    QString text;
    QColor background;
};

VerdictLook verdictLook(const PreflightCheck& check) {
    switch (check.verdict) {
    case PreflightCheck::Verdict::Pass:
        return {QStringLiteral("✔ pass"), QColor(QStringLiteral("#dcf0dc"))};
    case PreflightCheck::Verdict::Warn:
        return {QStringLiteral("▲ warn"), QColor(QStringLiteral("#fff4d6"))};
    case PreflightCheck::Verdict::Fail:
        return {QStringLiteral("✖ fail"), QColor(QStringLiteral("#fbe0dd"))};
    case PreflightCheck::Verdict::Unknown:
        break;
    }
    // A verdict a newer agent sends: shown as it came, amber, as it may matter.
    return {QStringLiteral("? ") + check.verdictName, QColor(QStringLiteral("#fff4d6"))};
}

QTableWidgetItem* item(const QString& text, const QColor& background = {}) {
    auto* result = new QTableWidgetItem(text);
    result->setToolTip(text);
    if (background.isValid()) {
        result->setBackground(background);
        result->setForeground(QColor(QStringLiteral("#1b1b1b")));
    }
    return result;
}

// Tables as tall as their rows: a plan has a handful of changes and checks, and a scroll bar
// around three lines would hide one.
void fitHeight(QTableWidget* table) {
    table->ensurePolished(); // the header's height depends on the style's font and margins
    int height = table->horizontalHeader()->sizeHint().height() + 2 * table->frameWidth();
    for (int row = 0; row < table->rowCount(); ++row)
        height += table->rowHeight(row);
    table->setFixedHeight(height);
}

QTableWidget* makeTable(const QStringList& headers, QWidget* parent) {
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    // One line per row (the full text is in the tooltip): a dialog must fit a small screen.
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setFocusPolicy(Qt::NoFocus);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

QString minutesSeconds(milliseconds left) {
    const qint64 seconds = (left.count() + 999) / 1000; // 0:01 until the very end
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

ActionPlanView::ActionPlanView(QWidget* parent)
    : QGroupBox(tr("Plan"), parent)
    , m_summary(new QLabel(this))
    , m_changes(makeTable({tr("Would change"), tr("From → to")}, this))
    , m_checks(makeTable({tr("Preflight check"), tr("Verdict"), tr("Detail")}, this))
    , m_blocked(new QLabel(tr("✖ A check fails: this plan cannot be confirmed."), this))
    , m_countdown(new QLabel(this)) {
    setObjectName(QStringLiteral("planBox"));
    m_summary->setObjectName(QStringLiteral("planSummary"));
    m_summary->setWordWrap(true);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    m_changes->setObjectName(QStringLiteral("changesTable"));
    m_checks->setObjectName(QStringLiteral("checksTable"));
    m_blocked->setObjectName(QStringLiteral("blockedLabel"));
    m_blocked->setWordWrap(true);
    m_blocked->setStyleSheet(action_style::error());
    m_blocked->hide();
    m_countdown->setObjectName(QStringLiteral("countdownLabel"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_changes);
    layout->addWidget(m_checks);
    layout->addWidget(m_blocked);
    layout->addWidget(m_countdown);

    m_timer.setInterval(milliseconds(250));
    connect(&m_timer, &QTimer::timeout, this, &ActionPlanView::updateCountdown);
}

void ActionPlanView::setPlan(const ActionPlan& plan) {
    m_plan = plan;
    // Counted on this machine from the plan's lifetime, so a console whose clock is off from
    // the agent's still shows the right time left.
    m_deadline = QDeadlineTimer(plan.lifetimeMs());
    m_expired = plan.lifetimeMs() <= 0;
    m_countdownVisible = true;

    QStringList title{tr("Plan %1").arg(plan.id)};
    if (!plan.createdBy.isEmpty())
        title.append(tr("by %1").arg(plan.createdBy));
    if (!plan.scope.isEmpty())
        title.append(tr("scope: %1").arg(plan.scope));
    setTitle(title.join(QStringLiteral(" · ")));
    m_summary->setText(plan.summary.isEmpty() ? tr("%1 on %2").arg(plan.kind, plan.target)
                                              : plan.summary);

    m_changes->setRowCount(static_cast<int>(plan.changes.size()));
    for (int row = 0; row < plan.changes.size(); ++row) {
        const PlanChange& change = plan.changes.at(row);
        m_changes->setItem(row, 0, item(change.what));
        m_changes->setItem(
            row, 1,
            item(tr("%1 → %2").arg(change.from.isEmpty() ? tr("(none)") : change.from,
                                   change.to.isEmpty() ? tr("(none)") : change.to)));
    }
    fitHeight(m_changes);
    showChecks(plan.checks);
    updateBlocked();
    m_timer.start();
    updateCountdown();
}

void ActionPlanView::clearPlan() {
    m_plan.reset();
    m_timer.stop();
}

void ActionPlanView::setChecks(const QList<PreflightCheck>& checks) {
    if (!m_plan)
        return;
    m_plan->checks = checks;
    showChecks(checks);
    emit contentChanged();
}

void ActionPlanView::setExecutable(bool executable) {
    if (!m_plan)
        return;
    m_plan->executable = executable;
    updateBlocked();
}

void ActionPlanView::showChecks(const QList<PreflightCheck>& checks) {
    m_checks->setRowCount(static_cast<int>(checks.size()));
    for (int row = 0; row < checks.size(); ++row) {
        const PreflightCheck& check = checks.at(row);
        const VerdictLook look = verdictLook(check);
        m_checks->setItem(row, 0, item(check.name));
        m_checks->setItem(row, 1, item(look.text, look.background));
        m_checks->setItem(row, 2, item(check.detail));
    }
    fitHeight(m_checks);
}

void ActionPlanView::updateBlocked() {
    const bool blocked = m_plan && !m_plan->executable;
    if (blocked == m_blocked->isVisibleTo(this))
        return;
    m_blocked->setVisible(blocked);
    emit contentChanged();
}

void ActionPlanView::markExpired() {
    m_expired = true;
    updateCountdown();
}

void ActionPlanView::setCountdownVisible(bool visible) {
    m_countdownVisible = visible;
    m_countdown->setVisible(visible);
    if (!visible)
        m_timer.stop();
    emit contentChanged();
}

bool ActionPlanView::isExpired() const {
    return !m_plan || m_expired || m_deadline.hasExpired();
}

std::chrono::milliseconds ActionPlanView::timeLeft() const {
    if (isExpired())
        return milliseconds(0);
    return milliseconds(qMax<qint64>(0, m_deadline.remainingTime()));
}

void ActionPlanView::updateCountdown() {
    if (!m_plan)
        return;
    m_countdown->setVisible(m_countdownVisible);
    if (isExpired()) {
        m_timer.stop();
        const bool first = !m_expired || m_countdown->styleSheet() != action_style::error();
        m_expired = true;
        m_countdown->setText(tr("This plan expired: plan again to confirm."));
        m_countdown->setStyleSheet(action_style::error());
        if (first)
            emit expired();
        return;
    }
    const QDateTime at = QDateTime::currentDateTime().addMSecs(timeLeft().count());
    m_countdown->setText(
        tr("Confirm within %1 (the plan expires at %2).")
            .arg(minutesSeconds(timeLeft()), at.toString(QStringLiteral("HH:mm:ss"))));
    m_countdown->setStyleSheet(action_style::neutral());
}

} // namespace switchboard
