#include "SeriesKey.h"

#include <algorithm>

namespace switchboard {

namespace {

// As the Prometheus text format escapes label values, so `a="x\",b=\"y"` cannot pass for two
// labels and two different keys never share a canonical text.
QString escapedLabelValue(const QString& value) {
    QString escaped;
    escaped.reserve(value.size());
    for (const QChar c : value) {
        if (c == u'\\')
            escaped += QStringLiteral("\\\\");
        else if (c == u'"')
            escaped += QStringLiteral("\\\"");
        else if (c == u'\n')
            escaped += QStringLiteral("\\n");
        else
            escaped += c;
    }
    return escaped;
}

} // namespace

SeriesKey::SeriesKey(QString metricName, QList<Label> labels)
    : m_metricName(std::move(metricName))
    , m_labels(std::move(labels)) {
    std::stable_sort(m_labels.begin(), m_labels.end(),
                     [](const Label& a, const Label& b) { return a.first < b.first; });
    m_canonical = m_metricName;
    if (m_labels.isEmpty())
        return;
    m_canonical += u'{';
    for (qsizetype i = 0; i < m_labels.size(); ++i) {
        if (i > 0)
            m_canonical += u',';
        m_canonical += m_labels.at(i).first + QStringLiteral("=\"") +
                       escapedLabelValue(m_labels.at(i).second) + u'"';
    }
    m_canonical += u'}';
}

QString SeriesKey::label(const QString& name) const {
    for (const Label& label : m_labels) {
        if (label.first == name)
            return label.second;
    }
    return {};
}

qsizetype SeriesKey::heapBytes() const {
    const auto stringBytes = [](const QString& s) {
        return s.capacity() * qsizetype(sizeof(QChar));
    };
    qsizetype bytes = stringBytes(m_metricName) + stringBytes(m_canonical) +
                      m_labels.capacity() * qsizetype(sizeof(Label));
    for (const Label& label : m_labels)
        bytes += stringBytes(label.first) + stringBytes(label.second);
    return bytes;
}

} // namespace switchboard
