// ShardsView with canned clusters: the heatmap has a cell per bucket in a square grid, coloured
// by node and shaded by rows; a moving bucket is outlined with its progress drawn; the node
// bars, the skew in words, the stale banner, the empty label and Rebalance…. With
// SWITCHBOARD_SCREENSHOT_DIR set it saves shards-before.png (2 nodes, skewed), shards-during.png
// (a third node taking buckets) and shards-after.png (3 nodes, even).
#include "GuiTestHelpers.h"
#include "ShardHeatmap.h"
#include "ShardNodeBars.h"
#include "ShardsModel.h"
#include "ShardsView.h"
#include "Theme.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>
#include <cmath>

using namespace gui_test;
using namespace switchboard;

namespace {

constexpr qint64 kT0 = 1795000000000;
constexpr int kBuckets = 256;

// Rows of a bucket: about 480, with a few hot buckets, the same on every run.
qint64 bucketRows(int bucket) {
    const qint64 base = 420 + (bucket * 37) % 120;
    return bucket % 41 == 7 ? base * 3 : base;
}

double bucketWrites(int bucket) {
    return 0.4 + double((bucket * 13) % 17) / 10.0 + (bucket % 41 == 7 ? 6.0 : 0.0);
}

// A report of `nodes` nodes where `owner` maps each bucket to one.
ShardsStatus cluster(qint64 checkedMs, const QStringList& names, const QList<int>& owner,
                     const QList<ShardMove>& moves = {}) {
    ShardsStatus s;
    s.checkedMs = checkedMs;
    s.status = protocol::ProbeStatus::Up;
    s.catalog = QStringLiteral("127.0.0.1:41234");
    s.version = names.size() + (moves.isEmpty() ? 1 : 0);
    s.bucketCount = kBuckets;
    for (qsizetype i = 0; i < names.size(); ++i) {
        ShardNode node;
        node.name = names.at(i);
        node.target = QStringLiteral("127.0.0.1:%1").arg(41240 + i);
        node.status = protocol::ProbeStatus::Up;
        node.buckets = node.rows = node.bytes = 0;
        node.writesPerSecond = node.readsPerSecond = 0;
        s.nodes.append(node);
    }
    QList<double> rows(names.size(), 0.0);
    QList<double> bytes(names.size(), 0.0);
    QList<double> load(names.size(), 0.0);
    for (int b = 0; b < kBuckets; ++b) {
        const int n = owner.at(b);
        const qint64 r = bucketRows(b);
        const double w = bucketWrites(b);
        s.buckets.node.append(n);
        s.buckets.rows.append(r);
        s.buckets.bytes.append(r * 82);
        s.buckets.writesPerSecond.append(w);
        s.buckets.readsPerSecond.append(w / 2);
        ShardNode& node = s.nodes[n];
        node.buckets += 1;
        node.rows += r;
        node.bytes += r * 82;
        node.writesPerSecond += w;
        node.readsPerSecond += w / 2;
        rows[n] += double(r);
        bytes[n] += double(r * 82);
        load[n] += w * 1.5;
    }
    s.skew.rows = skewOf(rows);
    s.skew.bytes = skewOf(bytes);
    s.skew.load = skewOf(load);
    s.moves = moves;
    return s;
}

QList<int> skewedOwners() {
    QList<int> owner;
    for (int b = 0; b < kBuckets; ++b)
        owner.append(b < 168 ? 0 : 1); // shard-1 holds about two thirds
    return owner;
}

QList<int> evenOwners() {
    QList<int> owner;
    for (int b = 0; b < kBuckets; ++b)
        owner.append(b % 3);
    return owner;
}

// Halfway: the buckets bound for shard-3 that are done sit there, eight are under way.
QList<int> duringOwners(QList<ShardMove>* moves) {
    const QList<int> before = skewedOwners();
    const QList<int> after = evenOwners();
    QList<int> owner = before;
    const QStringList phases{QStringLiteral("copying"),   QStringLiteral("catching_up"),
                             QStringLiteral("verifying"), QStringLiteral("copying"),
                             QStringLiteral("flipping"),  QStringLiteral("copying"),
                             QStringLiteral("pending"),   QStringLiteral("deleting")};
    int bound = 0;
    for (int b = 0; b < kBuckets; ++b) {
        if (after.at(b) != 2)
            continue;
        const qint64 rows = bucketRows(b);
        if (bound < 40) {
            owner[b] = 2;
            moves->append(ShardMove{b, before.at(b), 2, QStringLiteral("done"), rows, rows, 1.0});
        } else if (bound < 48) {
            const int i = bound - 40;
            const double progress = i == 6 ? 0.0 : 0.12 + 0.11 * i;
            moves->append(ShardMove{b, before.at(b), 2, phases.at(i),
                                    qint64(std::lround(double(rows) * progress)), rows, progress});
        } else {
            moves->append(ShardMove{b, before.at(b), 2, QStringLiteral("pending"), 0, rows, 0.0});
        }
        ++bound;
    }
    return owner;
}

// Two instances of one backend report the cluster.
void feed(ShardsModel& model, const ShardsStatus& a, const ShardsStatus& b) {
    model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
    model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
    AgentSnapshot snapshot;
    snapshot.info.instance = QStringLiteral("demo-1");
    snapshot.shards = a;
    model.updateAgent(QStringLiteral("a"), snapshot);
    snapshot.info.instance = QStringLiteral("demo-2");
    snapshot.shards = b;
    model.updateAgent(QStringLiteral("b"), snapshot);
}

const QStringList kTwo{QStringLiteral("shard-1"), QStringLiteral("shard-2")};
const QStringList kThree{QStringLiteral("shard-1"), QStringLiteral("shard-2"),
                         QStringLiteral("shard-3")};

// The closest node colour to a pixel, by hue: the shade changes lightness, not hue.
int nearestNode(const QColor& pixel, int nodes) {
    int best = -1;
    int bestDistance = 1000;
    for (int n = 0; n < nodes; ++n) {
        const int d = std::abs(pixel.hue() - ShardHeatmap::nodeColor(n).hue());
        const int distance = std::min(d, 360 - d);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = n;
        }
    }
    return best;
}

} // namespace

