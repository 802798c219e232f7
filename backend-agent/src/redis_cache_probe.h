// Looks at the tiered cache's Redis (L2) for the `cache` snapshot: INFO figures and their rates,
// DBSIZE, and per key prefix an estimate of keys and memory from a SCAN sample.
//
// Each run() (one thread calls it every probe interval, 1 s by default) reconnects if needed,
// reads INFO and DBSIZE, then samples: it continues one SCAN cursor across runs (never KEYS,
// which blocks the server for the whole key space), asks MEMORY USAGE of at most
// sampleKeysPerRun keys in one pipeline, and estimates each prefix over a sliding window one
// SCAN pass long (see estimatePrefixes). Rates are between successive INFOs of the same server.
//
// Redis down is a Report with status Down and the cause, within the connection's timeouts: run()
// never throws, every command is bounded by the command timeout, and the first failure of the
// connection ends the run (a refused connection ends it at once). A restarted
// server (a new run_id) starts the sample and the rates afresh: its keys and counters are new.
//
// Not thread-safe: one thread calls run().
#pragma once

#include "redis_connection.h"
#include "redis_info.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace switchboard {

class RedisCacheProbe {
public:
    // Prefixes kept per SCAN pass; keys of further prefixes count under kOtherPrefix, so a key
    // space with ids inside its prefixes cannot grow the probe without bound.
    static constexpr std::size_t kMaxPrefixes = 1024;
    static constexpr const char* kOtherPrefix = "(other)";

    // Connects on the first run(), not here.
    explicit RedisCacheProbe(RedisEndpoint endpoint, std::size_t sampleKeysPerRun = 1000);
    ~RedisCacheProbe();
    RedisCacheProbe(const RedisCacheProbe&) = delete;
    RedisCacheProbe& operator=(const RedisCacheProbe&) = delete;

    using PrefixEstimate = switchboard::PrefixEstimate;
    struct Report {
        int status = 2;     // a protocol::ProbeStatus: 1 up, 2 down
        std::string error;  // why it is down; when up, why sampling failed ("" if it did not)
        std::string target; // host:port
        RedisInfo info;     // the run's INFO (every figure -1 when down)
        RedisRates rates;   // since the previous run's INFO; none on the first run of a server
        double rateIntervalS = 0; // the seconds those rates are over; 0 without rates
        std::int64_t keys = -1;   // DBSIZE
        std::map<std::string, PrefixEstimate> prefixes; // estimates; empty when down
        std::int64_t checkedMs = 0; // wall clock (ms since the epoch) when INFO was asked
        double durationMs = 0;      // the whole run
    };

    // One look at Redis; see above. Never throws.
    Report run() noexcept;

private:
    struct Baseline {
        RedisInfo info;
        std::int64_t steadyNs;
    };
    // Samples up to sampleKeysPerRun keys into current_; "" or why the sampling failed.
    std::string sample();
    // Forgets the sample and the cursor (a new server: its keys are not the old ones).
    void restartSample();

    RedisEndpoint endpoint_;
    std::size_t sampleKeysPerRun_;
    std::unique_ptr<RedisConnection> connection_;
    std::optional<Baseline> baseline_;
    std::string sampledRunId_; // the server the sample and the cursor belong to
    std::string cursor_ = "0";
    bool scanFinished_ = false;       // SCAN returned cursor 0; pending_ is the pass's last keys
    std::deque<std::string> pending_; // keys scanned, not yet sampled (a page beyond the budget)
    PrefixSamples current_;           // the pass under way
    PrefixSamples previous_;          // the last complete pass
};

} // namespace switchboard
