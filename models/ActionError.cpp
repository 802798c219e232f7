#include "ActionError.h"

#include <QCoreApplication>

namespace switchboard {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("switchboard::ActionError", text);
}

// "… (agent: <message>)": the agent's words are the most precise account of a refusal, so
// every sentence carries them, after the console's explanation of what to do.
QString withAgentMessage(const QString& sentence, const QString& message) {
    if (message.isEmpty())
        return sentence;
    return tr("%1 (agent: %2)").arg(sentence, message);
}

} // namespace

QString ActionError::text() const {
    if (httpStatus == 0) {
        if (reason == kTimeout)
            return message; // the client words it: no answer from where, within how long
        return tr("the agent could not be reached: %1").arg(message);
    }
    if (reason == kBadResponse)
        return tr("the agent's answer (HTTP %1) could not be read: %2")
            .arg(httpStatus)
            .arg(message);

    switch (httpStatus) {
    case 400:
        return withAgentMessage(tr("the agent refused the request as malformed"), message);
    case 401:
        return withAgentMessage(tr("the agent does not know this token: check the token file"),
                                message);
    case 403:
        return withAgentMessage(tr("this token is a viewer token: acting needs an operator token"),
                                message);
    case 404:
        return withAgentMessage(tr("the agent does not know it (restarted, or the plan or job "
                                   "is too old): plan again"),
                                message);
    case 409:
        if (reason == QLatin1String("busy"))
            return message.isEmpty() ? tr("another action of this kind is running") : message;
        if (reason == QLatin1String("already_confirmed"))
            return withAgentMessage(tr("this plan was already confirmed; it runs only once"),
                                    message);
        if (reason == QLatin1String("job_finished"))
            return withAgentMessage(tr("the job has already finished"), message);
        break;
    case 410:
        return withAgentMessage(tr("the plan expired; plan again"), message);
    case 413:
        return withAgentMessage(tr("the request is larger than the agent accepts"), message);
    case 422:
        if (reason == QLatin1String("preflight_failed"))
            return withAgentMessage(tr("a preflight check fails now, so nothing was changed"),
                                    message);
        if (reason == QLatin1String("idempotency_key_reused"))
            return withAgentMessage(tr("the agent saw this request's key with another body; "
                                       "nothing was changed: plan again"),
                                    message);
        break;
    case 503:
        if (reason == QLatin1String("actions_disabled"))
            return withAgentMessage(
                tr("actions are disabled on this agent: it has no audit log configured"), message);
        break;
    default:
        break;
    }
    const QString status = reason.isEmpty() ? tr("HTTP %1").arg(httpStatus)
                                            : tr("HTTP %1 %2").arg(httpStatus).arg(reason);
    return message.isEmpty() ? tr("the agent refused the request (%1)").arg(status)
                             : tr("the agent refused the request (%1): %2").arg(status, message);
}

} // namespace switchboard
