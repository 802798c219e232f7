// ReplicationView with canned data: one healthy and one lagging replica. The table shows the
// health in words and in colour, the chart a line per replica and the dashed threshold, and a
// stale agent raises the banner. With SWITCHBOARD_SCREENSHOT_DIR set it saves replication.png.
#include "GuiTestHelpers.h"
#include "ReplicationLagChart.h"
#include "ReplicationModel.h"
#include "ReplicationView.h"
#include "Theme.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QPainter>
#include <QTableView>
#include <QTest>
#include <climits>

using namespace gui_test;
using namespace switchboard;

namespace {

ReplicaStatus replica(const QString& name, const QString& target, double lagSeconds,
                      qint64 lagBytes) {
    ReplicaStatus r;
    r.name = name;
    r.target = target;
    r.stateName = QStringLiteral("streaming");
    r.status = protocol::ProbeStatus::Up;
    r.syncState = QStringLiteral("async");
    r.timeline = 1;
    r.replayLagSeconds = lagSeconds;
    r.replayLagBytes = lagBytes;
    return r;
}

ReplicationStatus report(qint64 checkedMs, double lag1, double lag2) {
    ReplicationStatus status;
    status.checkedMs = checkedMs;
    status.status = protocol::ProbeStatus::Up;
    status.primary.name = QStringLiteral("primary");
    status.primary.target = QStringLiteral("127.0.0.1:41234");
    status.primary.status = protocol::ProbeStatus::Up;
    status.primary.timeline = 1;
    status.replicas = {
        replica(QStringLiteral("pg-replica-1"), QStringLiteral("127.0.0.1:41235"), lag1, 8192),
        replica(QStringLiteral("pg-replica-2"), QStringLiteral("127.0.0.1:41236"), lag2,
                3 * 1048576)};
    return status;
}

ReadRouterStatus router(qint64 step) {
    ReadRouterStatus r;
    r.maxLagMs = 100;
    r.maxLagBytes = 16777216;
    r.targets = {
        {QStringLiteral("primary"), QStringLiteral("primary"), true, {}, 40 * step, 0},
        {QStringLiteral("pg-replica-1"), QStringLiteral("replica"), true, {}, 180 * step, 0},
        {QStringLiteral("pg-replica-2"), QStringLiteral("replica"), false,
         QStringLiteral("replay lag 2.4 s > 100 ms"), 500, 0}};
    return r;
}

// Two instances of one backend, three minutes of reports a second apart: replica 1 stays near
// 20 ms, replica 2 drifts past the limit to about 2.4 s.
void feed(ReplicationModel& model, qint64 now) {
    model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
    model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
    AgentSnapshot info;
    info.info.instance = QStringLiteral("demo-1");
    info.timeMs = now - 180000;
    info.replication = report(info.timeMs, 0.02, 0.05);
    info.readRouter = router(0);
    model.updateAgent(QStringLiteral("a"), info);
    info.info.instance = QStringLiteral("demo-2");
    model.updateAgent(QStringLiteral("b"), info);
    for (qint64 i = 1; i <= 180; ++i) {
        const qint64 t = now - 180000 + i * 1000;
        const double wobble = 0.004 * double(i % 7);
        const double drift = i < 60 ? 0.05 : 0.05 + double(i - 60) * 0.0196;
        model.applyReplication(QStringLiteral("a"), report(t, 0.016 + wobble, drift));
        model.applyReadRouter(QStringLiteral("a"), router(i), t);
        model.applyReadRouter(QStringLiteral("b"), router(i), t);
    }
}

int rowOf(const ReplicationModel& model, const QString& node) {
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, ReplicationModel::NodeColumn).data().toString().startsWith(node))
            return row;
    }
    return -1;
}

} // namespace

