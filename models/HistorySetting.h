#pragma once

#include "TimeSeriesStore.h"

namespace switchboard {

// How much history the console keeps for every chart: `metrics/history_minutes` in its settings
// (1 to 180, default 60), one point a second at most. Read once, when the fleet is built. A
// shorter history is less memory on a small workstation (and fills sooner: a soak measures the
// console once its history is full); a longer one lets the Metrics view pan further back without
// Prometheus, but each series reserves more of the store's fixed budget, so fewer fit (about 780
// at three hours). Anything else in the setting is the default.
SeriesLimits historyLimitsFromSettings();

constexpr int kDefaultHistoryMinutes = 60;
constexpr int kMaxHistoryMinutes = 180;

} // namespace switchboard
