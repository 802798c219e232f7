#include "CacheRedisPanel.h"

#include "ShardsStatus.h" // shardCountText

#include <QFormLayout>
#include <QLabel>
#include <QProgressBar>

namespace switchboard {

CacheRedisPanel::CacheRedisPanel(QWidget* parent)
    : QGroupBox(tr("Redis"), parent)
    , m_status(new QLabel(this))
    , m_memoryBar(new QProgressBar(this))
    , m_memory(new QLabel(this))
    , m_evictions(new QLabel(this))
    , m_keyspace(new QLabel(this))
    , m_channel(new QLabel(this)) {
    setObjectName(QStringLiteral("cacheRedis"));
    m_status->setObjectName(QStringLiteral("redisStatus"));
    m_status->setAutoFillBackground(true);
    m_status->setMargin(4);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_memoryBar->setObjectName(QStringLiteral("redisMemoryBar"));
    m_memoryBar->setRange(0, 1000);
    m_memoryBar->setTextVisible(false);
    m_memoryBar->setMaximumHeight(12);
    m_memory->setObjectName(QStringLiteral("redisMemory"));
    m_evictions->setObjectName(QStringLiteral("redisEvictions"));
    m_evictions->setWordWrap(true);
    m_keyspace->setObjectName(QStringLiteral("redisKeyspace"));
    m_keyspace->setWordWrap(true);
    m_channel->setObjectName(QStringLiteral("redisChannel"));
    m_channel->setWordWrap(true);
    m_channel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout(this);
    form->addRow(m_status);
    form->addRow(tr("Memory:"), m_memory);
    form->addRow(QString(), m_memoryBar);
    form->addRow(tr("Evictions:"), m_evictions);
    form->addRow(tr("Keyspace:"), m_keyspace);
    form->addRow(tr("Invalidations:"), m_channel);
}

void CacheRedisPanel::setSummary(const CacheTargetSummary& summary) {
    const CacheRedisStatus& redis = summary.redis;
    setTitle(redis.target.isEmpty() ? tr("Redis") : tr("Redis %1").arg(redis.target));
    switch (redis.status) {
    case protocol::ProbeStatus::Up:
        m_health = summary.stale ? Health::Unknown : Health::Up;
        m_status->setText(summary.stale ? tr("● up when last seen") : tr("● up"));
        break;
    case protocol::ProbeStatus::Down:
        m_health = Health::Down;
        m_status->setText(
            redis.error.isEmpty()
                ? tr("✖ DOWN: L2 is skipped and every L1 miss goes to the loader")
                : tr("✖ DOWN (%1): L2 is skipped and every L1 miss goes to the loader")
                      .arg(redis.error));
        break;
    case protocol::ProbeStatus::Unknown:
        m_health = Health::Unknown;
        m_status->setText(tr("not checked yet"));
        break;
    }
    paintStatus();

    // Down: INFO's figures are the last ones Redis gave, or none; say so rather than show zeros.
    const bool known = redis.status == protocol::ProbeStatus::Up;
    m_memory->setText(known ? cacheMemoryText(redis.usedMemory, redis.maxMemory)
                            : QStringLiteral("–"));
    m_memoryBar->setVisible(known && redis.maxMemory > 0 && redis.usedMemory >= 0);
    if (redis.maxMemory > 0 && redis.usedMemory >= 0)
        m_memoryBar->setValue(
            static_cast<int>(std::min<qint64>(1000, redis.usedMemory * 1000 / redis.maxMemory)));
    if (!known) {
        m_evictions->setText(QStringLiteral("–"));
        m_keyspace->setText(QStringLiteral("–"));
    } else {
        const QString evictions =
            tr("%1 evicted keys, %2 now")
                .arg(shardCountText(redis.evictedKeys), cacheRateText(redis.evictionsPerSecond));
        // Evictions mean Redis is full: its keys leave before their TTL.
        m_evictions->setText(
            redis.evictionsPerSecond > 0
                ? tr("%1 — Redis is full, keys leave before their TTL").arg(evictions)
                : evictions);
        m_keyspace->setText(tr("hit rate %1 · %2 keys · %3 clients")
                                .arg(cachePercentText(redis.hitRate), shardCountText(redis.keys),
                                     shardCountText(redis.connectedClients)));
    }
    m_channel->setText(summary.channel.isEmpty() ? tr("no channel reported")
                                                 : tr("%1 — %2 of %3 instances listening")
                                                       .arg(summary.channel)
                                                       .arg(summary.subscribed)
                                                       .arg(summary.reporters.size()));
}

void CacheRedisPanel::setTheme(const Theme& theme) {
    m_theme = theme;
    paintStatus();
}

void CacheRedisPanel::paintStatus() {
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::Window, m_theme.healthColor(m_health));
    palette.setColor(QPalette::WindowText, m_theme.palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
}

} // namespace switchboard
