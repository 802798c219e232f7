#include "action_pipeline.h"

#include "random_id.h"
#include "switchboard/protocol.h"

#include <algorithm>
#include <condition_variable>
#include <random>
#include <sstream>

namespace switchboard {

namespace field = protocol::field;
namespace verdict = protocol::verdict;
namespace job_state = protocol::job_state;
namespace audit_event = protocol::audit_event;
using nlohmann::json;

namespace {

// A string field of a document the caller sent, or empty when it is missing or not a string:
// json::value() throws on a wrong type, and a refusal must be recorded whatever was sent.
std::string stringField(const json& document, std::string_view key) {
    const auto it = document.find(key);
    return it != document.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Ids are random, so one plan's id says nothing about the next.
ActionRequest requestFrom(const json& body, const std::string& caller) {
    if (!body.is_object())
        throw ActionError(400, "bad_request", "the body must be a JSON object");
    ActionRequest request;
    request.caller = caller;
    auto text = [&](std::string_view name) {
        auto it = body.find(name);
        if (it == body.end() || !it->is_string() || it->get<std::string>().empty())
            throw ActionError(400, "bad_request",
                              std::string(name) + " must be a non-empty string");
        return it->get<std::string>();
    };
    request.kind = text(field::kKind);
    request.target = text(field::kTarget);
    if (auto it = body.find(field::kParams); it != body.end()) {
        if (!it->is_object())
            throw ActionError(400, "bad_request", "params must be an object");
        request.params = *it;
    }
    return request;
}

json checksDocument(const std::vector<PreflightCheck>& checks) {
    json document = json::array();
    for (const auto& check : checks)
        document.push_back({{field::kName, check.name},
                            {field::kVerdict, check.verdict},
                            {field::kDetail, check.detail}});
    return document;
}

bool executable(const std::vector<PreflightCheck>& checks) {
    return std::none_of(checks.begin(), checks.end(), [](const PreflightCheck& check) {
        return check.verdict == verdict::kFail;
    });
}

std::string_view scopeName(Action::Scope scope) {
    return scope == Action::Scope::Cluster ? "cluster" : "instance";
}

} // namespace

struct ActionPipeline::Plan {
    ActionRequest request;
    json document;
    std::int64_t expiresMs = 0;
    std::string confirmedAs; // the job's id once confirmed
};

struct ActionPipeline::Job {
    ActionRequest request;
    Action* action = nullptr;
    json document; // guarded by the pipeline's mutex
    std::atomic<bool> cancelRequested{false};
    bool finished = false;
    std::thread thread;
};

// What a job's action sees of its job.
class ActionPipeline::Control : public JobControl {
public:
    Control(ActionPipeline& pipeline, Job& job)
        : pipeline_(pipeline)
        , job_(job) {}
    void progress(double fraction, const std::string& message) override {
        pipeline_.update(job_, [&](json& document) {
            document[field::kProgress] = std::clamp(fraction, 0.0, 1.0);
            document[field::kMessage] = message;
        });
    }
    bool cancelled() const override { return job_.cancelRequested.load(); }

private:
    ActionPipeline& pipeline_;
    Job& job_;
};

ActionPipeline::ActionPipeline(AuditLog& audit, Publish publish, Clock clock, Options options,
                               std::unique_ptr<ClusterLock> clusterLock)
    : audit_(audit)
    , publish_(std::move(publish))
    , clock_(std::move(clock))
    , options_(options)
    , clusterLock_(clusterLock ? std::move(clusterLock) : std::make_unique<LocalClusterLock>()) {}

ActionPipeline::~ActionPipeline() {
    stop();
}

void ActionPipeline::add(std::unique_ptr<Action> action) {
    std::string kind(action->kind());
    actions_.emplace(std::move(kind), std::move(action));
}

Action& ActionPipeline::actionFor(const std::string& kind) const {
    auto it = actions_.find(kind);
    if (it == actions_.end()) {
        std::string known;
        for (const auto& [name, action] : actions_)
            known += (known.empty() ? "" : ", ") + name;
        throw ActionError(400, "bad_request",
                          "unknown action kind \"" + kind + "\"; this agent knows: " + known);
    }
    return *it->second;
}

json ActionPipeline::entry(std::string_view event, const Caller& caller,
                           const ActionRequest& request, std::string_view outcome,
                           const std::string& detail) const {
    return {{field::kEvent, event},
            {field::kToken, caller.name},
            {field::kRole, protocol::roleName(caller.role)},
            {field::kKind, request.kind},
            {field::kTarget, request.target},
            {field::kParams, request.params},
            {field::kOutcome, outcome},
            {field::kDetail, detail}};
}

void ActionPipeline::refuse(const Caller& caller, const ActionRequest& request,
                            const std::string& planId, ActionError error) {
    json record = entry(audit_event::kRefused, caller, request, error.reason(), error.what());
    if (!planId.empty())
        record[field::kPlanId] = planId;
    audit_.append(std::move(record));
    error.audited = true;
    throw error;
}

void ActionPipeline::auditRefusal(const Caller& caller, const json& about,
                                  const ActionError& error) {
    ActionRequest request;
    if (about.is_object()) {
        request.kind = stringField(about, field::kKind);
        request.target = stringField(about, field::kTarget);
        if (auto it = about.find(field::kParams); it != about.end() && it->is_object())
            request.params = *it;
    }
    audit_.append(entry(audit_event::kRefused, caller, request, error.reason(), error.what()));
}

void ActionPipeline::auditSystemEvent(std::string_view event, json fields) {
    fields[field::kEvent] = event;
    fields[field::kToken] = "switchboard";
    fields[field::kRole] = "agent";
    audit_.append(std::move(fields));
}

json ActionPipeline::plan(const Caller& caller, const json& body) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_)
            throw ActionError(503, "stopping", "the agent is stopping");
    }
    ActionRequest request;
    ActionPlanBody planned;
    Action* action = nullptr;
    try {
        request = requestFrom(body, caller.name);
        action = &actionFor(request.kind);
        planned = action->plan(request);
    } catch (const ActionError& error) {
        if (request.kind.empty() && body.is_object())
            request.kind = stringField(body, field::kKind);
        refuse(caller, request, {}, error);
    }
    auto now = clock_();
    auto plan = std::make_shared<Plan>();
    plan->request = request;
    plan->expiresMs = now + options_.planTtlMs;
    bool canRun = executable(planned.checks);
    plan->document = {{field::kPlanId, newId("p-")},
                      {field::kKind, request.kind},
                      {field::kTarget, request.target},
                      {field::kParams, request.params},
                      {field::kScope, scopeName(action->scope())},
                      {field::kSummary, planned.summary},
                      {field::kChanges, planned.changes},
                      {field::kChecks, checksDocument(planned.checks)},
                      {field::kExecutable, canRun},
                      {field::kCreatedMs, now},
                      {field::kExpiresMs, plan->expiresMs},
                      {field::kCreatedBy, caller.name}};
    for (auto& [key, value] : planned.details.items())
        if (!plan->document.contains(key))
            plan->document[key] = value;
    json record = entry(audit_event::kPlan, caller, request, canRun ? "planned" : "not_executable",
                        planned.summary);
    record[field::kPlanId] = plan->document[field::kPlanId];
    audit_.append(std::move(record));

    std::lock_guard lock(mutex_);
    std::string id = plan->document[field::kPlanId];
    plans_[id] = plan;
    planOrder_.push_back(id);
    pruneLocked();
    return plan->document;
}

