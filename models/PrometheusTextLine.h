#pragma once

// The line-level half of the Prometheus text parser: one line in, its parts or the reason it is
// malformed out. No state between lines; PrometheusText.cpp applies the document's rules (TYPE
// before samples, families, histograms). Internal to the parser, not a public API.

#include "PrometheusText.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::promtext::detail {

// The parts of `name{labels} value [timestamp]`; `name` points into the line.
struct SampleLine {
    std::string_view name;
    Labels labels;
    double value = 0.0;
    std::optional<std::int64_t> timestampMs;
};

// A line whose first non-blank character is '#'.
struct CommentLine {
    enum class Kind { Plain, Help, Type };
    Kind kind = Kind::Plain;
    std::string_view metricName;           // Help and Type; points into the line
    std::string help;                      // Help: the docstring, unescaped
    MetricType type = MetricType::Untyped; // Type
};

// Both return nothing on success, else why the line is malformed. `line` has neither its
// newline nor leading blanks.
std::optional<std::string> parseSampleLine(std::string_view line, std::size_t maxLabels,
                                           SampleLine& out);
std::optional<std::string> parseCommentLine(std::string_view line, CommentLine& out);

// A sample value or a `le`/`quantile` label value: decimal floats with an optional sign and
// exponent, `NaN`, `+Inf`, `-Inf` (Go's strconv.ParseFloat without hex and underscores, as the
// reference parser in prometheus/common expfmt does).
std::optional<double> parseFloatValue(std::string_view token);

// An int64 of milliseconds, optionally signed.
std::optional<std::int64_t> parseTimestamp(std::string_view token);

bool isValidMetricName(std::string_view name); // [a-zA-Z_:][a-zA-Z0-9_:]*
bool isValidLabelName(std::string_view name);  // [a-zA-Z_][a-zA-Z0-9_]*

// The offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF included), or nothing when all of it is.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text);

// `text` fit for an error message: in quotes, at most a few dozen bytes, with control and
// non-ASCII bytes as \xNN, so a hostile line cannot flood or garble the report.
std::string quoted(std::string_view text);

} // namespace switchboard::promtext::detail
