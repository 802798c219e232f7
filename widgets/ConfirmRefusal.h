// Shared by the action dialogs (override, rebalance, invalidate).
#pragma once

#include "ActionError.h"
#include "ActionPlan.h"
#include "ActionPlanView.h"

#include <QLatin1String>
#include <optional>

namespace switchboard {

// A confirm the agent refused, shown on the plan it was for: a 410 means the plan expired; failed
// preflight checks mean it can no longer run, and the checks as they stand now replace the
// plan's, since they say why. Other refusals leave the plan as it was.
inline void showConfirmRefusal(const ActionError& error, std::optional<ActionPlan>& plan,
                               ActionPlanView* view) {
    if (error.httpStatus == 410) {
        view->markExpired();
    } else if (error.reason == QLatin1String("preflight_failed") && plan) {
        plan->executable = false;
        view->setExecutable(false);
        if (!error.checks.isEmpty()) {
            plan->checks = error.checks;
            view->setChecks(error.checks);
        }
    }
}

} // namespace switchboard
