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
    case ConnectionState::TlsFailed:
        return QStringLiteral("TLS failed");
    }
    return QStringLiteral("Unknown");
}

Health connectionHealth(ConnectionState state) {
    switch (state) {
    case ConnectionState::Live:
        return Health::Up;
    case ConnectionState::Connecting:
    case ConnectionState::Stale:
        return Health::Unknown;
    case ConnectionState::Unauthorized:
    case ConnectionState::Incompatible:
    case ConnectionState::TlsFailed:
        return Health::Down;
    }
    return Health::Unknown;
}

} // namespace switchboard
