#include "token_store.h"

#include "switchboard/agent_config.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sys/stat.h>

namespace switchboard {

TokenStore::TokenStore(const std::vector<std::string>& tokenFiles) {
    for (const auto& path : tokenFiles) {
        std::ifstream in(path);
        if (!in)
            throw ConfigError("token_files", "cannot read token file " + path);
        // A token other users on the host can read is no secret: refused, as ssh refuses such
        // a private key.
        struct stat status {};
        if (::stat(path.c_str(), &status) == 0 && (status.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
            char mode[8];
            std::snprintf(mode, sizeof mode, "%04o", unsigned(status.st_mode & 07777));
            throw ConfigError("token_files", "token file " + path + " (mode " + mode +
                                                 ") can be read or written by other users: "
                                                 "make it private (chmod 600 " +
                                                 path + ")");
        }
        nlohmann::json doc;
        try {
            doc = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception& error) {
            throw ConfigError("token_files", path + " is not valid JSON: " + error.what());
        }
        if (!doc.is_object() || !doc.contains("name") || !doc.contains("role") ||
            !doc.contains("token") || !doc["name"].is_string() || !doc["role"].is_string() ||
            !doc["token"].is_string())
            throw ConfigError("token_files",
                              path + ": expected {\"name\": ..., \"role\": ..., \"token\": ...}");
        std::string role = doc["role"];
        if (role != "viewer" && role != "operator")
            throw ConfigError("token_files",
                              path + ": role must be \"viewer\" or \"operator\", got \"" + role +
                                  "\"");
        add({doc["name"], role == "operator" ? protocol::Role::Operator : protocol::Role::Viewer,
             doc["token"]},
            path);
    }
}

TokenStore::TokenStore(const std::vector<Entry>& entries) {
    for (const auto& entry : entries)
        add(entry, entry.name);
}

void TokenStore::add(const Entry& entry, const std::string& where) {
    // A short secret can be guessed; refuse it rather than serve with it.
    if (entry.token.size() < 16)
        throw ConfigError("token_files", where + ": the token must be at least 16 characters");
    known_.push_back({entry.name, entry.role, digestOf(entry.token)});
}

TokenStore::Digest TokenStore::digestOf(std::string_view secret) {
    Digest digest{};
    SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest.data());
    return digest;
}

std::optional<Caller> TokenStore::authenticate(std::string_view header) const {
    if (!header.starts_with(protocol::kBearerPrefix))
        return std::nullopt;
    Digest presented = digestOf(header.substr(protocol::kBearerPrefix.size()));
    // Compare with every token, without an early exit, so timing says nothing about which.
    const Known* match = nullptr;
    for (const auto& known : known_) {
        if (CRYPTO_memcmp(known.digest.data(), presented.data(), presented.size()) == 0)
            match = &known;
    }
    if (!match)
        return std::nullopt;
    return Caller{match->name, match->role};
}

} // namespace switchboard
