// Bearer tokens from token files, each with a name and a role.
//
// A token file is JSON: {"name": "alice", "role": "viewer" | "operator", "token": "<secret>"}.
// Tokens are kept only as SHA-256 digests and compared in constant time, so neither the
// comparison's duration nor a memory dump gives a secret away. Immutable after construction;
// authenticate() is thread-safe.
#pragma once

#include "switchboard/protocol.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

struct Caller {
    std::string name;
    protocol::Role role;
};

class TokenStore {
public:
    // Reads every file; throws ConfigError naming the file on anything unreadable or malformed.
    explicit TokenStore(const std::vector<std::string>& tokenFiles);
    // Builds a store from values already in memory (tests, embedders with their own secrets).
    struct Entry {
        std::string name;
        protocol::Role role;
        std::string token;
    };
    explicit TokenStore(const std::vector<Entry>& entries);

    // The caller an "Authorization" header value names, or nothing.
    std::optional<Caller> authenticate(std::string_view authorizationHeader) const;

private:
    using Digest = std::array<unsigned char, 32>;
    struct Known {
        std::string name;
        protocol::Role role;
        Digest digest;
    };
    static Digest digestOf(std::string_view secret);
    void add(const Entry& entry, const std::string& where);
    std::vector<Known> known_;
};

} // namespace switchboard
