#pragma once

#include "StaleBanner.h"
#include "Theme.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace switchboard {

class CacheHitRateChart;
class CacheModel;
class CacheNowPanel;
class CacheRedisPanel;
class HealthDelegate;

// The tiered cache behind the fleet: hit rate per layer over time against the target, the rates
// now, Redis (up or down, memory, evictions), a table with a row per instance and the fleet's
// totals, the per-prefix table of the Redis target shown, and "Invalidate…", which asks for
// the invalidation dialog of the agent whose report is shown. A banner says when what is shown
// is stale. Reads CacheModel only.
class CacheView : public QWidget {
    Q_OBJECT
public:
    explicit CacheView(CacheModel* model, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);

    CacheHitRateChart* chart() const { return m_chart; }
    CacheNowPanel* nowPanel() const { return m_now; }
    CacheRedisPanel* redisPanel() const { return m_redis; }
    QTableView* instancesTable() const { return m_instances; }
    // Shows the Redis target (CacheModel's key) and selects the first instance using it.
    void showTarget(const QString& key);
    QTableView* prefixesTable() const { return m_prefixes; }
    QLabel* titleLabel() const { return m_title; }
    // Shown while the shown data is stale; hidden otherwise.
    QLabel* staleBanner() const { return m_staleBanner; }
    // "No agent reports a cache yet", shown while there is none.
    QLabel* emptyLabel() const { return m_emptyLabel; }
    QPushButton* invalidateButton() const { return m_invalidate; }

signals:
    // "Invalidate…": the agent (Fleet id) whose report the view shows.
    void requestInvalidate(const QString& agentId);

private:
    void refresh();

    CacheModel* m_model;
    StaleBanner* m_staleBanner;
    QLabel* m_emptyLabel;
    QWidget* m_content;
    QLabel* m_title;
    QComboBox* m_targets;
    QPushButton* m_invalidate;
    CacheHitRateChart* m_chart;
    CacheNowPanel* m_now;
    CacheRedisPanel* m_redis;
    QTableView* m_instances;
    QTableView* m_prefixes;
    HealthDelegate* m_instanceDelegate;
    HealthDelegate* m_prefixDelegate;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
