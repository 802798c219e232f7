#pragma once

// Reads the Prometheus text exposition format (version 0.0.4) that any /metrics endpoint serves:
// ours (prometheus-cpp), a node exporter's, postgres_exporter's, Prometheus's own. Plain C++20
// without Qt, so that the libFuzzer target (tests/fuzz) compiles it with clang on its own.
//
// What a malformed document gives: every bad line is an error with its 1-based line number and a
// reason, and the line is skipped; every good line is kept. One broken sample in a thousand
// should not blind an operator to the other 999, and each problem should be findable in the text.
// Nothing throws, and the work is bounded on hostile input (see ParseLimits).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::promtext {

enum class MetricType { Untyped, Counter, Gauge, Histogram, Summary };

// "untyped", "counter", ... as written on a TYPE line.
std::string_view metricTypeName(MetricType type);

struct Label {
    std::string name;
    std::string value; // unescaped: `\\`, `\"` and `\n` are one character each

    friend bool operator==(const Label&, const Label&) = default;
};
using Labels = std::vector<Label>; // in the order written

// The value of the label `name`, or nothing when the set has no such label.
std::optional<std::string_view> labelValue(const Labels& labels, std::string_view name);

// One sample line.
struct Sample {
    std::string name; // as written, suffix included: x, x_total, x_bucket, x_sum, x_count
    Labels labels;    // as written, `le` and `quantile` included
    double value = 0.0;
    std::optional<std::int64_t> timestampMs;
    int line = 0; // 1-based
};

struct HistogramBucket {
    double upperBound = 0.0; // the `le` label; +Inf for the last
    double cumulativeCount = 0.0;
};

// One histogram of a family: the samples that share a label set apart from `le`.
struct Histogram {
    Labels labels;                        // without `le`
    std::vector<HistogramBucket> buckets; // ascending upper bound
    std::optional<double> sum;
    std::optional<double> count;
    int line = 0; // the first sample's line
};

struct SummaryQuantile {
    double quantile = 0.0;
    double value = 0.0;
};

// One summary of a family: the samples that share a label set apart from `quantile`.
struct Summary {
    Labels labels;                          // without `quantile`
    std::vector<SummaryQuantile> quantiles; // ascending quantile
    std::optional<double> sum;
    std::optional<double> count;
    int line = 0;
};

struct MetricFamily {
    std::string name;
    MetricType type = MetricType::Untyped; // Untyped without a TYPE line
    std::string help;                      // unescaped; empty without a HELP line
    bool hasHelp = false;
    bool hasType = false;
    int line = 0;                      // where the name first appeared
    std::vector<Sample> samples;       // every sample, whatever the type, in the order written
    std::vector<Histogram> histograms; // type Histogram: one per label set, first seen first
    std::vector<Summary> summaries;    // type Summary: likewise
};

struct ParseError {
    int line = 0; // 1-based
    std::string reason;
    // true: the line was malformed and nothing of it was kept. false: the lines were well
    // formed but disagree (a histogram whose +Inf bucket is not its _count, say); they were kept.
    bool lineSkipped = true;
};

// Bounds that keep the work linear and small on hostile input. A line or a sample past a bound is
// an error, not a truncation.
struct ParseLimits {
    std::size_t maxLineBytes = 64 * 1024;
    std::size_t maxLabelsPerSample = 128;
    std::size_t maxErrors = 1000; // past it errors are only counted (ParseResult::errorsDropped)
};

struct ParseResult {
    std::vector<MetricFamily> families; // in the order first seen; declared-only ones included
    std::vector<ParseError> errors;     // in line order, at most ParseLimits::maxErrors
    std::size_t errorsDropped = 0;

    bool ok() const { return errors.empty() && errorsDropped == 0; }
    const MetricFamily* family(std::string_view name) const;
    std::size_t sampleCount() const;
};

// Parses a whole exposition. Never throws (bar std::bad_alloc); see the top of this file for
// how errors are reported and docs/metrics.md for what is accepted.
ParseResult parsePrometheusText(std::string_view text, const ParseLimits& limits = {});

} // namespace switchboard::promtext
