// Fleet feeds the regions model from a real stream (an in-process fake agent): the regions from
// the snapshot, then a regions event after a switchover (a new leader, timeline and drill), the
// agent going stale, and going away.
#include "FakeAgentServer.h"
#include "Fleet.h"
#include "RegionsTestData.h"
#include "StreamFrames.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace switchboard;
using namespace regions_test_data;

namespace {

constexpr qint64 kT0 = 1795478100000;

// The document after one more switchover: pg-us-east-1 leads again on timeline 3.
QJsonObject afterSwitchover() {
    QJsonObject document = regionsObject();
    document.insert(QStringLiteral("checked_ms"), kT0 + 1000);
    QJsonArray regions = document.value(QStringLiteral("regions")).toArray();
    QJsonObject east = regions.at(0).toObject();
    east.insert(QStringLiteral("leader"), QStringLiteral("pg-us-east-1"));
    east.insert(QStringLiteral("timeline"), 3);
    regions.replace(0, east);
    document.insert(QStringLiteral("regions"), regions);
    QJsonObject drill = drillResultObject();
    drill.insert(QStringLiteral("id"), QStringLiteral("d-2"));
    drill.insert(QStringLiteral("started_ms"), kT0 + 500);
    QJsonArray drills = document.value(QStringLiteral("drills")).toArray();
    drills.prepend(drill);
    document.insert(QStringLiteral("drills"), drills);
    return document;
}

} // namespace

class TestRegionsFleet : public QObject {
    Q_OBJECT

private slots:
    void streamFeedsRegions() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        Fleet fleet;
        RegionsModel* model = fleet.regions();
        const QString id = fleet.addAgent(server.url(), QStringLiteral("t"), QStringLiteral("one"));
        QTRY_VERIFY(server.connectionCount() > 0);
        server.send(stream_frames::snapshotFrame(1, QStringLiteral("s1"), kT0,
                                                 {{"regions", regionsObject()}}));
        QTRY_VERIFY(!model->current().isEmpty());
        QTRY_VERIFY(!model->current().stale);
        QCOMPARE(model->current().sourceAgentId, id);
        QCOMPARE(model->current().reporters, QStringList{QStringLiteral("fake-1")});
        QCOMPARE(model->current().status.regions.size(), 2);
        QCOMPARE(model->current().status.region(QStringLiteral("us-east"))->leader,
                 QStringLiteral("pg-us-east-2"));
        QCOMPARE(model->drills()->rowCount(), 2);
        QVERIFY(fleet.model()->snapshot(id)->regions.has_value());

        server.send(stream_frames::eventFrame(2, QStringLiteral("s1"), QStringLiteral("regions"),
                                              kT0 + 1000, afterSwitchover()));
        QTRY_COMPARE(model->current().status.region(QStringLiteral("us-east"))->timeline,
                     qint64(3));
        QCOMPARE(model->current().status.region(QStringLiteral("us-east"))->leader,
                 QStringLiteral("pg-us-east-1"));
        QCOMPARE(model->drills()->rowCount(), 3);
        QCOMPARE(model->drills()->drill(0)->id, QStringLiteral("d-2"));
        // The Overview's snapshot follows the events too.
        QCOMPARE(fleet.model()->snapshot(id)->regions->checkedMs, kT0 + 1000);

        server.shutDown();
        QTRY_VERIFY(model->current().stale);
        QVERIFY(model->current().staleSince.isValid());

        fleet.removeAgent(id);
        QVERIFY(model->current().isEmpty());
        QCOMPARE(model->drills()->rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRegionsFleet)
#include "tst_regions_fleet.moc"
