#include "HistorySetting.h"

#include "ConsoleSettings.h"

namespace switchboard {

SeriesLimits historyLimitsFromSettings() {
    const int minutes = ConsoleSettings::load().historyMinutes;
    SeriesLimits limits;
    limits.window = std::chrono::minutes(minutes);
    limits.pointCap = qsizetype(minutes) * 60; // 1 Hz
    return limits;
}

} // namespace switchboard
