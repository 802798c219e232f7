// The end-to-end promise, with real servers: the demo's pricing dependency starts
// failing → the demo's breaker opens → the console's breaker board (Fleet → BreakerBoardModel)
// shows it open within a second of the transition; the dependency recovers → half-open →
// closed on the board too.
#include "BreakerBoardModel.h"
#include "DemoBackend.h"
#include "Fleet.h"
#include "HttpCall.h"
#include "LocalStack.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <memory>

using namespace switchboard;

class TestBreakerBoardLive : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    std::unique_ptr<Fleet> fleet_;
    QString agentId_;

    QModelIndex instanceRow(const QString& breaker) const {
        const BreakerBoardModel& board = *fleet_->breakers();
        for (int row = 0; row < board.rowCount(); ++row) {
            QModelIndex group = board.index(row, 0);
            if (board.data(group, BreakerBoardModel::BreakerNameRole).toString() == breaker &&
                board.rowCount(group) > 0)
                return board.index(0, 0, group);
        }
        return {};
    }
    int boardState(const QString& breaker) const {
        QModelIndex row = instanceRow(breaker);
        return row.isValid() ? fleet_->breakers()->data(row, BreakerBoardModel::StateRole).toInt()
                             : -1;
    }
    bool setKnobs(const QJsonObject& knobs) {
        QUrl url = demo_->dependencyUrl();
        url.setPath(QStringLiteral("/knobs"));
        return HttpCall::run("PUT", url, {}, QJsonDocument(knobs).toJson()).status == 200;
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-board"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        fleet_ = std::make_unique<Fleet>();
        agentId_ = fleet_->addAgent(demo_->url(), stack_->viewerToken());
        QTRY_COMPARE_WITH_TIMEOUT(boardState("pricing"), int(protocol::BreakerState::Closed),
                                  15000);
    }
    void cleanupTestCase() {
        fleet_.reset();
        demo_.reset();
        stack_.reset();
    }

    void failingDependencyShowsOpenWithinASecond() {
        // When the agent says the breaker opened (its own clock, on this same machine).
        qint64 openedAtMs = 0;
        connect(fleet_->client(agentId_), &AgentClient::eventReceived, this,
                [&](const StreamEvent& event) {
                    if (event.kind == StreamEvent::Kind::Breaker &&
                        event.breaker.name == QLatin1String("pricing") &&
                        event.breaker.transition &&
                        event.breaker.transition->to == QLatin1String("open") && !openedAtMs)
                        openedAtMs = event.breaker.sinceMs;
                });
        qint64 shownAtMs = 0;
        connect(fleet_->breakers(), &QAbstractItemModel::dataChanged, this, [&] {
            if (!shownAtMs && boardState("pricing") == int(protocol::BreakerState::Open))
                shownAtMs = QDateTime::currentMSecsSinceEpoch();
        });

        QVERIFY(setKnobs({{"error_rate", 1.0}}));
        QTRY_VERIFY_WITH_TIMEOUT(shownAtMs > 0, 15000);
        QVERIFY(openedAtMs > 0);
        qint64 delay = shownAtMs - openedAtMs;
        QVERIFY2(delay <= 1000, qPrintable(QStringLiteral("the board showed it %1 ms after the "
                                                          "agent opened it")
                                               .arg(delay)));
        qInfo("breaker opened -> board showed it: %lld ms", static_cast<long long>(delay));
        QCOMPARE(fleet_->breakers()
                     ->data(instanceRow("pricing"), BreakerBoardModel::StateLabelRole)
                     .toString(),
                 QStringLiteral("Open"));
    }

    void recoveringDependencyGoesHalfOpenThenClosed() {
        QStringList seen;
        connect(fleet_->client(agentId_), &AgentClient::eventReceived, this,
                [&](const StreamEvent& event) {
                    if (event.kind == StreamEvent::Kind::Breaker &&
                        event.breaker.name == QLatin1String("pricing") && event.breaker.transition)
                        seen.append(event.breaker.transition->to);
                });
        QVERIFY(setKnobs({{"error_rate", 0.0}}));
        QTRY_COMPARE_WITH_TIMEOUT(boardState("pricing"), int(protocol::BreakerState::Closed),
                                  15000);
        QCOMPARE(seen, (QStringList{"half_open", "closed"}));
    }
};

QTEST_GUILESS_MAIN(TestBreakerBoardLive)
#include "tst_breaker_board_live.moc"