json ActionPipeline::planDocument(const std::string& planId) const {
    std::lock_guard lock(mutex_);
    auto it = plans_.find(planId);
    if (it == plans_.end())
        throw ActionError(404, "not_found", "no plan " + planId + " (unknown, or long expired)");
    return it->second->document;
}

json ActionPipeline::confirm(const Caller& caller, const std::string& planId) {
    std::shared_ptr<Plan> plan;
    {
        std::lock_guard lock(mutex_);
        if (auto it = plans_.find(planId); it != plans_.end())
            plan = it->second;
    }
    if (!plan)
        refuse(caller, {}, planId,
               ActionError(404, "not_found", "no plan " + planId + " (unknown, or long expired)"));
    const ActionRequest& request = plan->request;
    if (clock_() > plan->expiresMs)
        refuse(caller, request, planId,
               ActionError(410, "plan_expired",
                           "plan " + planId + " expired; plan again to see the current state"));
    Action& action = actionFor(request.kind);

    // The world may have moved since the plan: check again, right before acting.
    ActionPlanBody now;
    try {
        now = action.plan(request);
    } catch (const ActionError& error) {
        refuse(caller, request, planId, error);
    }
    if (!executable(now.checks)) {
        ActionError error(
            422, "preflight_failed",
            "a preflight check fails now: " +
                std::find_if(now.checks.begin(), now.checks.end(), [](const PreflightCheck& check) {
                    return check.verdict == verdict::kFail;
                })->detail);
        error.details[field::kChecks] = checksDocument(now.checks);
        refuse(caller, request, planId, error);
    }

    auto job = std::make_shared<Job>();
    job->request = request;
    job->request.confirmedPlan = plan->document;
    job->action = &action;
    std::string jobId = newId("j-");
    std::string confirmedAs;
    {
        std::lock_guard lock(mutex_);
        if (stopping_)
            throw ActionError(503, "stopping", "the agent is stopping");
        confirmedAs = plan->confirmedAs;
        if (confirmedAs.empty())
            plan->confirmedAs = jobId; // claimed: a second confirm in parallel is refused
    }
    if (!confirmedAs.empty()) {
        ActionError error(409, "already_confirmed",
                          "plan " + planId + " was already confirmed as job " + confirmedAs +
                              "; a plan runs once");
        error.details[field::kJobId] = confirmedAs;
        refuse(caller, request, planId, error);
    }
    std::string why;
    if (action.scope() == Action::Scope::Cluster && !clusterLock_->tryLock(request.kind, why)) {
        {
            std::lock_guard lock(mutex_);
            plan->confirmedAs.clear();
        }
        refuse(caller, request, planId, ActionError(409, "busy", why));
    }

    auto started = clock_();
    job->document = {{field::kJobId, jobId},
                     {field::kPlanId, planId},
                     {field::kKind, request.kind},
                     {field::kTarget, request.target},
                     {field::kParams, request.params},
                     {field::kScope, scopeName(action.scope())},
                     {field::kState, job_state::kRunning},
                     {field::kProgress, 0.0},
                     {field::kMessage, "starting"},
                     {field::kCreatedBy, caller.name},
                     {field::kStartedMs, started},
                     {field::kFinishedMs, nullptr}};
    json record = entry(audit_event::kConfirm, caller, request, "accepted", now.summary);
    record[field::kPlanId] = planId;
    record[field::kJobId] = jobId;
    try {
        audit_.append(std::move(record));
    } catch (...) {
        if (action.scope() == Action::Scope::Cluster)
            clusterLock_->unlock(request.kind);
        throw; // not on disk: the job does not start
    }

    std::unique_lock lock(mutex_);
    jobs_[jobId] = job;
    jobOrder_.push_back(jobId);
    publish_(job->document);
    job->thread = std::thread([this, job] { run(job); });
    // Most actions take milliseconds: answer with their result rather than "running".
    jobChanged_.wait_for(lock, std::chrono::milliseconds(options_.confirmWaitMs),
                         [&] { return job->finished; });
    return job->document;
}

