#include "key_selection.h"

#include <stdexcept>
#include <utility>

namespace switchboard {

namespace {

// Redis's stringmatchlen, on views. Redis keeps patterns in NUL-terminated strings and peeks at
// the terminator in places (an unterminated `[`, the stars after the key has run out); at()
// gives '\0' past the end so that those corners answer as Redis does.
class RedisGlob {
public:
    explicit RedisGlob(std::string_view pattern)
        : pattern_(pattern) {}

    bool matches(std::string_view key) { return matchFrom(0, key, 0); }

private:
    char at(std::size_t i) const { return i < pattern_.size() ? pattern_[i] : '\0'; }
    static int signedByte(char c) { return static_cast<signed char>(c); }

    // One bracket expression against `c`; `p` enters on the byte after `[` and leaves on its
    // closing `]` (or on the last byte when there is none).
    bool bracketMatches(std::size_t& p, char c) const {
        const std::size_t end = pattern_.size();
        const bool negated = at(p) == '^';
        if (negated)
            ++p;
        bool found = false;
        for (;; ++p) {
            if (at(p) == '\\' && end - p >= 2) {
                ++p;
                found |= pattern_[p] == c;
            } else if (at(p) == ']') {
                break;
            } else if (p == end) {
                --p; // unterminated: the set runs to the end of the pattern
                break;
            } else if (end - p >= 3 && pattern_[p + 1] == '-') {
                int from = signedByte(pattern_[p]), to = signedByte(pattern_[p + 2]);
                if (from > to)
                    std::swap(from, to);
                found |= signedByte(c) >= from && signedByte(c) <= to;
                p += 2;
            } else {
                found |= pattern_[p] == c;
            }
        }
        return found != negated;
    }

    bool matchFrom(std::size_t p, std::string_view key, int depth) {
        // Redis's guard against patterns built to recurse without end; a 512-byte value
        // cannot reach it, but a longer pattern must answer as Redis would.
        if (depth > 1000)
            return false;
        const std::size_t end = pattern_.size();
        while (p < end && !key.empty()) {
            switch (pattern_[p]) {
            case '*':
                while (at(p + 1) == '*')
                    ++p;
                if (p + 1 == end)
                    return true;
                for (; !key.empty(); key.remove_prefix(1)) {
                    if (matchFrom(p + 1, key, depth + 1))
                        return true;
                    // The rest failed at every later start: a longer match for an earlier
                    // star cannot help (Redis's cut that keeps `*a*a*a…b` linear).
                    if (noLongerMatch_)
                        return false;
                }
                noLongerMatch_ = true;
                return false;
            case '?':
                key.remove_prefix(1);
                break;
            case '[':
                ++p;
                if (!bracketMatches(p, key.front()))
                    return false;
                key.remove_prefix(1);
                break;
            case '\\':
                if (end - p >= 2)
                    ++p;
                [[fallthrough]];
            default:
                if (pattern_[p] != key.front())
                    return false;
                key.remove_prefix(1);
                break;
            }
            ++p;
            if (key.empty()) {
                while (at(p) == '*')
                    ++p;
                break;
            }
        }
        return p == end && key.empty();
    }

    std::string_view pattern_;
    bool noLongerMatch_ = false;
};

bool onlyStars(std::string_view text) {
    return !text.empty() && text.find_first_not_of('*') == std::string_view::npos;
}

} // namespace

bool redisGlobMatch(std::string_view pattern, std::string_view key) {
    // SCAN skips matching for "*" alone; the glob itself would refuse the empty key.
    if (pattern == "*")
        return true;
    return RedisGlob(pattern).matches(key);
}

std::string escapeRedisGlob(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size() + 8);
    for (char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            escaped += '\\';
        escaped += c;
    }
    return escaped;
}

KeySelection KeySelection::parse(std::string_view match, std::string_view value) {
    KeySelection selection;
    if (match == "key")
        selection.match = Match::Key;
    else if (match == "prefix")
        selection.match = Match::Prefix;
    else if (match == "pattern")
        selection.match = Match::Pattern;
    else
        throw std::invalid_argument("params.match must be one of key, prefix, pattern");
    const bool emptyAllowed = selection.match == Match::Prefix;
    if (value.size() > kMaxValueBytes || (value.empty() && !emptyAllowed))
        throw std::invalid_argument("params.value must be 1 to 512 bytes");
    selection.value = std::string(value);
    return selection;
}

std::string KeySelection::redisPattern() const {
    switch (match) {
    case Match::Key:
        return escapeRedisGlob(value);
    case Match::Prefix:
        return escapeRedisGlob(value) + "*";
    case Match::Pattern:
        break;
    }
    return value;
}

bool KeySelection::matchesAll() const {
    return match == Match::Prefix ? value.empty() : match == Match::Pattern && onlyStars(value);
}

bool KeySelection::matches(std::string_view key) const {
    switch (match) {
    case Match::Key:
        return key == value;
    case Match::Prefix:
        return key.starts_with(value);
    case Match::Pattern:
        break;
    }
    return redisGlobMatch(value, key);
}

} // namespace switchboard
