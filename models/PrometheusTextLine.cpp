#include "PrometheusTextLine.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <system_error>

namespace switchboard::promtext::detail {

namespace {

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isLetterOrUnderscore(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isLabelNameChar(char c) {
    return isLetterOrUnderscore(c) || isDigit(c);
}
bool isMetricNameChar(char c) {
    return isLabelNameChar(c) || c == ':';
}

char lowerAscii(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool equalsIgnoringCase(std::string_view text, std::string_view lowerCaseWord) {
    return text.size() == lowerCaseWord.size() &&
           std::equal(text.begin(), text.end(), lowerCaseWord.begin(),
                      [](char a, char b) { return lowerAscii(a) == b; });
}

// A read position in one line. Every step checks the end, so no input reads past it.
class Cursor {
public:
    explicit Cursor(std::string_view line)
        : m_line(line) {}

    bool atEnd() const { return m_pos >= m_line.size(); }
    char peek() const { return atEnd() ? '\0' : m_line[m_pos]; }
    void advance() { ++m_pos; }
    std::string_view rest() const { return m_line.substr(std::min(m_pos, m_line.size())); }

    void skipBlanks() {
        while (!atEnd() && isBlank(m_line[m_pos]))
            ++m_pos;
    }
    template <typename Predicate> std::string_view takeWhile(Predicate keep) {
        const std::size_t start = m_pos;
        while (!atEnd() && keep(m_line[m_pos]))
            ++m_pos;
        return m_line.substr(start, m_pos - start);
    }
    std::string_view takeToken() {
        return takeWhile([](char c) { return !isBlank(c); });
    }

private:
    std::string_view m_line;
    std::size_t m_pos = 0;
};

// A metric or label name at the cursor: the longest run of name characters, empty when the
// first one is a digit (names may not start with one).
template <typename NameChar> std::string_view takeName(Cursor& cursor, NameChar nameChar) {
    if (isDigit(cursor.peek()))
        return {};
    return cursor.takeWhile(nameChar);
}

// A quoted label value after its opening quote, unescaped into `out`; the cursor ends past the
// closing quote. Only `\\`, `\"` and `\n` are escapes (the exposition format's three).
std::optional<std::string> takeLabelValue(Cursor& cursor, std::string_view labelName,
                                          std::string& out) {
    for (;;) {
        if (cursor.atEnd())
            return "unterminated value of label " + quoted(labelName);
        const char c = cursor.peek();
        cursor.advance();
        if (c == '"')
            return std::nullopt;
        if (c != '\\') {
            out.push_back(c);
            continue;
        }
        if (cursor.atEnd())
            return "unterminated value of label " + quoted(labelName);
        const char escaped = cursor.peek();
        cursor.advance();
        switch (escaped) {
        case '\\':
        case '"':
            out.push_back(escaped);
            break;
        case 'n':
            out.push_back('\n');
            break;
        default:
            return "invalid escape sequence " + quoted(std::string{'\\', escaped}) +
                   " in the value of label " + quoted(labelName);
        }
    }
}

std::optional<std::string> takeLabels(Cursor& cursor, std::size_t maxLabels, Labels& labels) {
    cursor.advance(); // '{'
    for (;;) {
        cursor.skipBlanks();
        if (cursor.atEnd())
            return std::string("unterminated label set: no '}'");
        if (cursor.peek() == '}') { // also after a trailing comma, which the format allows
            cursor.advance();
            return std::nullopt;
        }
        const std::string_view name = takeName(cursor, isLabelNameChar);
        if (name.empty())
            return "invalid label name at " + quoted(cursor.rest());
        cursor.skipBlanks();
        if (cursor.peek() != '=')
            return "label " + quoted(name) + " has no '='";
        cursor.advance();
        cursor.skipBlanks();
        if (cursor.peek() != '"')
            return "the value of label " + quoted(name) + " is not in double quotes";
        cursor.advance();
        std::string value;
        if (auto error = takeLabelValue(cursor, name, value))
            return error;
        if (name == "__name__")
            return std::string("label name \"__name__\" is reserved");
        if (labelValue(labels, name))
            return "duplicate label " + quoted(name);
        if (labels.size() >= maxLabels)
            return "more than " + std::to_string(maxLabels) + " labels";
        labels.push_back({std::string(name), std::move(value)});
        cursor.skipBlanks();
        if (cursor.peek() == ',') {
            cursor.advance();
            continue;
        }
        if (cursor.peek() == '}') {
            cursor.advance();
            return std::nullopt;
        }
        if (cursor.atEnd())
            return std::string("unterminated label set: no '}'");
        return "expected ',' or '}' after the value of label " + quoted(name) + ", found " +
               quoted(cursor.rest());
    }
}

// HELP text: the rest of the line, where `\\` and `\n` are escapes (and `\"`, which the
// reference parser accepts too).
std::optional<std::string> unescapeHelp(std::string_view text, std::string& out) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out.push_back(text[i]);
            continue;
        }
        if (++i == text.size())
            return std::string("HELP text ends with a lone backslash");
        switch (text[i]) {
        case '\\':
        case '"':
            out.push_back(text[i]);
            break;
        case 'n':
            out.push_back('\n');
            break;
        default:
            return "invalid escape sequence " + quoted(std::string{'\\', text[i]}) +
                   " in HELP text";
        }
    }
    return std::nullopt;
}

std::optional<MetricType> metricTypeFromWord(std::string_view word) {
    // Case-insensitive, like the reference parser.
    for (MetricType type : {MetricType::Counter, MetricType::Gauge, MetricType::Histogram,
                            MetricType::Summary, MetricType::Untyped}) {
        if (equalsIgnoringCase(word, metricTypeName(type)))
            return type;
    }
    return std::nullopt;
}

} // namespace

