// Which cache keys an invalidation means (one key, a prefix, or a Redis glob pattern), said two
// ways that must agree: as the pattern Redis's SCAN MATCH is given, and as a matcher the
// in-process L1 cache runs over its own keys, so every instance drops exactly the keys that
// Redis drops.
//
// matches() is a byte-for-byte re-expression of Redis 7's glob (util.c stringmatchlen), not
// fnmatch(3): checked against redis-server 7.0.15, fnmatch agrees on `*`, `?`, `[abc]`, `[^a]`,
// `[a-z]` and `\*` in the C locale, but differs on `[!a]` (Redis: a literal `!`), `[z-a]` (Redis
// swaps the ends), `[]a]` and `[]]` (Redis: `]` closes at once), an unterminated `[` (Redis
// matches the set up to the end, fnmatch a literal `[`), `[[:alpha:]]` (no classes in Redis),
// a trailing `\`, bytes >= 0x80 in ranges, keys with NUL bytes (fnmatch takes C strings), and,
// in a UTF-8 locale (which Qt hosts set), on `?` against a multi-byte character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard {

// An immutable value; every member function is const and thread-safe.
struct KeySelection {
    enum class Match { Key, Prefix, Pattern };
    static constexpr std::size_t kMaxValueBytes = 512;

    Match match = Match::Key;
    std::string value;

    // From the action's params: `match` is "key", "prefix" or "pattern"; `value` 1 to 512
    // bytes, except that an empty prefix is allowed (it selects every key). Throws
    // std::invalid_argument naming the field.
    static KeySelection parse(std::string_view match, std::string_view value);

    // The SCAN MATCH pattern: a key or prefix with the glob characters *?[]\ escaped (a prefix
    // followed by `*`), a pattern as given.
    std::string redisPattern() const;
    // Whether the selection takes every key: an empty prefix, or a pattern of stars only.
    bool matchesAll() const;
    // Whether Redis's SCAN MATCH redisPattern() returns this key. No allocation, no throw.
    bool matches(std::string_view key) const;
};

// Redis 7's glob match on bytes (SCAN MATCH, KEYS), with SCAN's shortcut that the pattern "*"
// alone takes every key, the empty one included. Bytes compare as signed chars in ranges, as
// redis-server on x86-64 does (on ARM, where char is unsigned, ranges over bytes >= 0x80 differ).
bool redisGlobMatch(std::string_view pattern, std::string_view key);
// `text` with every glob character (* ? [ ] \) escaped by a backslash: a pattern that matches
// exactly `text`.
std::string escapeRedisGlob(std::string_view text);

} // namespace switchboard
