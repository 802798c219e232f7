// AuditView against stand-in agents: the newest page shown, "Load older" to the start of the
// log, the filter over every column, refusals and failures marked, another agent chosen, and a
// failed refresh that keeps the rows and says why; the hash chain's state on the status line.
// With SWITCHBOARD_SCREENSHOT_DIR set, saves audit.png.
#include "ActionClient.h"
#include "AuditModel.h"
#include "AuditView.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"
#include "GuiTestHelpers.h"
#include "Health.h"
#include "Theme.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>

using namespace gui_test;
using switchboard::ActionClient;
using switchboard::AuditModel;
using switchboard::AuditView;
using switchboard::Health;

class TestAuditView : public QObject {
    Q_OBJECT

private slots:
    // As the app looks (app/main.cpp), so the screenshots show what an operator sees.
    void initTestCase() {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(
            switchboard::Theme::load(switchboard::Theme::Kind::Light).palette());
    }

    void showsPagesFiltersAndFailures() {
        FakeHttpAgent first;
        FakeHttpAgent second;
        QVERIFY(first.listen());
        QVERIFY(second.listen());
        FakeActionApi firstApi(&first);
        FakeActionApi secondApi(&second);
        firstApi.addAuditEntries(130);
        secondApi.addAuditEntries(3);
        ActionClient firstClient(first.url(), FakeActionApi::kViewerToken);
        ActionClient secondClient(second.url(), FakeActionApi::kViewerToken);

        AuditView view;
        view.resize(1400, 560);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto* older = child<QPushButton>(view, "loadOlderButton");
        auto* status = child<QLabel>(view, "auditStatus");
        QVERIFY(!older->isEnabled());

        view.setAgents({{QStringLiteral("demo-1 (us-east)"), &firstClient},
                        {QStringLiteral("demo-2 (us-east)"), &secondClient}});
        QCOMPARE(view.currentAgent(), QStringLiteral("demo-1 (us-east)"));
        QTRY_COMPARE(view.table()->model()->rowCount(), ActionClient::kDefaultAuditLimit);
        QVERIFY(older->isEnabled());
        QVERIFY2(status->text().startsWith(QStringLiteral("100 entries, newest first; older ones")),
                 qPrintable(status->text()));
        QVERIFY2(status->text().endsWith(QStringLiteral(" Hash chain intact.")),
                 qPrintable(status->text()));
        // Newest first, every column filled.
        const QAbstractItemModel* rows = view.table()->model();
        QCOMPARE(rows->index(0, 0).data(AuditModel::SeqRole).toLongLong(), 130);
        QCOMPARE(rows->index(99, 0).data(AuditModel::SeqRole).toLongLong(), 31);
        QCOMPARE(rows->index(0, AuditModel::EventColumn).data().toString(),
                 QStringLiteral("confirm"));
        QCOMPARE(rows->index(0, AuditModel::WhoColumn).data().toString(),
                 QStringLiteral("alice (operator)"));

        QTest::mouseClick(older, Qt::LeftButton);
        QTRY_COMPARE(rows->rowCount(), 130);
        QVERIFY(!older->isEnabled());
        QVERIFY2(status->text().contains(QStringLiteral("the log begins here")),
                 qPrintable(status->text()));

        // Refusals amber, failures red (the delegate paints by this role), the rest plain.
        int refused = 0;
        int failed = 0;
        for (int row = 0; row < rows->rowCount(); ++row) {
            const QString event = rows->index(row, AuditModel::EventColumn).data().toString();
            const QString outcome = rows->index(row, AuditModel::OutcomeColumn).data().toString();
            const QVariant health =
                rows->index(row, AuditModel::DetailColumn).data(AuditModel::HealthRole);
            if (event == QLatin1String("refused")) {
                ++refused;
                QCOMPARE(health.value<Health>(), Health::Unknown);
            } else if (outcome == QLatin1String("failed")) {
                ++failed;
                QCOMPARE(health.value<Health>(), Health::Down);
            } else {
                QVERIFY(!health.isValid());
            }
        }
        QVERIFY(refused > 10 && failed > 10);

        // The filter looks at every column.
        auto* filter = child<QLineEdit>(view, "auditFilter");
        QTest::keyClicks(filter, QStringLiteral("FORBIDDEN"));
        QCOMPARE(rows->rowCount(), refused);
        QVERIFY2(status->text().startsWith(QStringLiteral("%1 of 130 entries match").arg(refused)),
                 qPrintable(status->text()));
        view.setFilterText(QStringLiteral("victor (viewer)"));
        QCOMPARE(rows->rowCount(), refused);
        view.setFilterText(QString());
        QCOMPARE(rows->rowCount(), 130);

        const QString screenshots = qEnvironmentVariable("SWITCHBOARD_SCREENSHOT_DIR");
        if (!screenshots.isEmpty()) {
            QVERIFY(QDir().mkpath(screenshots));
            view.table()->scrollToTop();
            view.table()->setCurrentIndex({}); // no focus frame left over from the filtering
            QTest::qWait(50);
            QVERIFY(view.grab().save(QDir(screenshots).filePath(QStringLiteral("audit.png"))));
        }

        // Another agent: its own log.
        child<QComboBox>(view, "agentChooser")->setCurrentIndex(1);
        QTRY_COMPARE(rows->rowCount(), 3);
        QCOMPARE(view.currentClient(), &secondClient);
        QVERIFY(!older->isEnabled());

        // The agent stops answering: the rows stay, the line says why.
        second.setHandler([](const HttpExchange&) {
            return HttpAnswer::error(503, QStringLiteral("actions_disabled"),
                                     QStringLiteral("no audit_log configured"));
        });
        QTest::mouseClick(child<QPushButton>(view, "refreshButton"), Qt::LeftButton);
        QTRY_VERIFY(!view.model()->errorText().isEmpty());
        QCOMPARE(rows->rowCount(), 3);
        QVERIFY2(status->text().startsWith(
                     QStringLiteral("Stale: failed to load: actions are disabled")),
                 qPrintable(status->text()));
        QVERIFY(status->text().contains(QStringLiteral("no audit_log configured")));

        // A new list without the chosen agent falls back to the first, read afresh.
        view.setAgents({{QStringLiteral("demo-1 (us-east)"), &firstClient}});
        QCOMPARE(view.currentClient(), &firstClient);
        QTRY_COMPARE(rows->rowCount(), 100);
        QVERIFY(view.model()->errorText().isEmpty());

        view.setAgents({});
        QCOMPARE(rows->rowCount(), 0);
        QCOMPARE(status->text(), QStringLiteral("No agent to read an audit log from."));
    }

