#include "action_api.h"

#include "switchboard/protocol.h"

#include <charconv>
#include <civetweb.h>

namespace switchboard {

namespace field = protocol::field;
namespace path = protocol::path;
using nlohmann::json;

namespace {

constexpr std::size_t kDefaultAuditPage = 100;
constexpr std::size_t kMaxAuditPage = 1000;
constexpr std::size_t kMaxIdempotencyKey = 200;

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// The id in "<prefix>/<id>" or "<prefix>/<id><suffix>"; empty if the path is not of that shape.
std::string idIn(std::string_view path, std::string_view prefix, std::string_view suffix) {
    if (!startsWith(path, prefix) || path.size() <= prefix.size() + 1 || path[prefix.size()] != '/')
        return {};
    std::string_view rest = path.substr(prefix.size() + 1);
    if (!suffix.empty()) {
        if (rest.size() <= suffix.size() || rest.substr(rest.size() - suffix.size()) != suffix)
            return {};
        rest.remove_suffix(suffix.size());
    }
    return rest.find('/') == std::string_view::npos ? std::string(rest) : std::string();
}

std::optional<std::uint64_t> numberParameter(const std::string& query, std::string_view name) {
    if (query.empty())
        return std::nullopt;
    char value[32] = {};
    std::string key(name);
    int length = mg_get_var(query.c_str(), query.size(), key.c_str(), value, sizeof value);
    if (length == -1)
        return std::nullopt; // absent
    std::uint64_t number = 0;
    auto [end, problem] = std::from_chars(value, value + std::max(length, 0), number);
    if (length <= 0 || problem != std::errc() || end != value + length)
        throw ActionError(400, "bad_request",
                          std::string(name) + " must be a whole number, got \"" +
                              std::string(value, static_cast<std::size_t>(std::max(length, 0))) +
                              "\"");
    return number;
}

json parseBody(const std::string& body) {
    if (body.empty())
        return json::object();
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded())
        throw ActionError(400, "bad_request", "the body is not valid JSON");
    return parsed;
}

} // namespace

ActionApi::ActionApi(ActionPipeline* pipeline, const AuditLog* audit, ActionRateLimits limits)
    : pipeline_(pipeline)
    , audit_(audit)
    , limiter_(limits) {}

bool ActionApi::serves(std::string_view uri) {
    for (auto prefix : {path::kPlans, path::kJobs, path::kAudit})
        if (uri == prefix || startsWith(uri, std::string(prefix) + "/"))
            return true;
    return false;
}

ActionApi::Reply ActionApi::error(const ActionError& error) {
    json document = error.details;
    document[field::kCode] = error.status();
    document[field::kReason] = error.reason();
    document[field::kMessage] = error.what();
    return {error.status(), {{"error", document}}, false};
}

ActionApi::Reply ActionApi::handle(const Request& request) {
    if (!pipeline_ || !audit_)
        return error(ActionError(503, "actions_disabled",
                                 "actions need an audit log: set audit_log in the agent's "
                                 "configuration (or SWITCHBOARD_AUDIT_LOG)"));
    bool acts = request.method == "POST";
    if (!acts || request.idempotencyKey.empty())
        return route(request);
    if (request.idempotencyKey.size() > kMaxIdempotencyKey)
        return error(ActionError(400, "bad_request",
                                 "the Idempotency-Key is longer than " +
                                     std::to_string(kMaxIdempotencyKey) + " bytes"));

    auto lookup = idempotency_.begin(request.caller.name, request.path, request.idempotencyKey,
                                     request.method + " " + request.path + "\n" + request.body);
    switch (lookup.verdict) {
    case IdempotencyCache::Verdict::Replay:
        return {lookup.answer.status, lookup.answer.body, true};
    case IdempotencyCache::Verdict::Mismatch:
        return error(ActionError(422, "idempotency_key_reused",
                                 "this Idempotency-Key was used for a different request; use a "
                                 "new key for a new action"));
    case IdempotencyCache::Verdict::StillRunning:
        return error(ActionError(409, "in_progress",
                                 "a request with this Idempotency-Key is still being handled; "
                                 "ask again in a moment"));
    case IdempotencyCache::Verdict::Proceed:
        break;
    }
    Reply reply;
    try {
        reply = route(request);
    } catch (...) {
        idempotency_.abandon(request.caller.name, request.path, request.idempotencyKey);
        throw;
    }
    // The agent's own failures (5xx) may be retried with the same key; everything else stands.
    if (reply.status >= 500)
        idempotency_.abandon(request.caller.name, request.path, request.idempotencyKey);
    else
        idempotency_.finish(request.caller.name, request.path, request.idempotencyKey,
                            {reply.status, reply.body});
    return reply;
}

