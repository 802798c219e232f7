// RegionsView with docs/drills.md's document from two agents: a card per region with the
// document's values (role, health in words and colour, leader, timeline, lag behind the active
// region, the last drill's RTO and RPO against the targets, the members), the drill history
// newest first with the exports enabled once a drill is selected, the stale banner, the empty
// label, Run drill…, and the report written as Markdown and as a PDF. With
// SWITCHBOARD_SCREENSHOT_DIR set it saves regions.png and regions-stale.png.
#include "DrillReport.h"
#include "DrillReportExport.h"
#include "GuiTestHelpers.h"
#include "RegionCard.h"
#include "RegionsModel.h"
#include "RegionsTestData.h"
#include "RegionsView.h"
#include "Theme.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>

using namespace gui_test;
using namespace switchboard;
using namespace regions_test_data;

namespace {

void feed(RegionsModel& model) {
    model.setConnectionState(QStringLiteral("a1"), ConnectionState::Live);
    model.setConnectionState(QStringLiteral("a2"), ConnectionState::Live);
    for (const QString& id : {QStringLiteral("a1"), QStringLiteral("a2")}) {
        AgentSnapshot snapshot;
        snapshot.info.instance =
            id == QLatin1String("a1") ? QStringLiteral("demo-1") : QStringLiteral("demo-2");
        snapshot.regions = parseRegionsStatus(regionsObject());
        if (id == QLatin1String("a1"))
            snapshot.regions->checkedMs += 500; // the freshest
        model.updateAgent(id, snapshot);
    }
}

QString cardText(const RegionCard& card, const char* label) {
    return text(card, label);
}

} // namespace

