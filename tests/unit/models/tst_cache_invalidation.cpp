// The cache.invalidate action's documents: the params as POST /v1/plans takes them, what counts
// as a selection of every key, the console's own checks of the inputs, the plan's details (in a
// "details" object or on the plan itself), the job's progress and its result with the L1
// acknowledgements, and the agent's match-all refusal.
#include "CacheInvalidation.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using Match = InvalidateRequest::Match;

namespace {

InvalidateRequest request(Match match, const QString& value) {
    InvalidateRequest r;
    r.match = match;
    r.value = value;
    return r;
}

ActionJob jobWith(const QJsonObject& document) {
    ActionJob job;
    job.document = document;
    return job;
}

} // namespace

class TestCacheInvalidation : public QObject {
    Q_OBJECT

private slots:
    void params() {
        InvalidateRequest r = request(Match::Prefix, QStringLiteral("catalog:item:"));
        r.rate = 5000;
        QCOMPARE(r.params(),
                 (QJsonObject{{QStringLiteral("match"), QStringLiteral("prefix")},
                              {QStringLiteral("value"), QStringLiteral("catalog:item:")},
                              {QStringLiteral("rate"), 5000}}));
        r.allowMatchAll = true;
        QCOMPARE(r.params().value(QStringLiteral("allow_match_all")).toBool(), true);
        QCOMPARE(request(Match::Key, QStringLiteral("a:1")).params().value(QStringLiteral("match")),
                 QStringLiteral("key"));
        // An empty prefix goes as the pattern "*": the same keys, a value within 1 to 512 bytes.
        InvalidateRequest all = request(Match::Prefix, QString());
        all.allowMatchAll = true;
        QCOMPARE(all.params().value(QStringLiteral("match")).toString(), QStringLiteral("pattern"));
        QCOMPARE(all.params().value(QStringLiteral("value")).toString(), QStringLiteral("*"));
    }

    void matchAll_data() {
        QTest::addColumn<int>("match");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("all");
        QTest::newRow("empty prefix") << int(Match::Prefix) << QString() << true;
        QTest::newRow("prefix") << int(Match::Prefix) << QStringLiteral("a:") << false;
        QTest::newRow("star") << int(Match::Pattern) << QStringLiteral("*") << true;
        QTest::newRow("stars") << int(Match::Pattern) << QStringLiteral("**") << true;
        QTest::newRow("pattern") << int(Match::Pattern) << QStringLiteral("a:*") << false;
        QTest::newRow("key star") << int(Match::Key) << QStringLiteral("*") << false;
    }
    void matchAll() {
        QFETCH(int, match);
        QFETCH(QString, value);
        QFETCH(bool, all);
        QCOMPARE(request(static_cast<Match>(match), value).isMatchAll(), all);
    }

    void problems() {
        QVERIFY(request(Match::Prefix, QStringLiteral("catalog:")).problem().isEmpty());
        QVERIFY(request(Match::Prefix, QString()).problem().isEmpty()); // its own confirmation
        QVERIFY(request(Match::Key, QString()).problem().contains(QStringLiteral("Enter the key")));
        QVERIFY(request(Match::Pattern, QString()).problem().contains(QStringLiteral("pattern")));
        const QString tooLong = request(Match::Key, QString(513, QLatin1Char('k'))).problem();
        QVERIFY2(tooLong.contains(QStringLiteral("513 bytes")), qPrintable(tooLong));
        // Bytes, not characters: 171 three-byte characters are 513 bytes.
        QVERIFY(!request(Match::Key, QString(171, QChar(0x20AC))).problem().isEmpty());
        QVERIFY(request(Match::Key, QString(170, QChar(0x20AC))).problem().isEmpty());
        InvalidateRequest slow = request(Match::Key, QStringLiteral("a"));
        slow.rate = 0;
        QVERIFY(slow.problem().contains(QStringLiteral("rate")));
        QVERIFY(request(Match::Pattern, QStringLiteral("a\\"))
                    .problem()
                    .contains(QStringLiteral("lone")));
        QVERIFY(request(Match::Pattern, QStringLiteral("a\\\\")).problem().isEmpty());
    }

