// The agent's configuration: every bad value is an error naming its key; the environment
// overrides the file; unknown keys warn.
#include "switchboard/agent_config.h"

#include <QTest>

using switchboard::AgentConfig;
using switchboard::ConfigError;
using switchboard::HaConfig;

// Qt 6.4's moc reads "//" in a raw string literal that goes on to another line as a comment and
// then misses the test class: the "ha" fixtures write Patroni URLs as "rest:HOST:PORT" and this
// spells them out.
static QString withUrls(QString json) {
    return json.replace(QStringLiteral("rest:"), QStringLiteral("http://"));
}

class TestAgentConfig : public QObject {
    Q_OBJECT

private slots:
    void acceptsAFullFile() {
        auto config = AgentConfig::fromJson(R"({
            "service": "checkout", "instance": "c-1", "region": "eu-west",
            "listen": "127.0.0.1:0", "token_files": ["/etc/switchboard/viewer.json"],
            "max_request_bytes": 2048, "probe_interval_ms": 500, "probe_timeout_ms": 900,
            "stats_interval_ms": 250, "stream_history": 64,
            "postgres": {"primary": "host=127.0.0.1 port=5432",
                         "replicas": [{"name": "r1", "conninfo": "host=127.0.0.1 port=5433"}]},
            "redis": {"host": "127.0.0.1", "port": 6380}})");
        QCOMPARE(config.service, std::string("checkout"));
        QCOMPARE(config.region, std::string("eu-west"));
        QCOMPARE(config.maxRequestBytes, std::size_t(2048));
        QCOMPARE(config.probeTimeoutMs, 900);
        QCOMPARE(config.postgresReplicas.size(), std::size_t(1));
        QCOMPARE(config.postgresReplicas[0].name, std::string("r1"));
        QCOMPARE(config.redisPort, 6380);
        QVERIFY(config.warnings.empty());
    }

    void rejectsBadValues_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("key");
        const QString tokens = R"("token_files": ["t.json"])";
        QTest::newRow("not json") << "{"
                                  << "(file)";
        QTest::newRow("not an object") << "[1]"
                                       << "(file)";
        // Found by fuzz_agent_request: the parser's out_of_range escaped as another exception.
        QTest::newRow("number past a double") << R"({"probe_interval_ms": 1e400, )" + tokens + "}"
                                              << "(file)";
        QTest::newRow("service type") << R"({"service": 3, )" + tokens + "}"
                                      << "service";
        QTest::newRow("empty instance") << R"({"instance": "", )" + tokens + "}"
                                        << "instance";
        QTest::newRow("listen without port") << R"({"listen": "127.0.0.1", )" + tokens + "}"
                                             << "listen";
        QTest::newRow("listen port range") << R"({"listen": "127.0.0.1:70000", )" + tokens + "}"
                                           << "listen";
        QTest::newRow("listen beyond loopback") << R"({"listen": "0.0.0.0:80", )" + tokens + "}"
                                                << "listen";
        QTest::newRow("no tokens") << R"({"service": "x"})"
                                   << "token_files";
        QTest::newRow("tokens not array") << R"({"token_files": "t.json"})"
                                          << "token_files";
        QTest::newRow("token path type") << R"({"token_files": [1]})"
                                         << "token_files[0]";
        QTest::newRow("interval too small") << R"({"probe_interval_ms": 5, )" + tokens + "}"
                                            << "probe_interval_ms";
        QTest::newRow("timeout not integer") << R"({"probe_timeout_ms": "2s", )" + tokens + "}"
                                             << "probe_timeout_ms";
        QTest::newRow("request limit") << R"({"max_request_bytes": 10, )" + tokens + "}"
                                       << "max_request_bytes";
        QTest::newRow("replica shape")
            << R"({"postgres": {"replicas": [{"name": "r"}]}, )" + tokens + "}"
            << "postgres.replicas[0]";
        QTest::newRow("duplicate replica")
            << R"({"postgres": {"replicas": [{"name": "r", "conninfo": "a"},
                  {"name": "r", "conninfo": "b"}]}, )" +
                   tokens + "}"
            << "postgres.replicas";
        QTest::newRow("redis port") << R"({"redis": {"host": "h", "port": 0}, )" + tokens + "}"
                                    << "redis.port";
        const QString node = R"({"name": "s1", "conninfo": "port=1"})";
        const QString primary = R"("postgres": {"primary": "port=2"}, )";
        QTest::newRow("shards not object") << R"({"shards": [], )" + tokens + "}"
                                           << "shards";
        QTest::newRow("shard buckets") << R"({"shards": {"buckets": 0}, )" + tokens + "}"
                                       << "shards.buckets";
        QTest::newRow("shard node shape")
            << R"({"shards": {"nodes": [{"name": "s1"}]}, )" + tokens + "}"
            << "shards.nodes[0]";
        QTest::newRow("duplicate shard node")
            << "{" + primary + R"("shards": {"nodes": [)" + node + "," + node +
                   R"(], "tables": [{"name": "t"}]}, )" + tokens + "}"
            << "shards.nodes";
        QTest::newRow("shards without tables")
            << "{" + primary + R"("shards": {"nodes": [)" + node + "]}, " + tokens + "}"
            << "shards.tables";
        QTest::newRow("shard table name")
            << "{" + primary + R"("shards": {"nodes": [)" + node +
                   R"(], "tables": [{"name": "t; DROP"}]}, )" + tokens + "}"
            << "shards.tables";
        QTest::newRow("spare not boolean")
            << "{" + primary +
                   R"("shards": {"nodes": [{"name": "s", "conninfo": "c", "spare": 1}], )" +
                   R"("tables": [{"name": "t"}]}, )" + tokens + "}"
            << "shards.nodes[0].spare";
        QTest::newRow("every node spare")
            << "{" + primary +
                   R"("shards": {"nodes": [{"name": "s", "conninfo": "c", "spare": true}], )" +
                   R"("tables": [{"name": "t"}]}, )" + tokens + "}"
            << "shards.nodes";
        QTest::newRow("shards without catalog")
            << R"({"shards": {"nodes": [)" + node + R"(], "tables": [{"name": "t"}]}, )" + tokens +
                   "}"
            << "shards.catalog";
        QTest::newRow("cache without redis") << R"({"cache": {}, )" + tokens + "}"
                                             << "cache";
        const QString redis = R"("redis": {"host": "127.0.0.1"}, )";
        QTest::newRow("cache jitter too large")
            << R"({"cache": {"ttl_jitter_pct": 60}, )" + redis + tokens + "}"
            << "cache.ttl_jitter_pct";
        QTest::newRow("cache target not a number")
            << R"({"cache": {"target_hit_rate": "high"}, )" + redis + tokens + "}"
            << "cache.target_hit_rate";
        QTest::newRow("cache target above 100")
            << R"({"cache": {"target_hit_rate": 120}, )" + redis + tokens + "}"
            << "cache.target_hit_rate";
        QTest::newRow("cache pool empty")
            << R"({"cache": {"pool_size": 0}, )" + redis + tokens + "}"
            << "cache.pool_size";
        QTest::newRow("cache not an object") << R"({"cache": 3, )" + redis + tokens + "}"
                                             << "cache";
        // ha: one active region with a Patroni URL is the smallest good section.
        auto ha = [&tokens](const QString& body) {
            return withUrls("{\"ha\": {" + body + "}, " + tokens + "}");
        };
        const QString regions =
            R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"]}])";
        QTest::newRow("ha not an object") << R"({"ha": [], )" + tokens + "}"
                                          << "ha";
        QTest::newRow("ha tier unknown") << ha(R"("tier": "gold", )" + regions) << "ha.tier";
        // A direct region: no Patroni, postgres.primary and .replicas are its members.
        const QString directRegion = R"("regions": [{"name": "a", "provider": "direct"}])";
        QTest::newRow("ha provider unknown")
            << ha(R"("regions": [{"name": "a", "provider": "pacemaker"}])")
            << "ha.regions[0].provider";
        QTest::newRow("ha direct without postgres.primary") << ha(directRegion) << "ha.regions";
        QTest::newRow("ha direct with patroni")
            << "{" + primary +
                   R"("ha": {"regions": [{"name": "a", "provider": "direct",
                                          "patroni": ["http://h:1"]}]}, )" +
                   tokens + "}"
            << "ha.regions[0].patroni";
        QTest::newRow("ha direct beside another region")
            << "{" + primary +
                   R"("ha": {"regions": [{"name": "a", "provider": "direct"},
                                         {"name": "b", "role": "standby",
                                          "patroni": ["http://h:1"]}]}, )" +
                   tokens + "}"
            << "ha.regions[0].provider";
        QTest::newRow("ha direct primary name empty")
            << "{" + primary +
                   R"("ha": {"regions": [{"name": "a", "provider": "direct",
                                          "primary_name": ""}]}, )" +
                   tokens + "}"
            << "ha.regions[0].primary_name";
        QTest::newRow("ha direct primary named as a replica")
            << R"({"postgres": {"primary": "host=p", "replicas": [{"name": "r1",
                   "conninfo": "host=r"}]}, "ha": {"regions": [{"name": "a",
                   "provider": "direct", "primary_name": "r1"}]}, )" +
                   tokens + "}"
            << "ha.regions";
        QTest::newRow("ha tier not a string") << ha(R"("tier": 1, )" + regions) << "ha.tier";
        QTest::newRow("ha rto negative")
            << ha(R"("rto_target_ms": -1, )" + regions) << "ha.rto_target_ms";
        QTest::newRow("ha rpo not an integer")
            << ha(R"("rpo_target_ms": "1s", )" + regions) << "ha.rpo_target_ms";
        QTest::newRow("ha max lag zero")
            << ha(R"("max_lag_bytes": 0, )" + regions) << "ha.max_lag_bytes";
        QTest::newRow("ha interval too short")
            << ha(R"("interval_ms": 5, )" + regions) << "ha.interval_ms";
        QTest::newRow("ha conninfo not a string")
            << ha(R"("member_conninfo": 5, )" + regions) << "ha.member_conninfo";
        QTest::newRow("ha no regions") << ha(R"("tier": "high")") << "ha.regions";
        QTest::newRow("ha regions empty") << ha(R"("regions": [])") << "ha.regions";
        QTest::newRow("ha regions not an array") << ha(R"("regions": {})") << "ha.regions";
        QTest::newRow("ha region not an object") << ha(R"("regions": [3])") << "ha.regions[0]";
        QTest::newRow("ha region without name")
            << ha(R"("regions": [{"role": "active", "patroni": ["rest:h:1"]}])")
            << "ha.regions[0].name";
        QTest::newRow("ha region names twice")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"]},
                                 {"name": "a", "role": "standby", "patroni": ["rest:h:2"]}])")
            << "ha.regions[1].name";
        QTest::newRow("ha region role unknown")
            << ha(R"("regions": [{"name": "a", "role": "primary", "patroni": ["rest:h:1"]}])")
            << "ha.regions[0].role";
        QTest::newRow("ha two active")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"]},
                                 {"name": "b", "role": "active", "patroni": ["rest:h:2"]}])")
            << "ha.regions";
        QTest::newRow("ha no active")
            << ha(R"("regions": [{"name": "a", "role": "standby", "patroni": ["rest:h:1"]}])")
            << "ha.regions";
        QTest::newRow("ha region without patroni")
            << ha(R"("regions": [{"name": "a", "role": "active"}])") << "ha.regions[0].patroni";
        QTest::newRow("ha patroni not http")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["ftp:h:1"]}])")
            << "ha.regions[0].patroni";
        QTest::newRow("ha patroni not strings")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": [8008]}])")
            << "ha.regions[0].patroni[0]";
        QTest::newRow("ha fault command not an array")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"],
                                  "fault_command": "kill"}])")
            << "ha.regions[0].fault_command";
        QTest::newRow("ha region shards not an object")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"],
                                  "shards": ["s1"]}])")
            << "ha.regions[0].shards";
        QTest::newRow("ha region shard conninfo not a string")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"],
                                  "shards": {"s1": 5}}])")
            << "ha.regions[0].shards.s1";
        QTest::newRow("ha region shard conninfo empty")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"],
                                  "shards": {"s1": ""}}])")
            << "ha.regions[0].shards";
        QTest::newRow("ha regions name other shards")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"],
                                  "shards": {"s1": "port=1"}},
                                 {"name": "b", "role": "standby", "patroni": ["rest:h:2"],
                                  "shards": {"s2": "port=2"}}])")
            << "ha.regions[1].shards";
        QTest::newRow("ha standby cluster not an object")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"],
                                  "standby_cluster": "b"}])")
            << "ha.regions[0].standby_cluster";
        QTest::newRow("ha standby cluster port out of range")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"],
                                  "standby_cluster": {"host": "h", "port": 70000}}])")
            << "ha.regions[0].standby_cluster.port";
        QTest::newRow("ha standby cluster without port")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"],
                                  "standby_cluster": {"host": "h"}}])")
            << "ha.regions[0].standby_cluster";
        QTest::newRow("ha standby cluster slot unsafe")
            << ha(R"("regions": [{"name": "a", "role": "active", "patroni": ["rest:h:1"],
                                  "standby_cluster": {"host": "h", "port": 5,
                                                      "primary_slot_name": "x-y"}}])")
            << "ha.regions[0].standby_cluster.primary_slot_name";
        QTest::newRow("ha shard rejoin command empty program")
            << ha(R"("shard_rejoin_command": [""], )" + regions) << "ha.shard_rejoin_command";
        QTest::newRow("ha shard rejoin command not an array")
            << ha(R"("shard_rejoin_command": "x", )" + regions) << "ha.shard_rejoin_command";
        QTest::newRow("ha writes table unsafe")
            << ha(R"("writes": {"table": "orders; drop"}, )" + regions) << "ha.writes.table";
        QTest::newRow("ha writes column starts with a digit")
            << ha(R"("writes": {"table": "t", "seq_column": "1seq"}, )" + regions)
            << "ha.writes.seq_column";
        QTest::newRow("ha writes run column empty")
            << ha(R"("writes": {"table": "t", "run_column": ""}, )" + regions)
            << "ha.writes.run_column";
        QTest::newRow("ha writes not an object")
            << ha(R"("writes": "t", )" + regions) << "ha.writes";
        QTest::newRow("ha stop error rate above 100")
            << ha(R"("stop_conditions": {"max_error_rate_pct": 150}, )" + regions)
            << "ha.stop_conditions.max_error_rate_pct";
        QTest::newRow("ha stop error rate not a number")
            << ha(R"("stop_conditions": {"max_error_rate_pct": "x"}, )" + regions)
            << "ha.stop_conditions.max_error_rate_pct";
        QTest::newRow("ha stop window zero")
            << ha(R"("stop_conditions": {"error_window_ms": 0}, )" + regions)
            << "ha.stop_conditions.error_window_ms";
        QTest::newRow("ha stop lag negative")
            << ha(R"("stop_conditions": {"max_lag_bytes": -5}, )" + regions)
            << "ha.stop_conditions.max_lag_bytes";
    }

    void acceptsShards() {
        auto config = AgentConfig::fromJson(R"({"token_files": ["t.json"],
            "shards": {"catalog": "port=3", "buckets": 64, "stats_interval_ms": 1000,
                       "nodes": [{"name": "s1", "conninfo": "port=1"},
                                 {"name": "s2", "conninfo": "port=2", "spare": true}],
                       "tables": [{"name": "orders", "key": "order_id"}]}})");
        QCOMPARE(config.shards.buckets, std::uint32_t(64));
        QCOMPARE(config.shards.nodes.size(), std::size_t(2));
        QCOMPARE(config.shards.nodes[1].name, std::string("s2"));
        QVERIFY(!config.shards.nodes[0].spare);
        QVERIFY(config.shards.nodes[1].spare);
        QCOMPARE(config.shards.tables[0].keyColumn, std::string("order_id"));
        QCOMPARE(config.shards.tables[0].bucketColumn, std::string("bucket"));
        QCOMPARE(config.shards.statsIntervalMs, 1000);
        QVERIFY(config.warnings.empty());
    }

    void acceptsCache() {
        auto config = AgentConfig::fromJson(R"({"token_files": ["t.json"],
            "redis": {"host": "127.0.0.1", "port": 6390},
            "cache": {"ttl_ms": 5000, "ttl_jitter_pct": 20, "l1_max_entries": 500,
                      "l1_max_bytes": 1048576, "redis_timeout_ms": 30, "pool_size": 2,
                      "stats_interval_ms": 500, "target_hit_rate": 80.5, "channel": "c",
                      "ack_timeout_ms": 100}})");
        QVERIFY(config.cache.enabled);
        QCOMPARE(config.cache.ttlMs, std::int64_t(5000));
        QCOMPARE(config.cache.ttlJitterPct, 20);
        QCOMPARE(config.cache.l1MaxEntries, std::size_t(500));
        QCOMPARE(config.cache.l1MaxBytes, std::size_t(1048576));
        QCOMPARE(config.cache.redisTimeoutMs, 30);
        QCOMPARE(config.cache.poolSize, 2);
        QCOMPARE(config.cache.statsIntervalMs, 500);
        QCOMPARE(config.cache.targetHitRate, 80.5);
        QCOMPARE(config.cache.channel, std::string("c"));
        QCOMPARE(config.cache.ackTimeoutMs, 100);
        QVERIFY(config.warnings.empty());
        QVERIFY(!AgentConfig::fromJson(R"({"token_files": ["t.json"]})").cache.enabled);
    }

    void acceptsHa() {
        auto config = AgentConfig::fromJson(withUrls(R"({"token_files": ["t.json"],
            "ha": {"tier": "high", "rto_target_ms": 15000, "max_lag_bytes": 2048,
                   "interval_ms": 500, "member_conninfo": "user=u dbname=d",
                   "regions": [
                     {"name": "us-east", "role": "active", "cluster": "use",
                      "patroni": ["rest:127.0.0.1:8008", "rest:127.0.0.1:8009"],
                      "fault_command": ["/bin/kill", "{member}"],
                      "shards": {"s1": "port=1", "s2": "port=2"},
                      "standby_cluster": {"host": "127.0.0.1", "port": 5433,
                                          "primary_slot_name": "standby_us_east"}},
                     {"name": "eu-west", "role": "standby", "patroni": ["rest:127.0.0.1:8010"],
                      "shards": {"s1": "port=3", "s2": "port=4"}}],
                   "shard_rejoin_command": ["/bin/rejoin", "{port}", "{upstream_port}"],
                   "writes": {"table": "public.demo_orders", "run_column": "r",
                              "seq_column": "s"},
                   "stop_conditions": {"max_error_rate_pct": 50.5, "error_window_ms": 2000,
                                       "max_lag_bytes": 4096}}})")
                                                .toStdString());
        const HaConfig& ha = config.ha;
        QVERIFY(ha.enabled);
        QCOMPARE(ha.tier, std::string("high"));
        QCOMPARE(ha.rtoTarget(), std::int64_t(15000));
        QCOMPARE(ha.rpoTarget(), std::int64_t(3600000)); // the tier's
        QCOMPARE(ha.maxLagBytes, std::int64_t(2048));
        QCOMPARE(ha.intervalMs, 500);
        QCOMPARE(ha.memberConninfo, std::string("user=u dbname=d"));
        QCOMPARE(ha.regions.size(), std::size_t(2));
        QCOMPARE(ha.regions[0].cluster, std::string("use"));
        QCOMPARE(ha.regions[0].patroni.size(), std::size_t(2));
        QCOMPARE(ha.regions[0].faultCommand[1], std::string("{member}"));
        QCOMPARE(ha.regions[1].role, std::string("standby"));
        QCOMPARE(ha.regions[1].cluster, std::string("eu-west")); // defaults to the name
        QVERIFY(ha.regions[1].faultCommand.empty());
        QCOMPARE(ha.regions[0].shards.at("s2"), std::string("port=2"));
        QCOMPARE(ha.regions[1].shards.at("s1"), std::string("port=3"));
        QCOMPARE(ha.regions[0].standbyCluster.host, std::string("127.0.0.1"));
        QCOMPARE(ha.regions[0].standbyCluster.port, 5433);
        QCOMPARE(ha.regions[0].standbyCluster.slot, std::string("standby_us_east"));
        QVERIFY(ha.regions[1].standbyCluster.host.empty());
        QCOMPARE(ha.shardRejoinCommand.size(), std::size_t(3));
        QCOMPARE(ha.writesTable, std::string("public.demo_orders"));
        QCOMPARE(ha.writesRunColumn, std::string("r"));
        QCOMPARE(ha.writesSeqColumn, std::string("s"));
        QCOMPARE(ha.maxErrorRatePct, 50.5);
        QCOMPARE(ha.errorWindowMs, 2000);
        QCOMPARE(ha.stopMaxLagBytes, std::int64_t(4096));
        QVERIFY(config.warnings.empty());
        QVERIFY(!AgentConfig::fromJson(R"({"token_files": ["t.json"]})").ha.enabled);
    }

    void acceptsADirectRegion() {
        auto config = AgentConfig::fromJson(R"({"token_files": ["t.json"],
            "postgres": {"primary": "host=p", "replicas": [{"name": "r1", "conninfo": "host=r"}]},
            "ha": {"regions": [{"name": "local", "provider": "direct",
                                "primary_name": "pg-primary",
                                "fault_command": ["/bin/kill", "{member}"]}]}})");
        QCOMPARE(config.ha.regions.size(), std::size_t(1));
        QVERIFY(config.ha.regions[0].direct());
        QCOMPARE(config.ha.regions[0].primaryName, std::string("pg-primary"));
        QCOMPARE(config.ha.regions[0].role, std::string("active"));
        QVERIFY(config.ha.regions[0].patroni.empty());
        QVERIFY(config.warnings.empty());
    }

    void haTierTargets() {
        HaConfig ha;
        QCOMPARE(ha.rtoTarget(), std::int64_t(3600000)); // critical
        QCOMPARE(ha.rpoTarget(), std::int64_t(300000));
        ha.tier = "high";
        QCOMPARE(ha.rtoTarget(), std::int64_t(14400000));
        QCOMPARE(ha.rpoTarget(), std::int64_t(3600000));
        ha.tier = "medium";
        QCOMPARE(ha.rtoTarget(), std::int64_t(86400000));
        QCOMPARE(ha.rpoTarget(), std::int64_t(86400000));
        ha.rpoTargetMs = 1000;
        QCOMPARE(ha.rpoTarget(), std::int64_t(1000));
        QCOMPARE(ha.rtoTarget(), std::int64_t(86400000));
    }

    void haWarnsOnUnknownKeys() {
        auto config = AgentConfig::fromJson(withUrls(R"({"token_files": ["t.json"],
            "ha": {"colour": 1, "regions": [{"name": "a", "role": "active",
                                              "patroni": ["rest:h:1"], "zone": "z"}],
                   "writes": {"ledger": "x"}, "stop_conditions": {"max_rpo": 1}}})")
                                                .toStdString());
        QCOMPARE(config.warnings.size(), std::size_t(4));
        QVERIFY(config.warnings[0].starts_with("ha.colour"));
        QVERIFY(config.warnings[1].starts_with("ha.regions[0].zone"));
        QVERIFY(config.warnings[2].starts_with("ha.stop_conditions.max_rpo"));
        QVERIFY(config.warnings[3].starts_with("ha.writes.ledger"));
    }

    void rejectsBadValues() {
        QFETCH(QString, json);
        QFETCH(QString, key);
        try {
            AgentConfig::fromJson(json.toStdString());
            QFAIL("accepted a bad configuration");
        } catch (const ConfigError& error) {
            QCOMPARE(QString::fromStdString(error.key()), key);
            QVERIFY(QString(error.what()).startsWith(key + ": "));
        }
    }

    void warnsOnUnknownKeys() {
        auto config = AgentConfig::fromJson(
            R"({"token_files": ["t.json"], "colour": "blue", "redis": {"db": 2, "host": "h"}})");
        QCOMPARE(config.warnings.size(), std::size_t(2));
        QVERIFY(config.warnings[0].starts_with("colour"));
        QVERIFY(config.warnings[1].starts_with("redis.db"));
    }

    // Entries of arrays are checked too (by index); names a user chooses, like a region's shard
    // nodes, are not keys.
    void warnsOnUnknownKeysInArrayEntries() {
        auto config = AgentConfig::fromJson(withUrls(R"({"token_files": ["t.json"],
            "postgres": {"primary": "host=p", "replicas": [{"name": "r1", "conninfo": "host=r",
                                                              "weight": 2}]},
            "ha": {"regions": [{"name": "a", "patroni": ["rest:h:1"],
                                "shards": {"shard-1": "host=s"}}]}})")
                                                .toStdString());
        QCOMPARE(config.warnings.size(), std::size_t(1));
        QCOMPARE(config.warnings[0],
                 std::string("postgres.replicas[0].weight: unknown key, ignored"));
        QCOMPARE(config.ha.regions[0].shards.size(), std::size_t(1));
    }

    void environmentOverridesTheFile() {
        auto config = AgentConfig::fromJson(R"({"instance": "file", "token_files": ["a.json"]})",
                                            {{"SWITCHBOARD_INSTANCE", "env"},
                                             {"SWITCHBOARD_TOKEN_FILES", "b.json:c.json"},
                                             {"SWITCHBOARD_REDIS", "127.0.0.1:6390"},
                                             {"SWITCHBOARD_PROBE_INTERVAL_MS", "250"},
                                             {"SWITCHBOARD_STACK_FILE", "not ours, ignored"}});
        QCOMPARE(config.instance, std::string("env"));
        QCOMPARE(config.tokenFiles.size(), std::size_t(2));
        QCOMPARE(config.tokenFiles[1], std::string("c.json"));
        QCOMPARE(config.redisHost, std::string("127.0.0.1"));
        QCOMPARE(config.redisPort, 6390);
        QCOMPARE(config.probeIntervalMs, 250);
    }

    void badEnvironmentNamesTheVariable() {
        try {
            AgentConfig::fromJson(R"({"token_files": ["a.json"]})",
                                  {{"SWITCHBOARD_PROBE_TIMEOUT_MS", "soon"}});
            QFAIL("accepted a bad variable");
        } catch (const ConfigError& error) {
            QCOMPARE(QString::fromStdString(error.key()), QString("SWITCHBOARD_PROBE_TIMEOUT_MS"));
        }
    }

    void missingFileIsAnError() {
        QVERIFY_THROWS_EXCEPTION(ConfigError, AgentConfig::fromFile("/nonexistent/agent.json"));
    }
};

QTEST_GUILESS_MAIN(TestAgentConfig)
#include "tst_agent_config.moc"
