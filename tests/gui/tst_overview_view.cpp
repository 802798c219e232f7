// OverviewView with canned data: a row per agent, coloured by health, and one chart line per
// agent with its points.
#include "AgentSeries.h"
#include "FleetGroupsModel.h"
#include "FleetModel.h"
#include "GuiTestHelpers.h"
#include "OverviewView.h"
#include "RateChartView.h"
#include "TimeSeriesStore.h"

#include <QComboBox>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QTableView>
#include <QTest>
#include <QValueAxis>

using switchboard::AgentSnapshot;
using switchboard::ConnectionState;
using switchboard::FleetModel;
using switchboard::OverviewView;
using switchboard::requestRateSeries;
using switchboard::TimeSeriesStore;

namespace {

AgentSnapshot snapshot(const QString& instance, double rate) {
    AgentSnapshot result;
    result.info.instance = instance;
    result.info.region = QStringLiteral("us-east");
    result.info.agentVersion = QStringLiteral("0.1.0");
    result.requests.ratePerSecond = rate;
    return result;
}

} // namespace

class TestOverviewView : public QObject {
    Q_OBJECT

private slots:
    void showsRowsAndOneSeriesPerAgent() {
        FleetModel fleet;
        TimeSeriesStore rates;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QStringList ids{QStringLiteral("http://a:1"), QStringLiteral("http://b:2")};
        for (int i = 0; i < ids.size(); ++i) {
            fleet.addAgent(ids.at(i));
            fleet.updateAgent(ids.at(i), snapshot(QStringLiteral("demo-%1").arg(i + 1), 50.0));
            fleet.setConnectionState(ids.at(i), ConnectionState::Live);
            for (int s = 10; s >= 0; --s)
                rates.append(requestRateSeries(ids.at(i)), now - s * 1000, 40.0 + 10 * i + s);
        }

        OverviewView view(&fleet, &rates);
        view.resize(1400, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.chart()->refreshNow();

        QCOMPARE(view.table()->model()->rowCount(), 2);
        QCOMPARE(view.table()->model()->index(1, FleetModel::InstanceColumn).data().toString(),
                 QStringLiteral("demo-2"));
        QCOMPARE(view.chart()->seriesCount(), 2);
        QCOMPARE(view.chart()->pointCount(ids.at(0)), 11);
        QCOMPARE(view.chart()->pointCount(ids.at(1)), 11);
        QCOMPARE(view.chart()->series(ids.at(0))->name(), QStringLiteral("demo-1"));
        // y from 0, above the highest rate.
        const auto* rateAxis =
            qobject_cast<QValueAxis*>(view.chart()->chart()->axes(Qt::Vertical).value(0));
        QVERIFY(rateAxis);
        QCOMPARE(rateAxis->min(), 0.0);
        QVERIFY(rateAxis->max() >= 60.0);
        const auto* timeAxis =
            qobject_cast<QDateTimeAxis*>(view.chart()->chart()->axes(Qt::Horizontal).value(0));
        QVERIFY(timeAxis);
        QVERIFY(timeAxis->isVisible());
        QVERIFY(timeAxis->max().toMSecsSinceEpoch() >= now);

        // The fleet per region beside the table: both agents in us-east, 100 requests/s.
        view.groups()->refresh();
        QCOMPARE(view.groupsTable()->model()->rowCount(), 1);
        QCOMPARE(view.groupsTable()->model()->index(0, 0).data().toString(),
                 QStringLiteral("us-east"));
        QCOMPARE(view.groupsTable()->model()->index(0, 1).data().toInt(), 2);
        QCOMPARE(view.groups()->groups().at(0).ratePerSecond, 100.0);
        gui_test::saveScreenshot(view, QStringLiteral("overview-fleet-groups.png"));
        view.grouping()->setCurrentIndex(1);
        QCOMPARE(view.groupsTable()->model()->headerData(0, Qt::Horizontal).toString(),
                 QStringLiteral("Service"));

        // An agent leaving takes its line with it.
        fleet.removeAgent(ids.at(1));
        view.chart()->refreshNow();
        QCOMPARE(view.chart()->seriesCount(), 1);
    }
};

QTEST_MAIN(TestOverviewView)
#include "tst_overview_view.moc"
