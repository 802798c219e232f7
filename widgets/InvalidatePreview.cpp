#include "InvalidatePreview.h"

#include "ActionStyles.h"
#include "ShardsRebalance.h" // rebalanceDurationText: one way to write durations
#include "ShardsStatus.h"    // shardCountText

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace switchboard {

QString keysText(qint64 count) {
    return count == 1 ? InvalidatePreview::tr("1 key")
                      : InvalidatePreview::tr("%1 keys").arg(shardCountText(count));
}

InvalidatePreview::InvalidatePreview(QWidget* parent)
    : QGroupBox(tr("Preview"), parent)
    , m_count(new QLabel(this))
    , m_sampleCaption(new QLabel(this))
    , m_sample(new QListWidget(this))
    , m_estimate(new QLabel(this))
    , m_matchAll(new QLabel(this)) {
    setObjectName(QStringLiteral("previewBox"));
    m_count->setObjectName(QStringLiteral("matchingLabel"));
    m_count->setWordWrap(true);
    QFont bold = m_count->font();
    bold.setBold(true);
    m_count->setFont(bold);
    m_sampleCaption->setObjectName(QStringLiteral("sampleCaption"));
    m_sample->setObjectName(QStringLiteral("sampleList"));
    m_sample->setSelectionMode(QAbstractItemView::NoSelection);
    m_sample->setFocusPolicy(Qt::NoFocus);
    m_sample->setMinimumHeight(90);
    m_sample->setMaximumHeight(150);
    m_estimate->setObjectName(QStringLiteral("estimateLabel"));
    m_matchAll->setObjectName(QStringLiteral("matchAllLabel"));
    m_matchAll->setWordWrap(true);
    m_matchAll->setStyleSheet(action_style::warning());
    m_matchAll->setText(tr("⚠ This selection matches every key: you confirmed that separately."));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_count);
    layout->addWidget(m_matchAll);
    layout->addWidget(m_sampleCaption);
    layout->addWidget(m_sample);
    layout->addWidget(m_estimate);
}

void InvalidatePreview::setDetails(const InvalidatePlanDetails& details, int rate) {
    if (details.matching < 0)
        m_count->setText(tr("The agent did not say how many keys match."));
    else if (details.scanned >= 0)
        m_count->setText((details.matching == 1 ? tr("%1 matches now (of %2 scanned in Redis).")
                                                : tr("%1 match now (of %2 scanned in Redis)."))
                             .arg(keysText(details.matching), shardCountText(details.scanned)));
    else
        m_count->setText((details.matching == 1 ? tr("%1 matches now.") : tr("%1 match now."))
                             .arg(keysText(details.matching)));
    m_matchAll->setVisible(details.matchAll);
    m_sample->clear();
    for (const QString& key : details.sample)
        m_sample->addItem(key);
    m_sample->setVisible(!details.sample.isEmpty());
    m_sampleCaption->setVisible(!details.sample.isEmpty());
    m_sampleCaption->setText(details.matching > details.sample.size()
                                 ? tr("A sample of them (%1 of %2):")
                                       .arg(details.sample.size())
                                       .arg(shardCountText(details.matching))
                                 : tr("They are:"));
    QString estimate =
        details.estimateSeconds >= 0
            ? tr("Estimated time: %1 at up to %2 keys/s.")
                  .arg(rebalanceDurationText(details.estimateSeconds), shardCountText(rate))
            : tr("Throttled to %1 keys/s.").arg(shardCountText(rate));
    if (details.matching == 0)
        estimate += QLatin1Char(' ') + tr("No key in Redis matches; confirming still tells every "
                                          "instance to drop matching entries from its L1.");
    m_estimate->setText(estimate);
    m_estimate->setWordWrap(true);
}

void InvalidatePreview::clear() {
    m_count->clear();
    m_sampleCaption->clear();
    m_sample->clear();
    m_estimate->clear();
    m_matchAll->hide();
}

} // namespace switchboard
