#include "MainWindow.h"

#include "AgentSeries.h"
#include "AuditView.h"
#include "BreakerOverrideDialog.h"
#include "BreakersView.h"
#include "CacheView.h"
#include "ConnectionDialog.h"
#include "ConsoleSettings.h"
#include "DrillDialog.h"
#include "ErrorBanner.h"
#include "EventLogDock.h"
#include "Fleet.h"
#include "FleetModel.h"
#include "FleetStatusBar.h"
#include "InvalidateDialog.h"
#include "MetricsView.h"
#include "OverviewView.h"
#include "PresentationMode.h"
#include "RebalanceDialog.h"
#include "RecordingControls.h"
#include "RegionsView.h"
#include "ReplicationView.h"
#include "ReviewReportExport.h"
#include "ScorecardModel.h"
#include "ScorecardView.h"
#include "SettingsDialog.h"
#include "ShardsView.h"
#include "ShortcutList.h"
#include "TimelineAnnotations.h"
#include "TopologyModel.h"
#include "TopologyView.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QItemSelectionModel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

namespace {

const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
const QString kViewKey = QStringLiteral("mainWindow/view"); // the current tab's objectName
const QString kScorecardThresholdsKey = QStringLiteral("scorecard/thresholds");
const QString kScorecardGrowthKey = QStringLiteral("scorecard/growth");
const QString kScorecardMarginKey = QStringLiteral("scorecard/safety_margin");
const QString kScorecardUsersKey = QStringLiteral("scorecard/users");
// Bumped when the docks change so an old saved layout is not applied to a new window.
constexpr int kLayoutVersion = 1;

} // namespace

