#include "SeriesCsv.h"

#include "TimeSeriesStore.h"

#include <QDateTime>
#include <QLocale>
#include <QMap>
#include <cmath>

namespace switchboard {

QString csvField(const QString& text) {
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') &&
        !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QStringLiteral("\"%1\"").arg(quoted);
}

QString seriesCsv(const TimeSeriesStore& store, const QList<SeriesKey>& keys, qint64 fromMs,
                  qint64 toMs) {
    // time → one cell per series; a QMap keeps the rows in time order.
    QMap<qint64, QList<QString>> rows;
    QStringList header{QStringLiteral("time")};
    for (qsizetype column = 0; column < keys.size(); ++column) {
        header.append(csvField(keys.at(column).canonical()));
        for (const SeriesPoint& point : store.points(keys.at(column), fromMs, toMs)) {
            QList<QString>& cells = rows[point.timeMs];
            cells.resize(keys.size());
            // Two samples of one time: the later wins, as the chart draws it last.
            cells[column] = std::isnan(point.value)
                                ? QString()
                                : QString::number(point.value, 'g', QLocale::FloatingPointShortest);
        }
    }
    QString csv = header.join(u',') + u'\n';
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        csv += QDateTime::fromMSecsSinceEpoch(it.key(), Qt::UTC).toString(Qt::ISODateWithMs);
        for (const QString& cell : it.value())
            csv += u',' + cell;
        csv += u'\n';
    }
    return csv;
}

} // namespace switchboard
