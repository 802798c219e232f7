#include "PrometheusAgentLabels.h"

#include "AgentSeries.h"

#include <QRegularExpression>

namespace switchboard {

namespace {

const QString& instanceLabel() {
    static const QString name = QStringLiteral("instance");
    return name;
}

// PromQL's label names: [a-zA-Z_][a-zA-Z0-9_]*, and `__`-prefixed ones are Prometheus's own.
bool writableLabelName(const QString& name) {
    static const QRegularExpression valid(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
    return valid.match(name).hasMatch() && !name.startsWith(QLatin1String("__"));
}

} // namespace

void PrometheusAgentLabels::setAgents(const QHash<QString, QString>& agentByInstance) {
    m_agentByInstance = agentByInstance;
    m_instanceByAgent.clear();
    for (auto it = agentByInstance.cbegin(); it != agentByInstance.cend(); ++it)
        m_instanceByAgent.insert(it.value(), it.key());
}

void PrometheusAgentLabels::setTargetLabelNames(const QSet<QString>& names) {
    m_targetLabels = names;
    m_targetLabels.insert(instanceLabel());
    m_targetLabels.insert(QStringLiteral("job"));
}

QString PrometheusAgentLabels::quoted(const QString& value) {
    QString text = value;
    text.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    text.replace(QLatin1Char('"'), QLatin1String("\\\""));
    text.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QStringList PrometheusAgentLabels::matchers(const LabelFilter& filter) const {
    QStringList matchers;
    for (const LabelFilter::Term& term : filter.terms()) {
        const QString op = term.equal ? QStringLiteral("=") : QStringLiteral("!=");
        if (term.name == agentLabel()) {
            // An empty agent id compares as "no agent label": every stored key has one.
            const QString instance = instanceOf(term.value);
            if (!instance.isEmpty())
                matchers.append(instanceLabel() + op + quoted(instance));
            continue;
        }
        // The store's keys lack target labels: a term on one filters on the empty value there,
        // which Prometheus (where the series have them) would read differently.
        if (isTargetLabel(term.name) || !writableLabelName(term.name))
            continue;
        matchers.append(term.name + op + quoted(term.value));
    }
    return matchers;
}

std::optional<SeriesKey>
PrometheusAgentLabels::seriesKey(const QString& metricName,
                                 const QMap<QString, QString>& labels) const {
    const QString agent = agentOf(labels.value(instanceLabel()));
    if (agent.isEmpty())
        return std::nullopt;
    QList<SeriesKey::Label> kept;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        if (it.key() == QLatin1String("__name__") || isTargetLabel(it.key()) ||
            it.key() == agentLabel())
            continue;
        kept.append({it.key(), it.value()});
    }
    kept.append({agentLabel(), agent});
    return SeriesKey(metricName, std::move(kept));
}

} // namespace switchboard
