// Shared by the regions and drill tests: the regions document as docs/drills.md shows it
// (two regions, the active one with two members, a standby with one, one drill result), so the
// parsing, model, report and GUI tests all read the same figures.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace regions_test_data {

// Started 2026-11-23 23:54:22.336 UTC.
inline constexpr qint64 kDrillStartedMs = 1795478062336;

inline QByteArray drillResultJson() {
    return R"({"id": "d-1", "kind": "switchover", "mode": "live", "region": "us-east",
 "from": "pg-us-east-1", "to": "pg-us-east-2", "outcome": "succeeded",
 "started_ms": 1795478062336, "finished_ms": 1795478066336,
 "rto_ms": 1210, "rpo_writes": 0, "rpo_bytes": 0, "rpo_ms": 0, "write_gap_ms": 980,
 "writes_checked": 5120, "targets": {"rto_ms": 15000, "rpo_ms": 1000},
 "met": {"rto": true, "rpo": true},
 "timeline": [{"t_ms": 0, "step": "preflight", "detail": "pg-us-east-2 streaming, lag 0 B"},
              {"t_ms": 12, "step": "switchover", "detail": "POST /switchover: 200"},
              {"t_ms": 1222, "step": "first write", "detail": "acknowledged by pg-us-east-2"}],
 "error": ""})";
}

// An older drill of the standby region that lost writes and missed its RPO target.
inline QByteArray failedDrillJson() {
    return R"({"id": "d-0", "kind": "failover", "mode": "live", "region": "eu-west",
 "from": "pg-eu-west-1", "to": "pg-eu-west-2", "outcome": "aborted",
 "started_ms": 1795470000000, "finished_ms": 1795470031000,
 "rto_ms": 24000, "rpo_writes": 3, "rpo_bytes": 24576, "rpo_ms": 1800, "write_gap_ms": 23100,
 "writes_checked": 4100, "targets": {"rto_ms": 15000, "rpo_ms": 1000},
 "met": {"rto": false, "rpo": false},
 "timeline": [{"t_ms": 0, "step": "fault", "detail": "kill pg-eu-west-1"}],
 "error": "stop condition: write error rate 100 % past the RTO target"})";
}

inline QByteArray regionsJson() {
    return QByteArray(R"({
  "checked_ms": 1795478100000,
  "tier": "critical", "rto_target_ms": 15000, "rpo_target_ms": 1000,
  "write_target": {"name": "pg-us-east-2", "epoch": 3},
  "regions": [
    {"name": "us-east", "role": "active", "cluster": "us-east", "provider": "patroni",
     "health": "ok",
     "leader": "pg-us-east-2", "timeline": 2, "cross_region_lag_bytes": null, "error": "",
     "members": [
       {"name": "pg-us-east-1", "role": "replica", "state": "running", "host": "127.0.0.1",
        "port": 5432, "timeline": 2, "lag_bytes": 0, "streaming": true},
       {"name": "pg-us-east-2", "role": "leader", "state": "running", "host": "127.0.0.1",
        "port": 5433, "timeline": 2, "lag_bytes": 0, "streaming": true}],
     "history": [{"timeline": 1, "lsn": 83886472, "reason": "no recovery target specified",
                  "time": "2026-11-23T23:54:22.336457+00:00", "leader": "pg-us-east-1"}]},
    {"name": "eu-west", "role": "standby", "cluster": "eu-west", "health": "degraded",
     "leader": "pg-eu-west-1", "timeline": 2, "cross_region_lag_bytes": 8192, "error": "",
     "members": [
       {"name": "pg-eu-west-1", "role": "standby_leader", "state": "running",
        "host": "127.0.0.1", "port": 5434, "timeline": 2, "lag_bytes": null, "streaming": true},
       {"name": "pg-eu-west-2", "role": "replica", "state": "running", "host": "127.0.0.1",
        "port": 5435, "timeline": 2, "lag_bytes": 0, "streaming": false}],
     "history": []}
  ],
  "drills": [)") +
           drillResultJson() + "," + failedDrillJson() + "]}";
}

inline QJsonObject regionsObject() {
    return QJsonDocument::fromJson(regionsJson()).object();
}

inline QJsonObject drillResultObject() {
    return QJsonDocument::fromJson(drillResultJson()).object();
}

} // namespace regions_test_data
