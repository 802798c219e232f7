// What every agent connection to PostgreSQL shares (the health probe, the replication probe):
// the timeouts added to the conninfo, and an exception turned into a one-line cause.
#pragma once

#include <exception>
#include <string>

namespace switchboard {

// The conninfo with connect_timeout (libpq counts whole seconds, at least 2) and a server-side
// statement_timeout of timeoutMs, under the agent's application_name.
std::string probeConninfo(const std::string& conninfo, int timeoutMs);

// error.what() without libpq's trailing newlines, for an "error" field.
std::string pgErrorText(const std::exception& error);

} // namespace switchboard