    void showsWhereTheHashChainBreaks() {
        FakeHttpAgent agent;
        QVERIFY(agent.listen());
        FakeActionApi api(&agent);
        api.addAuditEntries(8);
        api.chain = QJsonObject{{QStringLiteral("intact"), false},
                                {QStringLiteral("entries"), 8},
                                {QStringLiteral("first_break"),
                                 QJsonObject{{QStringLiteral("line"), 4},
                                             {QStringLiteral("seq"), 4},
                                             {QStringLiteral("after_seq"), 3},
                                             {QStringLiteral("reason"),
                                              QStringLiteral("hash does not match its content")}}}};
        ActionClient client(agent.url(), FakeActionApi::kViewerToken);
        AuditView view;
        view.setAgents({{QStringLiteral("demo-1 (us-east)"), &client}});
        auto* status = child<QLabel>(view, "auditStatus");
        QTRY_COMPARE(view.table()->model()->rowCount(), 8);
        QVERIFY2(status->text().contains(
                     QStringLiteral("Hash chain broken at seq 4 (line 4): hash does not match "
                                    "its content. Check the log's file with “switchboard-audit "
                                    "verify”.")),
                 qPrintable(status->text()));
        QVERIFY(status->styleSheet().contains(QStringLiteral("#fff4d6"))); // it stands out

        // A line without an entry has no seq to name.
        api.chain[QStringLiteral("first_break")] =
            QJsonObject{{QStringLiteral("line"), 6},
                        {QStringLiteral("seq"), QJsonValue::Null},
                        {QStringLiteral("reason"), QStringLiteral("line is not JSON")}};
        view.refresh();
        QTRY_VERIFY2(status->text().contains(
                         QStringLiteral("Hash chain broken at line 6: line is not JSON.")),
                     qPrintable(status->text()));

        // An agent from before the chain says nothing about it, and the line stays plain.
        api.reportsChain = false;
        view.refresh();
        QTRY_VERIFY2(!status->text().contains(QStringLiteral("chain")), qPrintable(status->text()));
        QVERIFY(!status->styleSheet().contains(QStringLiteral("#fff4d6")));
    }
};

QTEST_MAIN(TestAuditView)
#include "tst_audit_view.moc"
