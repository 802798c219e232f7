// The write pause a rebalance costs the backends, as the demo sees it: two demo instances write
// sharded orders (150 per second each, half of one's for a single customer) while one of them
// runs rebalances through the action pipeline: add shard-3 (the stack's spare node) by load,
// which takes the hot customer's bucket there, then drain it back, several times. Reported: the
// agent's own hold per move (from taking the bucket from the source to the catalog naming the
// target, in the job's result), and the demos' writes that met a moving bucket and followed it
// (their histogram switchboard_demo_shard_moved_write_seconds, before and after). Goal: p99 ≤ 100
// ms.
//
//   bench_shard_flip_pause [rounds]      (default 10: 10 adds and 10 drains)
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <map>

namespace {

// Cumulative counts of a histogram by upper bound ("+Inf" as infinity), from /metrics.
std::map<double, double> histogram(const DemoBackend& demo, const QString& token,
                                   const QString& name) {
    QUrl url = demo.url();
    url.setPath(QStringLiteral("/metrics"));
    QString text = QString::fromUtf8(HttpCall::run("GET", url, HttpCall::bearer(token)).body);
    QRegularExpression line(QRegularExpression::escape(name) +
                            QStringLiteral("_bucket\\{le=\"([^\"]+)\"\\} (\\S+)"));
    std::map<double, double> counts;
    for (auto it = line.globalMatch(text); it.hasNext();) {
        auto match = it.next();
        double bound =
            match.captured(1) == QLatin1String("+Inf") ? 1e300 : match.captured(1).toDouble();
        counts[bound] = match.captured(2).toDouble();
    }
    return counts;
}

void sleepMs(int ms) {
    QThread::msleep(static_cast<unsigned long>(ms));
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
    QTemporaryDir files;
    qputenv("SWITCHBOARD_AUDIT_LOG", files.filePath(QStringLiteral("audit.jsonl")).toUtf8());
    LocalStack stack(QStringLiteral("minimal"), {QStringLiteral("--extra-shard")});
    if (!stack.ok()) {
        std::fprintf(stderr, "the local stack did not start: %s\n", qPrintable(stack.error()));
        return 1;
    }
    DemoBackend runner(stack.stackFile(), QStringLiteral("demo-1")),
        other(stack.stackFile(), QStringLiteral("demo-2"));
    // Busy writers, half of one's orders for one customer: its bucket carries the most load,
    // so adding a node by load moves it, under ~75 writes/s.
    runner.setExtraArguments({QStringLiteral("--rate"), QStringLiteral("150"),
                              QStringLiteral("--hot-tenant"), QStringLiteral("0.5")});
    other.setExtraArguments({QStringLiteral("--rate"), QStringLiteral("150")});
    for (DemoBackend* demo : {&runner, &other}) {
        if (!demo->start()) {
            std::fprintf(stderr, "a demo did not start: %s\n", qPrintable(demo->output()));
            return 1;
        }
    }
    const QString token = stack.operatorToken();
    auto call = [&](const char* method, const QString& path, const QJsonObject& body = {}) {
        QUrl url = runner.url();
        url.setPath(path);
        return HttpCall::run(method, url, HttpCall::bearer(token),
                             body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(), 20000);
    };
    sleepMs(15000); // rows on both nodes, and statistics of them
    const QString name = QStringLiteral("switchboard_demo_shard_moved_write_seconds");
    const QString all = QStringLiteral("switchboard_demo_shard_write_seconds");
    auto before1 = histogram(runner, token, name), before2 = histogram(other, token, name);
    auto allBefore1 = histogram(runner, token, all), allBefore2 = histogram(other, token, all);
    // Back and forth: add shard-3 by load (the hot bucket goes there), then drain it again.
    std::vector<double> holds;
    QString summary;
    int moved = 0;
    for (int round = 0; round < rounds * 2; ++round) {
        QJsonObject params =
            round % 2 == 0 ? QJsonObject{{"goal", "add_node"}, {"node", "shard-3"}, {"by", "load"}}
                           : QJsonObject{{"goal", "drain_node"}, {"node", "shard-3"}};
        HttpResult plan;
        for (int attempt = 0; attempt < 50; ++attempt) { // 503 until statistics are in
            plan = call("POST", QStringLiteral("/v1/plans"),
                        {{"kind", "shards.rebalance"}, {"target", "shards"}, {"params", params}});
            if (plan.status == 201)
                break;
            sleepMs(200);
        }
        if (plan.status != 201) {
            std::fprintf(stderr, "plan: %d %s\n", plan.status, plan.body.constData());
            return 1;
        }
        if (round == 0)
            summary = plan.json.value("summary").toString();
        HttpResult job =
            call("POST",
                 QStringLiteral("/v1/plans/%1/confirm").arg(plan.json.value("plan_id").toString()));
        const QString jobId = job.json.value(QStringLiteral("job_id")).toString();
        QElapsedTimer clock;
        clock.start();
        QJsonObject done;
        while (clock.elapsed() < 300000) {
            done = call("GET", QStringLiteral("/v1/jobs/") + jobId).json;
            if (done.value("state").toString() != QLatin1String("running"))
                break;
            sleepMs(100);
        }
        if (done.value("state").toString() != QLatin1String("succeeded")) {
            std::fprintf(stderr, "a rebalance did not succeed: %s\n",
                         QJsonDocument(done).toJson().constData());
            return 1;
        }
        QJsonObject result = done.value("result").toObject();
        for (const auto& value : result.value("write_pauses_ms").toArray())
            holds.push_back(value.toDouble());
        moved += result.value("moved").toInt();
        sleepMs(2500); // the next statistics, so the next plan sees where the buckets are
    }
    sleepMs(1000);
    auto after1 = histogram(runner, token, name), after2 = histogram(other, token, name);
    auto allAfter1 = histogram(runner, token, all), allAfter2 = histogram(other, token, all);

    std::sort(holds.begin(), holds.end());
    auto at = [&](double p) {
        return holds.empty() ? 0.0
                             : holds[std::min(holds.size() - 1,
                                              std::size_t(p * double(holds.size() - 1) + 0.5))];
    };
    std::printf("%d rebalances (add shard-3 by load, then drain it), %d moves; the first: %s\n",
                rounds * 2, moved, qPrintable(summary));
    std::printf("  agent's hold per move (%zu moves): p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
                holds.size(), at(0.5), at(0.99), at(1.0));
    // The demos' writes that followed a moved bucket, during the rebalance.
    std::map<double, double> during;
    for (auto [after, before] : {std::pair{&after1, &before1}, std::pair{&after2, &before2}})
        for (const auto& [bound, count] : *after)
            during[bound] += count - (before->count(bound) ? before->at(bound) : 0.0);
    auto report = [](const char* what, const std::map<double, double>& counts) {
        double total = counts.empty() ? 0 : counts.rbegin()->second;
        std::printf("  %s: %.0f\n", what, total);
        if (total <= 0)
            return;
        double p99Bound = 0;
        for (const auto& [bound, count] : counts)
            if (count >= 0.99 * total) {
                p99Bound = bound;
                break;
            }
        for (const auto& [bound, count] : counts)
            if (bound < 1e300)
                std::printf("    ≤ %6.0f ms: %.0f\n", bound * 1000, count);
        std::printf("    p99 at most %.0f ms (histogram bound; goal ≤ 100 ms)\n", p99Bound * 1000);
    };
    report("demos' writes that followed a moved bucket", during);
    std::map<double, double> allDuring;
    for (auto [after, before] :
         {std::pair{&allAfter1, &allBefore1}, std::pair{&allAfter2, &allBefore2}})
        for (const auto& [bound, count] : *after)
            allDuring[bound] += count - (before->count(bound) ? before->at(bound) : 0.0);
    report("all the demos' sharded writes during the rebalance", allDuring);
    runner.stop();
    other.stop();
    return 0;
}
