// FleetSourcePolicy: direct streams up to the limit, Prometheus past it when one is configured,
// and a reason for the status line either way.
#include "FleetSourcePolicy.h"

#include <QTest>

using switchboard::FleetSource;
using switchboard::FleetSourcePolicy;

class TestFleetSourcePolicy : public QObject {
    Q_OBJECT

private slots:
    void choose_data() {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("agents");
        QTest::addColumn<bool>("prometheus");
        QTest::addColumn<FleetSource>("source");
        QTest::addColumn<QString>("reason");
        const int d = FleetSourcePolicy::kDefaultDirectLimit;
        QTest::newRow("none") << d << 0 << true << FleetSource::DirectAgents << "at most";
        QTest::newRow("two, prometheus known")
            << d << 2 << true << FleetSource::DirectAgents << "at most";
        QTest::newRow("at the limit") << d << d << true << FleetSource::DirectAgents << "at most";
        QTest::newRow("one past") << d << d + 1 << true << FleetSource::Prometheus
                                  << "through Prometheus";
        QTest::newRow("500") << d << 500 << true << FleetSource::Prometheus << "500 agents";
        QTest::newRow("500, no prometheus")
            << d << 500 << false << FleetSource::DirectAgents << "no Prometheus";
        QTest::newRow("limit 0: always prometheus")
            << 0 << 1 << true << FleetSource::Prometheus << "past the 0";
        QTest::newRow("limit 0, no prometheus")
            << 0 << 1 << false << FleetSource::DirectAgents << "no Prometheus";
    }

    void choose() {
        QFETCH(int, limit);
        QFETCH(int, agents);
        QFETCH(bool, prometheus);
        QFETCH(FleetSource, source);
        QFETCH(QString, reason);
        FleetSourcePolicy policy;
        policy.directLimit = limit;
        const FleetSourcePolicy::Choice choice = policy.choose(agents, prometheus);
        QCOMPARE(choice.source, source);
        QVERIFY2(choice.reason.contains(reason), qPrintable(choice.reason));
    }

    void defaultIsAFewDozen() {
        QCOMPARE(FleetSourcePolicy().directLimit, FleetSourcePolicy::kDefaultDirectLimit);
        QVERIFY(FleetSourcePolicy::kDefaultDirectLimit >= 24 &&
                FleetSourcePolicy::kDefaultDirectLimit <= 60);
    }
};

QTEST_GUILESS_MAIN(TestFleetSourcePolicy)
#include "tst_fleet_source_policy.moc"
