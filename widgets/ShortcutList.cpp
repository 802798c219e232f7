#include "ShortcutList.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace switchboard {

namespace {

QString plain(QString text) {
    // "&View" → "View", "Export review &report…" → "Export review report…"; "&&" is a real "&".
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
    return text;
}

void collect(const QMenu* menu, const QString& group, QList<ShortcutEntry>* entries) {
    for (QAction* action : menu->actions()) {
        if (action->isSeparator())
            continue;
        if (QMenu* sub = action->menu()) {
            collect(sub, group + QStringLiteral(" › ") + plain(sub->title()), entries);
            continue;
        }
        QStringList keys;
        for (const QKeySequence& sequence : action->shortcuts())
            if (!sequence.isEmpty())
                keys << sequence.toString(QKeySequence::NativeText);
        if (!keys.isEmpty())
            entries->append({group, plain(action->text()), keys});
    }
}

} // namespace

QList<ShortcutEntry> menuShortcuts(const QMenuBar* menuBar) {
    QList<ShortcutEntry> entries;
    for (QAction* action : menuBar->actions())
        if (QMenu* menu = action->menu())
            collect(menu, plain(menu->title()), &entries);
    return entries;
}

QStringList conflictingKeys(const QList<ShortcutEntry>& entries) {
    QMap<QString, int> claims;
    for (const ShortcutEntry& entry : entries)
        for (const QString& keys : entry.keys)
            ++claims[keys];
    QStringList conflicts;
    for (auto it = claims.cbegin(); it != claims.cend(); ++it)
        if (it.value() > 1)
            conflicts << it.key();
    return conflicts;
}

ShortcutListDialog::ShortcutListDialog(const QList<ShortcutEntry>& entries, QWidget* parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_table(new QTableWidget(static_cast<int>(entries.size()), 3, this)) {
    setWindowTitle(tr("Keyboard shortcuts"));
    setObjectName(QStringLiteral("shortcutListDialog"));
    m_filter->setObjectName(QStringLiteral("shortcutFilter"));
    m_filter->setPlaceholderText(tr("Filter by command, menu or key"));
    m_filter->setClearButtonEnabled(true);
    m_table->setHorizontalHeaderLabels({tr("Keys"), tr("Command"), tr("Where")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    // One line of text a row: the whole list fits without scrolling on a laptop screen.
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (int row = 0; row < entries.size(); ++row) {
        const ShortcutEntry& entry = entries.at(row);
        m_table->setItem(row, 0, new QTableWidgetItem(entry.keys.join(QStringLiteral(", "))));
        m_table->setItem(row, 1, new QTableWidgetItem(entry.action));
        m_table->setItem(row, 2, new QTableWidgetItem(entry.group));
    }
    m_table->resizeColumnsToContents();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_filter, &QLineEdit::textChanged, this, &ShortcutListDialog::setFilter);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(620, 640);
}

void ShortcutListDialog::setFilter(const QString& text) {
    const QString needle = text.trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        bool match = needle.isEmpty();
        for (int column = 0; !match && column < m_table->columnCount(); ++column)
            match = m_table->item(row, column)->text().contains(needle, Qt::CaseInsensitive);
        m_table->setRowHidden(row, !match);
    }
}

} // namespace switchboard
