#pragma once

#include "RegionsStatus.h"
#include "Theme.h"

#include <QGroupBox>

class QLabel;
class QTableView;

namespace switchboard {

class HealthDelegate;
class RegionMembersModel;

// One region as a card: its role and health (in words, on the health colour), leader, timeline,
// lag behind the active region, the targets against the last drill's measured RTO and RPO, the
// probe's error when it has one, and a table of its members. Reads values only.
class RegionCard : public QGroupBox {
    Q_OBJECT
public:
    explicit RegionCard(QWidget* parent = nullptr);

    // `lastDrill`: the region's newest drill, nullptr when it has none.
    void setRegion(const RegionStatus& region, const RegionsTargets& targets,
                   const DrillResult* lastDrill);
    void setTheme(const Theme& theme);

    QString regionName() const { return m_region.name; }
    QLabel* healthLabel() const { return m_health; }
    QTableView* membersTable() const { return m_members; }

private:
    void paintHealth();

    RegionStatus m_region;
    Theme m_theme = Theme::load(Theme::Kind::Light);
    QLabel* m_health;
    QLabel* m_leader;
    QLabel* m_timeline;
    QLabel* m_lag;
    QLabel* m_rto;
    QLabel* m_rpo;
    QLabel* m_error;
    QTableView* m_members;
    RegionMembersModel* m_membersModel;
    HealthDelegate* m_delegate;
};

} // namespace switchboard
