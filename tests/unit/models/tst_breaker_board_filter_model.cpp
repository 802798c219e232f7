// BreakerBoardFilterModel over a BreakerBoardModel, both under QAbstractItemModelTester: name
// and state filters on the breakers (their instances follow), and the three orders, kept as
// reports change the values.
#include "BreakerBoardFilterModel.h"
#include "BreakerBoardModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using switchboard::BreakerBoardFilterModel;
using switchboard::BreakerBoardModel;
using switchboard::BreakerStatus;
using switchboard::ConnectionState;
using switchboard::protocol::BreakerState;
using SortKey = BreakerBoardFilterModel::SortKey;
using StateFilter = BreakerBoardFilterModel::StateFilter;

namespace {

constexpr qint64 kT0 = 1795000000000;
const QString kA = QStringLiteral("http://a:1");
const QString kB = QStringLiteral("http://b:2");

BreakerStatus breaker(const QString& name, BreakerState state, double failureRate) {
    BreakerStatus result;
    result.name = name;
    result.state = state;
    result.failureRate = failureRate;
    return result;
}

QStringList names(const QAbstractItemModel& model) {
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, 0).data(BreakerBoardModel::BreakerNameRole).toString());
    return result;
}

} // namespace

class TestBreakerBoardFilterModel : public QObject {
    Q_OBJECT

private slots:
    void init() {
        m_board = std::make_unique<BreakerBoardModel>();
        m_filter = std::make_unique<BreakerBoardFilterModel>();
        m_filter->setSourceModel(m_board.get());
        m_boardTester = std::make_unique<QAbstractItemModelTester>(
            m_board.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_filterTester = std::make_unique<QAbstractItemModelTester>(
            m_filter.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // payments: closed on both; postgres.primary: half-open on b only; redis: open on a;
        // search: disabled, not measured; users: closed at 30 % failures.
        m_board->applyBreaker(kA, breaker(QStringLiteral("payments"), BreakerState::Closed, 2),
                              kT0);
        m_board->applyBreaker(kB, breaker(QStringLiteral("payments"), BreakerState::Closed, 1),
                              kT0);
        m_board->applyBreaker(
            kA, breaker(QStringLiteral("postgres.primary"), BreakerState::Closed, 0), kT0);
        m_board->applyBreaker(
            kB, breaker(QStringLiteral("postgres.primary"), BreakerState::HalfOpen, 10), kT0);
        m_board->applyBreaker(kA, breaker(QStringLiteral("redis"), BreakerState::Open, 100), kT0);
        m_board->applyBreaker(kA, breaker(QStringLiteral("search"), BreakerState::Disabled, -1),
                              kT0);
        m_board->applyBreaker(kA, breaker(QStringLiteral("users"), BreakerState::Closed, 30), kT0);
        m_board->flushPendingChanges();
    }

    void cleanup() {
        m_filterTester.reset();
        m_boardTester.reset();
        m_filter.reset();
        m_board.reset();
    }

    void sortsWorstFirstByDefault() {
        QCOMPARE(m_filter->sortKey(), SortKey::Severity);
        QCOMPARE(names(*m_filter),
                 (QStringList{"redis", "postgres.primary", "search", "payments", "users"}));
        // Instances too: the half-open one first.
        const QModelIndex postgres = m_filter->index(1, 0);
        QCOMPARE(m_filter->index(0, 0, postgres).data(BreakerBoardModel::AgentIdRole).toString(),
                 kB);
    }

    void sortsByNameAndByFailureRate() {
        m_filter->setSortKey(SortKey::Name);
        QCOMPARE(names(*m_filter),
                 (QStringList{"payments", "postgres.primary", "redis", "search", "users"}));
        m_filter->setSortKey(SortKey::FailureRate);
        // Unknown (-1) last.
        QCOMPARE(names(*m_filter),
                 (QStringList{"redis", "users", "postgres.primary", "payments", "search"}));
        // Reports move a breaker without anyone asking.
        m_board->applyBreaker(kB, breaker(QStringLiteral("payments"), BreakerState::Closed, 45),
                              kT0 + 1000);
        m_board->flushPendingChanges();
        QCOMPARE(names(*m_filter),
                 (QStringList{"redis", "payments", "users", "postgres.primary", "search"}));
    }

    void filtersByName() {
        m_filter->setNameFilter(QStringLiteral("P"));
        QCOMPARE(names(*m_filter), (QStringList{"postgres.primary", "payments"}));
        // A shown breaker keeps all its instances.
        QCOMPARE(m_filter->rowCount(m_filter->index(0, 0)), 2);
        m_filter->setNameFilter(QStringLiteral("nothing"));
        QCOMPARE(m_filter->rowCount(), 0);
        m_filter->setNameFilter({});
        QCOMPARE(m_filter->rowCount(), 5);
    }

    void filtersByState_data() {
        QTest::addColumn<StateFilter>("filter");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("all") << StateFilter::All
                             << QStringList{"redis", "postgres.primary", "search", "payments",
                                            "users"};
        QTest::newRow("not closed")
            << StateFilter::NotClosed << QStringList{"redis", "postgres.primary", "search"};
        QTest::newRow("open") << StateFilter::Open << QStringList{"redis"};
        QTest::newRow("half-open") << StateFilter::HalfOpen << QStringList{"postgres.primary"};
        // postgres.primary is closed on one instance: it matches too.
        QTest::newRow("closed") << StateFilter::Closed
                                << QStringList{"postgres.primary", "payments", "users"};
        QTest::newRow("disabled") << StateFilter::Disabled << QStringList{"search"};
        QTest::newRow("stale") << StateFilter::Stale << QStringList{};
    }

    void filtersByState() {
        QFETCH(StateFilter, filter);
        QFETCH(QStringList, expected);
        m_filter->setStateFilter(filter);
        QCOMPARE(m_filter->stateFilter(), filter);
        QCOMPARE(names(*m_filter), expected);
    }

    void staleFilterFollowsConnections() {
        m_filter->setStateFilter(StateFilter::Stale);
        QCOMPARE(m_filter->rowCount(), 0);
        m_board->setConnectionState(kB, ConnectionState::Stale, QDateTime::currentDateTime());
        m_board->flushPendingChanges();
        QCOMPARE(names(*m_filter), (QStringList{"postgres.primary", "payments"}));
        // Both filters at once.
        m_filter->setNameFilter(QStringLiteral("pay"));
        QCOMPARE(names(*m_filter), (QStringList{"payments"}));
    }

private:
    std::unique_ptr<BreakerBoardModel> m_board;
    std::unique_ptr<BreakerBoardFilterModel> m_filter;
    std::unique_ptr<QAbstractItemModelTester> m_boardTester;
    std::unique_ptr<QAbstractItemModelTester> m_filterTester;
};

QTEST_GUILESS_MAIN(TestBreakerBoardFilterModel)
#include "tst_breaker_board_filter_model.moc"
