#pragma once

#include "HistorySetting.h"

#include <QString>

namespace switchboard {

// The console's preferences (File → Settings…), kept in QSettings between runs. Every reader of
// a preference goes through here, so each key is spelled once and a stored value that is out of
// range or not a number reads as the default: a hand-edited settings file never breaks a start.
struct ConsoleSettings {
    static constexpr int kDefaultPresentationIntervalSeconds = 20;
    static constexpr int kMaxPresentationIntervalSeconds = 3600; // past an hour it never cycles

    // Theme::name() of the palette: "light", "dark" or "high-contrast".
    QString theme = QStringLiteral("light");
    // How much history every chart keeps (1 to kMaxHistoryMinutes); read when the fleet is built,
    // so a change applies from the next start.
    int historyMinutes = kDefaultHistoryMinutes;
    // How long presentation mode shows each view (1 to kMaxPresentationIntervalSeconds).
    int presentationIntervalSeconds = kDefaultPresentationIntervalSeconds;
    // What File → Connect to agent… proposes when the command line named no token file.
    QString tokenFile;
    // The CA that https:// agents added without a workspace must chain to; empty: the system's.
    QString caFile;

    static ConsoleSettings load();
    void save() const;

    friend bool operator==(const ConsoleSettings&, const ConsoleSettings&) = default;
};

} // namespace switchboard