void ActionPipeline::update(Job& job, const std::function<void(json&)>& change) {
    json copy;
    {
        std::lock_guard lock(mutex_);
        change(job.document);
        copy = job.document;
    }
    publish_(copy);
}

void ActionPipeline::run(std::shared_ptr<Job> job) {
    Control control(*this, *job);
    std::string_view state = job_state::kSucceeded;
    std::string message, error;
    json result;
    try {
        result = job->action->execute(job->request, control, message);
    } catch (const JobCancelled& cancelled) {
        state = job_state::kCancelled;
        result = cancelled.result;
        if (message.empty())
            message = "cancelled at a safe point";
    } catch (const std::exception& failure) {
        state = job_state::kFailed;
        error = failure.what();
    } catch (...) {
        state = job_state::kFailed;
        error = "unknown failure";
    }
    if (job->action->scope() == Action::Scope::Cluster)
        clusterLock_->unlock(job->request.kind);

    json record;
    {
        std::lock_guard lock(mutex_);
        record = job->document;
    }
    Caller caller{stringField(record, field::kCreatedBy), protocol::Role::Operator};
    json audited =
        entry(audit_event::kResult, caller, job->request, state, error.empty() ? message : error);
    audited[field::kPlanId] = record[field::kPlanId];
    audited[field::kJobId] = record[field::kJobId];
    // On disk before anyone hears the job is done.
    try {
        audit_.append(std::move(audited));
    } catch (const std::exception& failure) {
        error = (error.empty() ? "" : error + "; ") +
                "the result could not be audited: " + failure.what();
        state = job_state::kFailed;
    }
    json finished;
    {
        std::lock_guard lock(mutex_);
        auto& document = job->document;
        document[field::kState] = state;
        if (state == job_state::kSucceeded)
            document[field::kProgress] = 1.0;
        document[field::kMessage] = error.empty() ? message : error;
        if (!error.empty())
            document[field::kError] = error;
        if (!result.is_null())
            document[field::kResult] = result;
        document[field::kFinishedMs] = clock_();
        job->finished = true;
        finished = document;
    }
    publish_(finished);
    jobChanged_.notify_all();
}

