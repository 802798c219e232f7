#include "random_id.h"

#include <mutex>
#include <random>
#include <sstream>

namespace switchboard {

std::string newId(std::string_view prefix) {
    static std::mutex mutex;
    static std::mt19937_64 random{std::random_device{}()};
    std::lock_guard lock(mutex);
    std::ostringstream id;
    id << prefix << std::hex << random();
    return id.str();
}

} // namespace switchboard