class TestReplicationView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QApplication::setPalette(Theme::load(Theme::Kind::Light).palette()); }

    void tableChartAndScreenshot() {
        ReplicationModel model;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        feed(model, now);
        ReplicationView view(&model);
        view.resize(1100, 640);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.chart()->refreshNow();

        // The table: words next to the colour, never colour alone.
        QCOMPARE(view.table()->model()->rowCount(), 3);
        const int healthy = rowOf(model, QStringLiteral("pg-replica-1"));
        const int lagging = rowOf(model, QStringLiteral("pg-replica-2"));
        QVERIFY(healthy > 0 && lagging > 0);
        const Theme theme = Theme::load(Theme::Kind::Light);
        auto text = [&](int row, int column) {
            return model.index(row, column).data().toString();
        };
        QCOMPARE(text(healthy, ReplicationModel::HealthColumn), QStringLiteral("healthy"));
        QCOMPARE(text(lagging, ReplicationModel::HealthColumn), QStringLiteral("lagging"));
        QCOMPARE(text(lagging, ReplicationModel::EligibleColumn),
                 QStringLiteral("no: replay lag 2.4 s > 100 ms"));
        QCOMPARE(text(lagging, ReplicationModel::LagSecondsColumn), QStringLiteral("2.4 s"));
        QCOMPARE(text(lagging, ReplicationModel::LagBytesColumn), QStringLiteral("3.0 MiB"));
        // 180 reads a second on each of two instances.
        QCOMPARE(text(healthy, ReplicationModel::ReadsColumn), QStringLiteral("360.0 /s"));
        QCOMPARE(text(healthy, ReplicationModel::ReportedByColumn), QStringLiteral("demo-1 (+1)"));
        // The colour the delegate paints comes from the health role.
        QStyleOptionViewItem option;
        option.initFrom(view.table());
        QAbstractItemDelegate* delegate = view.table()->itemDelegate();
        auto background = [&](int row) {
            QStyleOptionViewItem cellOption = option;
            // What the table paints: the delegate into an image, one pixel read back.
            QImage image(40, 10, QImage::Format_ARGB32);
            image.fill(Qt::white);
            QPainter painter(&image);
            cellOption.rect = QRect(0, 0, 40, 10);
            delegate->paint(&painter, cellOption, model.index(row, ReplicationModel::RoleColumn));
            painter.end();
            return image.pixelColor(2, 2);
        };
        // The style may shade the cell a little: the nearest health colour is what the eye sees.
        auto nearestHealth = [&](const QColor& pixel) {
            Health best = Health::Up;
            int bestDistance = INT_MAX;
            for (Health health : {Health::Up, Health::Unknown, Health::Down}) {
                const QColor c = theme.healthColor(health);
                const int distance = qAbs(c.red() - pixel.red()) + qAbs(c.green() - pixel.green()) +
                                     qAbs(c.blue() - pixel.blue());
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = health;
                }
            }
            return best;
        };
        QCOMPARE(model.index(healthy, 0).data(ReplicationModel::HealthRole).value<Health>(),
                 Health::Up);
        QCOMPARE(model.index(lagging, 0).data(ReplicationModel::HealthRole).value<Health>(),
                 Health::Unknown);
        QCOMPARE(nearestHealth(background(healthy)), Health::Up);
        QCOMPARE(nearestHealth(background(lagging)), Health::Unknown);
        QVERIFY(!view.staleBanner()->isVisible());
        QVERIFY(!view.emptyLabel()->isVisible());

        // The chart: a line per replica with its history, and the dashed limit at 100 ms.
        ReplicationLagChart* chart = view.chart();
        QCOMPARE(chart->replicaSeriesCount(), 2);
        const QStringList keys = model.replicaKeys();
        QCOMPARE(keys.size(), 2);
        for (const QString& key : keys) {
            QVERIFY(chart->replicaSeries(key));
            QCOMPARE(chart->replicaSeries(key)->count(), 181);
            QCOMPARE(chart->replicaSeries(key)->name(), model.nodeName(key));
        }
        QLineSeries* threshold = chart->thresholdSeries();
        QVERIFY(threshold->isVisible());
        QCOMPARE(threshold->count(), 2);
        QCOMPARE(threshold->at(0).y(), 0.1);
        QCOMPARE(threshold->pen().style(), Qt::DashLine);
        QVERIFY(threshold->name().contains(QStringLiteral("100 ms")));

        QTest::qWait(300); // let Qt Charts lay out before the picture
        saveScreenshot(view, QStringLiteral("replication.png"));
    }

    void staleAgentRaisesBanner() {
        ReplicationModel model;
        feed(model, QDateTime::currentMSecsSinceEpoch());
        ReplicationView view(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QDateTime since = QDateTime::currentDateTime();
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Stale, since);
        QVERIFY(!view.staleBanner()->isVisible()); // demo-2 still reports the same database
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Stale, since);
        QVERIFY(view.staleBanner()->isVisible());
        QVERIFY(view.staleBanner()->text().contains(since.toString(QStringLiteral("HH:mm:ss"))));
        QVERIFY(model.index(1, ReplicationModel::HealthColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("stale since ")));
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
        QVERIFY(!view.staleBanner()->isVisible());
    }

    void emptyWithoutReplication() {
        ReplicationModel model;
        ReplicationView view(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.emptyLabel()->isVisible());
        QCOMPARE(view.chart()->replicaSeriesCount(), 0);
    }
};

QTEST_MAIN(TestReplicationView)
#include "tst_replication_view.moc"
