// Shared by the drill tests (the request's documents, the dialog): a drill of the regions test
// data's active region, as the operator would ask for it.
#pragma once

#include "DrillRequest.h"

#include <QString>

namespace drill_test_requests {

// A switchover of us-east in `mode`, to `candidate` (empty: the agent picks), with `confirm`
// typed as the region's name.
inline switchboard::DrillRequest switchover(const QString& mode, const QString& candidate = {},
                                            const QString& confirm = {}) {
    switchboard::DrillRequest request;
    request.region = QStringLiteral("us-east");
    request.kind = QStringLiteral("switchover");
    request.mode = mode;
    request.candidate = candidate;
    request.confirmRegion = confirm;
    return request;
}

} // namespace drill_test_requests