ActionApi::Reply ActionApi::route(const Request& request) {
    const std::string& uri = request.path;
    bool post = request.method == "POST", get = request.method == "GET";
    json body;
    try {
        if (!post && !get)
            throw ActionError(405, "method_not_allowed",
                              uri + " serves GET and POST only, not " + request.method);
        if (post) {
            body = parseBody(request.body);
            if (request.caller.role != protocol::Role::Operator) {
                ActionError refused(403, "forbidden",
                                    "token " + request.caller.name +
                                        " is a viewer token: acting needs an operator token");
                pipeline_->auditRefusal(request.caller, body, refused);
                return error(refused);
            }
            // Only confirming acts: a plan is a dry run (previews and preflights are planned
            // often, by people and tests alike), and cancelling must always be possible.
            if (idIn(uri, path::kPlans, path::kConfirmSuffix).empty()) {
            } else if (const std::int64_t waitMs = limiter_.take(request.caller.name); waitMs > 0) {
                const auto& limits = limiter_.options();
                ActionError limited(429, "rate_limited",
                                    "token " + request.caller.name + " asked to act more than " +
                                        std::to_string(limits.burst) + " times in a row (then " +
                                        std::to_string(60'000 / limits.refillEvery.count()) +
                                        " a minute): try again in " +
                                        std::to_string((waitMs + 999) / 1000) + " s");
                limited.details["retry_after_ms"] = waitMs;
                throw limited;
            }
        }
        if (uri == path::kAudit) {
            if (!get)
                throw ActionError(405, "method_not_allowed", uri + " serves GET only");
            return audit(request);
        }
        if (uri == path::kPlans) {
            if (!post)
                throw ActionError(405, "method_not_allowed", uri + " serves POST only");
            return {201, pipeline_->plan(request.caller, body)};
        }
        if (uri == path::kJobs) {
            if (!get)
                throw ActionError(405, "method_not_allowed", uri + " serves GET only");
            return {200, pipeline_->jobs()};
        }
        if (auto id = idIn(uri, path::kPlans, path::kConfirmSuffix); !id.empty()) {
            if (!post)
                throw ActionError(405, "method_not_allowed", uri + " serves POST only");
            return {202, pipeline_->confirm(request.caller, id)};
        }
        if (auto id = idIn(uri, path::kJobs, path::kCancelSuffix); !id.empty()) {
            if (!post)
                throw ActionError(405, "method_not_allowed", uri + " serves POST only");
            return {202, pipeline_->cancel(request.caller, id)};
        }
        if (auto id = idIn(uri, path::kPlans, {}); !id.empty()) {
            if (!get)
                throw ActionError(405, "method_not_allowed", uri + " serves GET only");
            return {200, pipeline_->planDocument(id)};
        }
        if (auto id = idIn(uri, path::kJobs, {}); !id.empty()) {
            if (!get)
                throw ActionError(405, "method_not_allowed", uri + " serves GET only");
            return {200, pipeline_->jobDocument(id)};
        }
        throw ActionError(404, "not_found", "no such path: " + uri);
    } catch (const ActionError& refused) {
        // A refused attempt to act is audited, whatever stopped it.
        if (post && !refused.audited)
            pipeline_->auditRefusal(request.caller, body, refused);
        return error(refused);
    }
}

ActionApi::Reply ActionApi::audit(const Request& request) const {
    auto limit =
        numberParameter(request.query, protocol::query::kLimit).value_or(kDefaultAuditPage);
    if (limit < 1 || limit > kMaxAuditPage)
        throw ActionError(400, "bad_request",
                          "limit must be from 1 to " + std::to_string(kMaxAuditPage));
    auto before = numberParameter(request.query, protocol::query::kBefore);
    auto after = numberParameter(request.query, protocol::query::kAfter);
    if (before && after)
        throw ActionError(400, "bad_request", "give before or after, not both");
    AuditLog::Page page = after ? audit_->after(*after, limit) : audit_->newest(before, limit);
    json entries = json::array();
    for (auto& entry : page.entries)
        entries.push_back(std::move(entry));
    return {200,
            {{field::kEntries, std::move(entries)},
             {field::kNextBefore, page.nextBefore ? json(*page.nextBefore) : json(nullptr)},
             {field::kChain, toJson(audit_->chain())}}};
}

} // namespace switchboard
