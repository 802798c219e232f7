// The host process's CPU time and resident memory, read from /proc/self/stat (Linux), with
// getrusage() as the fallback for CPU time where /proc is not there. Pure parsing apart from the
// one read, so the tests feed it lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard {

// The fields of a /proc/<pid>/stat line the agent uses (proc(5)).
struct ProcStat {
    std::uint64_t userTicks = 0;   // field 14, utime, in clock ticks
    std::uint64_t systemTicks = 0; // field 15, stime
    std::int64_t rssPages = 0;     // field 24, rss
};

// Reads a stat line; the command name (field 2) may hold spaces and parentheses, so fields
// are counted from the last ')'. Nothing when the line is cut short or a field is not a number.
std::optional<ProcStat> parseProcStat(std::string_view line);

struct ProcessTimes {
    double cpuSeconds = -1;     // user + system since the process started; -1: unreadable
    std::int64_t rssBytes = -1; // -1: unreadable
    std::string error;          // why a figure is missing ("" when both are there)
};

// This process, now. Never throws.
ProcessTimes readProcessTimes() noexcept;

// The cores this process may run on (its CPU affinity), at least 1.
int usableCpuCount() noexcept;

} // namespace switchboard
