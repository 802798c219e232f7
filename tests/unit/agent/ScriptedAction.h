// An action whose behaviour a test sets: its preflight verdict, whether it fails, and a gate
// that holds it mid-run, so the pipeline's own logic (expiry, one-at-a-time, cancel, audit) is
// tested without any real system behind it.
#pragma once

#include "action.h"

#include <condition_variable>
#include <mutex>

class ScriptedAction : public switchboard::Action {
public:
    ScriptedAction(std::string kind, Scope scope)
        : kind_(std::move(kind))
        , scope_(scope) {}

    std::string_view kind() const override { return kind_; }
    Scope scope() const override { return scope_; }

    switchboard::ActionPlanBody plan(const switchboard::ActionRequest& request) override {
        std::lock_guard lock(mutex_);
        if (request.params.contains("bad"))
            throw switchboard::ActionError(400, "bad_request", "params.bad is not a parameter");
        switchboard::ActionPlanBody body;
        body.summary = "scripted " + request.target;
        body.changes.push_back({{"what", request.target}, {"from", "a"}, {"to", "b"}});
        body.checks.push_back({"scripted", verdict_, "set by the test"});
        return body;
    }

    nlohmann::json execute(const switchboard::ActionRequest&, switchboard::JobControl& control,
                           std::string& message) override {
        control.progress(0.5, "half way");
        std::unique_lock lock(mutex_);
        ++runs_;
        started_.notify_all();
        // Held here until the test opens the gate or cancels; polls cancel like a real action
        // polls between batches.
        while (!gateOpen_) {
            if (control.cancelled())
                throw switchboard::JobCancelled{};
            changed_.wait_for(lock, std::chrono::milliseconds(5));
        }
        if (fail_)
            throw std::runtime_error("scripted failure");
        message = "done";
        return {{"ran", runs_}};
    }

    void setVerdict(std::string_view verdict) {
        std::lock_guard lock(mutex_);
        verdict_ = verdict;
    }
    void setFail(bool fail) {
        std::lock_guard lock(mutex_);
        fail_ = fail;
    }
    void setGate(bool open) {
        std::lock_guard lock(mutex_);
        gateOpen_ = open;
        changed_.notify_all();
    }
    bool waitUntilStarted(int runs) {
        std::unique_lock lock(mutex_);
        return started_.wait_for(lock, std::chrono::seconds(5), [&] { return runs_ >= runs; });
    }
    int runs() {
        std::lock_guard lock(mutex_);
        return runs_;
    }

private:
    std::string kind_;
    Scope scope_;
    std::mutex mutex_;
    std::condition_variable changed_, started_;
    std::string_view verdict_ = "pass";
    bool fail_ = false;
    bool gateOpen_ = true;
    int runs_ = 0;
};
