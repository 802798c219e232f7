#include "ConnectionState.h"

namespace switchboard {

QString connectionStateName(ConnectionState state) {
    switch (state) {
    case ConnectionState::Connecting:
        return QStringLiteral("Connecting");
    case ConnectionState::Live:
        return QStringLiteral("Live");
    case ConnectionState::Stale:
        return QStringLiteral("Stale");
    case ConnectionState::Unauthorized:
        return QStringLiteral("Unauthorized");
    case ConnectionState::Incompatible:
        return QStringLiteral("Incompatible");
    }
    return QStringLiteral("Unknown");
}

} // namespace switchboard
