// Unguessable-enough ids for plans, jobs and invalidation messages: a prefix and 64 random bits
// in hex. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace switchboard {

std::string newId(std::string_view prefix);

} // namespace switchboard
