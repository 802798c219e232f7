#pragma once

#include "LabelFilter.h"
#include "SeriesKey.h"

#include <QHash>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

namespace switchboard {

// The bridge between Prometheus's names for the fleet and the console's. Prometheus labels each
// series with its target's labels (`instance`, `job`, and whatever else the scrape config
// attaches, e.g. `region`, `service`); the console's store labels each series with `agent` (the
// agent's id, a URL: AgentSeries.h) and nothing else of the target, as the direct scraper does.
// This maps answers to the store's keys and label filters to PromQL matchers, so a chart shows
// the same series whichever source fed it. A value type; pure.
class PrometheusAgentLabels {
public:
    // Prometheus's `instance` value → the console's agent id.
    void setAgents(const QHash<QString, QString>& agentByInstance);
    // The labels the targets attach (PrometheusTarget::labels' names); `instance` and `job`
    // always count as such.
    void setTargetLabelNames(const QSet<QString>& names);

    QString agentOf(const QString& instance) const { return m_agentByInstance.value(instance); }
    QString instanceOf(const QString& agentId) const { return m_instanceByAgent.value(agentId); }
    bool isTargetLabel(const QString& name) const { return m_targetLabels.contains(name); }

    // PromQL matchers (`route="/x"`, `instance!="demo-1"`) for the terms of `filter` that
    // Prometheus can apply exactly as LabelFilter::matches would on the store's keys. `agent`
    // becomes `instance` of that agent; an agent Prometheus does not know sends nothing. Terms
    // on target labels (the store's keys have none) and on names PromQL cannot write send
    // nothing either. Whatever is left out, the chart's own filter still applies.
    QStringList matchers(const LabelFilter& filter) const;
    // The store's key for one series Prometheus answered: `metricName`, the series' labels less
    // `__name__` and the target labels, plus `agent`. Nothing for a series whose instance is no
    // agent of the console's.
    std::optional<SeriesKey> seriesKey(const QString& metricName,
                                       const QMap<QString, QString>& labels) const;

    // A PromQL string literal: double quotes, with `\`, `"` and line breaks escaped.
    static QString quoted(const QString& value);

private:
    QHash<QString, QString> m_agentByInstance;
    QHash<QString, QString> m_instanceByAgent;
    QSet<QString> m_targetLabels{QStringLiteral("instance"), QStringLiteral("job")};
};

} // namespace switchboard
