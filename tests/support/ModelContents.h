// What an item model shows, as text: every row (children too) and column's DisplayRole, for
// tests that compare two models' contents (a live run and its replay, tst_replay_live).
#pragma once

#include <QAbstractItemModel>
#include <QSet>
#include <QString>
#include <QStringList>

namespace model_contents {

// One line per row, "path: cell | cell | …"; `skipColumns` are left out (cells that show the
// wall clock, such as "stale since" or "3 s ago").
inline void appendRows(const QAbstractItemModel& model, const QModelIndex& parent,
                       const QString& path, const QSet<int>& skipColumns, QStringList* lines) {
    for (int row = 0; row < model.rowCount(parent); ++row) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(parent); ++column) {
            if (!skipColumns.contains(column))
                cells.append(model.index(row, column, parent).data(Qt::DisplayRole).toString());
        }
        const QString rowPath = path + QString::number(row);
        lines->append(rowPath + QStringLiteral(": ") + cells.join(QStringLiteral(" | ")));
        const QModelIndex first = model.index(row, 0, parent);
        if (model.rowCount(first) > 0)
            appendRows(model, first, rowPath + QLatin1Char('.'), skipColumns, lines);
    }
}

inline QStringList of(const QAbstractItemModel& model, const QSet<int>& skipColumns = {}) {
    QStringList lines;
    appendRows(model, {}, {}, skipColumns, &lines);
    return lines;
}

} // namespace model_contents
