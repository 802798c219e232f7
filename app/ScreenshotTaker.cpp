#include "ScreenshotTaker.h"

#include "AuditModel.h"
#include "AuditView.h"
#include "BreakersView.h"
#include "CacheHitRateChart.h"
#include "CacheView.h"
#include "DrillScreenshots.h"
#include "Fleet.h"
#include "MainWindow.h"
#include "MetricChart.h"
#include "MetricsView.h"
#include "OverviewView.h"
#include "PresentationMode.h"
#include "RateChartView.h"
#include "RegionsModel.h"
#include "RegionsView.h"
#include "ReplicationLagChart.h"
#include "ReplicationView.h"
#include "ReviewReportExport.h"
#include "ScorecardModel.h"
#include "ScorecardView.h"
#include "SettingsDialog.h"
#include "ShardsView.h"
#include "TimeRangeBar.h"
#include "TimelineAnnotations.h"
#include "TopologyModel.h"
#include "TopologyView.h"

#include <QDir>
#include <QPixmap>
#include <QTabWidget>
#include <QTextStream>

namespace switchboard {

ScreenshotTaker::ScreenshotTaker(MainWindow* window, Fleet* fleet, QString dir,
                                 std::chrono::milliseconds timeout, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_fleet(fleet)
    , m_dir(std::move(dir))
    , m_timeout(timeout) {
    m_poll.setInterval(250);
    connect(&m_poll, &QTimer::timeout, this, &ScreenshotTaker::check);
}

void ScreenshotTaker::start() {
    m_elapsed.start();
    m_poll.start();
}

bool ScreenshotTaker::agentReady(const QString& agentId) const {
    return m_fleet->hasData(agentId) &&
           m_fleet->model()->connectionState(agentId) == ConnectionState::Live &&
           m_window->overview()->chart()->pointCount(agentId) >= kMinPointsPerAgent;
}

void ScreenshotTaker::check() {
    // The chart repaints on its own timer; read it as it is now.
    m_window->overview()->chart()->refreshNow();
    const QStringList ids = m_fleet->agentIds();
    const bool allReady =
        !ids.isEmpty() &&
        std::all_of(ids.begin(), ids.end(), [this](const QString& id) { return agentReady(id); });
    if (allReady) {
        save();
        return;
    }
    if (m_elapsed.elapsed() < m_timeout.count())
        return;

    m_poll.stop();
    QTextStream err(stderr);
    const bool anyData = std::any_of(ids.begin(), ids.end(),
                                     [this](const QString& id) { return m_fleet->hasData(id); });
    if (!anyData) {
        err << "switchboard: no agent delivered data within " << m_timeout.count() / 1000
            << " s; no screenshot taken.\n"
            << explainMissing();
        emit finished(1);
        return;
    }
    err << "switchboard: not every agent was live with " << kMinPointsPerAgent
        << " chart points after " << m_timeout.count() / 1000
        << " s; taking the screenshots anyway.\n"
        << explainMissing();
    save();
}

QString ScreenshotTaker::explainMissing() const {
    QString text;
    for (const QString& id : m_fleet->agentIds()) {
        if (agentReady(id))
            continue;
        const AgentClient* client = m_fleet->client(id);
        const ConnectionState state = m_fleet->model()->connectionState(id);
        text += QStringLiteral("  %1 (%2): %3, %4 chart points")
                    .arg(m_fleet->displayName(id), id, connectionStateName(state))
                    .arg(m_window->overview()->chart()->pointCount(id));
        if (client && !client->errorText().isEmpty())
            text += QStringLiteral("; ") + client->errorText();
        text += QLatin1Char('\n');
    }
    return text;
}

void ScreenshotTaker::save() {
    m_poll.stop();
    RateChartView* chart = m_window->overview()->chart();
    chart->refreshNow();
    chart->setLiveUpdates(false);
    // The map as the models stand now, not as of its last coalesced rebuild.
    m_window->topology()->rebuildNow();
    // Qt Charts lays a chart out on the event loop after a change; grabbing at once would catch
    // axes half-drawn. Half a second with no new data lets it settle.
    QTimer::singleShot(500, this, [this] {
        const QDir dir(m_dir);
        const QString overviewPath = dir.absoluteFilePath(QStringLiteral("overview.png"));
        const QString windowPath = dir.absoluteFilePath(QStringLiteral("main-window.png"));
        const QString topologyPath = dir.absoluteFilePath(QStringLiteral("topology.png"));
        QTextStream err(stderr);
        if (!m_window->overview()->grab().save(overviewPath) ||
            !m_window->grab().save(windowPath) ||
            !m_window->overview()->topology()->grab().save(topologyPath)) {
            err << "switchboard: cannot write the screenshots into " << dir.absolutePath() << '\n';
            emit finished(1);
            return;
        }
        // The breakers' tab, unfolded so the picture shows instances too. It is laid out only
        // once shown, so it gets a moment on screen before the grab.
        m_window->views()->setCurrentWidget(m_window->breakers());
        m_window->breakers()->expandAll();
        QTextStream(stdout) << topologyPath << '\n';
        QTimer::singleShot(300, this, [this, overviewPath, windowPath] {
            const QString breakersPath =
                QDir(m_dir).absoluteFilePath(QStringLiteral("breakers.png"));
            QTextStream err(stderr);
            const bool saved = m_window->breakers()->grab().save(breakersPath);
            if (!saved) {
                m_window->views()->setCurrentWidget(m_window->overview());
                err << "switchboard: cannot write " << breakersPath << '\n';
                emit finished(1);
                return;
            }
            // The replication tab likewise needs a moment on screen to lay out its chart.
            m_window->views()->setCurrentWidget(m_window->replication());
            m_window->replication()->chart()->refreshNow();
            QTimer::singleShot(500, this, [this, overviewPath, windowPath, breakersPath] {
                const QString replicationPath =
                    QDir(m_dir).absoluteFilePath(QStringLiteral("replication.png"));
                QTextStream out(stdout);
                QTextStream err(stderr);
                const bool saved = m_window->replication()->grab().save(replicationPath);
                if (!saved) {
                    err << "switchboard: cannot write " << replicationPath << '\n';
                    emit finished(1);
                    return;
                }
                out << overviewPath << '\n'
                    << windowPath << '\n'
                    << breakersPath << '\n'
                    << replicationPath << '\n';
                out.flush();
                saveShards();
            });
        });
    });
}

void ScreenshotTaker::saveShards() {
    // The shards tab likewise gets a moment on screen to lay out.
    m_window->views()->setCurrentWidget(m_window->shards());
    QTimer::singleShot(300, this, [this] {
        const QString path = QDir(m_dir).absoluteFilePath(QStringLiteral("shards.png"));
        const bool saved = m_window->shards()->grab().save(path);
        m_window->views()->setCurrentWidget(m_window->overview());
        if (!saved) {
            QTextStream(stderr) << "switchboard: cannot write " << path << '\n';
            emit finished(1);
            return;
        }
        QTextStream(stdout) << path << '\n';
        saveCache();
    });
}

void ScreenshotTaker::saveCache() {
    // Without a cache the tab says only that: no picture to take.
    if (m_fleet->cache()->current().isEmpty()) {
        saveRegions();
        return;
    }
    // The chart's history starts when the console does: by now it has the seconds the other
    // tabs took. A moment on screen lays the tab out.
    m_window->views()->setCurrentWidget(m_window->cache());
    m_window->cache()->chart()->refreshNow();
    QTimer::singleShot(500, this, [this] {
        const QString path = QDir(m_dir).absoluteFilePath(QStringLiteral("cache.png"));
        const bool saved = m_window->cache()->grab().save(path);
        m_window->views()->setCurrentWidget(m_window->overview());
        if (!saved) {
            QTextStream(stderr) << "switchboard: cannot write " << path << '\n';
            emit finished(1);
            return;
        }
        QTextStream(stdout) << path << '\n';
        saveRegions();
    });
}

bool ScreenshotTaker::regionsSettled() const {
    for (const auto& region : m_fleet->regions()->current().status.regions)
        for (const auto& member : region.members)
            if (!member.streaming)
                return false;
    return true;
}

void ScreenshotTaker::saveRegions() {
    // Without "ha" in any agent the tab says only that: no picture to take.
    if (m_fleet->regions()->current().isEmpty()) {
        saveMetrics(0);
        return;
    }
    // Every region's member known and streaming before the picture and the drill after it.
    if (!regionsSettled() && m_regionWaits++ < kRegionWaits) {
        QTimer::singleShot(500, this, [this] { saveRegions(); });
        return;
    }
    m_window->views()->setCurrentWidget(m_window->regions());
    QTimer::singleShot(500, this, [this] {
        const QString path = QDir(m_dir).absoluteFilePath(QStringLiteral("regions.png"));
        const bool saved = m_window->regions()->grab().save(path);
        if (!saved) {
            QTextStream(stderr) << "switchboard: cannot write " << path << '\n';
            emit finished(1);
            return;
        }
        QTextStream(stdout) << path << '\n';
        // Then a live drill, pictured from the wizard's preflight to its report.
        auto* drill = new DrillScreenshots(m_window, m_fleet, m_dir, this);
        connect(drill, &DrillScreenshots::finished, this, [this, drill](int exitCode) {
            m_drillAgentId = drill->agentId();
            // The Regions view once more, now with the drill in its history.
            QTimer::singleShot(1500, this, [this, exitCode] {
                const QString after =
                    QDir(m_dir).absoluteFilePath(QStringLiteral("regions-after-drill.png"));
                m_window->regions()->grab().save(after);
                QTextStream(stdout) << after << '\n';
                m_window->views()->setCurrentWidget(m_window->overview());
                saveMetrics(exitCode);
            });
        });
        drill->start();
    });
}

void ScreenshotTaker::saveMetrics(int exitCode) {
    // Last, so a drill run above is on the timeline. The 5 minute range: the console's history
    // is a minute or two old here, and an hour would draw it as a sliver.
    MetricsView* metrics = m_window->metrics();
    m_window->views()->setCurrentWidget(metrics);
    metrics->rangeBar()->pickPreset(0);
    metrics->refreshNow();
    // Beside the request rate: scraped metrics that move when the demo misbehaves (its breaker's
    // calls by outcome, each probe's latency), when the agents export them.
    for (const char* name :
         {"switchboard_breaker_calls_total", "switchboard_probe_latency_seconds"})
        if (!m_fleet->series().seriesOf(QString::fromLatin1(name)).isEmpty())
            metrics->addChart(QString::fromLatin1(name));
    // A console a minute old fills a sliver of even 5 minutes: zoom to the data, as a person
    // would, so the lines and markers can be read.
    qint64 oldest = 0;
    for (const MetricChart* chart : metrics->charts())
        for (const ChartLine& line : chart->data().lines())
            if (!line.points.isEmpty() && (oldest == 0 || line.points.front().timeMs < oldest))
                oldest = line.points.front().timeMs;
    const qint64 now = metrics->timeRange()->now();
    if (oldest > 0 && now - oldest < 4 * 60'000)
        metrics->timeRange()->zoomTo({oldest - 2'000, now + 1'000});
    QTimer::singleShot(500, this, [this, exitCode, metrics] {
        metrics->refreshNow();
        const QString path = QDir(m_dir).absoluteFilePath(QStringLiteral("metrics.png"));
        const bool saved = metrics->grab().save(path);
        m_window->views()->setCurrentWidget(m_window->overview());
        if (!saved) {
            QTextStream(stderr) << "switchboard: cannot write " << path << '\n';
            emit finished(1);
            return;
        }
        QTextStream(stdout) << path << " (" << m_window->annotations()->all().size()
                            << " annotations)\n";
        saveScorecard(exitCode);
    });
}

void ScreenshotTaker::saveScorecard(int exitCode) {
    // After the drill: its RTO and RPO are one of the lines.
    m_window->views()->setCurrentWidget(m_window->scorecard());
    m_window->scorecardModel()->recompute();
    QTimer::singleShot(500, this, [this, exitCode] {
        const QString path = QDir(m_dir).absoluteFilePath(QStringLiteral("scorecard.png"));
        const bool saved = m_window->scorecard()->grab().save(path);
        m_window->views()->setCurrentWidget(m_window->overview());
        if (!saved) {
            QTextStream(stderr) << "switchboard: cannot write " << path << '\n';
            emit finished(1);
            return;
        }
        QTextStream(stdout) << path << " (" << verdictName(m_window->scorecardModel()->overall())
                            << ")\n";
        saveAudit(exitCode);
    });
}

void ScreenshotTaker::saveAudit(int exitCode) {
    AuditView* audit = m_window->audit();
    m_window->views()->setCurrentWidget(audit);
    // The log of the agent the drill ran through, which holds its entries.
    if (m_drillAgentId.isEmpty() || !audit->chooseClient(m_fleet->actions(m_drillAgentId)))
        audit->refresh();
    // One local request for the newest page: a few seconds are plenty, and an empty or failed
    // page is still what the view shows (its status line says why).
    QTimer::singleShot(3000, this, [this, exitCode, audit] {
        const QString path = QDir(m_dir).absoluteFilePath(QStringLiteral("audit.png"));
        const bool saved = audit->grab().save(path);
        m_window->views()->setCurrentWidget(m_window->overview());
        if (!saved) {
            QTextStream(stderr) << "switchboard: cannot write " << path << '\n';
            emit finished(1);
            return;
        }
        QTextStream(stdout) << path << " (" << audit->model()->rowCount() << " entries; "
                            << audit->statusText() << ")\n";
        saveReviewReport(exitCode);
    });
}

void ScreenshotTaker::saveReviewReport(int exitCode) {
    const QDir dir(m_dir);
    const QString pdfPath = dir.absoluteFilePath(QStringLiteral("review-report.pdf"));
    const QString pagePath = dir.absoluteFilePath(QStringLiteral("review-report-page1.png"));
    const ReviewReport report = review_report_export::collect(m_window);
    QString error;
    if (!report.writePdf(pdfPath, &error) || !report.firstPage().save(pagePath)) {
        QTextStream(stderr) << "switchboard: " << (error.isEmpty() ? pagePath : error) << '\n';
        emit finished(1);
        return;
    }
    QTextStream(stdout) << pdfPath << " (" << report.pageCount() << " pages)\n" << pagePath << '\n';
    savePresentation(exitCode);
}

void ScreenshotTaker::savePresentation(int exitCode) {
    m_window->views()->setCurrentWidget(m_window->overview());
    m_window->presentation()->enter();
    // Full screen, the new font and the theme lay out on the event loop; the map follows.
    QTimer::singleShot(1000, this, [this, exitCode] {
        m_window->topology()->rebuildNow();
        m_window->overview()->chart()->refreshNow();
        QTimer::singleShot(500, this, [this, exitCode] {
            const QString path = QDir(m_dir).absoluteFilePath(QStringLiteral("presentation.png"));
            const bool saved = m_window->grab().save(path);
            m_window->presentation()->leave();
            if (!saved) {
                QTextStream(stderr) << "switchboard: cannot write " << path << '\n';
                emit finished(1);
                return;
            }
            QTextStream(stdout) << path << '\n';
            saveDesktopPictures(exitCode);
        });
    });
}

void ScreenshotTaker::saveDesktopPictures(int exitCode) {
    // The dark palette on the whole window, then the two dialogs the user guide shows: each
    // drawn with the live window's menus and settings, as an operator would open them.
    const Theme::Kind theme = m_window->themeKind();
    m_window->applyTheme(Theme::Kind::Dark);
    QTimer::singleShot(500, this, [this, exitCode, theme] {
        m_window->overview()->chart()->refreshNow();
        const QDir dir(m_dir);
        QStringList saved;
        const QString darkPath = dir.absoluteFilePath(QStringLiteral("main-window-dark.png"));
        if (m_window->grab().save(darkPath))
            saved << darkPath;
        m_window->applyTheme(theme);

        SettingsDialog settings(ConsoleSettings::load(), m_window);
        settings.show();
        const QString settingsPath = dir.absoluteFilePath(QStringLiteral("settings.png"));
        if (settings.grab().save(settingsPath))
            saved << settingsPath;
        ShortcutListDialog shortcuts(m_window->shortcuts(), m_window);
        shortcuts.show();
        const QString shortcutsPath = dir.absoluteFilePath(QStringLiteral("shortcuts.png"));
        if (shortcuts.grab().save(shortcutsPath))
            saved << shortcutsPath;
        if (saved.size() != 3) {
            QTextStream(stderr) << "switchboard: cannot write the pictures in " << m_dir << '\n';
            emit finished(1);
            return;
        }
        QTextStream(stdout) << saved.join(QLatin1Char('\n')) << '\n';
        emit finished(exitCode);
    });
}

} // namespace switchboard
