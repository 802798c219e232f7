#pragma once

#include "CacheSummary.h"
#include "Theme.h"

#include <QGroupBox>

class QLabel;
class QProgressBar;

namespace switchboard {

// Redis behind the cache as INFO reports it: up or down in words and colour (down names the
// cause), memory used against maxmemory, evictions, the keyspace's own hit rate, clients and
// keys, and the invalidation channel with how many instances listen on it.
class CacheRedisPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit CacheRedisPanel(QWidget* parent = nullptr);

    void setSummary(const CacheTargetSummary& summary);
    void setTheme(const Theme& theme);

    QLabel* statusLabel() const { return m_status; }
    QProgressBar* memoryBar() const { return m_memoryBar; }
    QLabel* memoryLabel() const { return m_memory; }
    QLabel* evictionsLabel() const { return m_evictions; }
    QLabel* keyspaceLabel() const { return m_keyspace; }
    QLabel* channelLabel() const { return m_channel; }

private:
    void paintStatus();

    QLabel* m_status;
    QProgressBar* m_memoryBar;
    QLabel* m_memory;
    QLabel* m_evictions;
    QLabel* m_keyspace;
    QLabel* m_channel;
    Health m_health = Health::Unknown;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
