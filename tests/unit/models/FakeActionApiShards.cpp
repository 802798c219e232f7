// FakeActionApi's shards.rebalance: validates the params as the agent does (a 400 naming the
// field), plans three moves with an estimate and the skew before and after, and runs a job
// whose moves advance with each poll, finish together and roll back when cancelled.
#include "FakeActionApi.h"

#include <QDateTime>
#include <algorithm>

namespace {

const QStringList kGoals{QStringLiteral("even"), QStringLiteral("add_node"),
                         QStringLiteral("drain_node")};
const QStringList kBy{QStringLiteral("rows"), QStringLiteral("bytes"), QStringLiteral("load")};
constexpr int kMoveBuckets[] = {17, 42, 99};
constexpr int kMoveRows = 480;

QJsonObject skew(double rows, double bytes, double load) {
    auto figures = [](double maxOverMean) {
        return QJsonObject{{QStringLiteral("max_over_mean"), maxOverMean},
                           {QStringLiteral("cv"), (maxOverMean - 1.0) / 1.1}};
    };
    return {{QStringLiteral("rows"), figures(rows)},
            {QStringLiteral("bytes"), figures(bytes)},
            {QStringLiteral("load"), figures(load)}};
}

} // namespace

HttpAnswer FakeActionApi::rebalancePlan(const QJsonObject& body, const QString& caller) {
    const QJsonObject params = body.value(QStringLiteral("params")).toObject();
    const QString goal = params.value(QStringLiteral("goal")).toString();
    const QString by = params.value(QStringLiteral("by")).toString(QStringLiteral("rows"));
    const QString node = params.value(QStringLiteral("node")).toString();
    const double threshold = params.value(QStringLiteral("threshold_pct")).toDouble(10.0);
    auto bad = [](const QString& message) {
        return HttpAnswer::error(400, QStringLiteral("bad_request"), message);
    };
    if (!kGoals.contains(goal))
        return bad(QStringLiteral("params.goal must be one of even, add_node, drain_node"));
    if (!kBy.contains(by))
        return bad(QStringLiteral("params.by must be one of rows, bytes, load"));
    if (goal != QLatin1String("even") && !shardNodes.contains(node))
        return bad(QStringLiteral("params.node: no shard node named \"%1\"").arg(node));
    if (threshold < 0)
        return bad(QStringLiteral("params.threshold_pct must be at least 0"));

    const QString to = goal == QLatin1String("drain_node") ? shardNodes.value(0)
                       : goal == QLatin1String("add_node") ? node
                                                           : shardNodes.value(2);
    const QString from = goal == QLatin1String("drain_node") ? node : shardNodes.value(0);
    QJsonArray changes;
    for (int bucket : kMoveBuckets)
        changes.append(QJsonObject{
            {QStringLiteral("what"),
             QStringLiteral("bucket %1 (%2 rows, 37.5 KiB)").arg(bucket).arg(kMoveRows)},
            {QStringLiteral("from"), from},
            {QStringLiteral("to"), to}});
    QJsonArray checks{QJsonObject{{QStringLiteral("name"), QStringLiteral("catalog_reachable")},
                                  {QStringLiteral("verdict"), QStringLiteral("pass")},
                                  {QStringLiteral("detail"), QStringLiteral("map version 3")}},
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("nodes_up")},
                                  {QStringLiteral("verdict"), QStringLiteral("pass")},
                                  {QStringLiteral("detail"), QStringLiteral("3 of 3 answer")}}};
    if (warnCheck)
        checks.append(QJsonObject{
            {QStringLiteral("name"), QStringLiteral("write_load")},
            {QStringLiteral("verdict"), QStringLiteral("warn")},
            {QStringLiteral("detail"), QStringLiteral("120 writes/s: moves take longer")}});
    const QString summary =
        QStringLiteral("move 3 buckets (1,440 rows, 112.5 KiB) from %1 to %2, by %3")
            .arg(from, to, by);
    return issuePlan(QStringLiteral("shards.rebalance"), body.value(QStringLiteral("target")),
                     QStringLiteral("cluster"), params, summary, caller,
                     QJsonObject{{QStringLiteral("changes"), changes},
                                 {QStringLiteral("checks"), checks},
                                 {QStringLiteral("executable"), true},
                                 {QStringLiteral("estimate_s"), 42},
                                 {QStringLiteral("skew_before"), skew(1.30, 1.28, 1.90)},
                                 {QStringLiteral("skew_after"), skew(1.02, 1.03, 1.10)}});
}

