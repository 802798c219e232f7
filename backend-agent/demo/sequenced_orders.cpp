#include "sequenced_orders.h"

#include "pg_timeouts.h"

#include <cstring>
#include <pqxx/pqxx>
#include <stdexcept>

namespace demo {

namespace {

// Every kBulkEvery-th write also inserts kBulkRows rows in one statement (~1 MiB of WAL): at the
// default 20 writes/s, one batch every 5 s, enough for the replicas' replay lag to show on the
// board now and then, little enough for a 2-core machine running the whole stack.
constexpr long kBulkEvery = 100;
constexpr int kBulkRows = 5000;

} // namespace

SequencedOrderWriter::SequencedOrderWriter(switchboard::WriteRouter& router, std::string instance,
                                           const std::string& ackedFile)
    : router_(router)
    , instance_(std::move(instance))
    , target_(router.target()) {
    if (ackedFile.empty())
        return;
    acked_.open(ackedFile, std::ios::app);
    if (!acked_)
        throw std::runtime_error("cannot append to --acked-writes " + ackedFile + ": " +
                                 std::strerror(errno));
}

SequencedOrderWriter::~SequencedOrderWriter() = default;

std::string SequencedOrderWriter::targetName() {
    if (router_.epoch() != target_.epoch) {
        target_ = router_.target();
        db_.reset(); // the next write connects to the new target
    }
    return target_.name;
}

void SequencedOrderWriter::connect() {
    db_ = std::make_unique<pqxx::connection>(withTimeouts(target_.conninfo));
    pqxx::work setup(*db_);
    // Two demo instances may start at once: one creates the table. The write_* columns were
    // added later: a table of an older demo gets them too.
    setup.exec("SELECT pg_advisory_xact_lock(7464)");
    setup.exec0("CREATE TABLE IF NOT EXISTS demo_orders (id bigserial PRIMARY KEY, "
                "instance text NOT NULL, amount numeric(10,2) NOT NULL, "
                "created_at timestamptz NOT NULL DEFAULT now())");
    setup.exec0("ALTER TABLE demo_orders ADD COLUMN IF NOT EXISTS write_run text, "
                "ADD COLUMN IF NOT EXISTS write_seq bigint");
    setup.exec0("CREATE INDEX IF NOT EXISTS demo_orders_write ON demo_orders (write_run, "
                "write_seq)");
    setup.commit();
}

bool SequencedOrderWriter::write() {
    targetName(); // follow a repoint that came since the last call
    std::uint64_t sequence = 0;
    try {
        if (!db_)
            connect();
        sequence = router_.begin();
        pqxx::work tx(*db_);
        tx.exec_params0("INSERT INTO demo_orders (instance, amount, write_run, write_seq) "
                        "VALUES ($1, $2, $3, $4)",
                        instance_, std::uniform_int_distribution<int>(100, 99999)(random_) / 100.0,
                        router_.runId(), static_cast<long long>(sequence));
        if (++written_ % kBulkEvery == 0) {
            tx.exec_params0("INSERT INTO demo_orders (instance, amount) SELECT $1, "
                            "(random() * 999)::numeric(10,2) FROM generate_series(1, $2::int)",
                            instance_, kBulkRows);
            // Keep the table bounded: the newest 40 000 orders, and every sequenced order of
            // the last 5 minutes, which a drill may still look for.
            tx.exec_params0("DELETE FROM demo_orders WHERE instance = $1 AND id < "
                            "(SELECT max(id) - 40000 FROM demo_orders) AND (write_seq IS NULL "
                            "OR created_at < now() - interval '5 minutes')",
                            instance_);
        }
        tx.commit();
    } catch (const std::exception&) {
        if (sequence)
            router_.failed(sequence);
        db_.reset();
        throw;
    }
    router_.acknowledged(sequence);
    if (acked_.is_open()) {
        acked_ << router_.runId() << ' ' << sequence << '\n';
        acked_.flush();
    }
    return true;
}

} // namespace demo
