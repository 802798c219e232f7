// libFuzzer target for the Prometheus text parser (models/PrometheusText.h): any bytes in, no
// crash, no sanitizer report, and the few promises the result makes kept. Built with clang by
// tests/fuzz/CMakeLists.txt and run by CTest for a bounded time.
#include "CounterRate.h"
#include "PrometheusText.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

using namespace switchboard::promtext;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ParseLimits limits;
    limits.maxErrors = 50; // the cap and its counting get exercised too
    const ParseResult result = parsePrometheusText(text, limits);

    // Errors name real lines, in order, within the cap.
    const auto lines = std::size_t(std::count(text.begin(), text.end(), '\n')) + 1;
    if (result.errors.size() > limits.maxErrors)
        std::abort();
    int previous = 0;
    for (const ParseError& error : result.errors) {
        if (error.line < 1 || std::size_t(error.line) > lines || error.line < previous ||
            error.reason.empty())
            std::abort();
        previous = error.line;
    }
    std::vector<switchboard::CounterPoint> points;
    for (const MetricFamily& family : result.families) {
        for (const Histogram& histogram : family.histograms) {
            for (std::size_t i = 1; i < histogram.buckets.size(); ++i) {
                if (histogram.buckets[i].upperBound < histogram.buckets[i - 1].upperBound)
                    std::abort();
            }
        }
        for (const Sample& sample : family.samples) {
            if (sample.line < 1 || sample.labels.size() > limits.maxLabelsPerSample)
                std::abort();
            points.push_back({sample.timestampMs.value_or(sample.line), sample.value});
        }
    }
    // The rate functions take whatever values the parser lets through, NaN and Inf included.
    (void)switchboard::counterRate(points);
    if (points.size() >= 2)
        (void)switchboard::counterRate(points[0], points[1]);
    return 0;
}
