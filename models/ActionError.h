#pragma once

#include "ActionPlan.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace switchboard {

// Why an action request did not get the answer it wanted: the agent's refusal (its status,
// reason and message), or no usable answer at all (httpStatus 0: the network, a timeout).
struct ActionError {
    // Reasons the console gives itself when the agent's answer never came or made no sense.
    static constexpr QLatin1StringView kNetwork{"network"};
    static constexpr QLatin1StringView kTimeout{"timeout"};
    static constexpr QLatin1StringView kBadResponse{"bad_response"};

    int httpStatus = 0;           // 0: no HTTP answer
    QString reason;               // the agent's reason (protocol, "Errors"), or one of the above
    QString message;              // the agent's own message, or Qt's text for a network error
    QList<PreflightCheck> checks; // preflight_failed: the checks as they stand now
    QString jobId;                // already_confirmed: the job the plan started, when given

    bool isNetworkError() const { return httpStatus == 0; }
    // A sentence for a person: what happened and what to do, always with the agent's message.
    QString text() const;

    friend bool operator==(const ActionError&, const ActionError&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::ActionError)
