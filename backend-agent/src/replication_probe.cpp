#include "replication_probe.h"

#include "pg_conninfo.h"
#include "postgres_probe.h" // postgresTarget

#include <algorithm>
#include <cctype>
#include <pqxx/pqxx>
#include <sys/socket.h>
#include <utility>

namespace switchboard {

namespace {

using Status = protocol::ProbeStatus;

// The primary's position; a primary found in recovery (mid-failover) has no current WAL LSN.
constexpr const char* kCurrentLsn =
    "(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)";

// A primary's timeline from the WAL file it writes: the control file's checkpoint still names
// the old timeline after a promotion until the next checkpoint (pg_walfile_name() refuses
// during recovery, where the checkpoint's is all there is).
const std::string kPrimarySql =
    std::string("SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN "
                "(SELECT timeline_id FROM pg_control_checkpoint())::bigint ELSE ('x' || "
                "substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::bigint END, ") +
    kCurrentLsn + "::text";

// NULL lag (caught up and idle, or not streaming yet) counts as 0.
const std::string kSendersSql = std::string("WITH cur AS (SELECT ") + kCurrentLsn +
                                " AS lsn) SELECT r.pid, r.application_name, r.state, r.sync_state, "
                                "COALESCE(pg_wal_lsn_diff(cur.lsn, r.write_lsn), 0)::bigint, "
                                "COALESCE(pg_wal_lsn_diff(cur.lsn, r.flush_lsn), 0)::bigint, "
                                "COALESCE(pg_wal_lsn_diff(cur.lsn, r.replay_lsn), 0)::bigint, "
                                "COALESCE(extract(epoch FROM r.write_lag), 0)::float8, "
                                "COALESCE(extract(epoch FROM r.flush_lag), 0)::float8, "
                                "COALESCE(extract(epoch FROM r.replay_lag), 0)::float8, "
                                "COALESCE((r.replay_lsn - '0/0'::pg_lsn)::bigint, -1) "
                                "FROM pg_stat_replication r, cur ORDER BY r.application_name";

const std::string kSlotsSql = std::string("WITH cur AS (SELECT ") + kCurrentLsn +
                              " AS lsn) SELECT s.slot_name, s.active, COALESCE(s.active_pid, 0), "
                              "COALESCE(pg_wal_lsn_diff(cur.lsn, s.restart_lsn), 0)::bigint "
                              "FROM pg_replication_slots s, cur ORDER BY s.slot_name";

// A replica's replay lag in time: since its last replayed commit, but only while it is behind
// what it received (or paused); an idle replica's last commit ages without any lag.
const char* const kSelfSql =
    "SELECT pg_is_in_recovery(), COALESCE(pg_last_wal_receive_lsn()::text, ''), "
    "COALESCE(pg_last_wal_replay_lsn()::text, ''), "
    "CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END, "
    "CASE WHEN pg_is_in_recovery() AND (pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() "
    "OR pg_is_wal_replay_paused()) "
    "THEN COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) "
    "ELSE 0 END::float8, "
    "COALESCE((SELECT received_tli FROM pg_stat_wal_receiver), "
    "(SELECT timeline_id FROM pg_control_checkpoint()))::bigint, "
    "COALESCE(current_setting('primary_slot_name', true), '')";

std::string text(const pqxx::field& field) {
    return field.is_null() ? std::string() : field.as<std::string>();
}

// "pg-replica-1" → "slot_pg_replica_1": slot names allow only [a-z0-9_].
std::string conventionalSlotName(const std::string& replica) {
    std::string slot = "slot_";
    for (char c : replica)
        slot += std::isalnum(static_cast<unsigned char>(c))
                    ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                    : '_';
    return slot;
}

std::int64_t nowMsSinceEpoch() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

struct ReplicationProbe::Sender {
    int pid = 0;
    std::string name, state, syncState;
    std::int64_t writeBytes = 0, flushBytes = 0, replayBytes = 0;
    double writeSeconds = 0, flushSeconds = 0, replaySeconds = 0;
    std::int64_t replayLsn = -1; // where it has replayed to, as a byte position
};

ReplicationProbe::ReplicationProbe(std::string primaryConninfo,
                                   std::vector<ReplicaEndpoint> replicas, int timeoutMs)
    : primaryConninfo_(std::move(primaryConninfo))
    , replicas_(std::move(replicas))
    , timeoutMs_(timeoutMs) {}

void ReplicationProbe::watch(int socket) noexcept {
    std::lock_guard lock(watchMutex_);
    socket_ = socket;
    queryStarted_ = std::chrono::steady_clock::now();
}

void ReplicationProbe::abortOverdue() noexcept {
    // The server cancels a query at statement_timeout; past that plus a margin, it is not
    // answering at all, and libpq would wait in poll() forever. (libpqxx 6.4 leaks the broken
    // query's PGresult, a few hundred bytes per abort: see tests/lsan.supp.)
    std::lock_guard lock(watchMutex_);
    auto overdue = std::chrono::milliseconds(timeoutMs_ + 1000);
    if (socket_ >= 0 && std::chrono::steady_clock::now() - queryStarted_ > overdue) {
        ::shutdown(socket_, SHUT_RDWR);
        aborted_ = true;
    }
}

std::string ReplicationProbe::failure(const std::exception& error) {
    std::lock_guard lock(watchMutex_);
    bool aborted = std::exchange(aborted_, false);
    // libpqxx reports the shut-down socket obliquely ("Could not obtain client encoding").
    return aborted ? "no answer within " + std::to_string(timeoutMs_ + 1000) +
                         " ms; the query was aborted"
                   : pgErrorText(error);
}

bool ReplicationProbe::checkPrimary(PrimaryReport& primary, std::vector<Sender>& senders,
                                    std::vector<ReplicationSlot>& slots,
                                    std::map<int, std::string>& slotOfPid) {
    try {
        pqxx::connection db(probeConninfo(primaryConninfo_, timeoutMs_));
        struct Unwatch {
            ReplicationProbe* probe;
            ~Unwatch() { probe->watch(-1); } // before the descriptor closes
        } unwatch{this};
        pqxx::nontransaction tx(db);
        watch(db.sock());
        pqxx::row row = tx.exec1(kPrimarySql);
        primary.inRecovery = row[0].as<bool>();
        primary.timeline = row[1].is_null() ? 0 : row[1].as<std::int64_t>();
        primary.currentLsn = text(row[2]);
        watch(db.sock());
        for (const auto& r : tx.exec(kSendersSql)) {
            Sender sender;
            sender.pid = r[0].is_null() ? 0 : r[0].as<int>();
            sender.name = text(r[1]);
            sender.state = text(r[2]);
            sender.syncState = text(r[3]);
            sender.writeBytes = std::max<std::int64_t>(0, r[4].as<std::int64_t>());
            sender.flushBytes = std::max<std::int64_t>(0, r[5].as<std::int64_t>());
            sender.replayBytes = std::max<std::int64_t>(0, r[6].as<std::int64_t>());
            sender.writeSeconds = r[7].as<double>();
            sender.flushSeconds = r[8].as<double>();
            sender.replaySeconds = r[9].as<double>();
            sender.replayLsn = r[10].as<std::int64_t>();
            senders.push_back(std::move(sender));
        }
        watch(db.sock());
        for (const auto& r : tx.exec(kSlotsSql)) {
            ReplicationSlot slot{text(r[0]), r[1].as<bool>(),
                                 std::max<std::int64_t>(0, r[3].as<std::int64_t>())};
            if (int pid = r[2].as<int>(); pid != 0)
                slotOfPid[pid] = slot.name;
            slots.push_back(std::move(slot));
        }
        primary.status = Status::Up;
        return true;
    } catch (const std::exception& error) {
        primary.status = Status::Down;
        primary.error = failure(error);
    } catch (...) {
        primary.status = Status::Down;
        primary.error = "unknown error";
    }
    return false;
}

void ReplicationProbe::checkSelf(const std::string& conninfo, ReplicaSelfView& self,
                                 std::string& slotName, std::int64_t& timeline) {
    try {
        pqxx::connection db(probeConninfo(conninfo, timeoutMs_));
        struct Unwatch {
            ReplicationProbe* probe;
            ~Unwatch() { probe->watch(-1); }
        } unwatch{this};
        pqxx::nontransaction tx(db);
        watch(db.sock());
        pqxx::row row = tx.exec1(kSelfSql);
        self.inRecovery = row[0].as<bool>();
        self.receiveLsn = text(row[1]);
        self.replayLsn = text(row[2]);
        self.replayPaused = row[3].as<bool>();
        self.replayLagSeconds = std::max(0.0, row[4].as<double>());
        timeline = row[5].is_null() ? 0 : row[5].as<std::int64_t>();
        slotName = text(row[6]);
        self.status = Status::Up;
    } catch (const std::exception& error) {
        self.status = Status::Down;
        self.error = failure(error);
    } catch (...) {
        self.status = Status::Down;
        self.error = "unknown error";
    }
}

ReplicationReport ReplicationProbe::check() noexcept {
    ReplicationReport report;
    report.checkedMs = nowMsSinceEpoch();
    report.primary.target = postgresTarget(primaryConninfo_);
    std::vector<Sender> senders;
    std::vector<ReplicationSlot> slots;
    std::map<int, std::string> slotOfPid;
    bool primaryUp = checkPrimary(report.primary, senders, slots, slotOfPid);
    auto slotNamed = [&](const std::string& name) -> std::optional<ReplicationSlot> {
        for (const auto& slot : slots)
            if (slot.name == name)
                return slot;
        return std::nullopt;
    };
    auto fromSender = [&](ReplicaReport& replica, const Sender& sender) {
        replica.state = sender.state;
        replica.status = Status::Up;
        replica.syncState = sender.syncState;
        replica.writeLagBytes = sender.writeBytes;
        replica.flushLagBytes = sender.flushBytes;
        replica.replayLagBytes = sender.replayBytes;
        replica.writeLagSeconds = sender.writeSeconds;
        replica.flushLagSeconds = sender.flushSeconds;
        // A replay stopped dead may keep its last, tiny replay_lag: its stall counts too.
        replica.replayLagSeconds = std::max(
            sender.replaySeconds, replayStall_.observe(sender.name, sender.replayLsn,
                                                       sender.replayBytes, report.checkedMs));
        if (auto slot = slotOfPid.find(sender.pid); slot != slotOfPid.end())
            replica.slot = slotNamed(slot->second);
    };
    std::vector<bool> matched(senders.size(), false);
    for (const auto& endpoint : replicas_) {
        ReplicaReport replica;
        replica.name = endpoint.name;
        replica.target = postgresTarget(endpoint.conninfo);
        std::string ownSlot;
        std::int64_t ownTimeline = 0;
        checkSelf(endpoint.conninfo, replica.self, ownSlot, ownTimeline);
        bool selfUp = replica.self.status == Status::Up;
        auto sender = std::find_if(senders.begin(), senders.end(),
                                   [&](const Sender& s) { return s.name == endpoint.name; });
        if (sender != senders.end()) {
            matched[sender - senders.begin()] = true;
            fromSender(replica, *sender);
        } else if (primaryUp) {
            replica.state = selfUp ? "not_connected" : "down";
            replica.status = Status::Down;
            replica.error = "the primary has no walsender for " + endpoint.name;
        } else {
            // Nobody can say whether it streams; "down" only if it does not answer either.
            replica.state = selfUp ? "unknown" : "down";
            replica.status = Status::Down;
            replica.error = "primary unreachable: " + report.primary.error;
        }
        if (!selfUp && replica.status == Status::Down)
            replica.error += "; its own connection: " + replica.self.error;
        // A replica gone from pg_stat_replication still holds its slot: show what it retains.
        if (!ownSlot.empty())
            lastSlot_[endpoint.name] = ownSlot;
        else if (replica.slot)
            lastSlot_[endpoint.name] = replica.slot->name;
        if (!replica.slot && lastSlot_.contains(endpoint.name))
            replica.slot = slotNamed(lastSlot_[endpoint.name]);
        if (!replica.slot) // never seen since the agent started: the stack's and Patroni's name
            replica.slot = slotNamed(conventionalSlotName(endpoint.name));
        replica.timeline =
            selfUp ? ownTimeline : (replica.status == Status::Up ? report.primary.timeline : 0);
        replica.replayLagSeconds =
            std::max(replica.replayLagSeconds, replica.self.replayLagSeconds);
        report.replicas.push_back(std::move(replica));
    }
    // Streaming but not configured (another standby, a base backup): listed, never hidden.
    for (std::size_t i = 0; i < senders.size(); ++i) {
        if (matched[i])
            continue;
        ReplicaReport replica;
        replica.name = senders[i].name;
        fromSender(replica, senders[i]);
        replica.timeline = report.primary.timeline;
        replica.self.error = "not configured";
        report.replicas.push_back(std::move(replica));
    }
    return report;
}

} // namespace switchboard
