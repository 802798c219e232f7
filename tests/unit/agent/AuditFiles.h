// An audit log file as lines, for tests that write one with the agent and then tamper with it
// by hand: read it, change a line, write it back.
#pragma once

#include "audit_chain.h"
#include "audit_log.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace audit_files {

// The file's lines without their newlines.
inline std::vector<std::string> readLines(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// Replaces the file by `lines`, each ended by a newline unless `lastNewline` is false.
inline void writeLines(const std::string& file, const std::vector<std::string>& lines,
                       bool lastNewline = true) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out << lines[i];
        if (i + 1 < lines.size() || lastNewline)
            out << '\n';
    }
}

// A chained log of `count` entries (seq 1..count, one per line) written by the agent's AuditLog.
inline void writeChainedLog(const std::string& file, int count) {
    switchboard::AuditLog log(file, [] { return std::int64_t(1795000000000); });
    for (int i = 1; i <= count; ++i)
        log.append({{"event", "plan"}, {"target", "redis-" + std::to_string(i)}});
}

inline switchboard::AuditChainState verifyFile(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return switchboard::verifyAuditChain(in);
}

} // namespace audit_files
