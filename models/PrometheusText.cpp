#include "PrometheusText.h"

#include "PrometheusTextLine.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <functional>
#include <map>
#include <unordered_set>
#include <utility>

namespace switchboard::promtext {

std::string_view metricTypeName(MetricType type) {
    switch (type) {
    case MetricType::Counter:
        return "counter";
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Histogram:
        return "histogram";
    case MetricType::Summary:
        return "summary";
    case MetricType::Untyped:
        break;
    }
    return "untyped";
}

std::optional<std::string_view> labelValue(const Labels& labels, std::string_view name) {
    for (const Label& label : labels) {
        if (label.name == name)
            return label.value;
    }
    return std::nullopt;
}

const MetricFamily* ParseResult::family(std::string_view name) const {
    for (const MetricFamily& family : families) {
        if (family.name == name)
            return &family;
    }
    return nullptr;
}

std::size_t ParseResult::sampleCount() const {
    std::size_t count = 0;
    for (const MetricFamily& family : families)
        count += family.samples.size();
    return count;
}

namespace {

using detail::quoted;

// What a sample is to its family: a histogram's `x_bucket` is a bucket, and so on.
enum class SampleRole { Value, Bucket, Sum, Count, Quantile };

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Bytes that never occur in UTF-8 separate the parts of a key, so no two label sets share one.
constexpr char kKeyPartEnd = '\xff';
constexpr char kKeyNameEnd = '\xfe';

// The identity of a label set, whatever the order its labels were written in, without the
// label `except` (a histogram's `le`, a summary's `quantile`).
std::string labelSetKey(const Labels& labels, std::string_view except = {}) {
    std::vector<const Label*> sorted;
    sorted.reserve(labels.size());
    for (const Label& label : labels) {
        if (label.name != except)
            sorted.push_back(&label);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const Label* a, const Label* b) { return a->name < b->name; });
    std::string key;
    for (const Label* label : sorted) {
        key += label->name;
        key += kKeyNameEnd;
        key += label->value;
        key += kKeyPartEnd;
    }
    return key;
}

Labels withoutLabel(const Labels& labels, std::string_view name) {
    Labels kept;
    for (const Label& label : labels) {
        if (label.name != name)
            kept.push_back(label);
    }
    return kept;
}

// Where each histogram's samples were, for the consistency checks once all lines are read.
struct HistogramLines {
    std::vector<std::pair<double, int>> bucketLines; // upper bound, line
    int countLine = 0;
};

// The parser's bookkeeping for one family, beside the MetricFamily it fills.
struct FamilyState {
    bool hasSamples = false;
    std::map<std::string, std::size_t> groups; // label set key -> histogram or summary index
    std::vector<HistogramLines> histogramLines;
};

class DocumentParser {
public:
    explicit DocumentParser(const ParseLimits& limits)
        : m_limits(limits) {}

    ParseResult parse(std::string_view text) {
        int number = 0;
        std::size_t start = 0;
        while (start < text.size()) {
            if (number == INT_MAX) {
                error(number, "more lines than a line number can count; the rest is ignored");
                break;
            }
            ++number;
            const std::size_t newline = text.find('\n', start);
            const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
            parseLine(text.substr(start, end - start), number);
            start = end + 1;
        }
        finishHistograms();
        finishSummaries();
        // The consistency checks report after the line errors: put all in line order.
        std::stable_sort(m_result.errors.begin(), m_result.errors.end(),
                         [](const ParseError& a, const ParseError& b) { return a.line < b.line; });
        return std::move(m_result);
    }

private:
    void error(int line, std::string reason, bool lineSkipped = true) {
        if (m_result.errors.size() >= m_limits.maxErrors) {
            ++m_result.errorsDropped;
            return;
        }
        m_result.errors.push_back({line, std::move(reason), lineSkipped});
    }