void FakeActionApi::startRebalance(QJsonObject& job) const {
    QJsonArray moves;
    for (int bucket : kMoveBuckets)
        moves.append(QJsonObject{{QStringLiteral("bucket"), bucket},
                                 {QStringLiteral("from"), 0},
                                 {QStringLiteral("to"), 2},
                                 {QStringLiteral("phase"), QStringLiteral("pending")},
                                 {QStringLiteral("rows_copied"), 0},
                                 {QStringLiteral("rows_total"), kMoveRows},
                                 {QStringLiteral("progress"), 0.0}});
    job.insert(QStringLiteral("moves"), moves);
    job.insert(QStringLiteral("message"), QStringLiteral("rebalancing: 0 of 3 moves done"));
}

void FakeActionApi::advanceRebalance(QJsonObject& job, int pollsLeft) const {
    // With each poll the first move gets further ahead than the others, so the bars differ.
    const double done = 1.0 / double(pollsLeft + 2);
    QJsonArray moves = job.value(QStringLiteral("moves")).toArray();
    for (qsizetype i = 0; i < moves.size(); ++i) {
        QJsonObject move = moves.at(i).toObject();
        const double progress = std::min(1.0, done * double(3 - i) / 2.0);
        move.insert(QStringLiteral("progress"), progress);
        move.insert(QStringLiteral("rows_copied"), qRound(progress * kMoveRows));
        move.insert(QStringLiteral("phase"),
                    progress <= 0 ? QStringLiteral("pending") : QStringLiteral("copying"));
        moves[i] = move;
    }
    job.insert(QStringLiteral("moves"), moves);
    job.insert(QStringLiteral("progress"), done);
    job.insert(QStringLiteral("message"), QStringLiteral("rebalancing: copying"));
}

void FakeActionApi::finishRebalance(QJsonObject& job, const QString& phase) const {
    QJsonArray moves = job.value(QStringLiteral("moves")).toArray();
    for (qsizetype i = 0; i < moves.size(); ++i) {
        QJsonObject move = moves.at(i).toObject();
        move.insert(QStringLiteral("phase"), phase);
        if (phase == QLatin1String("done")) {
            move.insert(QStringLiteral("progress"), 1.0);
            move.insert(QStringLiteral("rows_copied"), kMoveRows);
        }
        moves[i] = move;
    }
    job.insert(QStringLiteral("moves"), moves);
    if (phase == QLatin1String("done")) {
        job.insert(QStringLiteral("message"), QStringLiteral("3 buckets moved, map version 4"));
    } else if (phase == QLatin1String("failed")) {
        job.insert(QStringLiteral("message"), QStringLiteral("rebalance failed"));
        job.insert(QStringLiteral("error"),
                   QStringLiteral("bucket 42: shard-3 refused the copy (disk full)"));
    }
}

HttpAnswer FakeActionApi::cancel(const QString& jobId, const QString& caller) {
    if (!m_jobs.contains(jobId))
        return HttpAnswer::error(404, QStringLiteral("not_found"),
                                 QStringLiteral("no job %1").arg(jobId));
    QJsonObject& job = m_jobs[jobId];
    const QString state = job.value(QStringLiteral("state")).toString();
    if (state != QLatin1String("running") && state != QLatin1String("cancelling"))
        return HttpAnswer::error(409, QStringLiteral("job_finished"),
                                 QStringLiteral("job %1 already %2").arg(jobId, state));
    job.insert(QStringLiteral("state"), QStringLiteral("cancelling"));
    job.insert(QStringLiteral("message"), QStringLiteral("stopping at the next safe point"));
    record(QStringLiteral("cancel"), caller, job, QStringLiteral("accepted"), QString());
    return HttpAnswer::json(202, job);
}
