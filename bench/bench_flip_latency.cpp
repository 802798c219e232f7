// From a breaker flip in a backend to the console's breaker board: the agent embedded in this
// process, the console's Fleet (AgentClient over a loopback WebSocket, BreakerBoardModel) on the
// same event loop. Each flip (force open, then reset) is timed from the call on the backend's
// side to the moment the board model tells its views (dataChanged) that the instance's state is
// the new one. Prints the distribution; exits non-zero if a flip never arrived.
//
//   bench_flip_latency [flips]      (default 200)
#include "BreakerBoardModel.h"
#include "Fleet.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <switchboard/agent.h>
#include <switchboard/protocol.h>
#include <vector>

using namespace switchboard;
using Clock = std::chrono::steady_clock;

namespace {

// The state the board shows for `breaker` on its only instance, or -1.
int boardState(const BreakerBoardModel& board, const QString& breaker) {
    for (int row = 0; row < board.rowCount(); ++row) {
        QModelIndex group = board.index(row, 0);
        if (board.data(group, BreakerBoardModel::BreakerNameRole).toString() != breaker)
            continue;
        if (board.rowCount(group) == 0)
            return -1;
        return board.data(board.index(0, 0, group), BreakerBoardModel::StateRole).toInt();
    }
    return -1;
}

double percentile(std::vector<double> sorted, double p) {
    std::size_t index = std::min(sorted.size() - 1, std::size_t(p / 100.0 * sorted.size()));
    return sorted[index];
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int flips = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;

    QTemporaryDir dir;
    QFile tokenFile(dir.filePath("viewer.json"));
    if (!tokenFile.open(QIODevice::WriteOnly))
        return 2;
    tokenFile.write(R"({"name": "bench", "role": "viewer", "token": "bench-token-0123456789"})");
    tokenFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    tokenFile.close();

    AgentConfig config;
    config.service = "bench";
    config.instance = "bench-1";
    config.listen = "127.0.0.1:0";
    config.tokenFiles = {tokenFile.fileName().toStdString()};
    Agent agent(config);
    CircuitBreaker& breaker = agent.breaker("dependency");
    agent.start();

    Fleet fleet;
    fleet.addAgent(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(agent.port())),
                   QStringLiteral("bench-token-0123456789"));
    BreakerBoardModel& board = *fleet.breakers();
    const QString name = QStringLiteral("dependency");

    int expected = -1;
    Clock::time_point flippedAt;
    std::vector<double> latenciesMs;
    QEventLoop waiting;
    auto check = [&] {
        if (expected >= 0 && boardState(board, name) == expected) {
            latenciesMs.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - flippedAt).count());
            expected = -1;
            waiting.quit();
        }
    };
    // What a view hears: the model's signals, not its data.
    QObject::connect(&board, &QAbstractItemModel::dataChanged, &waiting, check);
    QObject::connect(&board, &QAbstractItemModel::rowsInserted, &waiting, check);
    QObject::connect(&board, &QAbstractItemModel::modelReset, &waiting, check);

    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &waiting, [&] { waiting.exit(1); });

    // Until the console has the breaker at all.
    expected = int(protocol::BreakerState::Closed);
    flippedAt = Clock::now();
    timeout.start(10000);
    if (waiting.exec() != 0) {
        std::fprintf(stderr, "the console never showed the breaker\n");
        return 1;
    }
    latenciesMs.clear();

    int lost = 0;
    for (int i = 0; i < flips; ++i) {
        bool open = i % 2 == 0;
        expected = int(open ? protocol::BreakerState::ForcedOpen : protocol::BreakerState::Closed);
        flippedAt = Clock::now();
        if (open)
            breaker.forceOpen();
        else
            breaker.reset();
        timeout.start(2000);
        if (waiting.exec() != 0)
            ++lost;
    }
    timeout.stop();
    agent.stop();

    if (latenciesMs.empty()) {
        std::fprintf(stderr, "no flip reached the console\n");
        return 1;
    }
    std::vector<double> sorted = latenciesMs;
    std::sort(sorted.begin(), sorted.end());
    std::printf("flips %d, arrived %zu, lost %d\n", flips, sorted.size(), lost);
    std::printf("flip -> board model (ms): min %.2f  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
                sorted.front(), percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 99), sorted.back());
    std::printf("goal p99 <= 50 ms: %s\n", percentile(sorted, 99) <= 50 ? "met" : "MISSED");
    return lost == 0 ? 0 : 1;
}
