// The scale matrix and the capacity formula (ScaleMatrix.h): the stage a load calls for, the
// stage a fleet has built, and the headroom peak × growth × margin leaves.
#include "ScaleMatrix.h"

#include <QTest>
#include <cmath>

using namespace switchboard;

class TestScaleMatrix : public QObject {
    Q_OBJECT

private slots:
    void stageForTheLoad_data() {
        QTest::addColumn<double>("rps");
        QTest::addColumn<double>("users");
        QTest::addColumn<ScaleStage>("stage");
        QTest::newRow("small") << 200.0 << 0.0 << ScaleStage::Monolith;
        QTest::newRow("at the monolith's limit") << 1000.0 << 10000.0 << ScaleStage::Monolith;
        QTest::newRow("users call for replicas") << 200.0 << 50000.0 << ScaleStage::ReadReplicas;
        QTest::newRow("rps call for sharding") << 40000.0 << 0.0 << ScaleStage::Sharding;
        QTest::newRow("past every stage") << 5e6 << 0.0 << ScaleStage::MultiRegion;
    }
    void stageForTheLoad() {
        QFETCH(double, rps);
        QFETCH(double, users);
        QFETCH(ScaleStage, stage);
        QCOMPARE(ScaleMatrix{}.stageFor(rps, users), stage);
    }

    void deployedStageIsTheFurthestBuilt() {
        DeployedArchitecture built;
        QCOMPARE(built.stage(), ScaleStage::Monolith);
        built.readReplicas = 2;
        QCOMPARE(built.stage(), ScaleStage::ReadReplicas);
        built.shardNodes = 1; // one node is not sharding
        QCOMPARE(built.stage(), ScaleStage::ReadReplicas);
        built.shardNodes = 3;
        QCOMPARE(built.stage(), ScaleStage::Sharding);
        built.regions = 2;
        QCOMPARE(built.stage(), ScaleStage::MultiRegion);
        QCOMPARE(built.text(), QStringLiteral("3 shard nodes, 2 read replicas, 2 regions"));
    }

    void headroomFromTheCapacityFormula() {
        DeployedArchitecture built;
        built.readReplicas = 1;
        CapacityPlan plan;
        plan.growth = 2;
        plan.safetyMargin = 1.5;
        const ScalePlacement placement = placeOnScale(ScaleMatrix{}, built, 500, plan);
        QCOMPARE(placement.neededRequestsPerSecond, 1500.0);
        QCOMPARE(placement.deployed, ScaleStage::ReadReplicas);
        QCOMPARE(placement.loadNow, ScaleStage::Monolith);
        QCOMPARE(placement.loadPlanned, ScaleStage::ReadReplicas);
        QCOMPARE(placement.deployedCapacity, 10000.0);
        QVERIFY(std::abs(placement.headroom - 10000.0 / 1500.0) < 1e-9);
        QVERIFY2(placement.why.contains(QLatin1String("1,500 requests/s needed")) ||
                     placement.why.contains(QLatin1String("1500 requests/s needed")),
                 qPrintable(placement.why));
        // A load past the deployed stage: headroom under 1.
        const ScalePlacement over = placeOnScale(ScaleMatrix{}, DeployedArchitecture{}, 800, plan);
        QVERIFY(over.headroom < 1);
        QCOMPARE(over.loadPlanned, ScaleStage::ReadReplicas);
        // No load at all: unbounded headroom, said as such.
        QVERIFY(std::isinf(placeOnScale(ScaleMatrix{}, built, 0, plan).headroom));
    }
};

QTEST_GUILESS_MAIN(TestScaleMatrix)
#include "tst_scale_matrix.moc"
