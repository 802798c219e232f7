#pragma once

#include "Health.h"

#include <QMetaType>
#include <QString>

namespace switchboard {

// Where the console stands with one agent's stream.
enum class ConnectionState {
    Connecting,   // no data yet from this agent
    Live,         // messages are arriving
    Stale,        // had data, but the socket closed or the heartbeat stopped; reconnecting
    Unauthorized, // the agent refused the token (HTTP 401); retrying slowly
    Incompatible, // the agent speaks another protocol version; not retrying
    TlsFailed,    // the agent's certificate was not trusted or the TLS handshake failed;
                  // retrying slowly (the agent's certificate may be fixed)
};

// Short, user-facing name ("Live", "Stale", ...).
QString connectionStateName(ConnectionState state);

// How healthy a connection in that state is, for colouring.
Health connectionHealth(ConnectionState state);

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::ConnectionState)
