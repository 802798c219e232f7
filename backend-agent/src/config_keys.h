// Every key the agent's configuration file may hold and every environment variable over it: one
// list that the parser's "unknown key" warnings and the check of docs/configuration.md both read,
// so a key the agent accepts cannot go undocumented, nor a documented one be unknown.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::config_keys {

// Dotted paths of the leaves: "cache.ttl_ms". "[]" stands for any entry of an array
// ("ha.regions[].name"), "*" for any key of an object keyed by names ("ha.regions[].shards.*").
std::span<const std::string_view> fileKeys();

// The SWITCHBOARD_* variables applyEnvironment() reads; others with the prefix belong to the
// project's other tools and are left alone.
std::span<const std::string_view> environmentVariables();

// "<key>: unknown key, ignored" for every key of the file that fileKeys() does not know, in the
// order the file's objects list them (array entries by index: "ha.regions[0].zone").
std::vector<std::string> unknownKeys(const nlohmann::json& root);

} // namespace switchboard::config_keys
