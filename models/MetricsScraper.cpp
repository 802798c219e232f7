#include "MetricsScraper.h"

#include "FinishedReply.h"
#include "ParserThread.h"
#include "PrometheusText.h"
#include "ScrapeFold.h"
#include "TimeSeriesStore.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace switchboard {

namespace {

constexpr std::chrono::milliseconds kDefaultInterval{2000};
// An agent's /metrics answers in milliseconds; one that takes longer than this is in trouble,
// and the next scrape is due anyway.
constexpr int kTransferTimeoutMs = 5000;

struct Folded {
    ScrapeFold::Result result;
    QString error; // set when nothing could be folded
};

} // namespace

MetricsScraper::MetricsScraper(TimeSeriesStore* store, QObject* parent)
    : QObject(parent)
    , m_store(store) {
    m_timer.setInterval(kDefaultInterval);
    connect(&m_timer, &QTimer::timeout, this, &MetricsScraper::scrapeNow);
}

MetricsScraper::~MetricsScraper() {
    stop();
}

void MetricsScraper::setInterval(std::chrono::milliseconds interval) {
    m_timer.setInterval(interval);
}

std::chrono::milliseconds MetricsScraper::interval() const {
    return m_timer.intervalAsDuration();
}

void MetricsScraper::addAgent(const QString& agentId, const QUrl& baseUrl, const QString& token,
                              const QSslConfiguration& ssl) {
    Agent agent;
    agent.ssl = ssl;
    agent.metricsUrl = baseUrl;
    agent.metricsUrl.setPath(QStringLiteral("/metrics"));
    if (!token.isEmpty())
        agent.authorization = "Bearer " + token.toUtf8();
    agent.fold = std::make_shared<ScrapeFold>(agentId);
    agent.active = std::make_shared<std::atomic<bool>>(true);
    m_agents.insert(agentId, agent);
    if (!m_timer.isActive())
        m_timer.start();
    scrape(agentId);
}

void MetricsScraper::removeAgent(const QString& agentId) {
    if (const auto agent = m_agents.constFind(agentId); agent != m_agents.constEnd())
        *agent->active = false;
    m_agents.remove(agentId);
    if (m_agents.isEmpty())
        m_timer.stop();
}

void MetricsScraper::stop() {
    m_timer.stop();
    for (const Agent& agent : std::as_const(m_agents))
        *agent.active = false;
    m_agents.clear();
    // A fold still on the parser thread may have passed its `active` check and be appending:
    // it must end before the store can go (the store dies right after this scraper, in Fleet).
    for (QFuture<void>& job : m_jobs)
        job.waitForFinished();
    m_jobs.clear();
}

void MetricsScraper::scrapeNow() {
    for (const QString& agentId : m_agents.keys())
        scrape(agentId);
}

void MetricsScraper::scrape(const QString& agentId) {
    auto agent = m_agents.find(agentId);
    if (agent == m_agents.end() || agent->inFlight)
        return; // one scrape per agent at a time: a slow agent is not asked twice
    QNetworkRequest request(agent->metricsUrl);
    if (!agent->authorization.isEmpty())
        request.setRawHeader("Authorization", agent->authorization);
    request.setTransferTimeout(kTransferTimeoutMs);
    request.setSslConfiguration(agent->ssl);
    agent->inFlight = true;
    QNetworkReply* reply = m_network.get(request);
    connect(reply, &QNetworkReply::finished, this,
            [this, agentId, reply] { onReply(agentId, reply); });
}

void MetricsScraper::onReply(const QString& agentId, QNetworkReply* reply) {
    reply->deleteLater();
    auto agent = m_agents.find(agentId);
    if (agent == m_agents.end())
        return; // removed meanwhile
    FinishedReply::NoAnswer noAnswer;
    const std::optional<int> status = FinishedReply::status(
        reply, agent->metricsUrl, std::chrono::milliseconds(kTransferTimeoutMs), &noAnswer);
    if (status != 200) {
        agent->inFlight = false;
        emit scrapeFailed(
            agentId, status ? tr("GET %1: HTTP %2").arg(agent->metricsUrl.toString()).arg(*status)
                            : tr("GET %1: %2").arg(agent->metricsUrl.toString(), noAnswer.message));
        return;
    }
    const QByteArray body = reply->readAll();
    const qint64 scrapeMs = QDateTime::currentMSecsSinceEpoch();
    // Parse, fold and append on the parser thread: the store is thread-safe, the fold is this
    // agent's alone and the parser thread runs one job at a time.
    auto job = [fold = agent->fold, active = agent->active, store = m_store, body, scrapeMs] {
        Folded folded;
        const auto parsed =
            promtext::parsePrometheusText(std::string_view(body.constData(), body.size()));
        folded.result = fold->fold(parsed, scrapeMs);
        if (!*active)
            return folded;
        for (const auto& point : std::as_const(folded.result.points))
            store->append(point.key, point.timeMs, point.value);
        return folded;
    };
    auto* watcher = new QFutureWatcher<Folded>(this);
    connect(watcher, &QFutureWatcher<Folded>::finished, this, [this, watcher, agentId] {
        watcher->deleteLater();
        const Folded folded = watcher->result();
        auto agent = m_agents.find(agentId);
        if (agent == m_agents.end())
            return;
        agent->inFlight = false;
        ++agent->scrapes;
        merge(folded.result.metrics);
        if (folded.result.parseErrors > 0)
            emit scrapeFailed(agentId, tr("%n malformed line(s) in /metrics, first %1", nullptr,
                                          folded.result.parseErrors)
                                           .arg(folded.result.firstError));
        emit scraped(agentId);
    });
    const QFuture<Folded> future = QtConcurrent::run(parserThread(), std::move(job));
    m_jobs.removeIf([](const QFuture<void>& done) { return done.isFinished(); });
    m_jobs.append(QFuture<void>(future));
    watcher->setFuture(future);
}

void MetricsScraper::merge(const QList<MetricInfo>& metrics) {
    bool changed = false;
    for (const MetricInfo& metric : metrics) {
        auto known = m_catalog.find(metric.name);
        if (known == m_catalog.end() || !(*known == metric)) {
            m_catalog.insert(metric.name, metric);
            changed = true;
        }
    }
    if (changed)
        emit catalogChanged();
}

QList<MetricInfo> MetricsScraper::catalog() const {
    return m_catalog.values();
}

int MetricsScraper::scrapes(const QString& agentId) const {
    return m_agents.value(agentId).scrapes;
}

} // namespace switchboard
