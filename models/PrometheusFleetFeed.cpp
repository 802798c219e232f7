#include "PrometheusFleetFeed.h"

#include <QDateTime>

namespace switchboard {

PrometheusFleetFeed::PrometheusFleetFeed(const QUrl& prometheusUrl, QObject* parent)
    : QObject(parent)
    , m_source(prometheusUrl) {
    connect(&m_timer, &QTimer::timeout, this, &PrometheusFleetFeed::refreshNow);
    connect(&m_source, &PrometheusSource::targetsDiscovered, this, &PrometheusFleetFeed::onTargets);
    connect(&m_source, &PrometheusSource::seriesReceived, this, &PrometheusFleetFeed::onSeries);
    connect(&m_source, &PrometheusSource::requestFailed, this, &PrometheusFleetFeed::onFailed);
}

void PrometheusFleetFeed::start(std::chrono::milliseconds interval) {
    m_timer.start(interval);
    refreshNow();
}

void PrometheusFleetFeed::stop() {
    m_timer.stop();
    m_round.reset(); // answers still on their way find no round and are dropped
}

void PrometheusFleetFeed::setQueriesEnabled(bool enabled) {
    if (m_queries == enabled)
        return;
    m_queries = enabled;
    m_historyLoaded = false; // back to Prometheus later: the history since then is new
}

void PrometheusFleetFeed::refreshNow() {
    if (m_round && m_round->waiting())
        return;
    Round round;
    round.timeMs = QDateTime::currentMSecsSinceEpoch();
    round.targets = m_source.discoverTargets();
    if (m_queries) {
        const QDateTime now = QDateTime::fromMSecsSinceEpoch(round.timeMs);
        round.rates = m_source.query(fleetround::rateQuery(), now);
        round.probes = m_source.query(fleetround::probesQuery(), now);
        if (!m_historyLoaded) {
            PrometheusRangeQuery range;
            range.query = fleetround::rateQuery();
            range.start = now.addSecs(-kHistory.count());
            range.end = now;
            range.step = kHistoryStep;
            round.history = m_source.queryRange(range);
        }
    }
    m_round = std::move(round);
}

void PrometheusFleetFeed::onTargets(quint64 id, const QList<PrometheusTarget>& targets) {
    if (!m_round || m_round->targets != id)
        return;
    m_round->discovered = targets;
    m_round->targets = 0;
    finishIfAnswered();
}

void PrometheusFleetFeed::onSeries(quint64 id, const QList<PrometheusSeries>& series) {
    if (!m_round || id == 0)
        return;
    if (m_round->rates == id) {
        m_round->rateSeries = series;
        m_round->rates = 0;
    } else if (m_round->probes == id) {
        m_round->probeSeries = series;
        m_round->probes = 0;
    } else if (m_round->history == id) {
        m_round->historySeries = series;
        m_round->history = 0;
        m_historyLoaded = true;
    } else {
        return;
    }
    finishIfAnswered();
}

void PrometheusFleetFeed::onFailed(quint64 id, PrometheusSource::Operation,
                                   const PrometheusError& error) {
    if (!m_round || id == 0)
        return;
    if (m_round->targets == id) {
        m_round->targets = 0;
        m_round->discoveryFailed = true;
    } else if (m_round->rates == id) {
        m_round->rates = 0;
    } else if (m_round->probes == id) {
        m_round->probes = 0;
    } else if (m_round->history == id) {
        m_round->history = 0; // tried again next round
    } else {
        return;
    }
    emit roundFailed(error.text());
    finishIfAnswered();
}

void PrometheusFleetFeed::finishIfAnswered() {
    if (!m_round || m_round->waiting())
        return;
    Round round = std::move(*m_round);
    m_round.reset();
    ++m_rounds;
    if (round.discoveryFailed)
        return; // said by roundFailed; the fleet keeps what it showed, now ageing
    emit roundCompleted(
        assembleFleetRound(round.discovered, round.rateSeries, round.probeSeries, round.timeMs),
        round.historySeries);
}

} // namespace switchboard