bool isValidMetricName(std::string_view name) {
    return !name.empty() && !isDigit(name.front()) &&
           std::all_of(name.begin(), name.end(), isMetricNameChar);
}

bool isValidLabelName(std::string_view name) {
    return !name.empty() && !isDigit(name.front()) &&
           std::all_of(name.begin(), name.end(), isLabelNameChar);
}

std::optional<double> parseFloatValue(std::string_view token) {
    if (equalsIgnoringCase(token, "nan"))
        return std::numeric_limits<double>::quiet_NaN();
    bool negative = false;
    std::string_view digits = token;
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
        negative = digits.front() == '-';
        digits.remove_prefix(1);
    }
    if (equalsIgnoringCase(digits, "inf") || equalsIgnoringCase(digits, "infinity"))
        return negative ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
    // from_chars alone would also take "inf", "nan(...)" and more; keep to plain decimals.
    const bool decimalOnly = std::all_of(digits.begin(), digits.end(), [](char c) {
        return isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    });
    if (digits.empty() || !decimalOnly || !(isDigit(digits.front()) || digits.front() == '.'))
        return std::nullopt;
    double value = 0.0;
    const char* end = digits.data() + digits.size();
    const auto [stop, error] = std::from_chars(digits.data(), end, value);
    if (error != std::errc() || stop != end)
        return std::nullopt; // malformed, or beyond a double's range
    return negative ? -value : value;
}

std::optional<std::int64_t> parseTimestamp(std::string_view token) {
    if (!token.empty() && token.front() == '+')
        token.remove_prefix(1);
    if (token.empty() || !(isDigit(token.front()) || token.front() == '-'))
        return std::nullopt;
    std::int64_t value = 0;
    const char* end = token.data() + token.size();
    const auto [stop, error] = std::from_chars(token.data(), end, value);
    if (error != std::errc() || stop != end)
        return std::nullopt;
    return value;
}

