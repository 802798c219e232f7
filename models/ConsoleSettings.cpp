#include "ConsoleSettings.h"

#include <QSettings>

namespace switchboard {

namespace {

const QString kThemeKey = QStringLiteral("appearance/theme");
const QString kHistoryKey = QStringLiteral("metrics/history_minutes");
const QString kPresentationIntervalKey = QStringLiteral("presentation/interval_s");
const QString kTokenFileKey = QStringLiteral("connection/token_file");
const QString kCaFileKey = QStringLiteral("connection/ca_file");

// A whole number in [low, high], else `fallback`. Read as a double first, so that 1e12 is out of
// range rather than an int overflow, and 30.0 written by another tool still counts.
int boundedInt(const QSettings& settings, const QString& key, int low, int high, int fallback) {
    bool ok = false;
    const double value = settings.value(key, fallback).toDouble(&ok);
    if (!ok || value < low || value > high || value != static_cast<int>(value))
        return fallback;
    return static_cast<int>(value);
}

} // namespace

ConsoleSettings ConsoleSettings::load() {
    const QSettings settings;
    ConsoleSettings loaded;
    loaded.theme = settings.value(kThemeKey, loaded.theme).toString();
    loaded.historyMinutes =
        boundedInt(settings, kHistoryKey, 1, kMaxHistoryMinutes, kDefaultHistoryMinutes);
    loaded.presentationIntervalSeconds =
        boundedInt(settings, kPresentationIntervalKey, 1, kMaxPresentationIntervalSeconds,
                   kDefaultPresentationIntervalSeconds);
    loaded.tokenFile = settings.value(kTokenFileKey).toString();
    loaded.caFile = settings.value(kCaFileKey).toString();
    return loaded;
}

void ConsoleSettings::save() const {
    QSettings settings;
    settings.setValue(kThemeKey, theme);
    settings.setValue(kHistoryKey, historyMinutes);
    settings.setValue(kPresentationIntervalKey, presentationIntervalSeconds);
    settings.setValue(kTokenFileKey, tokenFile);
    settings.setValue(kCaFileKey, caFile);
}

} // namespace switchboard
