// AuditModel: pages merged newest first without duplicates, a refresh that no longer joins the
// rows replaces them, "load older" follows next_before to the end, a failed fetch keeps the
// rows and says why, and refusals and failures are marked. Every test runs the model under
// QAbstractItemModelTester.
#include "ActionClient.h"
#include "AuditModel.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"
#include "Health.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using switchboard::AuditEntry;
using switchboard::AuditModel;
using switchboard::AuditPage;
using switchboard::Health;

namespace {

AuditEntry entry(qint64 seq, const QString& event = QStringLiteral("plan"),
                 const QString& outcome = QStringLiteral("planned")) {
    AuditEntry result;
    result.seq = seq;
    result.timeMs = 1795000000000 + seq * 1000;
    result.event = event;
    result.token = QStringLiteral("alice");
    result.role = QStringLiteral("operator");
    result.kind = QStringLiteral("breaker.override");
    result.target = QStringLiteral("redis");
    result.params = {{QStringLiteral("mode"), QStringLiteral("force_open")},
                     {QStringLiteral("expiry_s"), 60}};
    result.outcome = outcome;
    result.detail = QStringLiteral("entry %1").arg(seq);
    return result;
}

// Entries from..to (inclusive), newest first, as the agent pages them.
AuditPage page(qint64 newest, qint64 oldest, std::optional<qint64> nextBefore) {
    AuditPage result;
    for (qint64 seq = newest; seq >= oldest; --seq)
        result.entries.append(entry(seq));
    result.nextBefore = nextBefore;
    return result;
}

QList<qint64> seqs(const AuditModel& model) {
    QList<qint64> result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, 0).data(AuditModel::SeqRole).toLongLong());
    return result;
}

QList<qint64> range(qint64 newest, qint64 oldest) {
    QList<qint64> result;
    for (qint64 seq = newest; seq >= oldest; --seq)
        result.append(seq);
    return result;
}

} // namespace

class TestAuditModel : public QObject {
    Q_OBJECT

private slots:
    void mergesWithoutDuplicates() {
        AuditModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!model.canLoadOlder());
        model.mergeNewest(page(20, 11, 11));
        QCOMPARE(seqs(model), range(20, 11));
        QVERIFY(model.canLoadOlder());

        // A refresh: three new entries on top of a page that overlaps what is held.
        model.mergeNewest(page(23, 14, 14));
        QCOMPARE(seqs(model), range(23, 11));
        // Older rows stay reachable from where they were.
        QVERIFY(model.canLoadOlder());

        model.appendOlder(page(10, 1, std::nullopt));
        QCOMPARE(seqs(model), range(23, 1));
        QVERIFY(!model.canLoadOlder());