    void parseLine(std::string_view line, int number) {
        if (line.size() > m_limits.maxLineBytes) {
            error(number, "line is " + std::to_string(line.size()) +
                              " bytes long, over the limit of " +
                              std::to_string(m_limits.maxLineBytes));
            return;
        }
        // Leading and trailing blanks do not count; a '\r' before the newline is forgiven too.
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos)
            return; // empty lines are ignored
        const std::size_t last = line.find_last_not_of(" \t");
        const std::string_view content = line.substr(first, last + 1 - first);
        if (const std::size_t nul = content.find('\0'); nul != std::string_view::npos) {
            error(number, "NUL byte at column " + std::to_string(first + nul + 1));
            return;
        }
        if (const auto bad = detail::firstInvalidUtf8(content)) {
            error(number, "invalid UTF-8 at column " + std::to_string(first + *bad + 1));
            return;
        }
        if (content.front() == '#')
            parseComment(content, number);
        else
            parseSample(content, number);
    }

    void parseComment(std::string_view line, int number) {
        detail::CommentLine comment;
        if (auto reason = detail::parseCommentLine(line, comment)) {
            error(number, std::move(*reason));
            return;
        }
        if (comment.kind == detail::CommentLine::Kind::Plain)
            return;
        const std::size_t index = familyNamed(comment.metricName, number);
        MetricFamily& family = m_result.families[index];
        if (comment.kind == detail::CommentLine::Kind::Help) {
            if (family.hasHelp) {
                error(number, "second HELP line for " + quoted(family.name));
                return;
            }
            family.help = std::move(comment.help);
            family.hasHelp = true;
            return;
        }
        if (family.hasType) {
            error(number, "second TYPE line for " + quoted(family.name));
            return;
        }
        if (m_states[index].hasSamples) {
            error(number, "TYPE line for " + quoted(family.name) +
                              " after its samples (it must come before the first)");
            return;
        }
        family.type = comment.type;
        family.hasType = true;
    }

    void parseSample(std::string_view line, int number) {
        detail::SampleLine parsed;
        if (auto reason = detail::parseSampleLine(line, m_limits.maxLabelsPerSample, parsed)) {
            error(number, std::move(*reason));
            return;
        }
        const auto [index, role] = familyOfSample(parsed.name, number);
        MetricFamily& family = m_result.families[index];
        std::optional<std::size_t> group;
        if (family.type == MetricType::Histogram) {
            group = histogramGroup(index, role, parsed, number);
            if (!group)
                return;
        } else if (family.type == MetricType::Summary) {
            group = summaryGroup(index, role, parsed, number);
            if (!group)
                return;
        }
        if (!isNewSeries(parsed)) {
            error(number, "duplicate sample of " + quoted(parsed.name) +
                              " with the same labels and timestamp as an earlier line");
            return;
        }
        if (group)
            addToGroup(family, m_states[index], *group, role, parsed, number);
        m_states[index].hasSamples = true;
        family.samples.push_back({std::string(parsed.name), std::move(parsed.labels), parsed.value,
                                  parsed.timestampMs, number});
    }

    // The family a HELP or TYPE line names (exactly: a TYPE line for `x_sum` is not about `x`).
    std::size_t familyNamed(std::string_view name, int number) {
        if (const auto found = m_familyIndex.find(name); found != m_familyIndex.end())
            return found->second;
        MetricFamily family;
        family.name = std::string(name);
        family.line = number;
        m_result.families.push_back(std::move(family));
        m_states.emplace_back();
        m_familyIndex.emplace(std::string(name), m_result.families.size() - 1);
        return m_result.families.size() - 1;
    }