class TestRegionsView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(Theme::load(Theme::Kind::Light).palette());
    }

    void cardsShowTheDocument() {
        RegionsModel model;
        feed(model);
        RegionsView view(&model);
        view.resize(1280, 820);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.emptyLabel()->isVisible());
        QVERIFY(!view.staleBanner()->isVisible());
        const QString title = view.titleLabel()->text();
        QVERIFY2(title.contains(QStringLiteral("tier critical")), qPrintable(title));
        QVERIFY(title.contains(QStringLiteral("targets RTO 15.0 s, RPO 1.00 s")));
        QVERIFY(title.contains(QStringLiteral("writes go to pg-us-east-2 (epoch 3)")));
        QVERIFY(title.contains(QStringLiteral("reported by demo-1 (+1)")));

        QCOMPARE(view.cards().size(), 2);
        RegionCard* active = view.card(QStringLiteral("us-east"));
        QVERIFY(active);
        QCOMPARE(active->title(), QStringLiteral("us-east"));
        QCOMPARE(active->healthLabel()->text(), QStringLiteral("<b>Active</b> · healthy"));
        const Theme theme = Theme::load(Theme::Kind::Light);
        QCOMPARE(active->healthLabel()->palette().color(QPalette::Window),
                 theme.healthColor(Health::Up));
        QCOMPARE(cardText(*active, "leaderLabel"), QStringLiteral("pg-us-east-2"));
        QCOMPARE(cardText(*active, "timelineLabel"), QStringLiteral("2"));
        QCOMPARE(cardText(*active, "lagLabel"), QStringLiteral("– (takes the writes)"));
        QCOMPARE(cardText(*active, "rtoLabel"), QStringLiteral("1.21 s against 15.0 s: met ✔"));
        QCOMPARE(cardText(*active, "rpoLabel"),
                 QStringLiteral("0 writes (0 ms) against 1.00 s: met ✔"));
        QCOMPARE(active->membersTable()->model()->rowCount(), 2);
        QCOMPARE(active->membersTable()->model()->index(1, 0).data().toString(),
                 QStringLiteral("pg-us-east-2"));

        RegionCard* standby = view.card(QStringLiteral("eu-west"));
        QVERIFY(standby);
        QCOMPARE(standby->healthLabel()->text(), QStringLiteral("<b>Standby</b> · degraded"));
        QCOMPARE(standby->healthLabel()->palette().color(QPalette::Window),
                 theme.healthColor(Health::Unknown));
        QCOMPARE(cardText(*standby, "lagLabel"), QStringLiteral("8.0 KiB"));
        QCOMPARE(cardText(*standby, "rtoLabel"),
                 QStringLiteral("24.0 s against 15.0 s: not met ✖"));
        QVERIFY(!child<QLabel>(*standby, "regionErrorLabel")->isVisible());
        // The cards sit side by side.
        QVERIFY(standby->mapTo(&view, QPoint()).x() > active->mapTo(&view, QPoint()).x());

        // The history, newest first; the exports wait for a selection.
        QTableView* history = view.historyTable();
        QCOMPARE(history->model()->rowCount(), 2);
        QCOMPARE(history->model()->index(0, DrillHistoryModel::RegionColumn).data().toString(),
                 QStringLiteral("us-east"));
        QVERIFY(!view.exportMarkdownButton()->isEnabled());
        QVERIFY(!view.exportPdfButton()->isEnabled());
        history->selectRow(0);
        QVERIFY(view.exportMarkdownButton()->isEnabled());
        QVERIFY(view.exportPdfButton()->isEnabled());
        QCOMPARE(view.selectedDrill()->id, QStringLiteral("d-1"));

        // A report of the same figures keeps the cards and the selection.
        RegionCard* before = view.card(QStringLiteral("us-east"));
        StreamEvent event;
        event.kind = StreamEvent::Kind::Regions;
        event.regions = parseRegionsStatus(regionsObject());
        event.regions.checkedMs += 1000;
        event.regions.regions[0].timeline = 3;
        model.applyEvent(QStringLiteral("a2"), event);
        QCOMPARE(view.card(QStringLiteral("us-east")), before);
        QCOMPARE(cardText(*before, "timelineLabel"), QStringLiteral("3"));
        QCOMPARE(view.selectedDrill()->id, QStringLiteral("d-1"));

        // Run drill… names the agent whose report is shown.
        QSignalSpy requested(&view, &RegionsView::requestDrill);
        QTest::mouseClick(view.runDrillButton(), Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).toString(), QStringLiteral("a2"));
        saveScreenshot(view, QStringLiteral("regions.png"));

        // The dark theme recolours the health words' background and the cells.
        const Theme dark = Theme::load(Theme::Kind::Dark);
        QApplication::setPalette(dark.palette());
        view.setTheme(dark);
        QCoreApplication::processEvents();
        QCOMPARE(active->healthLabel()->palette().color(QPalette::Window),
                 dark.healthColor(Health::Up));
        saveScreenshot(view, QStringLiteral("regions-dark.png"));
        QApplication::setPalette(theme.palette());
        view.setTheme(theme);
    }

    void staleBannerAndEmptyLabel() {
        RegionsModel model;
        RegionsView view(&model);
        view.resize(1280, 820);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.emptyLabel()->isVisible());
        QVERIFY(!view.runDrillButton()->isEnabled());

        feed(model);
        QVERIFY(!view.emptyLabel()->isVisible());
        // Cards made after the view was shown are shown too.
        QCOMPARE(view.cards().size(), 2);
        QVERIFY(view.card(QStringLiteral("us-east"))->isVisible());
        QVERIFY(view.card(QStringLiteral("eu-west"))->isVisible());
        const QDateTime since = QDateTime::currentDateTime().addSecs(-42);
        model.setConnectionState(QStringLiteral("a1"), ConnectionState::Stale, since);
        QVERIFY(!view.staleBanner()->isVisible()); // a2 is still live
        model.setConnectionState(QStringLiteral("a2"), ConnectionState::Stale, since);
        QVERIFY(view.staleBanner()->isVisible());
        QVERIFY2(
            view.staleBanner()->text().contains(
                QStringLiteral("stale since %1").arg(since.toString(QStringLiteral("HH:mm:ss")))),
            qPrintable(view.staleBanner()->text()));
        saveScreenshot(view, QStringLiteral("regions-stale.png"));
        model.setConnectionState(QStringLiteral("a2"), ConnectionState::Live);
        QVERIFY(!view.staleBanner()->isVisible());
    }

    // Export PDF… asks where (a save dialog proposing the drill's name), then writes there.
    void exportButtonAsksWhereThenWrites() {
        RegionsModel model;
        feed(model);
        RegionsView view(&model);
        view.resize(1280, 820);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.historyTable()->selectRow(0);
        QTest::mouseClick(view.exportPdfButton(), Qt::LeftButton);
        QFileDialog* dialog = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (dialog = view.findChild<QFileDialog*>()); }, 2000));
        QVERIFY(dialog->selectedFiles().value(0).endsWith(
            QStringLiteral("drill-us-east-switchover-20261123-235422.pdf")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("exported.pdf"));
        dialog->selectFile(path);
        static_cast<QDialog*>(dialog)->accept(); // QFileDialog::accept(), as Save does
        QCOMPARE(view.exportStatus()->text(), QStringLiteral("Drill report saved to %1").arg(path));
        QFile pdf(path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QCOMPARE(pdf.read(4), QByteArray("%PDF"));
    }

    void reportExports() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const DrillResult drill = parseDrillResult(drillResultObject());

        const QString markdownPath = dir.filePath(QStringLiteral("report.md"));
        QString error;
        QVERIFY2(drill_report_export::writeMarkdown(drill, markdownPath, &error),
                 qPrintable(error));
        QFile markdown(markdownPath);
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(markdown.readAll()), drillReportMarkdown(drill));

        const QString pdfPath = dir.filePath(QStringLiteral("report.pdf"));
        QVERIFY2(drill_report_export::writePdf(drill, pdfPath, &error), qPrintable(error));
        QFile pdf(pdfPath);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.size() > 1000);
        QCOMPARE(pdf.read(4), QByteArray("%PDF"));

        // What the PDF's pages show, for the eye: the same QTextDocument laid out on an A4 page
        // (210 mm wide at 96 dpi) painted to a picture, since this machine has no PDF renderer.
        if (!qEnvironmentVariableIsEmpty("SWITCHBOARD_SCREENSHOT_DIR")) {
            QTextDocument document;
            document.setMarkdown(drillReportMarkdown(drill));
            document.setTextWidth(794 - 2 * 68);
            QImage page(794, 1123, QImage::Format_RGB32);
            page.fill(Qt::white);
            QPainter painter(&page);
            painter.translate(68, 68);
            document.drawContents(&painter);
            painter.end();
            const QString path = QDir(qEnvironmentVariable("SWITCHBOARD_SCREENSHOT_DIR"))
                                     .absoluteFilePath(QStringLiteral("drill-report-page.png"));
            QVERIFY(page.save(path));
        }

        // Where nothing can be written, it says so.
        QVERIFY(!drill_report_export::writeMarkdown(
            drill, dir.filePath(QStringLiteral("missing/report.md")), &error));
        QVERIFY(error.contains(QStringLiteral("missing/report.md")));
    }
};

QTEST_MAIN(TestRegionsView)
#include "tst_regions_view.moc"
