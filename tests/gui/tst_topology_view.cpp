// The Overview's topology map, offscreen: the full stack's shape laid out at the main window's
// size without overlaps, clicks on boxes and arrows asking for the right view and key, the main
// window switching to that view, and a screenshot for the docs.
#include "BreakersView.h"
#include "Fleet.h"
#include "GuiTestHelpers.h"
#include "MainWindow.h"
#include "OverviewView.h"
#include "RegionsView.h"
#include "ReplicationView.h"
#include "ShardsView.h"
#include "Theme.h"
#include "TopologyView.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

using namespace switchboard;

namespace {

TopologyNode node(const QString& id, TopologyTier tier, const QString& region, const QString& label,
                  const QString& detail, Health health, TopologyConcern concern,
                  const QString& key) {
    TopologyNode n;
    n.id = id;
    n.tier = tier;
    n.region = region;
    n.label = label;
    n.detail = detail;
    n.toolTip = label;
    n.health = health;
    n.concern = concern;
    n.focusKey = key;
    return n;
}

TopologyEdge edge(const QString& id, const QString& from, const QString& to, TopologyEdgeKind kind,
                  const QString& label, Health health, TopologyConcern concern,
                  const QString& key) {
    TopologyEdge e;
    e.id = id;
    e.from = from;
    e.to = to;
    e.kind = kind;
    e.label = label;
    e.health = health;
    e.concern = concern;
    e.focusKey = key;
    return e;
}

// The full stack: two regions, two instances, four PostgreSQL members, three shard nodes and
// their standbys, a Redis per region; one replica lagging, one shard standby down.
Topology fullStack() {
    const QString east = QStringLiteral("us-east");
    const QString west = QStringLiteral("eu-west");
    Topology t;
    t.regions = {{east, QStringLiteral("active · healthy"), Health::Up},
                 {west, QStringLiteral("standby · degraded"), Health::Unknown}};
    using T = TopologyTier;
    using C = TopologyConcern;
    for (const QString& name : {QStringLiteral("demo-1"), QStringLiteral("demo-2")})
        t.nodes.append(node(QStringLiteral("agent:") + name, T::Instance, east, name,
                            QStringLiteral("Live · 300 req/s"), Health::Up, C::Overview, name));
    t.nodes.append(node(QStringLiteral("redis:east"), T::Cache, east,
                        QStringLiteral("127.0.0.1:6379"), QStringLiteral("Redis · 84 % hits"),
                        Health::Up, C::Cache, QStringLiteral("127.0.0.1:6379")));
    t.nodes.append(node(QStringLiteral("redis:west"), T::Cache, west,
                        QStringLiteral("127.0.0.1:6380"), QStringLiteral("Redis · – hits"),
                        Health::Up, C::Cache, QStringLiteral("127.0.0.1:6380")));
    const QStringList members{QStringLiteral("pg-us-east-2"), QStringLiteral("pg-us-east-1"),
                              QStringLiteral("pg-eu-west-1"), QStringLiteral("pg-eu-west-2")};
    for (const QString& name : members)
        t.nodes.append(node(QStringLiteral("pg:") + name, T::Database,
                            name.contains(QStringLiteral("east")) ? east : west, name,
                            QStringLiteral("replica · streaming"),
                            name == members.at(1) ? Health::Unknown : Health::Up, C::Replication,
                            QStringLiteral("g/") + name));
    for (int i = 1; i <= 3; ++i) {
        t.nodes.append(node(QStringLiteral("shard:c/shard-%1").arg(i), T::Shard, east,
                            QStringLiteral("shard-%1").arg(i),
                            QStringLiteral("shard · 33 % of rows"), Health::Up, C::Shards,
                            QStringLiteral("c/shard-%1").arg(i)));
        t.nodes.append(node(QStringLiteral("shard:w/shard-%1").arg(i), T::Shard, west,
                            QStringLiteral("shard-%1 standby").arg(i), QStringLiteral("standby"),
                            i == 3 ? Health::Down : Health::Up, C::Regions, west));
    }
    using K = TopologyEdgeKind;
    for (const QString& name : {QStringLiteral("demo-1"), QStringLiteral("demo-2")}) {
        const QString from = QStringLiteral("agent:") + name;
        for (const QString& to :
             {QStringLiteral("redis:east"), QStringLiteral("pg:pg-us-east-2"),
              QStringLiteral("shard:c/shard-1"), QStringLiteral("shard:c/shard-2"),
              QStringLiteral("shard:c/shard-3")})
            t.edges.append(edge(QStringLiteral("uses:%1>%2").arg(name, to), from, to, K::Dependency,
                                {}, Health::Up, C::Breakers, name));
    }
    t.edges.append(edge(QStringLiteral("replication:g/pg-us-east-1"),
                        QStringLiteral("pg:pg-us-east-2"), QStringLiteral("pg:pg-us-east-1"),
                        K::Replication, QStringLiteral("2.1 MiB · 2.4 s"), Health::Unknown,
                        C::Replication, QStringLiteral("g/pg-us-east-1")));
    t.edges.append(edge(QStringLiteral("replication:g/pg-eu-west-1"),
                        QStringLiteral("pg:pg-us-east-2"), QStringLiteral("pg:pg-eu-west-1"),
                        K::CrossRegion, QStringLiteral("1.3 KiB · 3 ms"), Health::Up,
                        C::Replication, QStringLiteral("g/pg-eu-west-1")));
    t.edges.append(edge(QStringLiteral("member:pg-eu-west-2"), QStringLiteral("pg:pg-eu-west-1"),
                        QStringLiteral("pg:pg-eu-west-2"), K::Replication, QStringLiteral("0 B"),
                        Health::Up, C::Regions, west));
    return t;
}

QPointF labelCenter(const TopologyView& view, const QString& edgeId) {
    const auto* path = view.currentLayout().edgePath(edgeId);
    return path ? path->labelRect.center() : QPointF(-1, -1);
}

} // namespace

