#pragma once

#include "ChartRequest.h"
#include "LabelFilter.h"
#include "MetricInfo.h"
#include "MetricsTimeRange.h"

#include <QList>
#include <QTimer>
#include <QWidget>

class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace switchboard {

class ErrorBanner;
class MetricBrowser;
class MetricChart;
class StaleBanner;
class Theme;
class TimeRangeBar;
class TimeSeriesStore;
class TimelineAnnotations;

// The Metrics tab: the metric browser on the left; on the right the range bar and a stack of
// charts that share one time range (zoom or pan one, all follow) and one crosshair, each marking
// the timeline's events. Live, the charts follow now once a second (a chart whose store, range
// and width did not move does not redraw); paused, they hold still while data keeps arriving.
// The stream's requests/s is charted by itself until the operator adds a chart, so the tab is
// never blank on a fleet that has data.
//
// Where history comes from is not its business: when the charts, their filters, the range or
// the plot width change (debounced), and every few seconds while live, it says what it would
// show with historyWanted(); whoever fills the store from elsewhere (PrometheusHistory, wired by
// the window) answers it and reports failures through showHistoryError().
class MetricsView : public QWidget {
    Q_OBJECT
public:
    // `now` for tests; by default the later of the wall clock and the store's newest point.
    MetricsView(const TimeSeriesStore* store, const TimelineAnnotations* annotations,
                QWidget* parent = nullptr, MetricsTimeRange::Clock now = {});

    // What the scraper knows of each metric: Fleet::metricCatalog(), on every
    // Fleet::metricCatalogChanged().
    void setCatalog(const QList<MetricInfo>& catalog);
    void setTheme(const Theme& theme);
    // How legends show a label's value: the window names agents (the "agent" label holds the
    // agent's id, a URL) by their instance names.
    void setValueNamer(LabelValueNamer namer);

    MetricChart* addChart(const MetricInfo& info, const LabelFilter& filter = {});
    // Adds a chart of `metricName` as the browser describes it.
    MetricChart* addChart(const QString& metricName, const LabelFilter& filter = {});
    void removeChart(MetricChart* chart);
    const QList<MetricChart*>& charts() const { return m_charts; }

    MetricsTimeRange* timeRange() { return &m_range; }
    MetricBrowser* browser() const { return m_browser; }
    TimeRangeBar* rangeBar() const { return m_rangeBar; }
    QLabel* staleBanner() const;

    // Reads the store into every chart now (tests and screenshots; the timer does it live).
    void refreshNow();
    // The same crosshair on every chart; nullopt hides it.
    void setCrosshair(std::optional<qint64> timeMs);

    // The charts as one image, and the visible range's raw points of every charted series as
    // CSV (SeriesCsv.h). Both return false (and say why in `error`) when the file cannot be
    // written. The dialogs are the range bar's buttons; these are what they call.
    QImage renderCharts() const;
    bool exportPng(const QString& path, QString* error = nullptr) const;
    QString csv() const;
    bool exportCsv(const QString& path, QString* error = nullptr) const;

    // What the charts show now, as historyWanted() would say it.
    QList<ChartRequest> chartRequests() const;
    // The widest chart's plot, in pixels: about the points a chart can show.
    int plotWidth() const;
    ErrorBanner* historyErrorBanner() const { return m_historyError; }

    // The newest point older than this, while live, is stale: a few of the agents' intervals.
    static constexpr qint64 kStaleAfterMs = 15'000;
    // Changes within this of each other make one historyWanted() (a drag of the splitter, a
    // zoom by the wheel).
    static constexpr int kHistoryDebounceMs = 200;
    // While live, history is asked again this often, so the charts' tails follow.
    static constexpr int kHistoryReloadMs = 5'000;

public slots:
    // A history load failed: the banner says so (once per distinct sentence: a live reload
    // failing again does not pile up messages, nor reopen a banner the operator dismissed).
    void showHistoryError(const QString& sentence);
    // A history load succeeded: the banner goes.
    void clearHistoryError();

signals:
    // The charts want their series over [fromMs, toMs], drawn about `widthPx` wide. Not emitted
    // while there are no charts.
    void historyWanted(const QList<switchboard::ChartRequest>& charts, qint64 fromMs, qint64 toMs,
                       int widthPx);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // Something the charts show changed: historyWanted() once things settle.
    void wantHistory();
    void emitHistoryWanted();

    void exportWithDialog(bool png);
    void updateStale();
    void updateEmptyHint();

    const TimeSeriesStore* m_store;
    const TimelineAnnotations* m_annotations;
    MetricsTimeRange m_range;
    MetricBrowser* m_browser;
    TimeRangeBar* m_rangeBar;
    StaleBanner* m_stale;
    ErrorBanner* m_exportError;  // a file that could not be written
    ErrorBanner* m_historyError; // history that could not be loaded
    QString m_historyErrorShown;
    QLabel* m_emptyHint;
    QScrollArea* m_scroll;
    QWidget* m_chartArea;
    QVBoxLayout* m_chartLayout;
    QList<MetricChart*> m_charts;
    LabelValueNamer m_namer;
    QTimer m_tick;
    QTimer m_historyDebounce;
    QTimer m_historyReload;
    bool m_chartChosen = false; // the operator added or removed a chart: no default chart
    quint64 m_browserRevision = 0;
};

} // namespace switchboard
