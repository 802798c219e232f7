#include "ScrapeFold.h"

#include "AgentSeries.h"
#include "CounterRate.h"

#include <QSet>

namespace switchboard {

namespace {

QString text(const std::string& value) {
    return QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
}

bool endsWith(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// How a sample of a family of `type` is kept, or nothing to leave it out.
std::optional<MetricInfo::StoredAs> storage(promtext::MetricType type, const std::string& name) {
    using promtext::MetricType;
    switch (type) {
    case MetricType::Counter:
        return MetricInfo::StoredAs::RatePerSecond;
    case MetricType::Histogram:
        if (endsWith(name, "_bucket"))
            return std::nullopt;
        return MetricInfo::StoredAs::RatePerSecond; // _count and _sum
    case MetricType::Summary:
        if (endsWith(name, "_count") || endsWith(name, "_sum"))
            return MetricInfo::StoredAs::RatePerSecond;
        return MetricInfo::StoredAs::Value; // quantiles
    case MetricType::Gauge:
    case MetricType::Untyped:
        return MetricInfo::StoredAs::Value;
    }
    return std::nullopt;
}

} // namespace

ScrapeFold::ScrapeFold(QString agentId)
    : m_agentId(std::move(agentId)) {}

std::optional<double> ScrapeFold::rateOf(const QString& canonical, qint64 timeMs, double value) {
    const auto previous = m_previous.constFind(canonical);
    std::optional<double> rate;
    if (previous != m_previous.constEnd())
        rate = counterRate(CounterPoint{previous->first, previous->second},
                           CounterPoint{timeMs, value});
    m_previous.insert(canonical, {timeMs, value});
    return rate;
}

ScrapeFold::Result ScrapeFold::fold(const promtext::ParseResult& parsed, qint64 scrapeMs) {
    Result result;
    result.parseErrors = static_cast<int>(parsed.errors.size() + parsed.errorsDropped);
    if (!parsed.errors.empty())
        result.firstError = QStringLiteral("line %1: %2")
                                .arg(parsed.errors.front().line)
                                .arg(text(parsed.errors.front().reason));
    QSet<QString> seenNow; // counters gone from this scrape forget their last reading
    for (const promtext::MetricFamily& family : parsed.families) {
        QSet<QString> namesStored;
        for (const promtext::Sample& sample : family.samples) {
            const auto storedAs = storage(family.type, sample.name);
            if (!storedAs)
                continue;
            QList<SeriesKey::Label> labels;
            for (const promtext::Label& label : sample.labels)
                labels.append({text(label.name), text(label.value)});
            labels.append({agentLabel(), m_agentId});
            const QString name = text(sample.name);
            SeriesKey key(name, labels);
            const qint64 timeMs = sample.timestampMs.value_or(scrapeMs);
            std::optional<double> value = sample.value;
            if (*storedAs == MetricInfo::StoredAs::RatePerSecond) {
                seenNow.insert(key.canonical());
                value = rateOf(key.canonical(), timeMs, sample.value);
            }
            if (!namesStored.contains(name)) {
                namesStored.insert(name);
                result.metrics.append({name,
                                       QString::fromLatin1(promtext::metricTypeName(family.type)),
                                       text(family.help), *storedAs});
            }
            if (value)
                result.points.append({std::move(key), timeMs, *value});
        }
    }
    for (auto it = m_previous.begin(); it != m_previous.end();)
        it = seenNow.contains(it.key()) ? std::next(it) : m_previous.erase(it);
    return result;
}

} // namespace switchboard
