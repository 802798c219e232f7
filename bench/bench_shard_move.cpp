// A bucket's move against a raw COPY of the same rows between the same two shard nodes, in the
// same run, on the stack's real shard nodes (tests/support/LocalStack). The move is everything
// BucketMover does (batched copy, catch-up by row hash, verify under the write hold, flip,
// delete); the raw COPY is one `COPY (SELECT ...) TO STDOUT` piped into `COPY ... FROM STDIN`
// into a table of the same definition. Goal: the move's throughput ≥ 50 % of the raw COPY's.
//
//   bench_shard_move [rows] [rounds]      (default 200000 rows, 3 rounds)
#include "LocalStack.h"
#include "bucket_mover.h"
#include "shard_catalog.h"
#include "shard_node.h"

#include <QCoreApplication>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <pqxx/tablereader>
#include <pqxx/tablewriter>
#pragma GCC diagnostic pop

using namespace switchboard;
using Clock = std::chrono::steady_clock;

namespace {

std::string conninfo(const LocalStack& stack, const char* server) {
    return stack.server(QString::fromLatin1(server))
        .value(QStringLiteral("conninfo"))
        .toString()
        .toStdString();
}

double seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
// The baseline: the bucket's rows, COPY to COPY, into a scratch table on the other node.
double rawCopy(const std::string& from, const std::string& to) {
    pqxx::connection source(from), target(to);
    pqxx::nontransaction(target).exec0("TRUNCATE orders_copy");
    auto started = Clock::now();
    pqxx::read_transaction read(source);
    pqxx::work write(target);
    pqxx::tablereader reader(read, "(SELECT * FROM orders WHERE bucket = 0)");
    pqxx::tablewriter writer(write, "orders_copy");
    for (std::string line; reader.get_raw_line(line);)
        writer.write_raw_line(line);
    reader.complete();
    writer.complete();
    write.commit();
    return seconds(started);
}
#pragma GCC diagnostic pop

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int rows = argc > 1 ? std::max(1000, std::atoi(argv[1])) : 200000;
    const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    LocalStack stack;
    if (!stack.ok()) {
        std::fprintf(stderr, "the local stack did not start: %s\n", qPrintable(stack.error()));
        return 1;
    }
    const std::string nodes[2] = {conninfo(stack, "shard-1"), conninfo(stack, "shard-2")};
    const char* table = "(id bigint PRIMARY KEY, customer bigint NOT NULL, bucket int NOT NULL, "
                        "amount numeric(12,2) NOT NULL, note text, created_at timestamptz NOT "
                        "NULL DEFAULT now())";
    for (const auto& node : nodes) {
        pqxx::connection db(node);
        pqxx::nontransaction(db).exec0(std::string("CREATE TABLE orders ") + table +
                                       "; CREATE TABLE orders_copy " + table);
        prepareShardNode(db);
    }
    {
        pqxx::connection catalog(conninfo(stack, "pg-primary"));
        ensureShardCatalog(catalog, 1, {{"shard-1", nodes[0]}, {"shard-2", nodes[1]}});
        pqxx::connection first(nodes[0]);
        pqxx::work tx(first);
        tx.exec0("INSERT INTO switchboard_bucket_owner VALUES (0)");
        tx.exec_params0("INSERT INTO orders (id, customer, bucket, amount, note) SELECT g, g % "
                        "5000, 0, (g % 100000) / 100.0, repeat('n', 40) FROM generate_series(1, "
                        "$1) g",
                        rows);
        tx.commit();
        pqxx::nontransaction(first).exec0("VACUUM ANALYZE orders");
    }
    BucketMover mover(conninfo(stack, "pg-primary"), {{"orders"}}, 60000);
    std::vector<double> ratios;
    std::printf("bucket move vs raw COPY, %d rows (%s), %d rounds:\n", rows, "~90 bytes each",
                rounds);
    int at = 0; // the node holding the bucket
    for (int round = 0; round < rounds; ++round) {
        double copy = rawCopy(nodes[at], nodes[1 - at]);
        ShardMoveRecord move;
        move.jobId = "bench-" + std::to_string(round);
        move.bucket = 0;
        move.from = at == 0 ? "shard-1" : "shard-2";
        move.to = at == 0 ? "shard-2" : "shard-1";
        auto started = Clock::now();
        // Where the time goes: the moment each phase starts.
        std::string phases, lastPhase;
        BucketMover::Hooks hooks;
        hooks.progress = [&](const ShardMoveRecord& now) {
            if (now.phase != lastPhase) {
                char at[64];
                std::snprintf(at, sizeof at, " %s@%.2f", now.phase.c_str(), seconds(started));
                phases += at;
                lastPhase = now.phase;
            }
        };
        auto outcome = mover.run(move, nodes[at], nodes[1 - at], hooks);
        double moved = seconds(started);
        if (outcome.rowsCopied != rows) {
            std::fprintf(stderr, "moved %lld rows, expected %d\n",
                         static_cast<long long>(outcome.rowsCopied), rows);
            return 1;
        }
        ratios.push_back(copy / moved);
        std::printf("  round %d (%s → %s): raw COPY %.2f s (%.0f rows/s), move %.2f s (%.0f "
                    "rows/s), write hold %lld ms: move at %.0f %% of COPY\n",
                    round + 1, move.from.c_str(), move.to.c_str(), copy, rows / copy, moved,
                    rows / moved, static_cast<long long>(outcome.writePause.count()),
                    100.0 * copy / moved);
        std::printf("    phases (s from the start):%s\n", phases.c_str());
        at = 1 - at;
    }
    std::sort(ratios.begin(), ratios.end());
    double median = ratios[ratios.size() / 2];
    std::printf("  median: move at %.0f %% of the raw COPY's throughput (goal ≥ 50 %%)\n",
                100.0 * median);
    return 0;
}
