#include "ReviewReportExport.h"

#include "BreakersView.h"
#include "CacheView.h"
#include "Fleet.h"
#include "MainWindow.h"
#include "MetricsView.h"
#include "OverviewView.h"
#include "RegionsView.h"
#include "ReplicationView.h"
#include "ScorecardModel.h"
#include "ShardsView.h"
#include "TopologyModel.h"
#include "TopologyView.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QTabWidget>

namespace switchboard::review_report_export {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("switchboard::ReviewReportExport", text);
}

ReviewReportSummary summaryOf(MainWindow* window) {
    const Fleet* fleet = window->fleet();
    ScorecardModel* scorecard = window->scorecardModel();
    scorecard->recompute(); // graded now, not up to one refresh ago
    ReviewReportSummary summary;
    summary.generatedAt = QDateTime::currentDateTime();
    const QStringList agents = fleet->model()->agentIds();
    summary.agents = static_cast<int>(agents.size());
    summary.liveAgents =
        static_cast<int>(std::count_if(agents.begin(), agents.end(), [fleet](const QString& id) {
            return fleet->model()->connectionState(id) == ConnectionState::Live;
        }));
    summary.lines = scorecard->lines();
    summary.overall = scorecard->overall();
    summary.placement = scorecard->placement();
    summary.deployed = scorecard->deployed().text();
    summary.plan = scorecard->plan();
    return summary;
}

// A tab behind another has not been laid out at the tab area's size (or at all): showing it lays
// it out, and the posted layout requests (Qt Charts lays out on the event loop) are handled
// before the picture is taken.
QImage grabTab(QTabWidget* tabs, QWidget* tab, QWidget* what) {
    tabs->setCurrentWidget(tab);
    QCoreApplication::sendPostedEvents();
    return what->grab().toImage();
}

} // namespace

ReviewReport collect(MainWindow* window) {
    QTabWidget* tabs = window->views();
    QWidget* shown = tabs->currentWidget();
    window->topology()->rebuildNow();
    QList<ReviewReportView> views;
    views.append(
        {tr("Topology map"), grabTab(tabs, window->overview(), window->overview()->topology())});
    const QList<QWidget*> pictured{window->overview(), window->breakers(), window->replication(),
                                   window->shards(),   window->cache(),    window->regions(),
                                   window->metrics()};
    for (QWidget* view : pictured)
        views.append({tabs->tabText(tabs->indexOf(view)).remove(QLatin1Char('&')),
                      grabTab(tabs, view, view)});
    tabs->setCurrentWidget(shown);
    return ReviewReport(summaryOf(window), views);
}

bool writeReviewReport(MainWindow* window, const QString& path, QString* error) {
    return collect(window).writePdf(path, error);
}

void exportWithDialog(MainWindow* window, std::function<void(const QString&)> done) {
    auto* dialog = new QFileDialog(window, tr("Export review report as PDF"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(tr("PDF (*.pdf)"));
    dialog->setDefaultSuffix(QStringLiteral("pdf"));
    dialog->selectFile(QDir::home().filePath(
        QStringLiteral("switchboard-review-%1.pdf")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")))));
    QObject::connect(dialog, &QFileDialog::fileSelected, window,
                     [window, done = std::move(done)](const QString& path) {
                         QString error;
                         const bool ok = writeReviewReport(window, path, &error);
                         if (done)
                             done(ok ? tr("Review report saved to %1").arg(path) : error);
                     });
    dialog->open();
}

} // namespace switchboard::review_report_export
