// File → Export review report… offscreen (docs/presentation.md#the-review-report): the window with
// canned data (no agent, no server) writes one PDF with the title and scorecard and a page per
// picture; the HTML it lays out names every scorecard line; the first page renders as an image;
// an unwritable path is a false with the path in the error, and the window is left as it was.
#include "CacheModel.h"
#include "Fleet.h"
#include "GuiTestHelpers.h"
#include "MainWindow.h"
#include "OverviewView.h"
#include "ReplicationModel.h"
#include "ReviewReportExport.h"
#include "ScorecardModel.h"
#include "ScorecardView.h"
#include "ShardsModel.h"

#include <QAction>
#include <QFile>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;

namespace {

const QString kAgent = QStringLiteral("http://127.0.0.1:1");

ReplicationStatus replication() {
    ReplicationStatus status;
    status.primary.name = QStringLiteral("pg-primary");
    ReplicaStatus replica;
    replica.name = QStringLiteral("pg-replica-1");
    replica.stateName = QStringLiteral("streaming");
    replica.status = protocol::ProbeStatus::Up;
    replica.replayLagSeconds = 2.5; // over the 100 ms target: a failing line
    replica.replayLagBytes = 2'200'000;
    status.replicas = {replica};
    return status;
}

CacheStatus cache() {
    CacheStatus status;
    status.hitRate = 84; // percent
    status.redis.target = QStringLiteral("127.0.0.1:6379");
    return status;
}

ShardsStatus shards() {
    ShardsStatus status;
    status.catalog = QStringLiteral("127.0.0.1:5433");
    status.bucketCount = 16;
    for (const char* name : {"shard-1", "shard-2"}) {
        ShardNode node;
        node.name = QString::fromLatin1(name);
        status.nodes.append(node);
    }
    return status;
}

// One live agent, as the models hold it after its snapshot arrived: the window's views and the
// scorecard read these models, never a socket.
void feed(Fleet& fleet) {
    AgentSnapshot snapshot;
    snapshot.info.service = QStringLiteral("checkout");
    snapshot.info.instance = QStringLiteral("demo-1");
    snapshot.info.region = QStringLiteral("us-east");
    snapshot.replication = replication();
    snapshot.cache = cache();
    snapshot.shards = shards();
    fleet.model()->addAgent(kAgent, QStringLiteral("demo-1"));
    fleet.model()->updateAgent(kAgent, snapshot);
    fleet.model()->setConnectionState(kAgent, ConnectionState::Live);
    fleet.replication()->applyReplication(kAgent, *snapshot.replication);
    fleet.cache()->applyCache(kAgent, *snapshot.cache);
    fleet.shards()->applyShards(kAgent, *snapshot.shards);
}

// "/Type /Page" objects, not "/Type /Pages" (the page tree).
int pdfPages(const QByteArray& pdf) {
    static const QRegularExpression page(QStringLiteral("/Type\\s*/Page(?![s\\w])"));
    int pages = 0;
    for (auto it = page.globalMatch(QString::fromLatin1(pdf)); it.hasNext(); it.next())
        ++pages;
    return pages;
}

} // namespace

