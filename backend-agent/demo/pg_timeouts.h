// The demo's connection strings: every query gives up after two seconds, so a stopped server
// shows as errors quickly instead of a hung workload thread.
#pragma once

#include <string>

namespace demo {

inline std::string withTimeouts(const std::string& conninfo) {
    return conninfo + " connect_timeout=2 application_name=switchboard-demo "
                      "options='-c statement_timeout=2000'";
}

} // namespace demo
