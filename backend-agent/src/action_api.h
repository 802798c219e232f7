// The HTTP face of the action pipeline: /v1/plans, /v1/jobs and /v1/audit (docs/protocol.md,
// "Actions"), as a function from a request to a reply, so that it is tested without a server.
//
// It enforces the operator role on every POST (a viewer's is refused with 403 and audited),
// replays answers to repeated Idempotency-Keys (a replay does not count against the rate limit),
// limits how often one token may confirm (429 "rate_limited", audited), and parses bodies and
// paging parameters. Thread-safe.
#pragma once

#include "action_pipeline.h"
#include "action_rate_limiter.h"
#include "audit_log.h"
#include "idempotency_cache.h"
#include "token_store.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace switchboard {

class ActionApi {
public:
    struct Request {
        std::string method;
        std::string path;
        std::string query; // without the "?"
        std::string body;
        Caller caller;
        std::string idempotencyKey; // empty: none sent
    };
    struct Reply {
        int status = 200;
        nlohmann::json body;
        bool replayed = false; // an earlier answer to the same Idempotency-Key
    };

    // `pipeline` and `audit` may be null: actions are then disabled (503, naming the key).
    // `limits`: how often one token may confirm a plan (429 past it; plans and cancels never wait).
    ActionApi(ActionPipeline* pipeline, const AuditLog* audit, ActionRateLimits limits = {});

    // Whether `path` is one of this API's.
    static bool serves(std::string_view path);
    Reply handle(const Request& request);

private:
    Reply route(const Request& request);
    Reply audit(const Request& request) const;
    static Reply error(const ActionError& error);

    ActionPipeline* pipeline_;
    const AuditLog* audit_;
    IdempotencyCache idempotency_;
    ActionRateLimiter limiter_;
};

} // namespace switchboard
