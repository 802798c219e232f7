#pragma once

#include "Theme.h"

#include <QMainWindow>

class QActionGroup;

namespace switchboard {

class ErrorBanner;
class EventLogDock;
class Fleet;
class FleetStatusBar;
class OverviewView;

// The console's window: the overview in the middle, the events dock, the error banner, menus
// and one status label per agent. Wiring only: every view reads the Fleet's models.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Fleet* fleet, QWidget* parent = nullptr);

    OverviewView* overview() const { return m_overview; }
    EventLogDock* eventsDock() const { return m_eventsDock; }
    ErrorBanner* banner() const { return m_banner; }
    FleetStatusBar* fleetStatus() const { return m_fleetStatus; }

    void applyTheme(Theme::Kind kind);
    Theme::Kind themeKind() const { return m_theme.kind(); }

    // Window geometry, dock layout and theme, kept in QSettings between runs.
    void saveLayout() const;
    void restoreLayout();

    // The token the Connect dialog proposes: the one the console started with.
    void setDefaultTokenFile(const QString& path) { m_defaultTokenFile = path; }

public slots:
    void showConnectionDialog();
    void showAbout();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();

    Fleet* m_fleet;
    Theme m_theme;
    OverviewView* m_overview;
    EventLogDock* m_eventsDock;
    ErrorBanner* m_banner;
    FleetStatusBar* m_fleetStatus;
    QActionGroup* m_themeActions = nullptr;
    QString m_defaultTokenFile;
};

} // namespace switchboard
