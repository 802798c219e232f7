// The drill report's Markdown, line for line, for docs/drills.md's result (what an on-call
// engineer attaches to a ticket), a drill that missed its targets with its error, and a cell
// with a '|' that must not break the table.
#include "DrillReport.h"
#include "RegionsTestData.h"

#include <QJsonDocument>
#include <QTest>

using namespace switchboard;
using namespace regions_test_data;

class TestRegionsReport : public QObject {
    Q_OBJECT

private slots:
    void markdownOfASucceededDrill() {
        const DrillResult drill = parseDrillResult(drillResultObject());
        const QStringList expected{
            QStringLiteral("# Drill report: switchover of us-east"),
            QString(),
            QStringLiteral("| Drill | d-1 |"),
            QStringLiteral("|---|---|"),
            QStringLiteral("| Kind | switchover |"),
            QStringLiteral("| Mode | live |"),
            QStringLiteral("| Region | us-east |"),
            QStringLiteral("| From → to | pg-us-east-1 → pg-us-east-2 |"),
            QStringLiteral("| Outcome | succeeded |"),
            QStringLiteral("| Started | 2026-11-23 23:54:22.336 UTC |"),
            QStringLiteral("| Finished | 2026-11-23 23:54:26.336 UTC |"),
            QString(),
            QStringLiteral("## Objectives"),
            QString(),
            QStringLiteral("| | Measured | Target | Verdict |"),
            QStringLiteral("|---|---|---|---|"),
            QStringLiteral("| RTO | 1.21 s | 15.0 s | met |"),
            QStringLiteral("| RPO | 0 writes, 0 B, 0 ms | 1.00 s | met |"),
            QString(),
            QStringLiteral("Writes checked: 5,120. Write gap: 980 ms."),
            QString(),
            QStringLiteral("## Timeline"),
            QString(),
            QStringLiteral("| t | Step | Detail |"),
            QStringLiteral("|---|---|---|"),
            QStringLiteral("| +0 ms | preflight | pg-us-east-2 streaming, lag 0 B |"),
            QStringLiteral("| +12 ms | switchover | POST /switchover: 200 |"),
            QStringLiteral("| +1.22 s | first write | acknowledged by pg-us-east-2 |"),
            QString(),
        };
        const QStringList lines = drillReportMarkdown(drill).split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < std::min(lines.size(), expected.size()); ++i)
            QCOMPARE(lines.at(i), expected.at(i));
        QCOMPARE(lines.size(), expected.size());
        QCOMPARE(drillReportBaseName(drill),
                 QStringLiteral("drill-us-east-switchover-20261123-235422"));
    }

    void markdownOfAnAbortedDrillCarriesItsError() {
        const DrillResult drill =
            parseDrillResult(QJsonDocument::fromJson(failedDrillJson()).object());
        const QString markdown = drillReportMarkdown(drill);
        QVERIFY(markdown.contains(QStringLiteral("| Outcome | aborted |")));
        QVERIFY(markdown.contains(QStringLiteral("| RTO | 24.0 s | 15.0 s | not met |")));
        QVERIFY(markdown.contains(
            QStringLiteral("| RPO | 3 writes, 24.0 KiB, 1.80 s | 1.00 s | not met |")));
        QVERIFY(markdown.endsWith(QStringLiteral(
            "## Error\n\nstop condition: write error rate 100 % past the RTO target\n")));
    }

    void unknownFiguresAndPipes() {
        DrillResult drill;
        drill.kind = QStringLiteral("failover");
        drill.region = QStringLiteral("eu-west");
        drill.rpoWrites = 1;
        drill.timeline = {{5, QStringLiteral("fault"), QStringLiteral("kill a | b")}};
        const QString markdown = drillReportMarkdown(drill);
        QVERIFY(markdown.contains(QStringLiteral("| Drill | – |")));
        QVERIFY(markdown.contains(QStringLiteral("| RTO | – | – | – |")));
        QVERIFY(markdown.contains(QStringLiteral("| RPO | 1 write, –, – | – | – |")));
        QVERIFY(markdown.contains(QStringLiteral("| +5 ms | fault | kill a \\| b |")));
        QVERIFY(!markdown.contains(QStringLiteral("## Error")));
    }
};

QTEST_GUILESS_MAIN(TestRegionsReport)
#include "tst_regions_report.moc"
