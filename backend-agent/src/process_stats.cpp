#include "process_stats.h"

#include <charconv>
#include <fstream>
#include <sched.h>
#include <sstream>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

namespace switchboard {

namespace {

template <typename T> bool toNumber(std::string_view text, T* out) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
    return error == std::errc() && end == text.data() + text.size();
}

double rusageCpuSeconds() noexcept {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return -1;
    auto seconds = [](const timeval& t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

} // namespace

std::optional<ProcStat> parseProcStat(std::string_view line) {
    const auto close = line.rfind(')');
    if (close == std::string_view::npos)
        return std::nullopt;
    // Fields after the command name: the first is field 3 (state).
    constexpr int kFirstField = 3, kUtime = 14, kStime = 15, kRss = 24;
    ProcStat stat;
    int fieldNumber = kFirstField;
    std::size_t at = close + 1;
    while (fieldNumber <= kRss) {
        while (at < line.size() && line[at] == ' ')
            ++at;
        if (at >= line.size())
            return std::nullopt;
        std::size_t end = line.find_first_of(" \n", at);
        if (end == std::string_view::npos)
            end = line.size();
        const std::string_view token = line.substr(at, end - at);
        if ((fieldNumber == kUtime && !toNumber(token, &stat.userTicks)) ||
            (fieldNumber == kStime && !toNumber(token, &stat.systemTicks)) ||
            (fieldNumber == kRss && !toNumber(token, &stat.rssPages)))
            return std::nullopt;
        at = end;
        ++fieldNumber;
    }
    return stat;
}

ProcessTimes readProcessTimes() noexcept {
    ProcessTimes times;
    try {
        std::ifstream file("/proc/self/stat");
        std::string line;
        if (file && std::getline(file, line)) {
            if (auto stat = parseProcStat(line)) {
                const long ticks = sysconf(_SC_CLK_TCK);
                const long page = sysconf(_SC_PAGESIZE);
                if (ticks > 0)
                    times.cpuSeconds = double(stat->userTicks + stat->systemTicks) / double(ticks);
                if (page > 0)
                    times.rssBytes = stat->rssPages * page;
            } else {
                times.error = "/proc/self/stat: unexpected format";
            }
        } else {
            times.error = "/proc/self/stat is not readable";
        }
    } catch (...) {
        times.error = "/proc/self/stat could not be read";
    }
    if (times.cpuSeconds < 0) // getrusage has CPU time, but only the peak RSS: no RSS figure
        times.cpuSeconds = rusageCpuSeconds();
    return times;
}

int usableCpuCount() noexcept {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    const unsigned hardware = std::thread::hardware_concurrency();
    return hardware > 0 ? static_cast<int>(hardware) : 1;
}

} // namespace switchboard
