#include "PrometheusAgentView.h"

#include <QCoreApplication>
#include <QHash>
#include <cmath>

namespace switchboard {

namespace {

const QString kMetricsPath = QStringLiteral("/metrics");

QString tr(const char* text) {
    return QCoreApplication::translate("PrometheusAgentView", text);
}

// The last finite sample of a series, if any (an instant query gives one point).
std::optional<double> lastValue(const PrometheusSeries& series) {
    if (series.points.isEmpty() || !std::isfinite(series.points.last().value))
        return std::nullopt;
    return series.points.last().value;
}

} // namespace

QString agentIdOfTarget(const PrometheusTarget& target) {
    QUrl url = target.scrapeUrl;
    url.setQuery(QString());
    url.setFragment(QString());
    QString path = url.path();
    if (path.endsWith(kMetricsPath))
        path.chop(kMetricsPath.size());
    url.setPath(path);
    return url.toString(QUrl::StripTrailingSlash);
}

namespace fleetround {

QString rateQuery() {
    return QStringLiteral("sum by (instance) (rate(switchboard_requests_total[1m]))");
}

QString probesQuery() {
    return QStringLiteral(
        R"({__name__=~"switchboard_probe_up|switchboard_probe_latency_seconds"})");
}

} // namespace fleetround

QList<PrometheusAgentView> assembleFleetRound(const QList<PrometheusTarget>& targets,
                                              const QList<PrometheusSeries>& rates,
                                              const QList<PrometheusSeries>& probes,
                                              qint64 timeMs) {
    QList<PrometheusAgentView> views;
    views.reserve(targets.size());
    QHash<QString, qsizetype> byInstance;
    for (const PrometheusTarget& target : targets) {
        PrometheusAgentView view;
        view.agentId = agentIdOfTarget(target);
        view.target = target;
        view.timeMs = timeMs;
        byInstance.insert(target.instance, views.size());
        views.append(view);
    }
    for (const PrometheusSeries& series : rates) {
        const auto found = byInstance.constFind(series.label(QStringLiteral("instance")));
        if (found != byInstance.constEnd())
            views[*found].ratePerSecond = lastValue(series);
    }
    // Up and latency arrive as separate series per probe: one ProbeResult per (agent, probe).
    QHash<QString, QHash<QString, qsizetype>> probeIndex; // instance → probe → index in probes
    for (const PrometheusSeries& series : probes) {
        const auto found = byInstance.constFind(series.label(QStringLiteral("instance")));
        const std::optional<double> value = lastValue(series);
        const QString name = series.label(QStringLiteral("probe"));
        if (found == byInstance.constEnd() || !value || name.isEmpty())
            continue;
        PrometheusAgentView& view = views[*found];
        QHash<QString, qsizetype>& index = probeIndex[view.target.instance];
        if (!index.contains(name)) {
            ProbeResult probe;
            probe.name = name;
            probe.kind = series.label(QStringLiteral("kind"));
            probe.checkedMs = series.points.last().timeMs;
            index.insert(name, view.probes.size());
            view.probes.append(probe);
        }
        ProbeResult& probe = view.probes[index.value(name)];
        const QString metric = series.label(QStringLiteral("__name__"));
        if (metric == QLatin1String("switchboard_probe_up")) {
            probe.status = *value > 0.5 ? protocol::ProbeStatus::Up : protocol::ProbeStatus::Down;
            if (probe.status == protocol::ProbeStatus::Down)
                probe.error = tr("per Prometheus's last scrape");
        } else if (metric == QLatin1String("switchboard_probe_latency_seconds")) {
            probe.latencyMs = *value * 1000.0;
        }
    }
    return views;
}

AgentSnapshot PrometheusAgentView::snapshot() const {
    AgentSnapshot snapshot;
    snapshot.timeMs = timeMs;
    snapshot.info.instance = target.instance;
    snapshot.info.region = target.region;
    snapshot.info.service = target.service;
    snapshot.probes = probes;
    if (ratePerSecond) {
        snapshot.requests.ratePerSecond = *ratePerSecond;
    }
    return snapshot;
}

ConnectionState PrometheusAgentView::connectionState() const {
    switch (target.health) {
    case PrometheusTarget::Health::Up:
        return ConnectionState::Live;
    case PrometheusTarget::Health::Down:
        return ConnectionState::Stale;
    case PrometheusTarget::Health::Unknown:
        break;
    }
    return ConnectionState::Connecting;
}

QDateTime PrometheusAgentView::lastScrape() const {
    return target.lastScrapeMs > 0 ? QDateTime::fromMSecsSinceEpoch(target.lastScrapeMs)
                                   : QDateTime();
}

QString PrometheusAgentView::errorText() const {
    if (target.health != PrometheusTarget::Health::Down)
        return {};
    return target.lastError.isEmpty()
               ? tr("Prometheus cannot scrape this agent")
               : tr("Prometheus cannot scrape this agent: %1").arg(target.lastError);
}

} // namespace switchboard