        // An older page that repeats rows (the log grew between the pages) adds nothing twice.
        model.appendOlder(page(12, 9, std::nullopt));
        QCOMPARE(seqs(model), range(23, 1));
        // The same newest page again changes nothing.
        model.mergeNewest(page(23, 14, 14));
        QCOMPARE(model.rowCount(), 23);
    }

    void keepsTheChainOfTheLastPage() {
        AuditModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!model.chain());
        AuditPage newest = page(20, 11, 11);
        newest.chain = switchboard::AuditChainStatus{};
        newest.chain->entries = 20;
        model.mergeNewest(newest);
        QVERIFY(model.chain() && model.chain()->intact);
        QCOMPARE(model.chain()->entries, 20);

        // The log was found broken (the agent restarted on a tampered file): the next page says.
        AuditPage older = page(10, 1, std::nullopt);
        older.chain = switchboard::AuditChainStatus{false, 20, 0, {}, 4, 4, QStringLiteral("x")};
        model.appendOlder(older);
        QCOMPARE(model.chain()->brokenSeq, std::optional<qint64>(4));

        // An agent without the chain: nothing is claimed.
        model.mergeNewest(page(20, 11, 11));
        QVERIFY(!model.chain());
        model.mergeNewest(newest);
        model.clear();
        QVERIFY(!model.chain());
    }

    void aRefreshThatNoLongerJoinsReplacesTheRows() {
        AuditModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.mergeNewest(page(20, 11, 11));
        model.appendOlder(page(10, 1, std::nullopt));
        // More entries arrived than a page holds: 21..40 are not shown, so keeping 1..20 under
        // 41..50 would hide a hole. The rows restart from the new page, older ones by paging.
        model.mergeNewest(page(50, 41, 41));
        QCOMPARE(seqs(model), range(50, 41));
        QVERIFY(model.canLoadOlder());
        model.appendOlder(page(40, 31, 31));
        QCOMPARE(seqs(model), range(50, 31));

        // Exactly adjacent still joins.
        model.mergeNewest(page(60, 51, 51));
        QCOMPARE(seqs(model), range(60, 31));
        // A last page (nothing older) always joins.
        model.mergeNewest(page(61, 61, std::nullopt));
        QCOMPARE(seqs(model).first(), 61);
        QCOMPARE(model.rowCount(), 31);
    }

    void columnsAndRoles() {
        AuditModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        AuditPage first;
        first.entries = {entry(3, QStringLiteral("result"), QStringLiteral("failed")),
                         entry(2, QStringLiteral("refused"), QStringLiteral("forbidden")),
                         entry(1, QStringLiteral("expired"), QStringLiteral("closed"))};
        first.entries[1].token = QStringLiteral("victor");
        first.entries[1].role = QStringLiteral("viewer");
        first.entries[2].token.clear();
        first.entries[2].role.clear();
        model.mergeNewest(first);
        QCOMPARE(model.columnCount(), int(AuditModel::ColumnCount));

        const auto cell = [&](int row, int column) {
            return model.index(row, column).data().toString();
        };
        QCOMPARE(cell(0, AuditModel::TimeColumn),
                 QDateTime::fromMSecsSinceEpoch(1795000003000)
                     .toLocalTime()
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        QCOMPARE(cell(0, AuditModel::EventColumn), QStringLiteral("result"));
        QCOMPARE(cell(0, AuditModel::WhoColumn), QStringLiteral("alice (operator)"));
        QCOMPARE(cell(1, AuditModel::WhoColumn), QStringLiteral("victor (viewer)"));
        QCOMPARE(cell(2, AuditModel::WhoColumn), QStringLiteral("agent"));
        QCOMPARE(cell(0, AuditModel::ActionColumn), QStringLiteral("breaker.override"));
        QCOMPARE(cell(0, AuditModel::TargetColumn), QStringLiteral("redis"));
        QCOMPARE(cell(0, AuditModel::ParametersColumn),
                 QStringLiteral("expiry_s=60, mode=force_open"));
        QCOMPARE(cell(0, AuditModel::OutcomeColumn), QStringLiteral("failed"));
        QCOMPARE(cell(0, AuditModel::DetailColumn), QStringLiteral("entry 3"));
        QCOMPARE(model.headerData(AuditModel::WhoColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Who"));

        QCOMPARE(model.index(0, 0).data(AuditModel::OutcomeRole).toInt(),
                 int(AuditModel::Outcome::Failed));
        QCOMPARE(model.index(1, 0).data(AuditModel::OutcomeRole).toInt(),
                 int(AuditModel::Outcome::Refused));
        QCOMPARE(model.index(2, 0).data(AuditModel::OutcomeRole).toInt(),
                 int(AuditModel::Outcome::Normal));
        QCOMPARE(model.index(0, 3).data(AuditModel::HealthRole).value<Health>(), Health::Down);
        QCOMPARE(model.index(1, 3).data(AuditModel::HealthRole).value<Health>(), Health::Unknown);
        QVERIFY(!model.index(2, 3).data(AuditModel::HealthRole).isValid());
        QVERIFY(model.index(0, 0).data(AuditModel::TimeRole).toDateTime().isValid());
    }

    void compactParameters() {
        QCOMPARE(AuditModel::compactParams({}), QString());
        QCOMPARE(
            AuditModel::compactParams({{QStringLiteral("b"), true},
                                       {QStringLiteral("a"), QJsonArray{1, 2}},
                                       {QStringLiteral("c"), QJsonObject{{QStringLiteral("x"), 1}}},
                                       {QStringLiteral("d"), QJsonValue(QJsonValue::Null)}}),
            QStringLiteral(R"(a=[1,2], b=true, c={"x":1}, d=null)"));
    }

    void pagesThroughAnAgent() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        api.addAuditEntries(25);
        switchboard::ActionClient client(server.url(), FakeActionApi::kViewerToken);
        AuditModel model(&client);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(10);
        QSignalSpy loaded(&model, &AuditModel::loaded);
        QSignalSpy loading(&model, &AuditModel::loadingChanged);

        model.loadNewest();
        QVERIFY(model.isLoading());
        model.loadNewest(); // a second press while the first is on its way sends nothing
        QVERIFY(loaded.wait());
        QVERIFY(!model.isLoading());
        QCOMPARE(loading.count(), 2);
        QCOMPARE(server.exchanges().size(), 1);
        QCOMPARE(seqs(model), range(25, 16));
        QVERIFY(model.canLoadOlder());
        QVERIFY(model.loadedAt().isValid());

        model.loadOlder();
        QVERIFY(loaded.wait());
        QCOMPARE(server.exchanges().last().query.queryItemValue(QStringLiteral("before")),
                 QStringLiteral("16"));
        model.loadOlder();
        QVERIFY(loaded.wait());
        QCOMPARE(seqs(model), range(25, 1));
        QVERIFY(!model.canLoadOlder());
        model.loadOlder(); // nothing older: no request
        QCOMPARE(server.exchanges().size(), 3);

        // Four new entries; the refresh adds exactly those.
        api.addAuditEntries(4);
        model.loadNewest();
        QVERIFY(loaded.wait());
        QCOMPARE(seqs(model), range(29, 1));

        // The agent goes quiet: the rows stay and the model says why.
        server.setHandler([](const HttpExchange&) {
            return HttpAnswer::error(503, QStringLiteral("unavailable"), QStringLiteral("down"));
        });
        QSignalSpy failed(&model, &AuditModel::loadFailed);
        model.loadNewest();
        QVERIFY(failed.wait());
        QCOMPARE(model.rowCount(), 29);
        QVERIFY2(model.errorText().contains(QStringLiteral("down")), qPrintable(model.errorText()));
        QCOMPARE(failed.at(0).at(0).toString(), model.errorText());
        QVERIFY(!model.isLoading());

        // Another agent: the rows go.
        model.setClient(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canLoadOlder());
        QVERIFY(model.errorText().isEmpty());
    }

    void ignoresOtherUsersOfTheClient() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        api.addAuditEntries(3);
        switchboard::ActionClient client(server.url(), FakeActionApi::kViewerToken);
        AuditModel model(&client);
        QSignalSpy fetched(&client, &switchboard::ActionClient::auditFetched);
        client.fetchAudit(); // someone else's request
        QVERIFY(fetched.wait());
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAuditModel)
#include "tst_audit_model.moc"
