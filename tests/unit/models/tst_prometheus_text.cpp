// The Prometheus text parser against real exposition text (tests/data/prometheus: Prometheus
// 2.42's own /metrics and our agent's, from the demo), the format's own example (escapes,
// timestamps, NaN and Inf), a corpus of malformed inputs (each an error on the right line, the
// good lines kept) and hostile ones (bounded work, no crash); and counter rates across resets.
#include "CounterRate.h"
#include "PrometheusText.h"

#include <QTest>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace switchboard::promtext;
using switchboard::counterIncrease;
using switchboard::CounterPoint;
using switchboard::counterRate;

namespace {

std::string dataFile(const std::string& name) {
    std::ifstream in(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/data/prometheus/" + name,
                     std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

QString describe(const ParseResult& result) {
    QString text;
    for (const ParseError& error : result.errors)
        text += QStringLiteral("line %1: %2\n")
                    .arg(error.line)
                    .arg(QString::fromStdString(error.reason));
    return text;
}

int countType(const ParseResult& result, MetricType type) {
    return int(std::count_if(result.families.begin(), result.families.end(),
                             [&](const MetricFamily& family) { return family.type == type; }));
}

// The exposition format's rules for one histogram, as the real captures must keep them.
void verifyHistogram(const MetricFamily& family, const Histogram& histogram) {
    const QByteArray name = QByteArray::fromStdString(family.name);
    QVERIFY2(histogram.buckets.size() >= 2, name);
    for (std::size_t i = 1; i < histogram.buckets.size(); ++i) {
        QVERIFY2(histogram.buckets[i].upperBound > histogram.buckets[i - 1].upperBound, name);
        QVERIFY2(histogram.buckets[i].cumulativeCount >= histogram.buckets[i - 1].cumulativeCount,
                 name);
    }
    QCOMPARE(histogram.buckets.back().upperBound, std::numeric_limits<double>::infinity());
    QVERIFY2(histogram.count && histogram.sum, name);
    QCOMPARE(histogram.buckets.back().cumulativeCount, *histogram.count);
    QVERIFY(!labelValue(histogram.labels, "le"));
}

// A line of `length` bytes: a sample whose label value never ends.
std::string endlessLabelValue(std::size_t length) {
    std::string line = "endless{value=\"";
    line.resize(length, 'x');
    return line;
}

} // namespace

class TestPrometheusText : public QObject {
    Q_OBJECT

private slots:
    void prometheusServersOwnMetrics() {
        const ParseResult result = parsePrometheusText(dataFile("prometheus-2.42-self.txt"));
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result.families.size(), std::size_t(169));
        QCOMPARE(countType(result, MetricType::Counter), 82);
        QCOMPARE(countType(result, MetricType::Gauge), 70);
        QCOMPARE(countType(result, MetricType::Histogram), 7);
        QCOMPARE(countType(result, MetricType::Summary), 10);
        QCOMPARE(countType(result, MetricType::Untyped), 0);
        QCOMPARE(result.sampleCount(), std::size_t(331));

        const MetricFamily* goroutines = result.family("go_goroutines");
        QVERIFY(goroutines);
        QCOMPARE(goroutines->type, MetricType::Gauge);
        QCOMPARE(goroutines->help, std::string("Number of goroutines that currently exist."));
        QCOMPARE(goroutines->samples.size(), std::size_t(1));
        QCOMPARE(goroutines->samples[0].value, 31.0);

        const MetricFamily* build = result.family("prometheus_build_info");
        QVERIFY(build);
        QCOMPARE(build->samples.size(), std::size_t(1));
        QCOMPARE(build->samples[0].labels.size(), std::size_t(6));
        QCOMPARE(build->samples[0].labels.front(), (Label{"branch", "debian/sid"}));
        QCOMPARE(labelValue(build->samples[0].labels, "version"), std::string_view("2.42.0+ds"));
        QCOMPARE(result.family("process_start_time_seconds")->samples[0].value, 1.79549835977e+09);

        // go_gc_duration_seconds: Go's summary of GC pauses.
        const MetricFamily* gc = result.family("go_gc_duration_seconds");
        QVERIFY(gc);
        QCOMPARE(gc->type, MetricType::Summary);
        QCOMPARE(gc->summaries.size(), std::size_t(1));
        const Summary& pauses = gc->summaries[0];
        QVERIFY(pauses.labels.empty());
        QCOMPARE(pauses.quantiles.size(), std::size_t(5));
        QCOMPARE(pauses.quantiles.front().quantile, 0.0);
        QCOMPARE(pauses.quantiles.front().value, 4.5718e-05);
        QCOMPARE(pauses.quantiles[2].quantile, 0.5);
        QCOMPARE(pauses.quantiles.back().quantile, 1.0);
        QCOMPARE(*pauses.sum, 0.004987977);
        QCOMPARE(*pauses.count, 4.0);
        QCOMPARE(gc->samples.size(), std::size_t(7)); // five quantiles, _sum, _count

        int histograms = 0;
        for (const MetricFamily& family : result.families) {
            for (const Histogram& histogram : family.histograms) {
                verifyHistogram(family, histogram);
                ++histograms;
            }
        }
        QCOMPARE(histograms, 7);
        const MetricFamily* http = result.family("prometheus_http_request_duration_seconds");
        QVERIFY(http);
        QCOMPARE(http->histograms.size(), std::size_t(1));
        QCOMPARE(http->histograms[0].buckets.size(), std::size_t(10));
        QCOMPARE(labelValue(http->histograms[0].labels, "handler"), std::string_view("/metrics"));
    }

    void ourAgentsMetrics() {
        const ParseResult result = parsePrometheusText(dataFile("switchboard-agent-demo.txt"));
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result.families.size(), std::size_t(45));
        QCOMPARE(countType(result, MetricType::Counter), 10);
        QCOMPARE(countType(result, MetricType::Gauge), 32);
        QCOMPARE(countType(result, MetricType::Histogram), 3);
        QCOMPARE(result.sampleCount(), std::size_t(1238));

        const MetricFamily* requests = result.family("switchboard_requests_total");
        QVERIFY(requests);
        QCOMPARE(requests->type, MetricType::Counter);
        QCOMPARE(requests->help, std::string("Requests the backend handled, by route and outcome"));
        const auto quotes = std::find_if(
            requests->samples.begin(), requests->samples.end(), [](const Sample& sample) {
                return labelValue(sample.labels, "route") == std::string_view("pricing.quote") &&
                       labelValue(sample.labels, "outcome") == std::string_view("ok");
            });
        QVERIFY(quotes != requests->samples.end());
        QCOMPARE(quotes->value, 338.0);
        QVERIFY(!quotes->timestampMs);

        // Request durations per route: prometheus-cpp writes _count and _sum before the buckets.
        const MetricFamily* durations = result.family("switchboard_request_duration_seconds");
        QVERIFY(durations);
        QCOMPARE(durations->histograms.size(), std::size_t(6));
        for (const Histogram& histogram : durations->histograms) {
            verifyHistogram(*durations, histogram);
            QCOMPARE(histogram.labels.size(), std::size_t(1));
            QCOMPARE(histogram.buckets.size(), std::size_t(14));
            QCOMPARE(histogram.buckets.front().upperBound, 0.0005);
        }
        const Histogram& sharded = durations->histograms[0];
        QCOMPARE(sharded.labels.front(), (Label{"route", "orders.sharded"}));
        QCOMPARE(*sharded.count, 333.0);
        QCOMPARE(*sharded.sum, 0.3196773100000001);
        QCOMPARE(sharded.buckets[1].cumulativeCount, 311.0);
        QCOMPARE(sharded.line, durations->samples.front().line); // its _count, written first
        for (const char* name : {"switchboard_demo_shard_write_seconds",
                                 "switchboard_demo_shard_moved_write_seconds"}) {
            const MetricFamily* family = result.family(name);
            QVERIFY2(family && family->histograms.size() == 1, name);
            verifyHistogram(*family, family->histograms[0]);
        }
    }

