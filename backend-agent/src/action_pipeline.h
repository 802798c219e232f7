// The one pipeline every operator action goes through: plan → confirm → job (progress, cancel)
// → result, every step in the audit log.
//
// A plan is a dry run kept for `planTtlMs`; confirming it re-runs its preflight checks, takes the
// cluster lock for a cluster-wide kind, writes the confirmation to the audit log and starts a job
// on its own thread. A job's every change goes to `publish` (the stream); its result is in the
// audit log, synced, before the job is reported finished. Roles and idempotency are the HTTP
// layer's (action_api.h). Thread-safe.
#pragma once

#include "action.h"
#include "audit_log.h"
#include "cluster_lock.h"
#include "token_store.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace switchboard {

class ActionPipeline {
public:
    using Clock = std::function<std::int64_t()>;                // ms since the epoch
    using Publish = std::function<void(const nlohmann::json&)>; // one job document
    struct Options {
        std::int64_t planTtlMs = 120'000;
        std::size_t jobsKept = 100;   // finished jobs listed at /v1/jobs
        std::size_t plansKept = 1000; // the oldest plan is dropped past this
        // confirm() waits this long for a short job to finish, so its answer has the result.
        std::int64_t confirmWaitMs = 1000;
    };

    ActionPipeline(AuditLog& audit, Publish publish, Clock clock, Options options,
                   std::unique_ptr<ClusterLock> clusterLock);
    ~ActionPipeline(); // cancels the running jobs and joins them
    ActionPipeline(const ActionPipeline&) = delete;
    ActionPipeline& operator=(const ActionPipeline&) = delete;

    void add(std::unique_ptr<Action> action);

    // Each throws ActionError for a request it refuses, after auditing the refusal.
    // POST /v1/plans: {"kind", "target", "params"} → the plan document.
    nlohmann::json plan(const Caller& caller, const nlohmann::json& body);
    // POST /v1/plans/<id>/confirm → the job document.
    nlohmann::json confirm(const Caller& caller, const std::string& planId);
    // POST /v1/jobs/<id>/cancel → the job document.
    nlohmann::json cancel(const Caller& caller, const std::string& jobId);
    nlohmann::json planDocument(const std::string& planId) const; // 404 if unknown
    nlohmann::json jobDocument(const std::string& jobId) const;   // 404 if unknown
    nlohmann::json jobs() const;                                  // {"jobs": [...]}, newest first

    // Audits a request refused before it reached the pipeline (e.g. a viewer's POST).
    void auditRefusal(const Caller& caller, const nlohmann::json& about, const ActionError& error);
    // Writes an audit entry for something the agent did by itself (e.g. an override expiring).
    void auditSystemEvent(std::string_view event, nlohmann::json fields);

    // Cancels every running job and waits for them. Idempotent.
    void stop() noexcept;

private:
    struct Plan;
    struct Job;
    class Control;

    Action& actionFor(const std::string& kind) const;
    nlohmann::json entry(std::string_view event, const Caller& caller, const ActionRequest& request,
                         std::string_view outcome, const std::string& detail) const;
    [[noreturn]] void refuse(const Caller& caller, const ActionRequest& request,
                             const std::string& planId, ActionError error);
    void run(std::shared_ptr<Job> job);
    void update(Job& job, const std::function<void(nlohmann::json&)>& change);
    void pruneLocked();

    AuditLog& audit_;
    Publish publish_;
    Clock clock_;
    Options options_;
    std::unique_ptr<ClusterLock> clusterLock_;
    std::map<std::string, std::unique_ptr<Action>, std::less<>> actions_;

    mutable std::mutex mutex_;
    std::condition_variable jobChanged_;
    std::map<std::string, std::shared_ptr<Plan>> plans_;
    std::deque<std::string> planOrder_;
    std::map<std::string, std::shared_ptr<Job>> jobs_;
    std::deque<std::string> jobOrder_; // by start, oldest first
    bool stopping_ = false;
};

} // namespace switchboard
