#include "BreakerStatus.h"

#include <QCoreApplication>
#include <array>

namespace switchboard {

using protocol::BreakerState;

namespace {

struct StateNames {
    BreakerState state;
    const char* wire; // CircuitBreaker::stateName() on the agent's side
};

constexpr std::array kStates{
    StateNames{BreakerState::Closed, "closed"},
    StateNames{BreakerState::Open, "open"},
    StateNames{BreakerState::HalfOpen, "half_open"},
    StateNames{BreakerState::ForcedOpen, "forced_open"},
    StateNames{BreakerState::Disabled, "disabled"},
    StateNames{BreakerState::MetricsOnly, "metrics_only"},
};

QString tr(const char* text) {
    return QCoreApplication::translate("switchboard::Breaker", text);
}

} // namespace

QString breakerStateLabel(BreakerState state) {
    switch (state) {
    case BreakerState::Closed:
        return tr("Closed");
    case BreakerState::Open:
        return tr("Open");
    case BreakerState::HalfOpen:
        return tr("Half-open");
    case BreakerState::ForcedOpen:
        return tr("Forced open");
    case BreakerState::Disabled:
        return tr("Disabled");
    case BreakerState::MetricsOnly:
        return tr("Metrics only");
    }
    return tr("Unknown");
}

QString breakerStateLabel(const QString& stateName) {
    const std::optional<BreakerState> state = breakerStateFromName(stateName);
    return state ? breakerStateLabel(*state) : stateName;
}

QString breakerStateName(BreakerState state) {
    for (const StateNames& names : kStates) {
        if (names.state == state)
            return QLatin1String(names.wire);
    }
    return QStringLiteral("unknown");
}

std::optional<BreakerState> breakerStateFromName(const QString& stateName) {
    for (const StateNames& names : kStates) {
        if (stateName == QLatin1String(names.wire))
            return names.state;
    }
    return std::nullopt;
}

int breakerStateSeverity(BreakerState state) {
    switch (state) {
    case BreakerState::Closed:
        return 0;
    case BreakerState::MetricsOnly:
        return 1;
    case BreakerState::Disabled:
        return 2;
    case BreakerState::HalfOpen:
        return 3;
    case BreakerState::ForcedOpen:
        return 4;
    case BreakerState::Open:
        return 5;
    }
    return 0;
}

Health breakerHealth(BreakerState state) {
    switch (state) {
    case BreakerState::Closed:
        return Health::Up;
    case BreakerState::Open:
    case BreakerState::ForcedOpen:
        return Health::Down;
    case BreakerState::HalfOpen:
    case BreakerState::Disabled:
    case BreakerState::MetricsOnly:
        break;
    }
    return Health::Unknown;
}

QString breakerReasonText(const QString& reason) {
    if (reason == QLatin1String("failure_rate"))
        return tr("failure rate over threshold");
    if (reason == QLatin1String("slow_call_rate"))
        return tr("slow-call rate over threshold");
    if (reason == QLatin1String("wait_elapsed"))
        return tr("wait in open elapsed");
    if (reason == QLatin1String("trials_passed"))
        return tr("trial calls passed");
    if (reason == QLatin1String("trials_failed"))
        return tr("trial calls failed");
    if (reason == QLatin1String("operator"))
        return tr("operator");
    if (reason == QLatin1String("reset"))
        return tr("reset");
    return reason;
}

QString breakerDurationText(qint64 ms) {
    if (ms < 0)
        return QStringLiteral("–");
    const qint64 s = ms / 1000;
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
    return tr("%1 d %2 h").arg(s / 86400).arg(s % 86400 / 3600);
}

QString breakerOverrideText(const BreakerOverride& override, qint64 nowMs) {
    QString mode = override.mode;
    if (mode == QLatin1String("force_open"))
        mode = tr("forced open");
    else if (mode == QLatin1String("disable"))
        mode = tr("disabled");
    else if (mode == QLatin1String("metrics_only"))
        mode = tr("metrics only");
    const QString who = override.by.isEmpty() ? mode : tr("%1 by %2").arg(mode, override.by);
    if (override.expiresMs <= 0)
        return tr("%1 · no expiry").arg(who);
    if (nowMs <= 0)
        return who;
    const qint64 leftMs = override.expiresMs - nowMs;
    if (leftMs <= 0)
        return tr("%1 · expiring").arg(who);
    // Rounded up: "1 min left" until the last minute, then seconds.
    const qint64 s = (leftMs + 999) / 1000;
    QString left;
    if (s < 60)
        left = tr("%1 s left").arg(s);
    else if (s < 3600)
        left = tr("%1 min left").arg((s + 59) / 60);
    else
        left = tr("%1 left").arg(breakerDurationText(s * 1000));
    return QStringLiteral("%1 · %2").arg(who, left);
}

QString breakerPercentText(double percent) {
    if (percent < 0)
        return QStringLiteral("–");
    return QStringLiteral("%1 %").arg(percent, 0, 'f', 1);
}

} // namespace switchboard