class TestShardsView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(Theme::load(Theme::Kind::Light).palette());
    }

    void heatmapCellsAndColours() {
        ShardsModel model;
        feed(model, cluster(kT0, kTwo, skewedOwners()), cluster(kT0 + 1000, kTwo, skewedOwners()));
        ShardsView view(&model);
        view.resize(1280, 820);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        ShardHeatmap* heatmap = view.heatmap();
        QCOMPARE(heatmap->cellCount(), kBuckets);
        QCOMPARE(heatmap->columnCount(), 16);
        // Every cell on screen, none overlapping the next.
        QVERIFY(heatmap->rect().contains(heatmap->cellRect(0)));
        QVERIFY(heatmap->rect().contains(heatmap->cellRect(kBuckets - 1)));
        QVERIFY(!heatmap->cellRect(0).intersects(heatmap->cellRect(1)));
        QVERIFY(!heatmap->cellRect(0).intersects(heatmap->cellRect(16)));
        QCOMPARE(heatmap->bucketAt(heatmap->cellRect(17).center()), 17);

        // The painted colour of a cell is its node's hue, whatever its shade.
        const QImage image = heatmap->grab().toImage();
        for (int bucket : {0, 7, 100, 167, 168, 200, 255}) {
            const int node = bucket < 168 ? 0 : 1;
            const QColor pixel = image.pixelColor(heatmap->cellRect(bucket).center());
            QCOMPARE(pixel.rgb(), heatmap->cellColor(bucket).rgb());
            QCOMPARE(nearestNode(pixel, 2), node);
        }
        // A hot bucket (three times the rows) is shaded stronger than a plain one of its node.
        QVERIFY(heatmap->cellColor(7).lightness() < heatmap->cellColor(8).lightness());
        const QString tip = heatmap->cellToolTip(7);
        QVERIFY2(tip.contains(QStringLiteral("Bucket 7 on shard-1")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("rows 1,317")), qPrintable(tip));

        // Ops/s as the shade: a hot bucket is hot there too, and the caption says so.
        view.setIntensityOps(true);
        QCOMPARE(heatmap->intensity(), ShardHeatmap::Intensity::Ops);
        QVERIFY(heatmap->cellColor(7).lightness() < heatmap->cellColor(8).lightness());

        // A small window (the tab beside the events dock on a laptop): every cell still on
        // screen, square and apart, and every bar inside its widget.
        view.resize(1000, 560);
        QApplication::processEvents();
        QVERIFY(heatmap->rect().contains(heatmap->cellRect(kBuckets - 1)));
        QVERIFY(heatmap->cellRect(0).width() >= 10);
        QCOMPARE(heatmap->cellRect(0).width(), heatmap->cellRect(0).height());
        QVERIFY(view.nodeBars()->rect().contains(
            view.nodeBars()->barRect(ShardNodeBars::Metric::Ops, 0)));

        // Fewer buckets: a smaller square grid.
        ShardsStatus small = cluster(kT0, kTwo, skewedOwners());
        small.bucketCount = 64;
        model.applyShards(QStringLiteral("a"), small);
        model.applyShards(QStringLiteral("b"), small);
        QCOMPARE(heatmap->cellCount(), 64);
        QCOMPARE(heatmap->columnCount(), 8);
    }

    void movingBucketsDrawn() {
        ShardsModel model;
        QList<ShardMove> moves;
        const QList<int> owner = duringOwners(&moves);
        feed(model, cluster(kT0, kThree, owner, moves), cluster(kT0 + 1000, kThree, owner, moves));
        ShardsView view(&model);
        view.resize(1280, 820);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        ShardHeatmap* heatmap = view.heatmap();
        // The move at 45 % (the fourth under way).
        const ShardMove* move = nullptr;
        for (const ShardMove& m : std::as_const(moves)) {
            if (m.phase == QLatin1String("copying") && m.progress > 0.4 && m.progress < 0.5)
                move = &m;
        }
        QVERIFY(move);
        QVERIFY(model.current().buckets.at(move->bucket).isMoving());
        const QImage image = heatmap->grab().toImage();
        const QRect cell = heatmap->cellRect(move->bucket);
        // The outline: dark on the cell's edge.
        QVERIFY(image.pixelColor(cell.left() + 1, cell.center().y()).lightness() < 60);
        // The progress bar along the foot: shard-3's colour at its start, the track past its end.
        const int barY = cell.bottom() - std::max(3, cell.height() / 4) / 2 - 1;
        const QColor started = image.pixelColor(cell.left() + 4, barY);
        QCOMPARE(nearestNode(started, 3), 2);
        const QColor track = image.pixelColor(cell.right() - 4, barY);
        QCOMPARE(track.rgb(),
                 Theme::load(Theme::Kind::Light).palette().color(QPalette::Base).rgb());
        // A bucket that is not moving has no outline.
        const QRect still = heatmap->cellRect(1);
        QCOMPARE(image.pixelColor(still.left() + 1, still.center().y()).rgb(),
                 heatmap->cellColor(1).rgb());
        const QString tip = heatmap->cellToolTip(move->bucket);
        QVERIFY2(tip.contains(QStringLiteral("move shard-1 → shard-3: copying, 45 %")),
                 qPrintable(tip));
        QCOMPARE(view.movesLabel()->text(),
                 QStringLiteral("Rebalance: 40 of 85 moves finished, 7 moving, 38 waiting."));

        QTest::qWait(100);
        saveScreenshot(view, QStringLiteral("shards-during.png"));
    }

    void barsSkewAndScreenshots() {
        ShardsModel model;
        feed(model, cluster(kT0, kTwo, skewedOwners()), cluster(kT0 + 1000, kTwo, skewedOwners()));
        ShardsView view(&model);
        view.resize(1280, 820);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.emptyLabel()->isVisible());
        QVERIFY(!view.staleBanner()->isVisible());
        QVERIFY(view.titleLabel()->text().contains(QStringLiteral("reported by demo-2 (+1)")));

        ShardNodeBars* bars = view.nodeBars();
        QCOMPARE(bars->nodeCount(), 2);
        using Metric = ShardNodeBars::Metric;
        for (Metric metric : {Metric::Rows, Metric::Bytes, Metric::Ops}) {
            QVERIFY(bars->barRect(metric, 0).width() > bars->barRect(metric, 1).width());
            QVERIFY(bars->rect().contains(bars->barRect(metric, 0)));
        }
        const QImage image = bars->grab().toImage();
        QCOMPARE(nearestNode(image.pixelColor(bars->barRect(Metric::Rows, 1).center()), 2), 1);
        const ShardNodeSummary& first = model.current().nodes.at(0);
        QCOMPARE(bars->valueText(Metric::Rows, 0), QStringLiteral("%1 (%2 %)")
                                                       .arg(shardCountText(first.rows))
                                                       .arg(first.rowsShare, 0, 'f', 1));
        QVERIFY(first.rowsShare > 60.0);

        // The skew in words, as the agent reported it.
        const SkewFigures rows = model.current().skew.rows;
        QVERIFY(rows.maxOverMean > 1.25);
        QVERIFY2(view.skewLabel()->text().contains(shardSkewText(QStringLiteral("rows"), rows)),
                 qPrintable(view.skewLabel()->text()));
        QVERIFY(view.skewLabel()->text().contains(QStringLiteral("skewed")));
        QCOMPARE(view.table()->model()->rowCount(), 2);
        saveScreenshot(view, QStringLiteral("shards-before.png"));

        feed(model, cluster(kT0 + 60000, kThree, evenOwners()),
             cluster(kT0 + 61000, kThree, evenOwners()));
        QCOMPARE(bars->nodeCount(), 3);
        QCOMPARE(view.heatmap()->cellCount(), kBuckets);
        QVERIFY(model.current().skew.rows.maxOverMean < 1.10);
        QVERIFY(view.skewLabel()->text().contains(QStringLiteral("rows: max/mean 1.0")));
        QVERIFY(view.skewLabel()->text().contains(QStringLiteral("even")));
        QCOMPARE(view.movesLabel()->text(), QStringLiteral("No rebalance running."));
        QCOMPARE(view.table()->model()->rowCount(), 3);
        QTest::qWait(100);
        saveScreenshot(view, QStringLiteral("shards-after.png"));
    }

    void staleBannerAndRebalance() {
        ShardsModel model;
        feed(model, cluster(kT0, kTwo, skewedOwners()), cluster(kT0 + 1000, kTwo, skewedOwners()));
        ShardsView view(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy rebalance(&view, &ShardsView::requestRebalance);
        QTest::mouseClick(view.rebalanceButton(), Qt::LeftButton);
        QCOMPARE(rebalance.count(), 1);
        QCOMPARE(rebalance.at(0).at(0).toString(), QStringLiteral("b")); // the freshest report

        const QDateTime since = QDateTime::currentDateTime();
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Stale, since);
        QVERIFY(!view.staleBanner()->isVisible()); // demo-2 still reports the cluster
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Stale, since);
        QVERIFY(view.staleBanner()->isVisible());
        QVERIFY(view.staleBanner()->text().contains(since.toString(QStringLiteral("HH:mm:ss"))));
        QVERIFY(model.index(0, ShardsModel::HealthColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("stale since ")));
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
        QVERIFY(!view.staleBanner()->isVisible());
    }

    void emptyWithoutShards() {
        ShardsModel model;
        ShardsView view(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.emptyLabel()->isVisible());
        QVERIFY(
            view.emptyLabel()->text().startsWith(QStringLiteral("No agent reports shards yet")));
        QCOMPARE(view.heatmap()->cellCount(), 0);
        QVERIFY(!view.rebalanceButton()->isVisible());
    }
};

QTEST_MAIN(TestShardsView)
#include "tst_shards_view.moc"
