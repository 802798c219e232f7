// The action "cache.invalidate" (docs/protocol.md): drop keys selected by key, prefix or glob
// pattern from Redis (SCAN + pipelined UNLINK, throttled, with progress and cancel) and from
// every instance's L1 (pub/sub, with each instance's acknowledgement). The plan counts the
// matching keys and changes nothing; a selection of every key needs allow_match_all.
#pragma once

#include "action.h"
#include "key_selection.h"
#include "switchboard/tiered_cache.h"

namespace switchboard {

class CacheInvalidateAction : public Action {
public:
    static constexpr double kDefaultRate = 200000;
    static constexpr double kMaxRate = 10000000;
    static constexpr std::size_t kSampleSize = 20;
    static constexpr std::size_t kBatch = 1000;

    CacheInvalidateAction(TieredCache& cache, int timeoutMs, int ackTimeoutMs);

    std::string_view kind() const override;
    Scope scope() const override { return Scope::Instance; }
    ActionPlanBody plan(const ActionRequest& request) override;
    nlohmann::json execute(const ActionRequest& request, JobControl& control,
                           std::string& message) override;

    struct Params {
        KeySelection selection;
        double rate = kDefaultRate;
        bool allowMatchAll = false;
    };
    // Validates the request's params; ActionError 400 naming the field.
    static Params parse(const nlohmann::json& params);

private:
    TieredCache& cache_;
    const int timeoutMs_;
    const int ackTimeoutMs_;
};

} // namespace switchboard
