#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <chrono>

namespace switchboard {

class Fleet;
class MainWindow;

// --screenshot: waits until every agent is live and its line on the chart has enough points to
// show movement, then saves overview.png, main-window.png, topology.png (the Overview's map
// alone, whole even when it scrolls), breakers.png (the Breakers tab,
// unfolded), replication.png (the Replication tab), shards.png (the Shards tab), when an agent
// reports a cache, cache.png (the Cache tab) and, when one reports regions, regions.png and a live
// switchover drill's pictures (DrillScreenshots), metrics.png (the Metrics tab), scorecard.png, the
// review report (review-report.pdf, review-report-page1.png) and last presentation.png. If no
// agent delivered data before the deadline it says why and finishes with 1; agents still missing
// then are named, and the pictures are taken of what did arrive.
class ScreenshotTaker : public QObject {
    Q_OBJECT
public:
    ScreenshotTaker(MainWindow* window, Fleet* fleet, QString dir,
                    std::chrono::milliseconds timeout = std::chrono::seconds(60),
                    QObject* parent = nullptr);

    static constexpr int kMinPointsPerAgent = 12; // about 12 s: a line, not a dot

    void start();

signals:
    // The exit status for main(): 0 saved, 1 nothing to show.
    void finished(int exitCode);

private:
    void check();
    bool agentReady(const QString& agentId) const;
    void save();
    void saveShards();
    void saveCache();
    void saveRegions();
    // metrics.png (the Metrics tab: the request rate with the timeline's markers), then done.
    void saveMetrics(int exitCode);
    void saveScorecard(int exitCode);
    // audit.png: the first agent's audit log, the drill's entries newest, and its chain's state.
    void saveAudit(int exitCode);
    // review-report.pdf and its first page as review-report-page1.png.
    void saveReviewReport(int exitCode);
    // presentation.png: the whole window in presentation mode on the Overview.
    void savePresentation(int exitCode);
    // main-window-dark.png (the dark palette), settings.png, shortcuts.png; then done.
    void saveDesktopPictures(int exitCode);
    bool regionsSettled() const;
    QString explainMissing() const;

    MainWindow* m_window;
    Fleet* m_fleet;
    QString m_dir;
    QString m_drillAgentId; // the agent the drill ran through: the Audit picture shows its log
    std::chrono::milliseconds m_timeout;
    QTimer m_poll;
    QElapsedTimer m_elapsed;
    static constexpr int kRegionWaits = 60; // half-seconds
    int m_regionWaits = 0;
};

} // namespace switchboard
