#pragma once

#include <QHashFunctions>
#include <QList>
#include <QString>
#include <utility>

namespace switchboard {

// What names one time series: a metric name and its label pairs, as Prometheus names them
// (`http_requests_total{code="200",route="/users"}`). Labels are kept sorted by name, so the
// same labels in another order make the same key; the canonical text is built once, and
// equality and hashing use it alone. A value type, safe to copy between threads.
class SeriesKey {
public:
    using Label = std::pair<QString, QString>; // name, value

    SeriesKey() = default;
    explicit SeriesKey(QString metricName, QList<Label> labels = {});

    const QString& metricName() const { return m_metricName; }
    const QList<Label>& labels() const { return m_labels; } // sorted by name
    // The label's value, or an empty string when the key has no such label (as in PromQL).
    QString label(const QString& name) const;
    // `name{a="x",b="y"}`, values escaped as in the Prometheus text format; `name` alone
    // without labels. Unique per key, so it doubles as a display text and a map key.
    const QString& canonical() const { return m_canonical; }
    // Bytes the key holds on the heap, for the store's memory accounting (an estimate: the
    // string payloads, not the allocator's bookkeeping).
    qsizetype heapBytes() const;

    friend bool operator==(const SeriesKey& a, const SeriesKey& b) {
        return a.m_canonical == b.m_canonical;
    }
    friend bool operator<(const SeriesKey& a, const SeriesKey& b) {
        return a.m_canonical < b.m_canonical;
    }
    friend size_t qHash(const SeriesKey& key, size_t seed = 0) noexcept {
        return qHash(key.m_canonical, seed);
    }

private:
    QString m_metricName;
    QList<Label> m_labels;
    QString m_canonical;
};

} // namespace switchboard
