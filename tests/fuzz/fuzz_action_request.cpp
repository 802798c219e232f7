// libFuzzer target for the agent's action API (backend-agent/src/action_api.h): the request as
// the HTTP server hands it over (method, path, query, headers, body) goes through ActionApi with
// a real ActionPipeline and audit log, and every action kind's real param validation. Built with
// clang by tests/fuzz/CMakeLists.txt and run by CTest for a bounded time.
//
// An input is up to kMaxRequests requests, separated by a line "----":
//   METHOD PATH[?QUERY]
//   Header: value          (Authorization, Idempotency-Key; "Wait: N" moves the clock N ms)
//   <empty line>
//   body
// "{plan}" and "{job}" in a path stand for the last plan and job ids the API answered with, so
// that confirms, cancels and the documents are reached. Without Authorization the caller is the
// operator; with it, the token store decides (a refusal there is the server's 401, not the API's).
//
// The promises checked: nothing throws out of handle(); every answer is 2xx or a refusal with a
// 4xx status whose body is {"error": {"code": status, "reason": "...", "message": "..."}}; every
// answer can be sent as the server sends it (http_reply.h); only a request with an Idempotency-Key
// is replayed.
#include "ValidatingAction.h"
#include "action_api.h"
#include "breaker_override_action.h"
#include "cache_invalidate_action.h"
#include "drill_action.h"
#include "http_reply.h"
#include "rebalance_params.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

using namespace switchboard;
using nlohmann::json;
namespace field = protocol::field;

namespace {

constexpr std::size_t kMaxRequests = 8;
constexpr std::int64_t kStartMs = 1'700'000'000'000;
const std::string kOperatorToken = "operator-token-0123456789";
const std::string kViewerToken = "viewer-token-0123456789";

struct FuzzRequest {
    ActionApi::Request request;
    bool authorized = true;
    std::int64_t waitMs = 0;
};

[[noreturn]] void fail(const std::string& what, const ActionApi::Request& request) {
    std::fprintf(stderr, "fuzz_action_request: %s\n  request: %s %s?%s\n", what.c_str(),
                 request.method.c_str(), request.path.c_str(), request.query.c_str());
    std::abort();
}

std::string_view nextLine(std::string_view& text) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
}

void replaceAll(std::string& text, std::string_view from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

FuzzRequest readRequest(std::string_view text, const TokenStore& tokens) {
    FuzzRequest fuzz;
    auto& request = fuzz.request;
    request.caller = {"operator", protocol::Role::Operator};
    std::string_view head = nextLine(text);
    const auto space = head.find(' ');
    request.method = std::string(head.substr(0, space));
    std::string_view target = space == std::string_view::npos ? "" : head.substr(space + 1);
    const auto mark = target.find('?');
    request.path = std::string(target.substr(0, mark));
    if (mark != std::string_view::npos)
        request.query = std::string(target.substr(mark + 1));
    while (!text.empty()) {
        std::string_view line = nextLine(text);
        if (line.empty())
            break;
        const auto colon = line.find(": ");
        if (colon == std::string_view::npos)
            continue;
        const std::string_view name = line.substr(0, colon), value = line.substr(colon + 2);
        if (name == protocol::kIdempotencyKeyHeader) {
            request.idempotencyKey = std::string(value);
        } else if (name == protocol::kAuthorizationHeader) {
            auto caller = tokens.authenticate(value);
            fuzz.authorized = caller.has_value();
            if (caller)
                request.caller = *caller;
        } else if (name == "Wait") {
            fuzz.waitMs = std::atoll(std::string(value).c_str()) % 1'000'000'000;
        }
    }
    request.body = std::string(text);
    return fuzz;
}

std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> parts;
    while (parts.size() < kMaxRequests) {
        const auto at = text.find("\n----\n");
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos)
            break;
        text.remove_prefix(at + 6);
    }
    return parts;
}