class TestTopologyView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // the main window's settings stay apart
    }

    void laidOutWithoutOverlaps() {
        TopologyView view;
        view.setTheme(Theme::load(Theme::Kind::Light));
        view.setTopology(fullStack());
        view.resize(1380, 560);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const TopologyLayout& layout = view.currentLayout();
        QCOMPARE(layout.nodes.size(), fullStack().nodes.size());
        QCOMPARE(layout.regions.size(), 2);
        // Boxes: apart from each other, inside the widget and inside their region's column.
        for (int i = 0; i < layout.nodes.size(); ++i) {
            const QRectF box = layout.nodes.at(i).rect;
            QVERIFY2(QRectF(view.rect()).contains(box), qPrintable(layout.nodes.at(i).id));
            QVERIFY2(box.width() >= TopologyLayout::kMinNodeWidth,
                     qPrintable(layout.nodes.at(i).id));
            for (int j = i + 1; j < layout.nodes.size(); ++j)
                QVERIFY2(
                    !box.intersects(layout.nodes.at(j).rect),
                    qPrintable(layout.nodes.at(i).id + QLatin1Char(' ') + layout.nodes.at(j).id));
            const TopologyNode* node = view.topology().node(layout.nodes.at(i).id);
            const auto region =
                std::find_if(layout.regions.cbegin(), layout.regions.cend(),
                             [node](const auto& r) { return r.name == node->region; });
            QVERIFY(region != layout.regions.cend());
            QVERIFY2(region->rect.contains(box), qPrintable(node->id));
        }
        // Lag labels: on no box and on no other label.
        QList<QRectF> labels;
        for (const auto& path : layout.edges)
            if (!path.labelRect.isEmpty())
                labels.append(path.labelRect);
        QCOMPARE(labels.size(), 3);
        for (int i = 0; i < labels.size(); ++i) {
            for (const auto& box : layout.nodes)
                QVERIFY(!labels.at(i).intersects(box.rect));
            for (int j = i + 1; j < labels.size(); ++j)
                QVERIFY(!labels.at(i).intersects(labels.at(j)));
        }
        // Tiers top to bottom: instances, Redis, PostgreSQL, shards.
        QCOMPARE(layout.tiers.size(), 4);
        QCOMPARE(layout.tiers.at(2).tier, TopologyTier::Database);
        QVERIFY(layout.height <= 560); // the Overview's pane at 1400×900 holds it
        gui_test::saveScreenshot(view, QStringLiteral("topology.png"));
    }

    void clicksAskForTheElementsView() {
        TopologyView view;
        view.setTopology(fullStack());
        view.resize(1380, 560);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy activated(&view, &TopologyView::elementActivated);

        const auto clickAt = [&view](QPointF point) {
            QTest::mouseClick(&view, Qt::LeftButton, {}, point.toPoint());
        };
        const auto center = [&view](const QString& id) {
            return view.currentLayout().nodeBox(id)->rect.center();
        };
        clickAt(center(QStringLiteral("pg:pg-us-east-1")));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.last().at(0).value<TopologyConcern>(), TopologyConcern::Replication);
        QCOMPARE(activated.last().at(1).toString(), QStringLiteral("g/pg-us-east-1"));

        clickAt(center(QStringLiteral("shard:c/shard-2")));
        QCOMPARE(activated.last().at(0).value<TopologyConcern>(), TopologyConcern::Shards);
        QCOMPARE(activated.last().at(1).toString(), QStringLiteral("c/shard-2"));

        clickAt(center(QStringLiteral("agent:demo-2")));
        QCOMPARE(activated.last().at(0).value<TopologyConcern>(), TopologyConcern::Overview);
        QCOMPARE(activated.last().at(1).toString(), QStringLiteral("demo-2"));

        // An arrow's label opens what the arrow is about.
        clickAt(labelCenter(view, QStringLiteral("replication:g/pg-eu-west-1")));
        QCOMPARE(activated.last().at(0).value<TopologyConcern>(), TopologyConcern::Replication);
        QCOMPARE(activated.last().at(1).toString(), QStringLiteral("g/pg-eu-west-1"));

        // A dependency line, at the foot of its last leg (just above the Redis box).
        const QRectF redis = view.currentLayout().nodeBox(QStringLiteral("redis:east"))->rect;
        const auto hit = view.elementAt(QPointF(redis.center().x(), redis.top() - 4));
        QCOMPARE(hit.kind, TopologyView::Hit::Kind::Edge);
        QCOMPARE(hit.concern, TopologyConcern::Breakers);

        // A region's header opens the Regions view; the empty corner nothing.
        const QRectF header = view.currentLayout().regions.at(1).header;
        clickAt(header.center());
        QCOMPARE(activated.last().at(0).value<TopologyConcern>(), TopologyConcern::Regions);
        QCOMPARE(activated.last().at(1).toString(), QStringLiteral("eu-west"));
        const int before = int(activated.count());
        clickAt(QPointF(2, 2));
        QCOMPARE(activated.count(), before);
        QVERIFY(!view.elementAt(QPointF(2, 2)).isValid());
    }

    void darkThemeAndEmptyMapPaint() {
        TopologyView view;
        view.resize(800, 300);
        view.setTheme(Theme::load(Theme::Kind::Dark));
        QVERIFY(!view.grab().isNull()); // the empty map's sentence
        view.setTopology(fullStack());
        QVERIFY(!view.grab().isNull());
        gui_test::saveScreenshot(view, QStringLiteral("topology-dark.png"));
    }

    void mainWindowOpensTheConcern() {
        Fleet fleet;
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.overview()->lowerTabs()->currentWidget()->objectName(),
                 QStringLiteral("topologyScroll"));
        TopologyView* map = window.overview()->topology();

        emit map->elementActivated(TopologyConcern::Replication, QStringLiteral("g/primary"));
        QCOMPARE(window.views()->currentWidget(), window.replication());

        emit map->elementActivated(TopologyConcern::Breakers, QStringLiteral("agent-1"));
        QCOMPARE(window.views()->currentWidget(), window.breakers());
        QVERIFY(window.breakers()->agentFilterButton()->isVisible());
        QTest::mouseClick(window.breakers()->agentFilterButton(), Qt::LeftButton);
        QVERIFY(!window.breakers()->agentFilterButton()->isVisible());

        emit map->elementActivated(TopologyConcern::Regions, QStringLiteral("eu-west"));
        QCOMPARE(window.views()->currentWidget(), window.regions());

        // Clicking a box of the window's own map: its model is the Fleet's (empty here), so
        // the map is set by hand, as the model would.
        window.views()->setCurrentWidget(window.overview());
        map->setTopology(fullStack());
        QTest::qWait(50);
        const QPointF shard =
            map->currentLayout().nodeBox(QStringLiteral("shard:c/shard-1"))->rect.center();
        QTest::mouseClick(map, Qt::LeftButton, {}, shard.toPoint());
        QCOMPARE(window.views()->currentWidget(), window.shards());
    }
};

QTEST_MAIN(TestTopologyView)
#include "tst_topology_view.moc"