    // The format's own example (prometheus.io, "Exposition formats", in
    // tests/data/prometheus/exposition-format-example.txt): escapes, timestamps, +Inf, a negative
    // timestamp, a histogram and a summary.
    void theFormatsExample() {
        const std::string text = dataFile("exposition-format-example.txt");
        const ParseResult result = parsePrometheusText(text);
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result.families.size(), std::size_t(6));

        const MetricFamily* requests = result.family("http_requests_total");
        QCOMPARE(requests->samples.size(), std::size_t(2));
        QCOMPARE(requests->samples[1].value, 3.0);
        QCOMPARE(requests->samples[1].timestampMs, std::optional<std::int64_t>(1395066363000));
        QCOMPARE(requests->samples[1].line, 4);
        QCOMPARE(requests->samples[0].labels,
                 (Labels{{"method", "post"}, {"code", "200"}})); // as written, not sorted

        const Sample& msdos = result.family("msdos_file_access_time_seconds")->samples[0];
        QCOMPARE(result.family("msdos_file_access_time_seconds")->type, MetricType::Untyped);
        QCOMPARE(*labelValue(msdos.labels, "path"), std::string_view("C:\\DIR\\FILE.TXT"));
        QCOMPARE(*labelValue(msdos.labels, "error"),
                 std::string_view("Cannot find file:\n\"FILE.TXT\""));
        QCOMPARE(msdos.value, 1.458255915e9);

