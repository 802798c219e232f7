#include "Fleet.h"

#include "AgentSeries.h"
#include "HistorySetting.h"
#include "PrometheusFleetFeed.h"

namespace switchboard {

using protocol::ProbeStatus;

namespace {

// What the console's series may reserve: room for about 2300 series of an hour at 1 Hz, far
// past a fleet's request rates, and a bound however long the console runs (issue 9 asks for at
// most 200 MB for 1000 such series; TimeSeriesStore says what happens at the bound).
constexpr qsizetype kSeriesByteBudget = qsizetype(128) * 1024 * 1024;

} // namespace

Fleet::Fleet(QObject* parent)
    : QObject(parent)
    , m_series(historyLimitsFromSettings(), kSeriesByteBudget) {
    connect(&m_scraper, &MetricsScraper::catalogChanged, this, &Fleet::metricCatalogChanged);
    // A /metrics scrape that starts failing (or fails differently) is a line in the Events
    // dock, and so is its recovery; not one line every 2 s while it keeps failing.
    connect(&m_scraper, &MetricsScraper::scrapeFailed, this,
            [this](const QString& agentId, const QString& message) {
                if (m_scrapeErrors.value(agentId) == message)
                    return;
                m_scrapeErrors.insert(agentId, message);
                log(agentId, EventLogEntry::Kind::Connection, Health::Unknown,
                    tr("metrics scrape failing: %1").arg(message));
            });
    connect(&m_scraper, &MetricsScraper::scraped, this, [this](const QString& agentId) {
        if (m_scrapeErrors.remove(agentId) > 0)
            log(agentId, EventLogEntry::Kind::Connection, Health::Up,
                tr("metrics scrape works again"));
    });
}

Fleet::~Fleet() {
    // Clients first: their last signals must not reach models being torn down.
    stopAll();
    // Before the store they write into (children would go only after the members).
    dropPrometheus();
    qDeleteAll(m_clients);
    m_clients.clear();
}

QString Fleet::freeId(const QString& wanted) const {
    QString agentId = wanted;
    for (int n = 2; m_members.contains(agentId); ++n)
        agentId = wanted + QStringLiteral("#%1").arg(n);
    return agentId;
}

QString Fleet::addAgent(const QUrl& url, const QString& token, const QString& label,
                        const QString& caFile) {
    const QString agentId = freeId(url.toString(QUrl::StripTrailingSlash));
    Member member{url, token, label, false};
    QString caError;
    const std::optional<QSslConfiguration> ssl = TlsTrust::configuration(caFile, &caError);
    member.ssl = ssl ? *ssl : TlsTrust::trustNothing();
    addMember(agentId, member);
    if (!ssl)
        emit errorOccurred(agentId, caError);
    return agentId;
}

QString Fleet::addReplayedAgent(const QString& recordedId, const QUrl& url, const QString& label) {
    const QString agentId = freeId(recordedId);
    addMember(agentId, Member{url, {}, label, false, true});
    return agentId;
}

bool Fleet::isReplayed(const QString& agentId) const {
    return m_members.value(agentId).replayed;
}

void Fleet::restartStreams() {
    for (AgentClient* client : std::as_const(m_clients))
        client->restartStream();
}

void Fleet::addMember(const QString& agentId, const Member& member) {
    m_members.insert(agentId, member);
    m_order.append(agentId);
    // A recording cannot be acted on: no action client, and the views say so when asked.
    if (!member.replayed) {
        auto* actions = new ActionClient(member.url, member.token, this);
        actions->setSslConfiguration(member.ssl);
        m_actions.insert(agentId, actions);
    }
    m_model.addAgent(agentId, member.label);
    if (m_source == FleetSource::DirectAgents)
        startStreaming(agentId);
    emit agentAdded(agentId);
}

void Fleet::startStreaming(const QString& agentId) {
    if (m_clients.contains(agentId))
        return;
    const Member member = m_members.value(agentId);
    auto* client = new AgentClient(member.url, member.token, this);
    client->setSslConfiguration(member.ssl);
    client->setTiming(m_timing);
    m_clients.insert(agentId, client);
    m_model.clearPrometheus(agentId);
    m_breakers.addAgent(agentId, member.label);
    m_replication.addAgent(agentId, member.label);
    m_shards.addAgent(agentId, member.label);
    m_cache.addAgent(agentId, member.label);
    m_regions.addAgent(agentId, member.label);
    if (!member.replayed)
        m_scraper.addAgent(agentId, member.url, member.token, member.ssl);

    connect(client, &AgentClient::snapshotReceived, this,
            [this, agentId](const AgentSnapshot& snapshot) { onSnapshot(agentId, snapshot); });
    connect(client, &AgentClient::eventReceived, this,
            [this, agentId](const StreamEvent& event) { onEvent(agentId, event); });
    connect(client, &AgentClient::stateChanged, this,
            [this, agentId](ConnectionState state) { onStateChanged(agentId, state); });
    connect(client, &AgentClient::frameReceived, this,
            [this, agentId](const QByteArray& frame) { emit frameReceived(agentId, frame); });
    connect(client, &AgentClient::errorOccurred, this, [this, agentId](const QString& message) {
        m_model.setConnectionState(agentId, m_clients.value(agentId)->state(),
                                   m_clients.value(agentId)->staleSince(), message);
        emit errorOccurred(agentId, message);
    });
    if (member.replayed)
        client->startReplay();
    else
        client->start();
}

void Fleet::stopStreaming(const QString& agentId) {
    AgentClient* client = m_clients.take(agentId);
    if (!client)
        return;
    client->stop();
    client->disconnect(this);
    client->deleteLater();
    m_probeStates.remove(agentId);
    m_scraper.removeAgent(agentId);
    m_breakers.removeAgent(agentId);
    m_replication.removeAgent(agentId);
    m_shards.removeAgent(agentId);
    m_cache.removeAgent(agentId);
    m_regions.removeAgent(agentId);
}

void Fleet::removeAgent(const QString& agentId) {
    if (!m_members.contains(agentId))
        return;
    stopStreaming(agentId);
    m_members.remove(agentId);
    m_scrapeHealth.remove(agentId);
    m_scrapeErrors.remove(agentId);
    if (ActionClient* actions = m_actions.take(agentId))
        actions->deleteLater();
    m_order.removeAll(agentId);
    m_model.removeAgent(agentId);
    m_series.removeWhere(agentLabel(), agentId);
    emit agentRemoved(agentId);
}

ActionClient* Fleet::actions(const QString& agentId) const {
    return m_actions.value(agentId);
}

QStringList Fleet::agentIds() const {
    return m_order;
}

AgentClient* Fleet::client(const QString& agentId) const {
    return m_clients.value(agentId, nullptr);
}

QString Fleet::displayName(const QString& agentId) const {
    return m_model.displayName(agentId);
}

bool Fleet::hasData(const QString& agentId) const {
    return m_model.snapshot(agentId).has_value();
}

void Fleet::stopAll() {
    if (m_prometheus)
        m_prometheus->stop();
    m_scraper.stop();
    for (AgentClient* client : std::as_const(m_clients))
        client->stop();
}

void Fleet::onSnapshot(const QString& agentId, const AgentSnapshot& snapshot) {
    m_model.updateAgent(agentId, snapshot);
    for (const ProbeResult& probe : snapshot.probes)
        noteProbe(agentId, probe, snapshot.timeMs);
    noteBreakers(agentId, snapshot);
    m_replication.updateAgent(agentId, snapshot);
    m_shards.updateAgent(agentId, snapshot);
    m_cache.updateAgent(agentId, snapshot);
    m_regions.updateAgent(agentId, snapshot);
    // An agent that has just started has no statistics tick yet (no interval): that is no
    // rate at all, not a rate of zero to draw.
    if (snapshot.requests.intervalMs > 0)
        appendRate(agentId, snapshot.timeMs, snapshot.requests.ratePerSecond);
}

void Fleet::onEvent(const QString& agentId, const StreamEvent& event) {
    switch (event.kind) {
    case StreamEvent::Kind::Probe:
        noteProbe(agentId, event.probe, event.timeMs);
        break;
    case StreamEvent::Kind::Requests:
        appendRate(agentId, event.timeMs, event.requests.ratePerSecond);
        break;
    case StreamEvent::Kind::Breaker:
        noteBreakerEvent(agentId, event);
        break;
    case StreamEvent::Kind::Replication:
    case StreamEvent::Kind::ReadRouter:
        m_replication.applyEvent(agentId, event);
        break;
    case StreamEvent::Kind::Shards:
        m_shards.applyEvent(agentId, event);
        break;
    case StreamEvent::Kind::Cache:
        m_cache.applyEvent(agentId, event);
        break;
    case StreamEvent::Kind::Regions:
        m_regions.applyEvent(agentId, event);
        break;
    case StreamEvent::Kind::Pools:   // folded into the snapshot by m_model below
    case StreamEvent::Kind::Process: // likewise
    case StreamEvent::Kind::Unknown:
        break;
    }
    m_model.applyEvent(agentId, event);
}

void Fleet::onStateChanged(const QString& agentId, ConnectionState state) {
    const AgentClient* client = m_clients.value(agentId);
    if (!client)
        return;
    m_model.setConnectionState(agentId, state, client->staleSince(), client->errorText());
    m_breakers.setConnectionState(agentId, state, client->staleSince());
    m_replication.setConnectionState(agentId, state, client->staleSince());
    m_shards.setConnectionState(agentId, state, client->staleSince());
    m_cache.setConnectionState(agentId, state, client->staleSince());
    m_regions.setConnectionState(agentId, state, client->staleSince());

    QString message;
    switch (state) {
    case ConnectionState::Live:
        message = tr("live");
        break;
    case ConnectionState::Connecting:
        message = tr("connecting");
        break;
    case ConnectionState::Stale:
        message = client->errorText().isEmpty()
                      ? tr("stale: no data since %1")
                            .arg(client->staleSince().toString(QStringLiteral("HH:mm:ss")))
                      : tr("stale: %1").arg(client->errorText());
        break;
    case ConnectionState::Unauthorized:
    case ConnectionState::Incompatible:
    case ConnectionState::TlsFailed:
        message = client->errorText();
        break;
    }
    log(agentId, EventLogEntry::Kind::Connection, connectionHealth(state), message);
    emit connectionStateChanged(agentId, state);
}

void Fleet::noteProbe(const QString& agentId, const ProbeResult& probe, qint64 timeMs) {
    QHash<QString, ProbeState>& states = m_probeStates[agentId];
    const auto known = states.constFind(probe.name);
    const bool first = known == states.constEnd();
    const bool changed = !first && (known->status != probe.status || known->error != probe.error);
    states.insert(probe.name, ProbeState{probe.status, probe.error});
    // The first sight of a healthy probe is not news; a probe that is down from the start is.
    if (changed || (first && probe.status == ProbeStatus::Down))
        log(agentId, EventLogEntry::Kind::Probe, probeHealth(probe.status),
            QStringLiteral("%1 %2").arg(probe.name, probeStatusText(probe)), timeMs);
}

void Fleet::appendRate(const QString& agentId, qint64 timeMs, double ratePerSecond) {
    if (timeMs <= 0)
        timeMs = QDateTime::currentMSecsSinceEpoch();
    if (m_series.append(requestRateSeries(agentId), timeMs, ratePerSecond) ==
        TimeSeriesStore::AppendResult::Appended)
        emit rateAppended(agentId);
}

void Fleet::noteBreakers(const QString& agentId, const AgentSnapshot& snapshot) {
    // A snapshot after a reconnect or an agent restart may show a breaker in another state
    // than the last one heard: the change happened while the console was not listening, and
    // the timeline says so rather than pretend nothing moved.
    QList<BreakerTransitionEntry> missed;
    for (const BreakerStatus& breaker : snapshot.breakers) {
        const std::optional<BreakerStatus> known = m_breakers.breaker(agentId, breaker.name);
        if (!known || known->state == breaker.state)
            continue;
        BreakerTransitionEntry entry;
        entry.timeMs = breaker.sinceMs > 0 ? breaker.sinceMs : snapshot.timeMs;
        entry.agentId = agentId;
        entry.breaker = breaker.name;
        entry.from = breakerStateName(known->state);
        entry.to = breakerStateName(breaker.state);
        entry.reason = QLatin1String(BreakerTransitionEntry::kMissedReason);
        missed.append(entry);
    }
    m_breakers.updateAgent(agentId, snapshot);
    for (BreakerTransitionEntry& entry : missed) {
        entry.instance = m_breakers.instanceLabel(agentId); // the snapshot may have renamed it
        m_breakerTimeline.append(entry);
    }
}

void Fleet::noteBreakerEvent(const QString& agentId, const StreamEvent& event) {
    const BreakerStatus& breaker = event.breaker;
    if (breaker.transition) {
        BreakerTransitionEntry entry;
        entry.timeMs = event.timeMs > 0 ? event.timeMs : QDateTime::currentMSecsSinceEpoch();
        entry.agentId = agentId;
        entry.instance = m_breakers.instanceLabel(agentId);
        entry.breaker = breaker.name;
        entry.from = breaker.transition->from;
        entry.to = breaker.transition->to;
        entry.reason = breaker.transition->reason;
        m_breakerTimeline.append(entry);
        // The Events dock is the one timeline of everything: a breaker's move belongs there too.
        log(agentId, EventLogEntry::Kind::Breaker, breakerHealth(breaker.state),
            QStringLiteral("%1: %2 → %3, %4")
                .arg(breaker.name, breakerStateLabel(entry.from), breakerStateLabel(entry.to),
                     breakerReasonText(entry.reason)),
            entry.timeMs);
    }
    m_breakers.applyBreaker(agentId, breaker, event.timeMs);
}

void Fleet::log(const QString& agentId, EventLogEntry::Kind kind, Health health,
                const QString& message, qint64 timeMs) {
    EventLogEntry entry;
    entry.time = timeMs > 0 ? QDateTime::fromMSecsSinceEpoch(timeMs) : QDateTime::currentDateTime();
    entry.agent = m_model.displayName(agentId);
    entry.kind = kind;
    entry.health = health;
    entry.message = message;
    m_eventLog.append(entry);
}

} // namespace switchboard
