#include "pg_conninfo.h"

#include <algorithm>

namespace switchboard {

std::string probeConninfo(const std::string& conninfo, int timeoutMs) {
    int connectSeconds = std::max(2, (timeoutMs + 999) / 1000);
    return conninfo + " connect_timeout=" + std::to_string(connectSeconds) +
           " application_name=switchboard-agent options='-c statement_timeout=" +
           std::to_string(timeoutMs) + "'";
}

std::string pgErrorText(const std::exception& error) {
    std::string text = error.what();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

} // namespace switchboard
