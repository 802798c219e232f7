#include "InvalidateAcksView.h"

#include "ActionStyles.h"
#include "ShardsStatus.h" // shardCountText

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace switchboard {

InvalidateAcksView::InvalidateAcksView(QWidget* parent)
    : QGroupBox(tr("L1 acknowledgements"), parent)
    , m_summary(new QLabel(this))
    , m_table(new QTableWidget(0, ColumnCount, this)) {
    setObjectName(QStringLiteral("acksBox"));
    m_summary->setObjectName(QStringLiteral("acksSummary"));
    m_summary->setWordWrap(true);
    m_table->setObjectName(QStringLiteral("acksTable"));
    m_table->setHorizontalHeaderLabels({tr("Instance"), tr("Acknowledged"), tr("Removed from L1")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(InstanceColumn, QHeaderView::Stretch);
    // As tall as its rows: a dialog that grew with every part must still fit a laptop's screen.
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    m_table->setMinimumHeight(60);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table);
}

void InvalidateAcksView::clear() {
    m_table->setRowCount(0);
    m_summary->clear();
}

void InvalidateAcksView::setResult(const InvalidateResult& result,
                                   const QList<QPair<QString, bool>>& subscribers) {
    m_table->setRowCount(0);
    auto addRow = [this](const QString& instance, const QString& ack, const QString& removed) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, InstanceColumn, new QTableWidgetItem(instance));
        m_table->setItem(row, AckColumn, new QTableWidgetItem(ack));
        auto* count = new QTableWidgetItem(removed);
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, RemovedColumn, count);
    };
    for (const QString& name : result.acked) {
        const auto removed = result.removed.constFind(name);
        addRow(name, tr("✔ yes"),
               removed == result.removed.constEnd()
                   ? QStringLiteral("–")
                   : tr("%1 entries").arg(shardCountText(*removed)));
    }
    int named = 0;
    for (const auto& [name, subscribed] : subscribers) {
        if (result.acked.contains(name))
            continue;
        if (subscribed) {
            ++named;
            addRow(name, tr("✖ no answer within 2 s"), QStringLiteral("–"));
        } else {
            addRow(name, tr("✖ not listening"), QStringLiteral("–"));
        }
    }
    // Listeners the console is not connected to: counted by the agent, named by nobody.
    const int unnamed = result.missing - named;
    if (unnamed > 0)
        addRow(unnamed == 1 ? tr("1 other instance") : tr("%1 other instances").arg(unnamed),
               tr("✖ no answer within 2 s"), QStringLiteral("–"));

    const int receivers =
        result.receivers >= 0 ? result.receivers : static_cast<int>(result.acked.size());
    QString text =
        tr("%1 of %2 listening instances acknowledged").arg(result.acked.size()).arg(receivers);
    if (result.ackMs >= 0)
        text += tr(" in %1 ms").arg(result.ackMs, 0, 'f', 1);
    text += QLatin1Char('.');
    if (!result.error.isEmpty())
        text += QLatin1Char(' ') + tr("Publishing the invalidation failed: %1.").arg(result.error);
    if (result.missing > 0 || !result.error.isEmpty()) {
        text += QLatin1Char(' ') +
                (result.missing == 1
                     ? tr("1 instance did not answer: its L1 may serve old values until the "
                          "entries' TTL runs out.")
                     : tr("%1 instances did not answer: their L1 may serve old values until the "
                          "entries' TTL runs out.")
                           .arg(result.missing));
        m_summary->setStyleSheet(action_style::warning());
    } else {
        m_summary->setStyleSheet(action_style::success());
    }
    m_summary->setText(text);
}

} // namespace switchboard