std::optional<std::size_t> firstInvalidUtf8(std::string_view text) {
    const auto byte = [&](std::size_t i) {
        return static_cast<unsigned char>(text[i]);
    };
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char lead = byte(i);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF; // the allowed range of the second byte
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0)
                low = 0xA0; // no overlong forms
            if (lead == 0xED)
                high = 0x9F; // no UTF-16 surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0)
                low = 0x90;
            if (lead == 0xF4)
                high = 0x8F; // nothing past U+10FFFF
        } else {
            return i;
        }
        if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high)
            return i;
        for (std::size_t k = 2; k < length; ++k) {
            if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
                return i;
        }
        i += length;
    }
    return std::nullopt;
}

std::string quoted(std::string_view text) {
    constexpr std::size_t kShown = 40;
    constexpr char kHex[] = "0123456789abcdef";
    std::string out = "'";
    for (std::size_t i = 0; i < std::min(text.size(), kShown); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            out.push_back(char(c));
        } else {
            out += "\\x";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
    out += text.size() > kShown ? "'..." : "'";
    return out;
}

std::optional<std::string> parseSampleLine(std::string_view line, std::size_t maxLabels,
                                           SampleLine& out) {
    Cursor cursor(line);
    out.name = takeName(cursor, isMetricNameChar);
    if (out.name.empty()) {
        if (cursor.peek() == '{')
            return std::string("a sample needs a metric name before '{'");
        return "invalid metric name " + quoted(cursor.takeToken());
    }
    if (!cursor.atEnd() && !isBlank(cursor.peek()) && cursor.peek() != '{')
        return "invalid character " + quoted(cursor.rest().substr(0, 1)) + " in metric name " +
               quoted(line.substr(0, out.name.size() + 1));
    cursor.skipBlanks();
    if (cursor.peek() == '{') {
        if (auto error = takeLabels(cursor, maxLabels, out.labels))
            return error;
        cursor.skipBlanks();
    }
    const std::string_view valueText = cursor.takeToken();
    if (valueText.empty())
        return "missing value for " + quoted(out.name);
    const std::optional<double> value = parseFloatValue(valueText);
    if (!value)
        return "invalid value " + quoted(valueText) + " (a float, NaN, +Inf or -Inf)";
    out.value = *value;
    cursor.skipBlanks();
    if (cursor.atEnd())
        return std::nullopt;
    const std::string_view timestampText = cursor.takeToken();
    out.timestampMs = parseTimestamp(timestampText);
    if (!out.timestampMs)
        return "invalid timestamp " + quoted(timestampText) + " (integer milliseconds)";
    cursor.skipBlanks();
    if (!cursor.atEnd())
        return "unexpected text after the timestamp: " + quoted(cursor.rest());
    return std::nullopt;
}

std::optional<std::string> parseCommentLine(std::string_view line, CommentLine& out) {
    Cursor cursor(line);
    cursor.advance(); // '#'
    cursor.skipBlanks();
    const std::string_view keyword = cursor.takeToken();
    if (keyword != "HELP" && keyword != "TYPE") {
        out.kind = CommentLine::Kind::Plain; // any other comment says nothing to a parser
        return std::nullopt;
    }
    out.kind = keyword == "HELP" ? CommentLine::Kind::Help : CommentLine::Kind::Type;
    cursor.skipBlanks();
    out.metricName = cursor.takeToken();
    if (out.metricName.empty())
        return std::string(keyword) + " line without a metric name";
    if (!isValidMetricName(out.metricName))
        return "invalid metric name " + quoted(out.metricName) + " in " + std::string(keyword) +
               " line";
    cursor.skipBlanks();
    if (out.kind == CommentLine::Kind::Help)
        return unescapeHelp(cursor.rest(), out.help);
    const std::string_view typeWord = cursor.takeToken();
    if (typeWord.empty())
        return "TYPE line for " + quoted(out.metricName) + " without a type";
    const std::optional<MetricType> type = metricTypeFromWord(typeWord);
    if (!type)
        return "unknown metric type " + quoted(typeWord) +
               " (counter, gauge, histogram, summary or untyped)";
    out.type = *type;
    cursor.skipBlanks();
    if (!cursor.atEnd())
        return "unexpected text after the type: " + quoted(cursor.rest());
    return std::nullopt;
}

} // namespace switchboard::promtext::detail
