// A probe checks one dependency of the host backend (a database, a cache) and says how it is.
//
// check() runs on the probe's own thread and never throws: a failure is a ProbeResult with
// status Down and the cause. abort() may be called from another thread while check() runs and
// makes it return promptly (the runner calls it when a check overruns its timeout).
#pragma once

#include "switchboard/protocol.h"

#include <nlohmann/json.hpp>
#include <string>

namespace switchboard {

struct ProbeResult {
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    double latencyMs = 0;
    std::string error;
    nlohmann::json detail = nlohmann::json::object();
};

class Probe {
public:
    virtual ~Probe() = default;
    virtual std::string name() const = 0;
    virtual std::string_view kind() const = 0;
    virtual std::string target() const = 0;
    virtual ProbeResult check() noexcept = 0;
    virtual void abort() noexcept = 0;
};

} // namespace switchboard
