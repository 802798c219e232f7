// One kind of operator action, as the action pipeline sees it.
//
// An action validates its parameters and plans (a dry run that changes nothing: what would
// change, and the preflight checks with their verdicts), then executes a confirmed plan on a
// job thread, reporting progress and stopping at a safe point when cancelled. The pipeline
// does everything else: roles, expiry, idempotency, one job at a time per cluster-wide kind,
// the audit log and the stream. Implementations must be thread-safe: plan() runs on request
// threads, execute() on job threads.
#pragma once

#include <atomic>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

// A request the action cannot take: the HTTP status and the reason go back to the caller, and
// the message names what is wrong (e.g. the field).
class ActionError : public std::runtime_error {
public:
    ActionError(int status, std::string reason, const std::string& message)
        : std::runtime_error(message)
        , status_(status)
        , reason_(std::move(reason)) {}
    int status() const noexcept { return status_; }
    const std::string& reason() const noexcept { return reason_; }

    // Extra fields for the error document, e.g. the failing "checks" of a preflight.
    nlohmann::json details = nlohmann::json::object();
    bool audited = false; // the refusal is already in the audit log

private:
    int status_;
    std::string reason_;
};

// Thrown by Action::execute() when it stops at a safe point because the job was cancelled; what
// it did until then may go in `result` (the job keeps it).
struct JobCancelled {
    nlohmann::json result;
};

struct ActionRequest {
    std::string kind;
    std::string target;
    nlohmann::json params = nlohmann::json::object();
    std::string caller; // the token's name
    // At execution: the plan document the operator confirmed (what they saw, e.g. its moves),
    // not a fresh plan; null at planning.
    nlohmann::json confirmedPlan;
};

struct PreflightCheck {
    std::string name;
    std::string_view verdict; // protocol::verdict::*
    std::string detail;
};

struct ActionPlanBody {
    std::string summary;
    nlohmann::json changes = nlohmann::json::array(); // [{what, from, to}]
    std::vector<PreflightCheck> checks;
    // Further fields of the plan document (e.g. an estimate), merged in at its top level.
    nlohmann::json details = nlohmann::json::object();
};

// What a running job may do: report progress and learn that it should stop.
class JobControl {
public:
    virtual ~JobControl() = default;
    virtual void progress(double fraction, const std::string& message) = 0;
    virtual bool cancelled() const = 0;
};

class Action {
public:
    enum class Scope { Instance, Cluster };

    virtual ~Action() = default;
    virtual std::string_view kind() const = 0;
    virtual Scope scope() const = 0;
    // Validates the request (ActionError 400 naming the field) and plans it. Changes nothing.
    virtual ActionPlanBody plan(const ActionRequest& request) = 0;
    // Carries out a confirmed plan; returns the result document and sets `message` to what
    // happened, for a person. Throws to fail the job (the exception's text is its error).
    virtual nlohmann::json execute(const ActionRequest& request, JobControl& control,
                                   std::string& message) = 0;
};

} // namespace switchboard
