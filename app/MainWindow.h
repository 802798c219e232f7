#pragma once

#include "ShortcutList.h"
#include "Theme.h"
#include "Topology.h"
#include "Workspace.h"

#include <QMainWindow>
#include <QTimer>
#include <optional>

class QActionGroup;
class QTabWidget;

class QLabel;

namespace switchboard {

struct ConsoleSettings;
class ScorecardModel;
class ScorecardView;

class AuditView;
class BreakersView;
class CacheView;
class ErrorBanner;
class EventLogDock;
class Fleet;
class FleetStatusBar;
class MetricsView;
class TimelineAnnotations;
class TopologyModel;
class OverviewView;
class PresentationMode;
class RecordingControls;
class RegionsView;
class ReplicationView;
class ShardsView;

// The console's window: the views as tabs in the middle (overview, breakers, replication, shards,
// cache, regions, metrics, audit), the events dock, the error banner, menus and one status label
// per agent. Wiring only: every view reads the Fleet's models.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Fleet* fleet, QWidget* parent = nullptr);

    Fleet* fleet() const { return m_fleet; }
    OverviewView* overview() const { return m_overview; }
    BreakersView* breakers() const { return m_breakers; }
    ReplicationView* replication() const { return m_replication; }
    ShardsView* shards() const { return m_shards; }
    CacheView* cache() const { return m_cache; }
    RegionsView* regions() const { return m_regions; }
    MetricsView* metrics() const { return m_metrics; }
    ScorecardView* scorecard() const { return m_scorecard; }
    AuditView* audit() const { return m_audit; }
    ScorecardModel* scorecardModel() const { return m_scorecardModel; }
    // One timeline of breaker flips, actions, drills and connection changes: what the Metrics
    // view's charts mark.
    TimelineAnnotations* annotations() const { return m_annotations; }
    // The Overview's map of the fleet, rebuilt from the Fleet's models.
    TopologyModel* topology() const { return m_topology; }
    QTabWidget* views() const { return m_views; }
    EventLogDock* eventsDock() const { return m_eventsDock; }
    ErrorBanner* banner() const { return m_banner; }
    FleetStatusBar* fleetStatus() const { return m_fleetStatus; }
    // Where the fleet is read from ("Streams" or "Prometheus"), with the reason as its tooltip.
    QLabel* sourceLabel() const { return m_sourceLabel; }
    // Recording the fleet's streams and replaying recordings (File menu, --record, --replay).
    RecordingControls* recording() const { return m_recording; }
    // View → Presentation mode: full screen, large type, high contrast, views in turn.
    PresentationMode* presentation() const { return m_presentation; }

    void applyTheme(Theme::Kind kind);
    Theme::Kind themeKind() const { return m_theme.kind(); }

    // Window geometry, dock layout, the view shown and the theme, kept in QSettings between runs.
    void saveLayout() const;
    void restoreLayout();
    // The docks, the window's size and the Overview as a first start has them; forgets the saved
    // layout (File → Settings… → Reset window layout).
    void resetLayout();
    // Saves the preferences and applies those that apply at once (theme, presentation pace).
    void applySettings(const ConsoleSettings& settings);
    // Every shortcut: the menus' and presentation mode's keys (Help → Keyboard shortcuts).
    QList<ShortcutEntry> shortcuts() const;

    // The token the Connect dialog proposes: the one the console started with.
    void setDefaultTokenFile(const QString& path) { m_defaultTokenFile = path; }
    // The fleet workspace the agents came from: agents added or removed from now on are written
    // back to it. A workspace that cannot be read again is a banner message.
    void setWorkspacePath(const QString& path);
    // Removes the agent after asking (unless `ask` is false: tests), and from the workspace.
    void removeAgent(const QString& agentId, bool ask = true);

public slots:
    void showConnectionDialog();
    void showAbout();
    // File → Settings… (Ctrl+,), Help → Keyboard shortcuts (F1).
    void showSettings();
    void showShortcuts();
    // File → Export review report…: the scorecard and pictures of the views as one PDF.
    void exportReviewReport();
    // Where the Breakers view's "Override…" lands: the agent (Fleet id) and breaker picked.
    // The override dialog is wired in here; until then it only says what was asked.
    void showBreakerOverride(const QString& agentId, const QString& breakerName);
    // Where the Shards view's "Rebalance…" lands: the rebalance dialog for the agent's cluster.
    void showRebalance(const QString& agentId);
    // Where the Cache view's "Invalidate…" lands: the invalidation dialog for the agent's Redis.
    void showInvalidate(const QString& agentId);
    // Where the Regions view's "Run drill…" lands: the drill dialog for the agent's regions.
    void showDrill(const QString& agentId);
    // Where a click on the Overview's map lands: the concern's tab, showing the element.
    void showTopologyElement(switchboard::TopologyConcern concern, const QString& key);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void saveWorkspace();
    // The Audit view's agent chooser follows the fleet.
    void updateAuditAgents();
    void showFleetSource();
    // The tab that shows a concern ("replication", "cache", …, as scorecard lines name them).
    void showConcern(const QString& concern);
    void loadScorecardSettings();
    void saveScorecardSettings() const;
    // The Metrics view's annotations: the fleet's breaker timeline, drills, event log and every
    // agent's actions.
    void watchTimeline();

    Fleet* m_fleet;
    std::optional<Workspace> m_workspace;
    AuditView* m_audit;
    ScorecardModel* m_scorecardModel;
    ScorecardView* m_scorecard;
    Theme m_theme;
    OverviewView* m_overview;
    BreakersView* m_breakers;
    ReplicationView* m_replication;
    ShardsView* m_shards;
    CacheView* m_cache;
    RegionsView* m_regions;
    TimelineAnnotations* m_annotations;
    TopologyModel* m_topology;
    MetricsView* m_metrics;
    QTabWidget* m_views;
    EventLogDock* m_eventsDock;
    ErrorBanner* m_banner;
    FleetStatusBar* m_fleetStatus;
    QLabel* m_sourceLabel;
    RecordingControls* m_recording = nullptr;
    PresentationMode* m_presentation = nullptr;
    // Agents join by the hundred from Prometheus: the audit's agent list is rebuilt once after.
    QTimer* m_auditAgentsLater;
    QActionGroup* m_themeActions = nullptr;
    QString m_defaultTokenFile;
    static constexpr QSize kFirstStartSize{1400, 900};
    QByteArray m_firstStartState; // the docks before any saved layout is applied
};

} // namespace switchboard
