#pragma once

#include "CacheSummary.h"
#include "Theme.h"

#include <QGroupBox>

class QLabel;

namespace switchboard {

// The hit rates now, large, against the target, with the verdict in words ("above the 70 %
// target", "below the 70 % target") and the traffic behind them (gets/s, loads/s, L1 size).
class CacheNowPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit CacheNowPanel(QWidget* parent = nullptr);

    void setSummary(const CacheTargetSummary& summary);
    void setTheme(const Theme& theme);

    QLabel* hitRateLabel() const { return m_hitRate; }
    QLabel* verdictLabel() const { return m_verdict; }
    QLabel* layersLabel() const { return m_layers; }
    QLabel* trafficLabel() const { return m_traffic; }

private:
    void paintVerdict();

    QLabel* m_hitRate;
    QLabel* m_verdict;
    QLabel* m_layers;
    QLabel* m_traffic;
    CacheHealth m_health = CacheHealth::Healthy;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
