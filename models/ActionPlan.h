#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace switchboard {

// One thing a plan would change, e.g. {"breaker redis", "closed", "forced_open"}.
struct PlanChange {
    QString what;
    QString from;
    QString to;

    friend bool operator==(const PlanChange&, const PlanChange&) = default;
};

// One preflight check of a plan and what it found.
struct PreflightCheck {
    // Unknown keeps a verdict a newer agent may send readable (its text is in verdictName)
    // instead of refusing the whole plan; the console treats it like a warning.
    enum class Verdict { Pass, Warn, Fail, Unknown };

    QString name;
    Verdict verdict = Verdict::Unknown;
    QString verdictName; // as the agent sent it: "pass", "warn", "fail", …
    QString detail;

    friend bool operator==(const PreflightCheck&, const PreflightCheck&) = default;
};

// A dry run of an action (POST /v1/plans): what would change and whether it may run. Nothing
// has changed on the agent yet; confirming `id` before `expiresMs` starts the job.
struct ActionPlan {
    QString id;
    QString kind;   // protocol::action::*
    QString target; // e.g. the breaker's name
    QJsonObject params;
    QString scope; // "instance" or "cluster"
    QString summary;
    QList<PlanChange> changes;
    QList<PreflightCheck> checks;
    bool executable = false; // no check fails
    qint64 createdMs = 0;    // the agent's clock
    qint64 expiresMs = 0;    // the agent's clock
    QString createdBy;       // the token's name
    // The whole plan as the agent sent it, for what only one kind of action carries (a
    // rebalance's estimate and skew before and after: see ShardsRebalance.h).
    QJsonObject document;

    // How long the plan lives, measured on the agent's clock alone, so a console whose clock
    // is off still counts down correctly from when it received the plan.
    qint64 lifetimeMs() const { return expiresMs > createdMs ? expiresMs - createdMs : 0; }

    friend bool operator==(const ActionPlan&, const ActionPlan&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::ActionPlan)
