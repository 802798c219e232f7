#include "FleetPageParts.h"

#include "StaleBanner.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

void setUpReadOnlyTable(QTableView* table, const QString& name, int minimumHeight) {
    table->setObjectName(name);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setHighlightSections(false);
    table->setMinimumHeight(minimumHeight);
}

void setUpEmptyLabel(QLabel* label, const QString& name, const QString& text) {
    label->setObjectName(name);
    label->setText(text);
    label->setWordWrap(true);
    label->setMargin(6);
}

QSplitter* layOutChartsOverTable(QWidget* content, QLayout* header, QWidget* top, QWidget* table) {
    auto* splitter = new QSplitter(Qt::Vertical, content);
    splitter->addWidget(top);
    splitter->addWidget(table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(header);
    layout->addWidget(splitter, 1);
    return splitter;
}

void stackFleetPage(QWidget* page, StaleBanner* banner, QLabel* empty, QWidget* content) {
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(banner);
    layout->addWidget(empty);
    layout->addWidget(content, 1);
}

void showKeyChoice(QComboBox* choice, const QStringList& keys, const QString& current) {
    QStringList shown;
    for (int i = 0; i < choice->count(); ++i)
        shown.append(choice->itemData(i).toString());
    if (shown != keys) {
        choice->clear();
        for (const QString& key : keys)
            choice->addItem(key, key);
    }
    choice->setCurrentIndex(static_cast<int>(keys.indexOf(current)));
    choice->setVisible(keys.size() > 1);
}

} // namespace switchboard