void checkReply(const ActionApi::Request& request, const ActionApi::Reply& reply) {
    try {
        // What the server sends, as it sends it; it must read back as the same kind of answer.
        if (json::parse(jsonText(reply.body)).is_object() != reply.body.is_object())
            fail("the answer reads back as another kind of document", request);
    } catch (const std::exception& error) {
        fail(std::string("the answer cannot be sent as JSON: ") + error.what(), request);
    }
    if (reply.replayed && request.idempotencyKey.empty())
        fail("a replay without an Idempotency-Key", request);
    if (reply.status >= 200 && reply.status < 300) {
        if (!reply.body.is_object())
            fail("a success whose body is not an object", request);
        return;
    }
    if (reply.status < 400 || reply.status >= 500)
        fail("status " + std::to_string(reply.status) + " is neither 2xx nor 4xx", request);
    const auto error = reply.body.find("error");
    if (!reply.body.is_object() || error == reply.body.end() || !error->is_object())
        fail("a refusal without an \"error\" object: " + reply.body.dump(), request);
    const auto code = error->find(field::kCode), reason = error->find(field::kReason),
               message = error->find(field::kMessage);
    if (code == error->end() || !code->is_number_integer() || code->get<int>() != reply.status ||
        reason == error->end() || !reason->is_string() || reason->get<std::string>().empty() ||
        message == error->end() || !message->is_string())
        fail("a malformed refusal: " + reply.body.dump(), request);
}

// Every kind the agent knows, each validating its params as the real one does.
void addKinds(ActionPipeline& pipeline) {
    using Scope = Action::Scope;
    pipeline.add(std::make_unique<fuzz::ValidatingAction>(
        protocol::action::kCacheInvalidate, Scope::Instance,
        [](const ActionRequest& request) { (void)CacheInvalidateAction::parse(request.params); }));
    pipeline.add(std::make_unique<fuzz::ValidatingAction>(
        protocol::action::kBreakerOverride, Scope::Instance,
        [](const ActionRequest& request) { (void)BreakerOverrideAction::parse(request.params); }));
    pipeline.add(std::make_unique<fuzz::ValidatingAction>(
        protocol::action::kDrillRun, Scope::Cluster, [](const ActionRequest& request) {
            (void)DrillAction::parse(request.params, request.target);
        }));
    pipeline.add(std::make_unique<fuzz::ValidatingAction>(
        protocol::action::kShardsRebalance, Scope::Cluster, [](const ActionRequest& request) {
            ShardMap map;
            map.nodes = {"node-a", "node-b", "node-c"};
            map.bucketNodes = {0, 1, 2, 0, 1, 2};
            (void)parseRebalanceParams(request.params, map);
        }));
}

// One audit log file per process, on tmpfs when there is one (it is synced on every append),
// removed when the fuzzer exits.
struct AuditFile {
    std::string path;
    AuditFile() {
        const std::filesystem::path dir = std::filesystem::exists("/dev/shm")
                                              ? std::filesystem::path("/dev/shm")
                                              : std::filesystem::temp_directory_path();
        path = (dir / ("switchboard-fuzz-audit-" + std::to_string(::getpid()) + ".jsonl")).string();
    }
    ~AuditFile() {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const AuditFile file;
    const std::string& path = file.path;
    static const TokenStore tokens(
        std::vector<TokenStore::Entry>{{"operator", protocol::Role::Operator, kOperatorToken},
                                       {"viewer", protocol::Role::Viewer, kViewerToken}});

    // A fresh agent for every input, so that an input's outcome depends on it alone.
    std::filesystem::remove(path);
    std::int64_t now = kStartMs;
    auto clock = [&now] {
        return now;
    };
    AuditLog audit(path, clock);
    ActionPipeline::Options options;
    options.confirmWaitMs = 200;
    ActionPipeline pipeline(
        audit, [](const json&) {}, clock, options, nullptr);
    addKinds(pipeline);
    ActionApi api(&pipeline, &audit);

    std::string lastPlan = "none", lastJob = "none";
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (std::string_view part : split(text)) {
        FuzzRequest fuzz = readRequest(part, tokens);
        now += fuzz.waitMs;
        if (!fuzz.authorized)
            continue;
        replaceAll(fuzz.request.path, "{plan}", lastPlan);
        replaceAll(fuzz.request.path, "{job}", lastJob);
        ActionApi::Reply reply;
        try {
            reply = api.handle(fuzz.request);
        } catch (const std::exception& error) {
            fail(std::string("handle() threw: ") + error.what(), fuzz.request);
        }
        checkReply(fuzz.request, reply);
        if (auto it = reply.body.find(field::kPlanId); it != reply.body.end() && it->is_string())
            lastPlan = it->get<std::string>();
        if (auto it = reply.body.find(field::kJobId); it != reply.body.end() && it->is_string())
            lastJob = it->get<std::string>();
    }
    pipeline.stop();
    return 0;
}