    // A sample belongs to the family of its own name, else to the histogram or summary its
    // suffix points to, else to a new untyped family of its own name.
    std::pair<std::size_t, SampleRole> familyOfSample(std::string_view name, int number) {
        if (const auto found = m_familyIndex.find(name); found != m_familyIndex.end()) {
            const MetricType type = m_result.families[found->second].type;
            return {found->second,
                    type == MetricType::Summary ? SampleRole::Quantile : SampleRole::Value};
        }
        const std::pair<std::string_view, SampleRole> suffixes[] = {{"_bucket", SampleRole::Bucket},
                                                                    {"_sum", SampleRole::Sum},
                                                                    {"_count", SampleRole::Count}};
        for (const auto& [suffix, role] : suffixes) {
            if (!endsWith(name, suffix))
                continue;
            const auto found = m_familyIndex.find(name.substr(0, name.size() - suffix.size()));
            if (found == m_familyIndex.end())
                continue;
            const MetricType type = m_result.families[found->second].type;
            if (type == MetricType::Histogram ||
                (type == MetricType::Summary && role != SampleRole::Bucket))
                return {found->second, role};
        }
        return {familyNamed(name, number), SampleRole::Value};
    }

    // The histogram a sample adds to, or nothing (and an error) when it cannot be one's.
    std::optional<std::size_t> histogramGroup(std::size_t index, SampleRole role,
                                              const detail::SampleLine& sample, int number) {
        const std::string& family = m_result.families[index].name;
        const std::optional<std::string_view> le = labelValue(sample.labels, "le");
        switch (role) {
        case SampleRole::Bucket:
            if (!le) {
                error(number, "histogram bucket " + quoted(sample.name) + " without an le label");
                return std::nullopt;
            }
            if (const auto bound = detail::parseFloatValue(*le); !bound || std::isnan(*bound)) {
                error(number, "le label " + quoted(*le) + " of " + quoted(sample.name) +
                                  " is not a number");
                return std::nullopt;
            }
            break;
        case SampleRole::Sum:
        case SampleRole::Count:
            if (le) {
                error(number,
                      "le label on " + quoted(sample.name) + " (only _bucket samples have one)");
                return std::nullopt;
            }
            break;
        case SampleRole::Value:
        case SampleRole::Quantile:
            error(number, "sample " + quoted(sample.name) + " of histogram " + quoted(family) +
                              " needs the suffix _bucket, _sum or _count");
            return std::nullopt;
        }
        return groupOf(index, sample.labels, "le", number);
    }

    std::optional<std::size_t> summaryGroup(std::size_t index, SampleRole role,
                                            const detail::SampleLine& sample, int number) {
        const std::optional<std::string_view> quantile = labelValue(sample.labels, "quantile");
        if (role == SampleRole::Quantile) {
            if (!quantile) {
                error(number,
                      "summary sample " + quoted(sample.name) + " without a quantile label");
                return std::nullopt;
            }
            const auto phi = detail::parseFloatValue(*quantile);
            if (!phi || !(*phi >= 0.0 && *phi <= 1.0)) {
                error(number, "quantile label " + quoted(*quantile) + " of " + quoted(sample.name) +
                                  " is not a number from 0 to 1");
                return std::nullopt;
            }
        } else if (quantile) {
            error(number, "quantile label on " + quoted(sample.name) +
                              " (only the quantile samples have one)");
            return std::nullopt;
        }
        return groupOf(index, sample.labels, "quantile", number);
    }

    // The index of the histogram or summary with these labels (bar `except`), made if new.
    std::size_t groupOf(std::size_t index, const Labels& labels, std::string_view except,
                        int number) {
        MetricFamily& family = m_result.families[index];
        FamilyState& state = m_states[index];
        const bool histogram = family.type == MetricType::Histogram;
        const std::size_t next = histogram ? family.histograms.size() : family.summaries.size();
        const auto [entry, inserted] = state.groups.emplace(labelSetKey(labels, except), next);
        if (!inserted)
            return entry->second;
        if (histogram) {
            family.histograms.push_back({withoutLabel(labels, except), {}, {}, {}, number});
            state.histogramLines.emplace_back();
        } else {
            family.summaries.push_back({withoutLabel(labels, except), {}, {}, {}, number});
        }
        return next;
    }

