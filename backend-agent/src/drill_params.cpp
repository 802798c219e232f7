// The params of "drill.run", apart from the action itself: pure validation with no Patroni or
// database, so that the unit tests and the request fuzz target compile it alone.
#include "drill_action.h"
#include "switchboard/protocol.h"

#include <set>

namespace switchboard {

namespace drill_kind = protocol::drill_kind;
namespace drill_mode = protocol::drill_mode;
using nlohmann::json;

namespace {

std::string stringParam(const json& params, const char* name, bool required) {
    const auto found = params.find(name);
    if (found == params.end()) {
        if (required)
            throw ActionError(400, "bad_request", std::string("params.") + name + " is missing");
        return {};
    }
    if (!found->is_string())
        throw ActionError(400, "bad_request", std::string("params.") + name + " must be a string");
    return found->get<std::string>();
}

} // namespace

DrillAction::Params DrillAction::parse(const json& params, const std::string& region) {
    static const std::set<std::string> known = {"kind", "mode", "candidate", "confirm_region"};
    for (const auto& [key, value] : params.items())
        if (!known.count(key))
            throw ActionError(400, "bad_request",
                              "params." + key + " is not a parameter of drill.run");
    Params parsed{stringParam(params, "kind", true), stringParam(params, "mode", true),
                  stringParam(params, "candidate", false),
                  stringParam(params, "confirm_region", false)};
    if (parsed.kind != drill_kind::kSwitchover && parsed.kind != drill_kind::kFailover &&
        parsed.kind != drill_kind::kRegionFailover && parsed.kind != drill_kind::kRegionFailback)
        throw ActionError(400, "bad_request",
                          "params.kind must be switchover, failover, region_failover or "
                          "region_failback");
    if (!parsed.candidate.empty() &&
        (parsed.kind == drill_kind::kRegionFailover || parsed.kind == drill_kind::kRegionFailback))
        throw ActionError(400, "bad_request",
                          "params.candidate is for switchover and failover; a region drill "
                          "promotes the target region's standby leader");
    if (parsed.mode != drill_mode::kPlan && parsed.mode != drill_mode::kSimulated &&
        parsed.mode != drill_mode::kLive)
        throw ActionError(400, "bad_request", "params.mode must be plan, simulated or live");
    if (parsed.mode == drill_mode::kLive && parsed.confirmRegion != region)
        throw ActionError(
            400, "region_not_confirmed",
            (parsed.kind == drill_kind::kSwitchover || parsed.kind == drill_kind::kFailover
                 ? "a live drill changes which server leads " + region
                 : "a live region drill makes " + region + " the region every write goes to") +
                ": type the region's name in params.confirm_region");
    return parsed;
}

} // namespace switchboard
