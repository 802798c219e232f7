// An action kind for the request fuzz target: its plan() runs the real kind's param validation
// (the same function the agent's action calls first) and then plans without Redis, Patroni or a
// database; its execute() finishes at once, or stops when the job is cancelled.
#pragma once

#include "action.h"
#include "switchboard/protocol.h"

#include <functional>
#include <string>

namespace switchboard::fuzz {

class ValidatingAction : public Action {
public:
    using Validate = std::function<void(const ActionRequest&)>;

    ValidatingAction(std::string_view kind, Scope scope, Validate validate)
        : kind_(kind)
        , scope_(scope)
        , validate_(std::move(validate)) {}

    std::string_view kind() const override { return kind_; }
    Scope scope() const override { return scope_; }

    ActionPlanBody plan(const ActionRequest& request) override {
        validate_(request);
        ActionPlanBody body;
        body.summary = kind_ + " on " + request.target;
        body.changes.push_back({{"what", request.target}, {"from", "now"}, {"to", "planned"}});
        // A target named "down..." stands for one whose preflight fails, so that refused plans
        // and confirms are reached too.
        const bool down = request.target.rfind("down", 0) == 0;
        body.checks.push_back({"target_ready",
                               down ? protocol::verdict::kFail : protocol::verdict::kPass,
                               request.target + (down ? " is down" : " answers")});
        return body;
    }

    nlohmann::json execute(const ActionRequest& request, JobControl& control,
                           std::string& message) override {
        control.progress(0.5, "half way");
        if (control.cancelled())
            throw JobCancelled{{{"done", 0}}};
        message = "done";
        return request.params;
    }

private:
    std::string kind_;
    Scope scope_;
    Validate validate_;
};

} // namespace switchboard::fuzz
