#pragma once

#include "SeriesKey.h"

#include <QList>
#include <QString>
#include <functional>

namespace switchboard {

// The metric browser's label filter, as an operator types it: `agent=a:9100, route!=/health`
// (terms separated by commas or spaces; values may be quoted). A series passes when every term
// holds; a label the series lacks has the empty value, as in PromQL. A value type.
class LabelFilter {
public:
    struct Term {
        QString name;
        QString value;
        bool equal = true; // = or !=
        friend bool operator==(const Term&, const Term&) = default;
    };

    LabelFilter() = default;
    // Terms it cannot read (no `=`, an empty name) are skipped and named in error().
    static LabelFilter parse(const QString& text);

    bool matches(const SeriesKey& key) const;
    bool isEmpty() const { return m_terms.isEmpty(); }
    const QList<Term>& terms() const { return m_terms; }
    QString error() const { return m_error; }
    // The terms back as text (`agent="a", route!="/x"`), for a chart's title.
    QString text() const;

private:
    QList<Term> m_terms;
    QString m_error;
};

// The label names whose values differ between the keys: what tells the series of one metric
// apart, so a legend can name each line by those alone. Sorted; empty for fewer than two keys.
QStringList distinguishingLabels(const QList<SeriesKey>& keys);
// How a label's value is shown (e.g. an agent's id as its instance name); empty: as it is.
using LabelValueNamer = std::function<QString(const QString& labelName, const QString& value)>;
// `agent=a, route=/x` from the key's values of `labelNames`; the metric name when none.
QString seriesDisplayName(const SeriesKey& key, const QStringList& labelNames,
                          const LabelValueNamer& namer = {});

} // namespace switchboard