class TestReviewReport : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SwitchboardTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_review_report"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
    }

    void cleanup() { QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); }

    void writesOnePdfWithTheScorecardAndAPagePerView() {
        Fleet fleet;
        feed(fleet);
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.views()->setCurrentWidget(window.scorecard());
        window.scorecardModel()->recompute();
        const QList<ScoreLine> lines = window.scorecardModel()->lines();
        QVERIFY(lines.size() >= 8);

        const ReviewReport report = review_report_export::collect(&window);
        // The tab shown before is shown again.
        QCOMPARE(window.views()->currentWidget(), static_cast<QWidget*>(window.scorecard()));

        // The text: title, agents, the overall verdict, every line's verdict, check, figure and
        // why, and the scale matrix.
        const QString html = report.html();
        QVERIFY(html.contains(QStringLiteral("Switchboard review report")));
        QVERIFY(html.contains(QStringLiteral("1 agent, 1 live")));
        QVERIFY(html.contains(QStringLiteral("Overall: %1")
                                  .arg(verdictName(window.scorecardModel()->overall()).toUpper())));
        for (const ScoreLine& line : lines) {
            QVERIFY2(html.contains(line.title.toHtmlEscaped()), qPrintable(line.key));
            QVERIFY2(html.contains(line.figure.toHtmlEscaped()), qPrintable(line.key));
            QVERIFY2(html.contains(line.why.toHtmlEscaped()), qPrintable(line.key));
        }
        QVERIFY(html.contains(QStringLiteral("FAIL"))); // the replica 2.5 s behind
        QVERIFY(html.contains(QStringLiteral("Scale matrix")));
        QVERIFY(html.contains(QStringLiteral("Capacity headroom")));

        // The pictures: the map, then the seven main views, none empty, each the tab area's size
        // (the map as wide as it).
        const QStringList headings{QStringLiteral("Topology map"), QStringLiteral("Overview"),
                                   QStringLiteral("Breakers"),     QStringLiteral("Replication"),
                                   QStringLiteral("Shards"),       QStringLiteral("Cache"),
                                   QStringLiteral("Regions"),      QStringLiteral("Metrics")};
        QStringList seen;
        const QSize area = window.views()->currentWidget()->size();
        for (const ReviewReportView& view : report.views()) {
            seen.append(view.heading);
            QVERIFY2(!view.image.isNull(), qPrintable(view.heading));
            QVERIFY2(view.image.width() >= area.width() - 40, qPrintable(view.heading));
            if (view.heading != headings.first())
                QCOMPARE(view.image.size() / view.image.devicePixelRatio(), area);
        }
        QCOMPARE(seen, headings);

        // One PDF: the text pages and a page per picture.
        const QString path = m_dir.filePath(QStringLiteral("review.pdf"));
        QString error;
        QVERIFY2(review_report_export::writeReviewReport(&window, path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray pdf = file.readAll();
        QVERIFY(pdf.startsWith("%PDF"));
        QVERIFY2(pdf.size() > 50'000, QByteArray::number(pdf.size()));
        QVERIFY(report.pageCount() >= 1 + headings.size());
        QCOMPARE(pdfPages(pdf), report.pageCount());

        // Its first page, for the docs.
        const QImage page = report.firstPage(1600);
        QCOMPARE(page.width(), 1600);
        QVERIFY(qAbs(page.width() / double(page.height()) - 297.0 / 210.0) < 0.01);
        QVERIFY(page.pixelColor(800, 300) != QColor(Qt::black)); // paper, whatever the theme
        gui_test::saveScreenshot(window, QStringLiteral("review-report-window.png"));
        if (const QString dir = qEnvironmentVariable("SWITCHBOARD_SCREENSHOT_DIR");
            !dir.isEmpty()) {
            QVERIFY(
                page.save(QDir(dir).absoluteFilePath(QStringLiteral("review-report-page1.png"))));
            QFile::remove(QDir(dir).absoluteFilePath(QStringLiteral("review-report.pdf")));
            QVERIFY(
                QFile::copy(path, QDir(dir).absoluteFilePath(QStringLiteral("review-report.pdf"))));
        }
        fleet.stopAll();
    }

    // A scorecard too long for one page goes on to the next (its header repeated there), the
    // scale matrix whole after it.
    void aLongScorecardGoesOnToASecondPage() {
        ReviewReportSummary summary;
        summary.generatedAt = QDateTime::currentDateTime();
        for (int i = 0; i < 14; ++i)
            summary.lines.append({QStringLiteral("line_%1").arg(i),
                                  QStringLiteral("Check number %1").arg(i), Verdict::Pass,
                                  QStringLiteral("1 ms"),
                                  QStringLiteral("a reason long enough to take two lines of the "
                                                 "why column, naming the worst element of them "
                                                 "all and its limit, as the real ones do"),
                                  QStringLiteral("overview")});
        const ReviewReport report(summary, {});
        QCOMPARE(report.pageCount(), 2);
        const QImage second = report.pageImage(1, 1200);
        const QImage first = report.pageImage(0, 1200);
        const auto inked = [](const QImage& image, int fromY, int toY) {
            for (int y = fromY; y < toY; ++y)
                for (int x = 0; x < image.width(); x += 2)
                    if (qGray(image.pixel(x, y)) < 128)
                        return true;
            return false;
        };
        if (const QString dir = qEnvironmentVariable("SWITCHBOARD_SCREENSHOT_DIR");
            !dir.isEmpty()) {
            first.save(QDir(dir).absoluteFilePath(QStringLiteral("review-long-1.png")));
            second.save(QDir(dir).absoluteFilePath(QStringLiteral("review-long-2.png")));
        }
        QVERIFY(inked(second, 40, 140));
        QVERIFY(inked(first, first.height() * 80 / 100, first.height() * 88 / 100));
        QVERIFY(!inked(second, second.height() * 60 / 100, second.height() * 88 / 100));
    }

    // A directory that does not exist: false, the path in the error, no file anywhere.
    void anUnwritablePathSaysWhich() {
        Fleet fleet;
        feed(fleet);
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString path = m_dir.filePath(QStringLiteral("missing/dir/review.pdf"));
        QString error;
        QVERIFY(!review_report_export::writeReviewReport(&window, path, &error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY(!QFile::exists(path));
        QCOMPARE(window.views()->currentWidget(), static_cast<QWidget*>(window.overview()));
        fleet.stopAll();
    }

    // File → Export review report… is there with its shortcut.
    void theFileMenuHasTheAction() {
        Fleet fleet;
        MainWindow window(&fleet);
        auto* action = window.findChild<QAction*>(QStringLiteral("reviewReportAction"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+R")));
        fleet.stopAll();
    }
};

QTEST_MAIN(TestReviewReport)
#include "tst_review_report.moc"