    void planDetails() {
        ActionPlan plan;
        const QJsonArray sample{QStringLiteral("catalog:item:1"), QStringLiteral("catalog:item:2")};
        plan.document = QJsonObject{
            {QStringLiteral("details"), QJsonObject{{QStringLiteral("matching"), 1234},
                                                    {QStringLiteral("scanned"), 20000},
                                                    {QStringLiteral("sample"), sample},
                                                    {QStringLiteral("match_all"), false},
                                                    {QStringLiteral("estimate_s"), 0.25}}}};
        InvalidatePlanDetails details = invalidatePlanDetails(plan);
        QCOMPARE(details.matching, qint64(1234));
        QCOMPARE(details.scanned, qint64(20000));
        QCOMPARE(details.sample,
                 (QStringList{QStringLiteral("catalog:item:1"), QStringLiteral("catalog:item:2")}));
        QVERIFY(!details.matchAll);
        QCOMPARE(details.estimateSeconds, 0.25);

        // The same figures on the plan itself, as a rebalance plan carries its own.
        plan.document = QJsonObject{{QStringLiteral("matching"), 20000},
                                    {QStringLiteral("match_all"), true},
                                    {QStringLiteral("sample"), QJsonArray{7, QStringLiteral("k")}}};
        details = invalidatePlanDetails(plan);
        QCOMPARE(details.matching, qint64(20000));
        QCOMPARE(details.scanned, qint64(-1));
        QVERIFY(details.matchAll);
        QCOMPARE(details.sample, QStringList{QStringLiteral("k")});
        QCOMPARE(details.estimateSeconds, -1.0);
    }

    void jobProgressAndResult() {
        ActionJob running = jobWith(QJsonObject{
            {QStringLiteral("progress"), 0.4},
            {QStringLiteral("details"),
             QJsonObject{{QStringLiteral("unlinked"), 400}, {QStringLiteral("matching"), 1000}}}});
        InvalidateProgress progress = invalidateJobProgress(running);
        QCOMPARE(progress.unlinked, qint64(400));
        QCOMPARE(progress.matching, qint64(1000));
        QVERIFY(!invalidateJobResult(running).has_value());
        progress = invalidateJobProgress(jobWith({{QStringLiteral("unlinked"), 12}}));
        QCOMPARE(progress.unlinked, qint64(12));
        QCOMPARE(progress.matching, qint64(-1));

        const QJsonObject l1{
            {QStringLiteral("receivers"), 3},
            {QStringLiteral("acked"),
             QJsonArray{QStringLiteral("demo-1"), QStringLiteral("demo-2")}},
            {QStringLiteral("removed"),
             QJsonObject{{QStringLiteral("demo-1"), 17}, {QStringLiteral("demo-2"), 12}}},
            {QStringLiteral("missing"), 1},
            {QStringLiteral("ack_ms"), 1.4},
            {QStringLiteral("error"), QString()}};
        const ActionJob done = jobWith(QJsonObject{
            {QStringLiteral("result"), QJsonObject{{QStringLiteral("unlinked"), 1000},
                                                   {QStringLiteral("scanned"), 20000},
                                                   {QStringLiteral("elapsed_ms"), 5},
                                                   {QStringLiteral("keys_per_s"), 200000.0},
                                                   {QStringLiteral("l1"), l1}}}});
        QCOMPARE(invalidateJobProgress(done).unlinked, qint64(1000));
        const std::optional<InvalidateResult> result = invalidateJobResult(done);
        QVERIFY(result.has_value());
        QCOMPARE(result->unlinked, qint64(1000));
        QCOMPARE(result->elapsedMs, qint64(5));
        QCOMPARE(result->keysPerSecond, 200000.0);
        QCOMPARE(result->receivers, 3);
        QCOMPARE(result->acked, (QStringList{QStringLiteral("demo-1"), QStringLiteral("demo-2")}));
        QCOMPARE(result->removed.value(QStringLiteral("demo-2")), qint64(12));
        QCOMPARE(result->missing, 1);
        QCOMPARE(result->ackMs, 1.4);
        QVERIFY(result->error.isEmpty());
    }

    void matchAllRefusal() {
        ActionError error;
        error.httpStatus = 400;
        error.reason = QStringLiteral("match_all_needs_confirmation");
        QVERIFY(isMatchAllRefusal(error));
        error.reason = QStringLiteral("bad_request");
        QVERIFY(!isMatchAllRefusal(error));
    }
};

QTEST_GUILESS_MAIN(TestCacheInvalidation)
#include "tst_cache_invalidation.moc"