json ActionPipeline::cancel(const Caller& caller, const std::string& jobId) {
    std::shared_ptr<Job> job;
    {
        std::lock_guard lock(mutex_);
        if (auto it = jobs_.find(jobId); it != jobs_.end())
            job = it->second;
    }
    if (!job)
        refuse(caller, {}, {}, ActionError(404, "not_found", "no job " + jobId));
    bool finished;
    std::string planId;
    {
        std::lock_guard lock(mutex_);
        finished = job->finished;
        planId = job->document[field::kPlanId];
    }
    if (finished)
        refuse(caller, job->request, planId,
               ActionError(409, "job_finished", "job " + jobId + " has already finished"));
    json record = entry(audit_event::kCancel, caller, job->request, "accepted",
                        "cancel requested; the job stops at its next safe point");
    record[field::kPlanId] = planId;
    record[field::kJobId] = jobId;
    audit_.append(std::move(record));
    job->cancelRequested = true;
    update(*job, [](json& document) {
        if (document[field::kFinishedMs].is_null())
            document[field::kState] = job_state::kCancelling;
    });
    std::lock_guard lock(mutex_);
    return job->document;
}

json ActionPipeline::jobDocument(const std::string& jobId) const {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(jobId);
    if (it == jobs_.end())
        throw ActionError(404, "not_found", "no job " + jobId);
    return it->second->document;
}

json ActionPipeline::jobs() const {
    std::lock_guard lock(mutex_);
    json list = json::array();
    for (auto it = jobOrder_.rbegin(); it != jobOrder_.rend(); ++it)
        list.push_back(jobs_.at(*it)->document);
    return {{field::kJobs, std::move(list)}};
}

void ActionPipeline::pruneLocked() {
    auto now = clock_();
    while (!planOrder_.empty()) {
        auto it = plans_.find(planOrder_.front());
        // Kept a while past expiry, so a late confirm hears "expired" rather than "unknown".
        bool stale = it == plans_.end() || it->second->expiresMs + options_.planTtlMs < now ||
                     planOrder_.size() > options_.plansKept;
        if (!stale)
            break;
        if (it != plans_.end())
            plans_.erase(it);
        planOrder_.pop_front();
    }
    std::size_t finished = 0;
    for (const auto& id : jobOrder_)
        finished += jobs_.at(id)->finished ? 1 : 0;
    for (auto it = jobOrder_.begin(); it != jobOrder_.end() && finished > options_.jobsKept;) {
        auto& job = jobs_.at(*it);
        if (!job->finished) {
            ++it;
            continue;
        }
        if (job->thread.joinable())
            job->thread.join(); // finished: returns at once
        jobs_.erase(*it);
        it = jobOrder_.erase(it);
        --finished;
    }
}

void ActionPipeline::stop() noexcept {
    std::vector<std::shared_ptr<Job>> all;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        for (auto& [id, job] : jobs_)
            all.push_back(job);
    }
    for (auto& job : all)
        job->cancelRequested = true;
    for (auto& job : all)
        if (job->thread.joinable())
            job->thread.join();
}

} // namespace switchboard
