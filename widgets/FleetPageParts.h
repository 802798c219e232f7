#pragma once

#include <QString>
#include <QStringList>

class QComboBox;
class QLabel;
class QLayout;
class QSplitter;
class QTableView;
class QWidget;

namespace switchboard {

class StaleBanner;

// What the fleet tabs (Replication, Shards, Cache) build alike, so they look and behave alike.

// A table to read, not edit: whole rows selected one at a time, no row numbers, one line a cell.
void setUpReadOnlyTable(QTableView* table, const QString& name, int minimumHeight);

// The words a tab shows instead of its content while no agent reports what it shows.
void setUpEmptyLabel(QLabel* label, const QString& name, const QString& text);

// A tab's content: the header row, then the charts (`top`) over the table, split three parts of
// the height to one; neither part can be collapsed out of sight. The splitter, for its sizes.
QSplitter* layOutChartsOverTable(QWidget* content, QLayout* header, QWidget* top, QWidget* table);

// The tab's own layout, edge to edge: the stale banner on top, then the empty label or the
// content below it (the tab shows one of the two).
void stackFleetPage(QWidget* page, StaleBanner* banner, QLabel* empty, QWidget* content);

// Offers `keys` in `choice` with `current` picked; the items are rebuilt only when the keys
// change (a refresh comes with every report). One key needs no choice: `choice` hides.
void showKeyChoice(QComboBox* choice, const QStringList& keys, const QString& current);

} // namespace switchboard
