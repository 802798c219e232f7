// Wall-clock time in milliseconds since the Unix epoch, the unit of every time on the wire.
#pragma once

#include <chrono>
#include <cstdint>

namespace switchboard {

inline std::int64_t nowMs() noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace switchboard