    static void addToGroup(MetricFamily& family, FamilyState& state, std::size_t group,
                           SampleRole role, const detail::SampleLine& sample, int number) {
        if (family.type == MetricType::Histogram) {
            Histogram& histogram = family.histograms[group];
            if (role == SampleRole::Bucket) {
                const double bound = *detail::parseFloatValue(*labelValue(sample.labels, "le"));
                histogram.buckets.push_back({bound, sample.value});
                state.histogramLines[group].bucketLines.emplace_back(bound, number);
            } else if (role == SampleRole::Sum) {
                histogram.sum = sample.value;
            } else {
                histogram.count = sample.value;
                state.histogramLines[group].countLine = number;
            }
            return;
        }
        Summary& summary = family.summaries[group];
        if (role == SampleRole::Quantile)
            summary.quantiles.push_back(
                {*detail::parseFloatValue(*labelValue(sample.labels, "quantile")), sample.value});
        else if (role == SampleRole::Sum)
            summary.sum = sample.value;
        else
            summary.count = sample.value;
    }

    // False when the same name, labels and timestamp came before (the later line is dropped).
    bool isNewSeries(const detail::SampleLine& sample) {
        std::string key(sample.name);
        key += kKeyPartEnd;
        key += labelSetKey(sample.labels);
        if (sample.timestampMs)
            key += std::to_string(*sample.timestampMs);
        return m_seenSeries.insert(std::move(key)).second;
    }

    // The exposition format's rules for a histogram: cumulative buckets, one with le="+Inf",
    // and that bucket equal to _count. Broken ones are reported, and kept.
    void finishHistograms() {
        for (std::size_t f = 0; f < m_result.families.size(); ++f) {
            MetricFamily& family = m_result.families[f];
            for (std::size_t h = 0; h < family.histograms.size(); ++h)
                checkHistogram(family.name, family.histograms[h], m_states[f].histogramLines[h]);
        }
    }

    void checkHistogram(const std::string& name, Histogram& histogram, HistogramLines& lines) {
        const auto byBound = [](const auto& a, const auto& b) {
            return a.first < b.first;
        };
        std::stable_sort(lines.bucketLines.begin(), lines.bucketLines.end(), byBound);
        std::stable_sort(histogram.buckets.begin(), histogram.buckets.end(),
                         [](const HistogramBucket& a, const HistogramBucket& b) {
                             return a.upperBound < b.upperBound;
                         });
        for (std::size_t i = 1; i < histogram.buckets.size(); ++i) {
            if (histogram.buckets[i].cumulativeCount < histogram.buckets[i - 1].cumulativeCount)
                error(lines.bucketLines[i].second,
                      "bucket of " + quoted(name) + " counts less than the bucket below it", false);
        }
        if (histogram.buckets.empty() || !std::isinf(histogram.buckets.back().upperBound) ||
            histogram.buckets.back().upperBound < 0) {
            error(histogram.line, "histogram " + quoted(name) + " has no le=\"+Inf\" bucket",
                  false);
            return;
        }
        const double infCount = histogram.buckets.back().cumulativeCount;
        if (histogram.count && *histogram.count != infCount &&
            !(std::isnan(*histogram.count) && std::isnan(infCount)))
            error(lines.countLine,
                  "_count of histogram " + quoted(name) + " differs from its le=\"+Inf\" bucket",
                  false);
    }

    void finishSummaries() {
        for (MetricFamily& family : m_result.families) {
            for (Summary& summary : family.summaries)
                std::stable_sort(summary.quantiles.begin(), summary.quantiles.end(),
                                 [](const SummaryQuantile& a, const SummaryQuantile& b) {
                                     return a.quantile < b.quantile;
                                 });
        }
    }

    const ParseLimits& m_limits;
    ParseResult m_result;
    std::vector<FamilyState> m_states; // parallel to m_result.families
    std::map<std::string, std::size_t, std::less<>> m_familyIndex;
    std::unordered_set<std::string> m_seenSeries;
};

} // namespace

ParseResult parsePrometheusText(std::string_view text, const ParseLimits& limits) {
    return DocumentParser(limits).parse(text);
}

} // namespace switchboard::promtext
