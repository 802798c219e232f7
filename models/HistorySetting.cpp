#include "HistorySetting.h"

#include <QSettings>

namespace switchboard {

SeriesLimits historyLimitsFromSettings() {
    bool ok = false;
    int minutes = QSettings()
                      .value(QStringLiteral("metrics/history_minutes"), kDefaultHistoryMinutes)
                      .toInt(&ok);
    if (!ok || minutes < 1 || minutes > kMaxHistoryMinutes)
        minutes = kDefaultHistoryMinutes;
    SeriesLimits limits;
    limits.window = std::chrono::minutes(minutes);
    limits.pointCap = qsizetype(minutes) * 60; // 1 Hz
    return limits;
}

} // namespace switchboard
