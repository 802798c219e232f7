#include "audit_log.h"

#include "switchboard/protocol.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

namespace {

std::runtime_error systemError(const std::string& what, const std::string& path) {
    return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void writeAll(int fd, const std::string& text, const std::string& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t written = ::write(fd, text.data() + done, text.size() - done);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            throw systemError("cannot write the audit log", path);
        }
        done += static_cast<std::size_t>(written);
    }
}

} // namespace

AuditLog::AuditLog(std::string path, Clock clock)
    : path_(std::move(path))
    , clock_(std::move(clock)) {
    std::filesystem::path parent = std::filesystem::path(path_).parent_path();
    std::error_code ignored;
    if (!parent.empty())
        std::filesystem::create_directories(parent, ignored);
    // O_APPEND: every write lands at the end, whatever else has the file open.
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0)
        throw systemError("cannot open the audit log", path_);
    load();
}

AuditLog::~AuditLog() {
    if (fd_ >= 0)
        ::close(fd_);
}

void AuditLog::load() {
    std::ifstream in(path_, std::ios::binary);
    chain_ = verifyAuditChain(in, [this](json&& entry) {
        nextSeq_ = std::max(nextSeq_, entry[field::kSeq].get<std::uint64_t>() + 1);
        entries_.push_back(std::move(entry));
    });
    for (const std::string& warning : chain_.warnings)
        warnings_.push_back("audit log " + path_ + ": " + warning);
    if (chain_.firstBreak)
        warnings_.push_back("audit log " + path_ +
                            ": hash chain broken: " + describe(*chain_.firstBreak) +
                            "; serving it as it is, new entries chain on from its last line");
    // A torn last line without its newline would swallow the next entry: end it first.
    if (chain_.missingFinalNewline)
        writeAll(fd_, "\n", path_);
    // File order where seqs repeat (a tampered log): stable.
    std::stable_sort(entries_.begin(), entries_.end(), [](const json& a, const json& b) {
        return a[field::kSeq].get<std::uint64_t>() < b[field::kSeq].get<std::uint64_t>();
    });
}

json AuditLog::append(json entry) {
    // A refusal's detail may quote request bytes that are not UTF-8 (a percent-encoded path):
    // they become U+FFFD, so the entry can be written, hashed, read back and verified alike.
    entry = json::parse(entry.dump(-1, ' ', false, json::error_handler_t::replace));
    std::lock_guard lock(mutex_);
    const std::uint64_t seq = nextSeq_;
    entry[field::kSeq] = seq;
    entry[field::kTimeMs] = clock_();
    entry[field::kPrevHash] = chain_.lastLineHash;
    entry[field::kHash] = auditEntryHash(entry);
    const std::string line = entry.dump();
    writeAll(fd_, line + "\n", path_);
    ++nextSeq_; // the line may be on disk even if the sync fails: never reuse its number
    chain_.lastLineHash = sha256Hex(line);
    chain_.lastSeq = seq;
    ++chain_.entries;
    entries_.push_back(entry);
    if (::fdatasync(fd_) != 0)
        throw systemError("cannot sync the audit log", path_);
    return entry;
}

AuditChainState AuditLog::chain() const {
    std::lock_guard lock(mutex_);
    return chain_;
}

AuditLog::Page AuditLog::newest(std::optional<std::uint64_t> before, std::size_t limit) const {
    std::lock_guard lock(mutex_);
    Page page;
    auto end = entries_.end();
    if (before)
        end = std::lower_bound(entries_.begin(), entries_.end(), *before,
                               [](const json& entry, std::uint64_t seq) {
                                   return entry[field::kSeq].get<std::uint64_t>() < seq;
                               });
    auto begin = end - static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                           limit, static_cast<std::size_t>(end - entries_.begin())));
    for (auto it = end; it != begin;)
        page.entries.push_back(*--it);
    if (begin != entries_.begin() && !page.entries.empty())
        page.nextBefore = page.entries.back()[field::kSeq].get<std::uint64_t>();
    return page;
}

AuditLog::Page AuditLog::after(std::uint64_t after, std::size_t limit) const {
    std::lock_guard lock(mutex_);
    Page page;
    auto begin = std::upper_bound(entries_.begin(), entries_.end(), after,
                                  [](std::uint64_t seq, const json& entry) {
                                      return seq < entry[field::kSeq].get<std::uint64_t>();
                                  });
    for (auto it = begin; it != entries_.end() && page.entries.size() < limit; ++it)
        page.entries.push_back(*it);
    return page;
}

std::size_t AuditLog::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

} // namespace switchboard
