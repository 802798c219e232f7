#pragma once

#include <QDialog>
#include <QList>
#include <QString>
#include <QStringList>

class QLineEdit;
class QMenuBar;
class QTableWidget;

namespace switchboard {

// One line of Help → Keyboard shortcuts: where the command lives ("View", "View › Theme",
// "Presentation mode"), what it does, and each key sequence that does it, as the platform writes
// them.
struct ShortcutEntry {
    QString group;
    QString action;
    QStringList keys;
};

// Every menu command with a shortcut, read from the menus themselves so the list cannot fall
// behind them; submenus are walked, hidden menus included (presentation mode hides the bar).
QList<ShortcutEntry> menuShortcuts(const QMenuBar* menuBar);

// Key sequences that more than one entry claims (one would never fire): empty when the console's
// shortcuts are unambiguous, which tests assert.
QStringList conflictingKeys(const QList<ShortcutEntry>& entries);

// Help → Keyboard shortcuts (F1): the entries in a table, filtered as the operator types.
class ShortcutListDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutListDialog(const QList<ShortcutEntry>& entries, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    void setFilter(const QString& text);

private:
    QLineEdit* m_filter;
    QTableWidget* m_table;
};

} // namespace switchboard
