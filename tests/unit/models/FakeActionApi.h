// The agent's action API (docs/protocol.md, "Actions") reduced to what the console's tests
// need, served through a FakeHttpAgent: breaker-override, shard-rebalance, cache-invalidate
// and drill-run plans, confirm, jobs that finish after a set number of polls (a rebalance's moves
// and an invalidation's unlinked keys advancing with each), cancel, roles by token, and an audit
// log with paging. Knobs let a test make it answer as the real agent does when things go wrong
// (viewer token, expired plan, busy, a dropped or missing answer).
#pragma once

#include "FakeHttpAgent.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

class FakeActionApi {
public:
    static inline const QString kOperatorToken = QStringLiteral("operator-secret");
    static inline const QString kViewerToken = QStringLiteral("viewer-secret");

    // Installs itself as the server's handler; the server must outlive it.
    explicit FakeActionApi(FakeHttpAgent* server);

    HttpAnswer handle(const HttpExchange& request);

    // The params of the `index`-th plan asked for (POST /v1/plans), as the console sent them.
    QJsonObject sentPlanParams(int index) const;

    // Knobs.
    QStringList breakers{QStringLiteral("redis"), QStringLiteral("postgres")};
    qint64 planLifetimeMs = 120000;
    int pollsUntilDone = 0; // GET /v1/jobs/<id> says "running" this many times first
    bool jobFails = false;
    bool warnCheck = false; // add a "warn" preflight check to every plan
    // The shard nodes a rebalance may name (FakeActionApiShards.cpp).
    QStringList shardNodes{QStringLiteral("shard-1"), QStringLiteral("shard-2"),
                           QStringLiteral("shard-3")};
    // The keys of the Redis a cache.invalidate plan counts (FakeActionApiCache.cpp), and the
    // instances that acknowledge its L1 invalidation (with the entries each removed) or not.
    QStringList cacheKeys;
    QStringList cacheAcked{QStringLiteral("demo-1"), QStringLiteral("demo-2")};
    int cacheMissing = 0;
    // drill.run (FakeActionApiDrills.cpp): each region's replicas (its leader is
    // "pg-<region>-1"), a candidate the leader does not list streaming (its "streaming" check
    // fails), another drill running (every plan and confirm is 409 drill_running), a preflight
    // that fails at confirm (409 preflight_failed with the checks), and the job's steps, one
    // more with each poll.
    QHash<QString, QStringList> drillReplicas{
        {QStringLiteral("us-east"),
         {QStringLiteral("pg-us-east-2"), QStringLiteral("pg-us-east-3")}},
        {QStringLiteral("eu-west"), {QStringLiteral("pg-eu-west-2")}}};
    QString drillNotStreaming;
    bool drillRunning = false;
    bool drillPreflightFailsOnConfirm = false;
    QStringList drillSteps{QStringLiteral("preflight: checks pass"),
                           QStringLiteral("fence: writes paused"),
                           QStringLiteral("switchover: POST /switchover: 200"),
                           QStringLiteral("wait: new leader writable"),
                           QStringLiteral("verify: counting acknowledged writes")};
    // While set, every confirm is answered with this instead (Qt sends a request again by
    // itself when a connection drops before the answer, so a one-off would not stick).
    std::optional<HttpAnswer> confirmAnswer;

    // Appends `count` synthetic entries to the audit log (seq continues from the last).
    void addAuditEntries(int count);
    QList<QJsonObject> audit; // oldest first
    // The hash chain /v1/audit reports: empty, intact over every entry; not at all when
    // `reportsChain` is false (an agent from before the chain).
    QJsonObject chain;
    bool reportsChain = true;

private:
    HttpAnswer plan(const HttpExchange& request, const QString& caller);
    // A plan as the agent answers POST /v1/plans: `fields` (its changes, checks, executable and
    // what the action adds) with what every plan carries, kept for the confirm and recorded.
    HttpAnswer issuePlan(const QString& kind, const QJsonValue& target, const QString& scope,
                         const QJsonObject& params, const QString& summary, const QString& caller,
                         QJsonObject fields);
    HttpAnswer confirm(const QString& planId, const QString& caller);
    HttpAnswer job(const QString& jobId);
    HttpAnswer cancel(const QString& jobId, const QString& caller);
    // shards.rebalance (FakeActionApiShards.cpp): a plan of three moves, a job whose moves
    // advance with each poll.
    HttpAnswer rebalancePlan(const QJsonObject& body, const QString& caller);
    void startRebalance(QJsonObject& job) const;
    void advanceRebalance(QJsonObject& job, int pollsLeft) const;
    void finishRebalance(QJsonObject& job, const QString& phase) const;
    // cache.invalidate (FakeActionApiCache.cpp): counts cacheKeys as the agent does (refusing a
    // match-all selection without allow_match_all), a job unlinking them poll by poll.
    HttpAnswer invalidatePlan(const QJsonObject& body, const QString& caller);
    void startInvalidate(QJsonObject& job) const;
    void advanceInvalidate(QJsonObject& job, int pollsLeft) const;
    void finishInvalidate(QJsonObject& job, bool cancelled) const;
    HttpAnswer drillPlan(const QJsonObject& body, const QString& caller);
    std::optional<HttpAnswer> drillConfirmRefusal(const QJsonObject& plan) const;
    void startDrill(QJsonObject& job) const;
    void advanceDrill(QJsonObject& job, int pollsLeft) const;
    void finishDrill(QJsonObject& job, bool cancelled) const;
    HttpAnswer auditPage(const HttpExchange& request) const;
    void record(const QString& event, const QString& caller, const QJsonObject& about,
                const QString& outcome, const QString& detail);

    FakeHttpAgent* m_server;
    QHash<QString, QJsonObject> m_plans;
    QHash<QString, QJsonObject> m_jobs;
    QHash<QString, QString> m_confirmedAs; // plan id → job id
    QHash<QString, int> m_pollsLeft;
    // Idempotency: (path, key) → the first answer, replayed for a repeat.
    QHash<QString, HttpAnswer> m_answers;
    int m_nextId = 1;
};
