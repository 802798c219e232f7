#include "ExitCode.h"

namespace switchboard::cli {

ExitCode exitCodeOf(const ActionError& error) {
    if (error.isNetworkError() || error.reason == ActionError::kBadResponse)
        return ExitCode::Unreachable;
    if (error.httpStatus == 401 || error.httpStatus == 403)
        return ExitCode::Unauthorized;
    return ExitCode::Refused;
}

} // namespace switchboard::cli