MainWindow::MainWindow(Fleet* fleet, QWidget* parent)
    : QMainWindow(parent)
    , m_fleet(fleet)
    , m_audit(new AuditView(this))
    , m_scorecardModel(new ScorecardModel(fleet, this))
    , m_scorecard(new ScorecardView(m_scorecardModel, this))
    , m_theme(Theme::load(Theme::Kind::Light))
    , m_overview(new OverviewView(fleet->model(), &fleet->series(), this))
    , m_breakers(new BreakersView(fleet->breakers(), fleet->breakerTimeline(), this))
    , m_replication(new ReplicationView(fleet->replication(), this))
    , m_shards(new ShardsView(fleet->shards(), this))
    , m_cache(new CacheView(fleet->cache(), this))
    , m_regions(new RegionsView(fleet->regions(), this))
    , m_annotations(new TimelineAnnotations(500, this))
    , m_topology(new TopologyModel(
          {fleet->model(), fleet->replication(), fleet->shards(), fleet->cache(), fleet->regions()},
          this))
    , m_metrics(new MetricsView(&fleet->series(), m_annotations, this))
    , m_views(new QTabWidget(this))
    , m_eventsDock(new EventLogDock(fleet->eventLog(), this))
    , m_banner(new ErrorBanner(this))
    , m_fleetStatus(new FleetStatusBar(fleet->model(), this))
    , m_sourceLabel(new QLabel(this))
    , m_auditAgentsLater(new QTimer(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Switchboard"));

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->setSpacing(6);
    layout->addWidget(m_banner);
    m_views->setObjectName(QStringLiteral("views"));
    m_views->setDocumentMode(true);
    m_views->addTab(m_overview, tr("Overview"));
    m_views->addTab(m_breakers, tr("Breakers"));
    m_views->addTab(m_replication, tr("Replication"));
    m_views->addTab(m_shards, tr("Shards"));
    m_views->addTab(m_cache, tr("Cache"));
    m_views->addTab(m_regions, tr("Regions"));
    m_views->addTab(m_metrics, tr("Metrics"));
    m_views->addTab(m_scorecard, tr("Scorecard"));
    m_views->addTab(m_audit, tr("Audit"));
    loadScorecardSettings();
    connect(m_scorecard, &ScorecardView::concernActivated, this, &MainWindow::showConcern);
    connect(m_scorecard, &ScorecardView::settingsChanged, this, &MainWindow::saveScorecardSettings);
    m_auditAgentsLater->setSingleShot(true);
    m_auditAgentsLater->setInterval(0);
    connect(m_auditAgentsLater, &QTimer::timeout, this, &MainWindow::updateAuditAgents);
    connect(fleet, &Fleet::agentAdded, m_auditAgentsLater, qOverload<>(&QTimer::start));
    watchTimeline();
    connect(fleet, &Fleet::agentRemoved, m_auditAgentsLater, qOverload<>(&QTimer::start));
    updateAuditAgents();
    layout->addWidget(m_views, 1);
    setCentralWidget(central);
    connect(m_breakers, &BreakersView::overrideRequested, this, &MainWindow::showBreakerOverride);
    connect(m_shards, &ShardsView::requestRebalance, this, &MainWindow::showRebalance);
    connect(m_cache, &CacheView::requestInvalidate, this, &MainWindow::showInvalidate);
    connect(m_regions, &RegionsView::requestDrill, this, &MainWindow::showDrill);
    m_overview->topology()->setModel(m_topology);
    connect(m_overview->topology(), &TopologyView::elementActivated, this,
            &MainWindow::showTopologyElement);

    addDockWidget(Qt::BottomDockWidgetArea, m_eventsDock);
    // A normal (not permanent) status-bar widget: a status message then shows in its place for
    // its few seconds. A permanent one stretched over the bar leaves a message no room at all.
    statusBar()->addWidget(m_fleetStatus, 1);
    m_sourceLabel->setObjectName(QStringLiteral("fleetSource"));
    statusBar()->addPermanentWidget(m_sourceLabel);
    connect(fleet, &Fleet::sourceChanged, this, &MainWindow::showFleetSource);
    showFleetSource();
    m_recording = new RecordingControls(fleet, this, m_banner, statusBar());
    m_presentation = new PresentationMode(this);
    connect(fleet, &Fleet::prometheusFailed, this, [this](const QString& message) {
        m_banner->showMessage(tr("Prometheus: %1").arg(message));
    });
    // A round that reached the models answers the Prometheus error the banner shows.
    connect(fleet, &Fleet::prometheusRoundApplied, this, [this] {
        if (m_banner->isVisible() && m_banner->message().startsWith(tr("Prometheus: ")))
            m_banner->dismiss();
    });
    createMenus();

    connect(fleet, &Fleet::errorOccurred, this,
            [this](const QString& agentId, const QString& message) {
                m_banner->showMessage(
                    QStringLiteral("%1: %2").arg(m_fleet->displayName(agentId), message));
            });
    // Data coming back answers the error the banner shows; no need to dismiss it by hand.
    connect(fleet, &Fleet::connectionStateChanged, this, [this](const QString&, ConnectionState) {
        const QStringList ids = m_fleet->agentIds();
        const bool allLive = std::all_of(ids.begin(), ids.end(), [this](const QString& id) {
            return m_fleet->model()->connectionState(id) == ConnectionState::Live;
        });
        if (allLive && m_banner->isVisible())
            m_banner->dismiss();
    });

    resize(kFirstStartSize);
    // The chart is what the eye reads first; the events dock starts modest.
    resizeDocks({m_eventsDock}, {170}, Qt::Vertical);
    m_firstStartState = saveState(kLayoutVersion);
    restoreLayout();
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* connectAction =
        file->addAction(tr("&Connect to agent…"), this, &MainWindow::showConnectionDialog);
    connectAction->setShortcut(QKeySequence(tr("Ctrl+N")));
    QAction* removeAction = file->addAction(tr("&Remove selected agent…"), this, [this] {
        const QModelIndexList rows = m_overview->table()->selectionModel()->selectedRows();
        if (rows.isEmpty()) {
            statusBar()->showMessage(tr("Select an agent in the Overview's table first"), 5000);
            return;
        }
        removeAgent(rows.first().data(FleetModel::AgentIdRole).toString());
    });
    removeAction->setObjectName(QStringLiteral("removeAgentAction"));
    file->addSeparator();
    m_recording->addActions(file);
    file->addSeparator();
    QAction* reviewReport =
        file->addAction(tr("Export review &report…"), this, &MainWindow::exportReviewReport);
    reviewReport->setObjectName(QStringLiteral("reviewReportAction"));
    reviewReport->setShortcut(QKeySequence(tr("Ctrl+Shift+R")));
    file->addSeparator();
    QAction* settings = file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    settings->setObjectName(QStringLiteral("settingsAction"));
    settings->setShortcut(QKeySequence(tr("Ctrl+,")));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* toggleEvents = m_eventsDock->toggleViewAction();
    toggleEvents->setText(tr("&Events"));
    toggleEvents->setShortcut(QKeySequence(tr("Ctrl+E")));
    view->addAction(toggleEvents);
    view->addSeparator();
    QAction* showOverview =
        view->addAction(tr("&Overview"), this, [this] { m_views->setCurrentWidget(m_overview); });
    showOverview->setShortcut(QKeySequence(tr("Ctrl+1")));
    QAction* showBreakers =
        view->addAction(tr("&Breakers"), this, [this] { m_views->setCurrentWidget(m_breakers); });
    showBreakers->setShortcut(QKeySequence(tr("Ctrl+2")));
    QAction* showReplication = view->addAction(
        tr("&Replication"), this, [this] { m_views->setCurrentWidget(m_replication); });
    showReplication->setShortcut(QKeySequence(tr("Ctrl+3")));
    QAction* showShards =
        view->addAction(tr("&Shards"), this, [this] { m_views->setCurrentWidget(m_shards); });
    showShards->setShortcut(QKeySequence(tr("Ctrl+4")));
    QAction* showCache =
        view->addAction(tr("&Cache"), this, [this] { m_views->setCurrentWidget(m_cache); });
    showCache->setShortcut(QKeySequence(tr("Ctrl+5")));
    QAction* showRegions =
        view->addAction(tr("Re&gions"), this, [this] { m_views->setCurrentWidget(m_regions); });
    showRegions->setShortcut(QKeySequence(tr("Ctrl+6")));
    QAction* showMetrics =
        view->addAction(tr("&Metrics"), this, [this] { m_views->setCurrentWidget(m_metrics); });
    showMetrics->setShortcut(QKeySequence(tr("Ctrl+7")));
    QAction* showScorecard =
        view->addAction(tr("S&corecard"), this, [this] { m_views->setCurrentWidget(m_scorecard); });
    showScorecard->setShortcut(QKeySequence(tr("Ctrl+8")));
    QAction* showAudit =
        view->addAction(tr("&Audit"), this, [this] { m_views->setCurrentWidget(m_audit); });
    showAudit->setShortcut(QKeySequence(tr("Ctrl+9")));
    view->addSeparator();
    m_presentation->addActions(view);
    view->addSeparator();
    QMenu* themes = view->addMenu(tr("&Theme"));
    m_themeActions = new QActionGroup(this);
    const std::pair<Theme::Kind, QString> kinds[] = {
        {Theme::Kind::Light, tr("&Light")},
        {Theme::Kind::Dark, tr("&Dark")},
        {Theme::Kind::HighContrast, tr("&High contrast")}};
    for (const auto& [kind, text] : kinds) {
        QAction* action = themes->addAction(text);
        action->setCheckable(true);
        action->setData(Theme::name(kind));
        action->setChecked(kind == m_theme.kind());
        m_themeActions->addAction(action);
        connect(action, &QAction::triggered, this, [this, kind] { applyTheme(kind); });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* shortcuts =
        help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    shortcuts->setObjectName(QStringLiteral("shortcutsAction"));
    shortcuts->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Switchboard"), this, &MainWindow::showAbout);
}

void MainWindow::applyTheme(Theme::Kind kind) {
    m_theme = Theme::load(kind);
    QApplication::setPalette(m_theme.palette());
    m_overview->setTheme(m_theme);
    m_breakers->setTheme(m_theme);
    m_replication->setTheme(m_theme);
    m_shards->setTheme(m_theme);
    m_cache->setTheme(m_theme);
    m_regions->setTheme(m_theme);
    m_metrics->setTheme(m_theme);
    m_audit->setTheme(m_theme);
    m_scorecard->setTheme(m_theme);
    m_eventsDock->setTheme(m_theme);
    if (m_themeActions) {
        for (QAction* action : m_themeActions->actions())
            action->setChecked(action->data().toString() == Theme::name(kind));
    }
}

void MainWindow::saveLayout() const {
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState(kLayoutVersion));
    settings.setValue(kViewKey, m_views->currentWidget()->objectName());
    ConsoleSettings preferences = ConsoleSettings::load();
    preferences.theme = Theme::name(m_theme.kind());
    preferences.save();
}

void MainWindow::restoreLayout() {
    QSettings settings;
    applyTheme(Theme::kindFromName(ConsoleSettings::load().theme));
    if (settings.contains(kGeometryKey))
        restoreGeometry(settings.value(kGeometryKey).toByteArray());
    if (settings.contains(kStateKey))
        restoreState(settings.value(kStateKey).toByteArray(), kLayoutVersion);
    // A view that no longer exists (renamed in a later version) leaves the Overview showing.
    const QString view = settings.value(kViewKey).toString();
    for (int index = 0; !view.isEmpty() && index < m_views->count(); ++index)
        if (m_views->widget(index)->objectName() == view)
            m_views->setCurrentIndex(index);
}

void MainWindow::resetLayout() {
    QSettings settings;
    settings.remove(kGeometryKey);
    settings.remove(kStateKey);
    settings.remove(kViewKey);
    setWindowState(Qt::WindowNoState);
    restoreState(m_firstStartState, kLayoutVersion);
    m_eventsDock->show();
    resize(kFirstStartSize);
    m_views->setCurrentWidget(m_overview);
}

void MainWindow::showSettings() {
    auto* dialog = new SettingsDialog(ConsoleSettings::load(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::layoutResetRequested, this, [this] {
        resetLayout();
        statusBar()->showMessage(tr("Window layout reset"), 5000);
    });
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { applySettings(dialog->settings()); });
    dialog->open();
}

void MainWindow::applySettings(const ConsoleSettings& settings) {
    settings.save();
    applyTheme(Theme::kindFromName(settings.theme));
    m_presentation->setInterval(std::chrono::seconds(settings.presentationIntervalSeconds));
}

QList<ShortcutEntry> MainWindow::shortcuts() const {
    return menuShortcuts(menuBar()) + PresentationMode::keys();
}

void MainWindow::showShortcuts() {
    auto* dialog = new ShortcutListDialog(shortcuts(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showConnectionDialog() {
    // Non-blocking: the fleet keeps updating behind the dialog.
    auto* dialog = new ConnectionDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The command line's token file first, then the one the settings name.
    dialog->setTokenFile(m_defaultTokenFile.isEmpty() ? ConsoleSettings::load().tokenFile
                                                      : m_defaultTokenFile);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        // An agent added to a workspace is verified with the workspace's CA, as it will be
        // when the workspace is opened again.
        m_fleet->addAgent(dialog->url(), dialog->token(), {},
                          m_workspace ? m_workspace->caFile : ConsoleSettings::load().caFile);
        if (m_workspace) {
            m_workspace->agents.append({dialog->url(), {}, dialog->tokenFile()});
            saveWorkspace();
        }
    });
    dialog->open();
}

void MainWindow::setWorkspacePath(const QString& path) {
    QString error;
    m_workspace = Workspace::load(path, &error);
    if (!m_workspace)
        m_banner->showMessage(error);
}

void MainWindow::saveWorkspace() {
    QString error;
    if (m_workspace && !m_workspace->save(&error))
        m_banner->showMessage(
            tr("The fleet changed but the workspace was not saved: %1").arg(error));
}

void MainWindow::removeAgent(const QString& agentId, bool ask) {
    if (!m_fleet->client(agentId))
        return;
    const QString name = m_fleet->displayName(agentId);
    if (ask && QMessageBox::question(this, tr("Remove agent"),
                                     tr("Stop watching %1 and remove it from the fleet%2?")
                                         .arg(name, m_workspace ? tr(" and the workspace")
                                                                : QString())) != QMessageBox::Yes)
        return;
    const QUrl url = m_fleet->client(agentId)->baseUrl();
    m_fleet->removeAgent(agentId);
    if (m_workspace) {
        m_workspace->agents.removeIf(
            [&url](const WorkspaceAgent& agent) { return agent.url == url; });
        saveWorkspace();
    }
    statusBar()->showMessage(tr("Removed %1").arg(name), 5000);
}

void MainWindow::showBreakerOverride(const QString& agentId, const QString& breakerName) {
    ActionClient* actions = m_fleet->actions(agentId);
    if (!actions) {
        statusBar()->showMessage(
            tr("Cannot override %1: %2 is no longer connected").arg(breakerName, agentId), 8000);
        return;
    }
    // A new dialog each time: an override is planned against the breaker's state now.
    auto* dialog =
        new BreakerOverrideDialog(actions, breakerName, m_fleet->displayName(agentId), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BreakerOverrideDialog::jobFinished, m_audit, &AuditView::refresh);
    dialog->open();
}

void MainWindow::showRebalance(const QString& agentId) {
    ActionClient* actions = m_fleet->actions(agentId);
    const QString cluster = m_fleet->shards()->clusterOf(agentId);
    if (!actions || cluster.isEmpty()) {
        statusBar()->showMessage(
            tr("Cannot rebalance through %1: it is no longer connected or reports no shards")
                .arg(m_fleet->displayName(agentId)),
            8000);
        return;
    }
    // A new dialog each time: a rebalance is planned against the map as it is now.
    auto* dialog = new RebalanceDialog(actions, m_fleet->shards(), cluster,
                                       m_fleet->displayName(agentId), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RebalanceDialog::jobFinished, m_audit, &AuditView::refresh);
    dialog->open();
}

void MainWindow::showInvalidate(const QString& agentId) {
    ActionClient* actions = m_fleet->actions(agentId);
    const QString target = m_fleet->cache()->targetOf(agentId);
    if (!actions || target.isEmpty()) {
        statusBar()->showMessage(
            tr("Cannot invalidate through %1: it is no longer connected or reports no cache")
                .arg(m_fleet->displayName(agentId)),
            8000);
        return;
    }
    // A new dialog each time: a preview counts the keys as they are now.
    auto* dialog = new InvalidateDialog(actions, m_fleet->cache(), target,
                                        m_fleet->displayName(agentId), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &InvalidateDialog::jobFinished, m_audit, &AuditView::refresh);
    dialog->open();
}

void MainWindow::showDrill(const QString& agentId) {
    ActionClient* actions = m_fleet->actions(agentId);
    if (!actions || m_fleet->regions()->current().isEmpty()) {
        statusBar()->showMessage(
            tr("Cannot run a drill through %1: it is no longer connected or reports no regions")
                .arg(m_fleet->displayName(agentId)),
            8000);
        return;
    }
    // A new dialog each time: a drill is preflighted against the regions as they are now.
    auto* dialog =
        new DrillDialog(actions, m_fleet->regions(), m_fleet->displayName(agentId), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DrillDialog::jobFinished, m_audit, &AuditView::refresh);
    dialog->open();
}

void MainWindow::showTopologyElement(TopologyConcern concern, const QString& key) {
    switch (concern) {
    case TopologyConcern::Overview:
        m_overview->selectAgent(key);
        break;
    case TopologyConcern::Breakers:
        m_views->setCurrentWidget(m_breakers);
        m_breakers->showAgent(key, m_fleet->displayName(key));
        break;
    case TopologyConcern::Replication:
        m_views->setCurrentWidget(m_replication);
        m_replication->selectNode(key);
        break;
    case TopologyConcern::Shards: {
        // "<cluster>/<node>": a node name has no '/', a catalog may.
        const qsizetype slash = key.lastIndexOf(QLatin1Char('/'));
        m_views->setCurrentWidget(m_shards);
        m_shards->selectNode(key.left(slash), key.mid(slash + 1));
        break;
    }
    case TopologyConcern::Cache:
        m_views->setCurrentWidget(m_cache);
        m_cache->showTarget(key);
        break;
    case TopologyConcern::Regions:
        m_views->setCurrentWidget(m_regions);
        m_regions->showRegion(key);
        break;
    }
}

void MainWindow::watchTimeline() {
    // Legends name agents as the other views do, by instance name rather than URL.
    m_metrics->setValueNamer([fleet = m_fleet](const QString& label, const QString& value) {
        return label == agentLabel() && fleet->model()->rowOfAgent(value) >= 0
                   ? fleet->displayName(value)
                   : value;
    });
    // What the scraper knows of each metric (type, help, rate or value) for the browser.
    m_metrics->setCatalog(m_fleet->metricCatalog());
    connect(m_fleet, &Fleet::metricCatalogChanged, this,
            [this] { m_metrics->setCatalog(m_fleet->metricCatalog()); });
    // Through Prometheus the charts' history is asked for (direct polling fills the store).
    connect(m_metrics, &MetricsView::historyWanted, m_fleet, &Fleet::loadHistory);
    connect(m_fleet, &Fleet::historyLoaded, m_metrics, &MetricsView::clearHistoryError);
    connect(m_fleet, &Fleet::historyFailed, m_metrics, &MetricsView::showHistoryError);
    m_annotations->watchBreakers(m_fleet->breakerTimeline());
    m_annotations->watchDrills(m_fleet->regions()->drills());
    m_annotations->watchEventLog(m_fleet->eventLog());
    const auto watchAgent = [this](const QString& agentId) {
        if (ActionClient* actions = m_fleet->actions(agentId))
            m_annotations->watchActions(actions, agentId);
    };
    for (const QString& agentId : m_fleet->agentIds())
        watchAgent(agentId);
    connect(m_fleet, &Fleet::agentAdded, this, watchAgent);
}

void MainWindow::showConcern(const QString& concern) {
    const QHash<QString, QWidget*> views{{QStringLiteral("overview"), m_overview},
                                         {QStringLiteral("breakers"), m_breakers},
                                         {QStringLiteral("replication"), m_replication},
                                         {QStringLiteral("shards"), m_shards},
                                         {QStringLiteral("cache"), m_cache},
                                         {QStringLiteral("regions"), m_regions},
                                         {QStringLiteral("metrics"), m_metrics}};
    if (QWidget* view = views.value(concern))
        m_views->setCurrentWidget(view);
}

void MainWindow::loadScorecardSettings() {
    QSettings settings;
    QString error;
    const QByteArray json = settings.value(kScorecardThresholdsKey).toByteArray();
    if (!json.isEmpty()) {
        if (const auto thresholds = ScorecardThresholds::fromJson(json, &error))
            m_scorecardModel->setThresholds(*thresholds);
        else
            m_banner->showMessage(
                tr("The saved scorecard thresholds were not used: %1").arg(error));
    }
    CapacityPlan plan;
    plan.growth = settings.value(kScorecardGrowthKey, plan.growth).toDouble();
    plan.safetyMargin = settings.value(kScorecardMarginKey, plan.safetyMargin).toDouble();
    plan.users = settings.value(kScorecardUsersKey, plan.users).toDouble();
    m_scorecardModel->setPlan(plan);
}

void MainWindow::saveScorecardSettings() const {
    QSettings settings;
    settings.setValue(kScorecardThresholdsKey, m_scorecardModel->thresholds().toJson());
    settings.setValue(kScorecardGrowthKey, m_scorecardModel->plan().growth);
    settings.setValue(kScorecardMarginKey, m_scorecardModel->plan().safetyMargin);
    settings.setValue(kScorecardUsersKey, m_scorecardModel->plan().users);
}

void MainWindow::showFleetSource() {
    if (!m_fleet->prometheusFeed()) {
        m_sourceLabel->clear();
        m_sourceLabel->setToolTip({});
        return;
    }
    m_sourceLabel->setText(m_fleet->source() == FleetSource::Prometheus
                               ? tr("Read through Prometheus")
                               : tr("Streams from each agent"));
    m_sourceLabel->setToolTip(m_fleet->sourceReason());
}

void MainWindow::updateAuditAgents() {
    QList<QPair<QString, ActionClient*>> agents;
    for (const QString& agentId : m_fleet->agentIds()) {
        // A replayed agent has no action API, hence no audit to read.
        if (ActionClient* actions = m_fleet->actions(agentId))
            agents.append({m_fleet->displayName(agentId), actions});
    }
    m_audit->setAgents(agents);
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About Switchboard"),
        tr("<h3>Switchboard %1</h3><p>A console for backend services that embed the Switchboard "
           "agent: live health, request rates and events across a fleet.</p>"
           "<p>Agent protocol version %2.</p>")
            .arg(QApplication::applicationVersion())
            .arg(protocol::kVersion));
}

void MainWindow::exportReviewReport() {
    review_report_export::exportWithDialog(
        this, [this](const QString& message) { statusBar()->showMessage(message, 10000); });
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // The layout and theme the operator chose, not presentation mode's.
    m_presentation->leave();
    saveLayout();
    event->accept();
}

} // namespace switchboard
