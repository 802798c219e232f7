#include "LabelFilter.h"

#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace switchboard {

namespace {

QString unquoted(QString value) {
    value = value.trimmed();
    if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'') &&
        value.back() == value.front())
        return value.mid(1, value.size() - 2);
    return value;
}

} // namespace

LabelFilter LabelFilter::parse(const QString& text) {
    LabelFilter filter;
    QStringList refused;
    // Commas or whitespace outside quotes separate terms (a quoted value may hold either).
    static const QRegularExpression term(
        QStringLiteral(R"re(([^\s,=!]*)\s*(!=|=)\s*("[^"]*"|'[^']*'|[^\s,]*)|[^\s,]+)re"));
    for (auto it = term.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const QString name = match.captured(1);
        if (match.captured(2).isEmpty() || name.isEmpty()) {
            refused.append(match.captured(0));
            continue;
        }
        filter.m_terms.append({name, unquoted(match.captured(3)), match.captured(2) == u"="});
    }
    if (!refused.isEmpty())
        filter.m_error = QObject::tr("Not a label filter (use name=value or name!=value): %1")
                             .arg(refused.join(QStringLiteral(", ")));
    return filter;
}

bool LabelFilter::matches(const SeriesKey& key) const {
    return std::all_of(m_terms.cbegin(), m_terms.cend(), [&key](const Term& term) {
        return (key.label(term.name) == term.value) == term.equal;
    });
}

QString LabelFilter::text() const {
    QStringList parts;
    for (const Term& term : m_terms)
        parts.append(QStringLiteral("%1%2\"%3\"")
                         .arg(term.name, term.equal ? QStringLiteral("=") : QStringLiteral("!="),
                              term.value));
    return parts.join(QStringLiteral(", "));
}

QStringList distinguishingLabels(const QList<SeriesKey>& keys) {
    if (keys.size() < 2)
        return {};
    QSet<QString> names;
    for (const SeriesKey& key : keys)
        for (const SeriesKey::Label& label : key.labels())
            names.insert(label.first);
    QStringList differing;
    for (const QString& name : std::as_const(names)) {
        const QString first = keys.front().label(name);
        if (std::any_of(keys.cbegin() + 1, keys.cend(),
                        [&](const SeriesKey& key) { return key.label(name) != first; }))
            differing.append(name);
    }
    std::sort(differing.begin(), differing.end());
    return differing;
}

QString seriesDisplayName(const SeriesKey& key, const QStringList& labelNames,
                          const LabelValueNamer& namer) {
    QStringList parts;
    for (const QString& name : labelNames)
        parts.append(QStringLiteral("%1=%2").arg(name, namer ? namer(name, key.label(name))
                                                             : key.label(name)));
    return parts.isEmpty() ? key.metricName() : parts.join(QStringLiteral(", "));
}

} // namespace switchboard