        QCOMPARE(result.family("metric_without_timestamp_and_labels")->samples[0].value, 12.47);
        const Sample& weird = result.family("something_weird")->samples[0];
        QCOMPARE(weird.value, std::numeric_limits<double>::infinity());
        QCOMPARE(weird.timestampMs, std::optional<std::int64_t>(-3982045));

        const MetricFamily* durations = result.family("http_request_duration_seconds");
        QCOMPARE(durations->help, std::string("A histogram of the request duration."));
        QCOMPARE(durations->histograms.size(), std::size_t(1));
        verifyHistogram(*durations, durations->histograms[0]);
        QCOMPARE(durations->histograms[0].buckets[2].upperBound, 0.2);
        QCOMPARE(durations->histograms[0].buckets[2].cumulativeCount, 100392.0);
        QCOMPARE(*durations->histograms[0].sum, 53423.0);

        const MetricFamily* rpc = result.family("rpc_duration_seconds");
        QCOMPARE(rpc->summaries.size(), std::size_t(1));
        QCOMPARE(rpc->summaries[0].quantiles.size(), std::size_t(5));
        QCOMPARE(rpc->summaries[0].quantiles[3].quantile, 0.9);
        QCOMPARE(rpc->summaries[0].quantiles[3].value, 9001.0);
        QCOMPARE(*rpc->summaries[0].sum, 1.7560473e+07);
        QCOMPARE(*rpc->summaries[0].count, 2693.0);
    }

    void values_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("expected");
        QTest::newRow("integer") << "42" << 42.0;
        QTest::newRow("negative") << "-1.5" << -1.5;
        QTest::newRow("plus sign") << "+2" << 2.0;
        QTest::newRow("exponent") << "1.5e3" << 1500.0;
        QTest::newRow("capital exponent") << "2E-3" << 0.002;
        QTest::newRow("leading dot") << ".5" << 0.5;
        QTest::newRow("trailing dot") << "5." << 5.0;
        QTest::newRow("+Inf") << "+Inf" << std::numeric_limits<double>::infinity();
        QTest::newRow("-Inf") << "-Inf" << -std::numeric_limits<double>::infinity();
        QTest::newRow("inf lower case") << "inf" << std::numeric_limits<double>::infinity();
        QTest::newRow("largest double") << "1.7976931348623157e308" << 1.7976931348623157e308;
    }
    void values() {
        QFETCH(QString, text);
        QFETCH(double, expected);
        const ParseResult result = parsePrometheusText("x " + text.toStdString() + "\n");
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result.families[0].samples[0].value, expected);
    }

    void nanAndTimestamps() {
        const ParseResult result =
            parsePrometheusText("a NaN\nb nan 0\nc 1 -9223372036854775808\nd 2 +1700000000000\n"
                                "e 3 9223372036854775807\n");
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QVERIFY(std::isnan(result.family("a")->samples[0].value));
        QVERIFY(std::isnan(result.family("b")->samples[0].value));
        QCOMPARE(result.family("b")->samples[0].timestampMs, std::optional<std::int64_t>(0));
        QCOMPARE(result.family("c")->samples[0].timestampMs,
                 std::optional<std::int64_t>(std::numeric_limits<std::int64_t>::min()));
        QCOMPARE(result.family("d")->samples[0].timestampMs,
                 std::optional<std::int64_t>(1700000000000));
        QCOMPARE(result.family("e")->samples[0].timestampMs,
                 std::optional<std::int64_t>(std::numeric_limits<std::int64_t>::max()));
    }

    // What the format allows that a strict reader might refuse.
    void leniencies() {
        const std::string text = "# a plain comment\n"
                                 "#TYPE tight counter\n" // no blank after '#'
                                 "  \t  \n"              // a blank line
                                 "\ttight 1\t\n"         // leading and trailing blanks
                                 "spaced { a = \"1\" , b=\"2\", } 2\n" // blanks, trailing comma
                                 "empty{} 3\r\n"                       // empty label set, CRLF
                                 "# HELP late_help Help after samples is allowed.\n"
                                 "unicode{name=\"Zürich ✓\"} 4\n"
                                 "# TYPE upper GAUGE\n" // type words in any case
                                 "no_newline_at_end 5";
        const ParseResult result = parsePrometheusText(text);
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result.family("tight")->type, MetricType::Counter);
        QCOMPARE(result.family("tight")->samples[0].line, 4);
        QCOMPARE(result.family("spaced")->samples[0].labels, (Labels{{"a", "1"}, {"b", "2"}}));
        QCOMPARE(result.family("empty")->samples[0].value, 3.0);
        QCOMPARE(*labelValue(result.family("unicode")->samples[0].labels, "name"),
                 std::string_view("Zürich ✓"));
        QCOMPARE(result.family("upper")->type, MetricType::Gauge);
        QVERIFY(result.family("upper")->samples.empty()); // declared only: kept, no samples
        QCOMPARE(result.family("no_newline_at_end")->samples[0].line, 10);
    }

    void helpIsUnescaped() {
        const ParseResult result = parsePrometheusText(
            "# HELP x Two\\nlines, a \\\\ backslash and \\\"quotes\\\".\nx 1\n");
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result.family("x")->help,
                 std::string("Two\nlines, a \\ backslash and \"quotes\"."));
    }

    // Two histograms in one family, told apart by their labels in any order, and buckets
    // written out of order sorted by le.
    void histogramsGroupByLabelSet() {
        const std::string text = "# TYPE h histogram\n"
                                 "h_bucket{a=\"1\",b=\"x\",le=\"+Inf\"} 3\n"
                                 "h_bucket{le=\"0.5\",b=\"x\",a=\"1\"} 1\n"
                                 "h_bucket{a=\"2\",b=\"x\",le=\"1e0\"} 7\n"
                                 "h_bucket{a=\"2\",b=\"x\",le=\"+Inf\"} 9\n"
                                 "h_count{b=\"x\",a=\"1\"} 3\n"
                                 "h_sum{a=\"1\",b=\"x\"} 1.25\n"
                                 "h_count{a=\"2\",b=\"x\"} 9\n";
        const ParseResult result = parsePrometheusText(text);
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        const MetricFamily* h = result.family("h");
        QCOMPARE(h->histograms.size(), std::size_t(2));
        QCOMPARE(h->histograms[0].labels, (Labels{{"a", "1"}, {"b", "x"}}));
        QCOMPARE(h->histograms[0].buckets.size(), std::size_t(2));
        QCOMPARE(h->histograms[0].buckets[0].upperBound, 0.5);
        QCOMPARE(*h->histograms[0].count, 3.0);
        QCOMPARE(*h->histograms[0].sum, 1.25);
        QCOMPARE(h->histograms[0].line, 2);
        QCOMPARE(h->histograms[1].buckets[0].upperBound, 1.0);
        QVERIFY(!h->histograms[1].sum);
        QCOMPARE(h->samples.size(), std::size_t(7));
        QCOMPARE(h->samples[0].name, std::string("h_bucket"));
    }

    // Each file: three good lines, the bad one(s) from line 4, one good line after. The bad
    // line is an error with its number; every good line is kept.
    void malformedCorpus_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("lineSkipped");
        const auto row = [](const char* file, int line, const char* reason, bool skipped = true) {
            QTest::newRow(file) << QString(file) << line << QString(reason) << skipped;
        };
        row("unterminated-label-value", 4, "unterminated value of label 'method'");
        row("bad-escape", 4, "invalid escape sequence '\\D'");
        row("missing-value", 4, "missing value for 'http_requests_total'");
        row("garbage-value", 4, "invalid value '12abc'");
        row("label-without-equals", 4, "label 'method' has no '='");
        row("duplicate-label", 4, "duplicate label 'method'");
        row("invalid-metric-name", 4, "invalid metric name '0xdead_total'");
        row("invalid-character-in-name", 4, "invalid character '-' in metric name 'http-'");
        row("type-after-samples", 5, "TYPE line for 'late_total' after its samples");
        row("unknown-type", 4, "unknown metric type 'timer'");
        row("duplicate-type", 5, "second TYPE line for 'twice'");
        row("duplicate-help", 5, "second HELP line for 'twice'");
        row("bucket-without-le", 5, "histogram bucket 'rpc_seconds_bucket' without an le label");
        row("non-utf8", 4, "invalid UTF-8 at column 31");
        row("nul-byte", 4, "NUL byte at column 29");
        row("bad-timestamp", 4, "invalid timestamp '1395066363000.5'");
        row("text-after-timestamp", 4, "unexpected text after the timestamp: 'extra'");
        row("unclosed-label-set", 4, "expected ',' or '}' after the value of label 'method'");
        row("unquoted-label-value", 4, "the value of label 'method' is not in double quotes");
        row("reserved-label-name", 4, "label name \"__name__\" is reserved");
        row("empty-label-name", 4, "invalid label name at '=\"post\"} 3'");
        row("no-metric-name", 4, "a sample needs a metric name before '{'");
        row("value-out-of-range", 4, "invalid value '1e999'");
        row("hex-value", 4, "invalid value '0x1p3'");
        row("help-lone-backslash", 4, "HELP text ends with a lone backslash");
        row("type-without-type", 4, "TYPE line for 'lonely' without a type");
        row("type-extra-token", 4, "unexpected text after the type: 'gauge'");
        row("summary-without-quantile", 5, "summary sample 'rpc_summary' without a quantile label");
        row("quantile-out-of-range", 5, "quantile label '1.5' of 'rpc_summary' is not a number");
        row("histogram-without-suffix", 5, "needs the suffix _bucket, _sum or _count");
        row("duplicate-sample", 5, "duplicate sample of 'same'");
        row("histogram-count-mismatch", 8, "_count of histogram 'rpc_seconds' differs", false);
        row("histogram-without-inf", 5, "histogram 'rpc_seconds' has no le=\"+Inf\" bucket", false);
        row("histogram-not-cumulative", 6, "counts less than the bucket below it", false);
    }
    void malformedCorpus() {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(QString, reason);
        QFETCH(bool, lineSkipped);
        const std::string text = dataFile("malformed/" + file.toStdString() + ".txt");
        QVERIFY(!text.empty());
        const ParseResult result = parsePrometheusText(text);
        QCOMPARE(result.errors.size(), std::size_t(1));
        QVERIFY(!result.ok());
        QCOMPARE(result.errors[0].line, line);
        QVERIFY2(QString::fromStdString(result.errors[0].reason).contains(reason),
                 result.errors[0].reason.c_str());
        QCOMPARE(result.errors[0].lineSkipped, lineSkipped);
        QVERIFY(result.family("ok_total"));
        QCOMPARE(result.family("ok_total")->type, MetricType::Counter);
        QCOMPARE(result.family("ok_total")->samples.size(), std::size_t(1));
        QVERIFY(result.family("after_bad_line"));
        QCOMPARE(result.family("after_bad_line")->samples[0].value, 7.0);
    }

    void everyBadLineIsReported() {
        const ParseResult result = parsePrometheusText("a 1\nb\nc 3\nd{ 4\ne 5\nf x\n");
        QCOMPARE(result.errors.size(), std::size_t(3));
        QCOMPARE(result.errors[0].line, 2);
        QCOMPARE(result.errors[1].line, 4);
        QCOMPARE(result.errors[2].line, 6);
        QCOMPARE(result.sampleCount(), std::size_t(3));
    }

    // Hostile input: bounded work, an error, the rest still read.
    void hostileInput() {
        // A 1 MB line, past the 64 KiB limit, between two good ones.
        std::string text = "a 1\n" + endlessLabelValue(1 << 20) + "\nb 2\n";
        ParseResult result = parsePrometheusText(text);
        QCOMPARE(result.errors.size(), std::size_t(1));
        QCOMPARE(result.errors[0].line, 2);
        QVERIFY(QString::fromStdString(result.errors[0].reason).contains("1048576 bytes long"));
        QCOMPARE(result.sampleCount(), std::size_t(2));

        // Just under the limit: read, found unterminated, and the reason quotes a little of it.
        result = parsePrometheusText(endlessLabelValue(64 * 1024) + "\n");
        QCOMPARE(result.errors.size(), std::size_t(1));
        QVERIFY(result.errors[0].reason.find("unterminated value of label 'value'") == 0);

        // Escaped quotes all the way: no nesting, no recursion, just one long value.
        std::string quotes = "q{v=\"";
        for (int i = 0; i < 20000; ++i)
            quotes += "\\\"";
        result = parsePrometheusText(quotes + "\"} 1\n" + quotes + "\n");
        QCOMPARE(result.errors.size(), std::size_t(1));
        QCOMPARE(result.errors[0].line, 2);
        QCOMPARE(labelValue(result.family("q")->samples[0].labels, "v")->size(),
                 std::size_t(20000));

        // Many labels: up to the limit is fine, one more is an error.
        const auto manyLabels = [](int count) {
            std::string line = "many{";
            for (int i = 0; i < count; ++i)
                line += "l" + std::to_string(i) + "=\"v\",";
            return line + "} 1\n";
        };
        QVERIFY(parsePrometheusText(manyLabels(128)).ok());
        result = parsePrometheusText(manyLabels(129));
        QCOMPARE(result.errors.size(), std::size_t(1));
        QCOMPARE(result.errors[0].reason, std::string("more than 128 labels"));

        // A flood of bad lines: errors stop at the cap, the rest are counted.
        std::string flood;
        for (int i = 0; i < 5000; ++i)
            flood += "{\n";
        result = parsePrometheusText(flood);
        QCOMPARE(result.errors.size(), std::size_t(1000));
        QCOMPARE(result.errorsDropped, std::size_t(4000));
        QCOMPARE(result.errors.back().line, 1000);

        // Bytes that are never text, quoted safely in the reason.
        result = parsePrometheusText(std::string("\x01\x02 3\n"));
        QCOMPARE(result.errors.size(), std::size_t(1));
        QCOMPARE(result.errors[0].reason, std::string("invalid metric name '\\x01\\x02'"));

        QVERIFY(parsePrometheusText("").ok());
        QVERIFY(parsePrometheusText("").families.empty());
    }

    void utf8Checks_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("plain") << true;
        QTest::newRow("two bytes") << QByteArray("\xc3\xa9") << true;
        QTest::newRow("four bytes") << QByteArray("\xf0\x9f\x98\x80") << true;
        QTest::newRow("lone continuation") << QByteArray("\x80") << false;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("overlong three") << QByteArray("\xe0\x80\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
        QTest::newRow("0xff") << QByteArray("\xff") << false;
    }
    void utf8Checks() {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        const std::string line = "x{v=\"" + bytes.toStdString() + "\"} 1\n";
        QCOMPARE(parsePrometheusText(line).ok(), valid);
    }

    // Counters restart from zero when their process does: a decrease is a reset, and the new
    // value is all growth since it.
    void counterRatesAcrossResets() {
        QCOMPARE(counterIncrease(10.0, 15.0), std::optional<double>(5.0));
        QCOMPARE(counterIncrease(15.0, 4.0), std::optional<double>(4.0)); // reset
        QCOMPARE(counterIncrease(7.0, 7.0), std::optional<double>(0.0));
        QVERIFY(!counterIncrease(std::nan(""), 1.0));
        QVERIFY(!counterIncrease(1.0, std::numeric_limits<double>::infinity()));

        QCOMPARE(counterRate(CounterPoint{1000, 100.0}, CounterPoint{3000, 110.0}),
                 std::optional<double>(5.0));
        QCOMPARE(counterRate(CounterPoint{1000, 100.0}, CounterPoint{3000, 6.0}),
                 std::optional<double>(3.0)); // reset: 6 in 2 s
        QVERIFY(!counterRate(CounterPoint{3000, 1.0}, CounterPoint{3000, 2.0}));
        QVERIFY(!counterRate(CounterPoint{3000, 1.0}, CounterPoint{2000, 2.0}));

        // 100 -> 130 (+30), reset -> 20 (+20), -> 50 (+30): 80 in 30 s.
        const std::vector<CounterPoint> series{
            {0, 100.0}, {10000, 130.0}, {20000, 20.0}, {30000, 50.0}};
        QCOMPARE(counterIncrease(series), std::optional<double>(80.0));
        QCOMPARE(counterRate(series), std::optional<double>(80.0 / 30.0));
        // A NaN reading is passed over: growth is measured from 130 to 20 across it.
        const std::vector<CounterPoint> withNaN{
            {0, 100.0}, {10000, 130.0}, {15000, std::nan("")}, {20000, 20.0}, {30000, 50.0}};
        QCOMPARE(counterIncrease(withNaN), std::optional<double>(80.0));
        QVERIFY(!counterIncrease(std::vector<CounterPoint>{{0, 1.0}}));
        QVERIFY(!counterRate(std::vector<CounterPoint>{{5, 1.0}, {5, 2.0}}));
        QVERIFY(!counterRate(std::vector<CounterPoint>{}));
    }

    // From two real scrapes: parse, pick the series, compute the rate.
    void rateFromTwoScrapes() {
        const auto valueIn = [](const std::string& text) {
            const ParseResult result = parsePrometheusText(text);
            return result.family("jobs_total")->samples[0].value;
        };
        const std::string before = "# TYPE jobs_total counter\njobs_total{q=\"a\"} 1200\n";
        const std::string afterRestart = "# TYPE jobs_total counter\njobs_total{q=\"a\"} 30\n";
        QCOMPARE(counterRate(CounterPoint{0, valueIn(before)},
                             CounterPoint{15000, valueIn(afterRestart)}),
                 std::optional<double>(2.0));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_prometheus_text.moc"
