#pragma once

#include "SeriesKey.h"

#include <QList>
#include <QString>

namespace switchboard {

class TimeSeriesStore;

// The raw points of several series over [fromMs, toMs] as CSV: a header `time,<series>...`
// (each series by its canonical text, quoted as CSV needs), then one row per distinct time,
// oldest first: the time in ISO 8601 UTC with milliseconds and each series' value at that time,
// empty where it has none. Raw, not decimated: an export is for reading the numbers.
QString seriesCsv(const TimeSeriesStore& store, const QList<SeriesKey>& keys, qint64 fromMs,
                  qint64 toMs);

// A CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled.
QString csvField(const QString& text);

} // namespace switchboard
