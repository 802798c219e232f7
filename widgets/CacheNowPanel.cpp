#include "CacheNowPanel.h"

#include "ReplicationStatus.h" // replicationBytesText
#include "ShardsStatus.h"      // shardCountText

#include <QGridLayout>
#include <QLabel>

namespace switchboard {

CacheNowPanel::CacheNowPanel(QWidget* parent)
    : QGroupBox(tr("Now"), parent)
    , m_hitRate(new QLabel(this))
    , m_verdict(new QLabel(this))
    , m_layers(new QLabel(this))
    , m_traffic(new QLabel(this)) {
    setObjectName(QStringLiteral("cacheNow"));
    m_hitRate->setObjectName(QStringLiteral("cacheHitRateNow"));
    QFont big = m_hitRate->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    m_hitRate->setFont(big);
    m_hitRate->setToolTip(tr("Gets answered by L1 or L2 over the last interval, over the live "
                             "instances, weighted by their gets"));
    m_verdict->setObjectName(QStringLiteral("cacheVerdict"));
    m_verdict->setAutoFillBackground(true);
    m_verdict->setMargin(4);
    m_verdict->setWordWrap(true);
    m_layers->setObjectName(QStringLiteral("cacheLayersNow"));
    m_layers->setTextFormat(Qt::RichText);
    m_traffic->setObjectName(QStringLiteral("cacheTrafficNow"));
    m_traffic->setWordWrap(true);

    auto* layout = new QGridLayout(this);
    layout->addWidget(m_hitRate, 0, 0);
    layout->addWidget(m_verdict, 0, 1);
    layout->addWidget(m_layers, 1, 0, 1, 2);
    layout->addWidget(m_traffic, 2, 0, 1, 2);
    layout->setColumnStretch(1, 1);
}

void CacheNowPanel::setSummary(const CacheTargetSummary& summary) {
    const CacheFigures& now = summary.now;
    m_hitRate->setText(cachePercentText(now.hitRate));
    m_health = summary.health();
    const QString target = QStringLiteral("%1 %").arg(summary.targetHitRate, 0, 'f', 0);
    if (summary.stale)
        m_verdict->setText(tr("stale: the last figures seen"));
    else if (summary.redis.isDown())
        m_verdict->setText(tr("Redis is down: every L1 miss goes to the loader"));
    else if (now.hitRate < 0)
        m_verdict->setText(tr("no gets in the last interval"));
    else if (summary.targetHitRate < 0)
        m_verdict->setText(tr("no target set"));
    else if (now.hitRate < summary.targetHitRate)
        m_verdict->setText(tr("below the %1 target").arg(target));
    else
        m_verdict->setText(tr("meets the %1 target").arg(target));
    m_layers->setText(tr("L1 (in process) <b>%1</b> &nbsp;·&nbsp; L2 (Redis) <b>%2</b>")
                          .arg(cachePercentText(now.l1HitRate), cachePercentText(now.l2HitRate)));
    m_traffic->setText(
        tr("%1 gets · %2 loads · L1 %3 entries in %4 · %5 instance(s)")
            .arg(cacheRateText(now.getsPerSecond), cacheRateText(now.loadsPerSecond),
                 shardCountText(now.l1Entries),
                 now.l1Bytes < 0 ? QStringLiteral("–") : replicationBytesText(now.l1Bytes))
            .arg(summary.reporters.size()));
    paintVerdict();
}

void CacheNowPanel::setTheme(const Theme& theme) {
    m_theme = theme;
    paintVerdict();
}

void CacheNowPanel::paintVerdict() {
    QPalette palette = m_verdict->palette();
    palette.setColor(QPalette::Window, m_theme.healthColor(cacheHealthColour(m_health)));
    palette.setColor(QPalette::WindowText, m_theme.palette().color(QPalette::WindowText));
    m_verdict->setPalette(palette);
}

} // namespace switchboard
