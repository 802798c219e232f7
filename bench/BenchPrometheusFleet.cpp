#include "BenchPrometheusFleet.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace switchboard;

namespace benchfleet {

namespace {

const char* const kRegions[] = {"us-east", "eu-west", "ap-south"};
const char* const kServices[] = {"checkout", "orders", "catalog", "search"};
const char* const kRoutes[] = {"orders.write", "catalog.read"};

} // namespace

QString instanceName(int i) {
    return QStringLiteral("agent-%1").arg(i, 3, 10, QLatin1Char('0'));
}
QString regionOf(int i) {
    return QLatin1String(kRegions[i % 3]);
}
QString serviceOf(int i) {
    return QLatin1String(kServices[i % 4]);
}

bool fail(const QString& message) {
    std::fprintf(stderr, "%s: %s\n", qPrintable(QCoreApplication::applicationName()),
                 qPrintable(message));
    return false;
}

namespace {

int freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// 20 minutes of history up to `endS` for every agent, in OpenMetrics for promtool, with the
// labels a scrape of the file_sd targets gives (job, instance, region), so that the scraped
// samples continue the same series.
// Agent i's requests counter of one route at time t (seconds since the epoch), the same
// formula as the endpoint's (kEndpoint): a rate of its own (5 to 55 requests/s over both
// routes, every agent different) swinging ±30% over kWaveS, so the history and the live
// scrapes join up and the busiest agents' lines are told apart.
constexpr double kWaveS = 180;
double requestsCounter(int i, int routeWeight, double t, double t0) {
    const double rate = (5 + (i * 37 % 500) / 10.0) * routeWeight / 3.0;
    const double swing = rate * 0.3 * kWaveS / (2 * M_PI);
    return rate * (t - t0) + swing * (1 - std::cos(2 * M_PI * t / kWaveS + i));
}
// Agent i's probe is down when i % 97 == 0 (six agents of 500): a fleet has a few problems.
bool probeUp(int i) {
    return i % 97 != 0;
}

bool writeHistory(const QString& path, int agents, qint64 endS, qint64 t0) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("cannot write %1").arg(path));
    const int samples = kHistoryMinutes * 60 / kHistoryStepS + 1;
    const qint64 startS = endS - qint64(samples - 1) * kHistoryStepS;
    QByteArray out;
    out.reserve(1 << 20);
    const auto labels = [](int i) {
        return QStringLiteral("job=\"bench-agents\",instance=\"%1\",region=\"%2\",service=\"%3\"")
            .arg(instanceName(i), regionOf(i), serviceOf(i))
            .toUtf8();
    };
    out += "# TYPE switchboard_requests counter\n";
    for (int i = 0; i < agents; ++i)
        for (int route = 0; route < 2; ++route)
            for (int s = 0; s < samples; ++s) {
                const qint64 t = startS + qint64(s) * kHistoryStepS;
                out += "switchboard_requests_total{" + labels(i) + ",route=\"" + kRoutes[route] +
                       "\"} " + QByteArray::number(requestsCounter(i, route + 1, t, t0), 'f', 3) +
                       ' ' + QByteArray::number(t) + '\n';
            }
    out += "# TYPE switchboard_probe_up gauge\n";
    for (int i = 0; i < agents; ++i)
        for (int s = 0; s < samples; ++s)
            out += "switchboard_probe_up{" + labels(i) + ",kind=\"postgres\",probe=\"postgres\"} " +
                   QByteArray(probeUp(i) ? "1" : "0") + ' ' +
                   QByteArray::number(startS + qint64(s) * kHistoryStepS) + '\n';
    out += "# EOF\n";
    return file.write(out) == out.size() || fail(QStringLiteral("short write to %1").arg(path));
}

bool writeTargets(const QString& path, int agents, int port) {
    QJsonArray groups;
    for (int i = 0; i < agents; ++i)
        groups.append(QJsonObject{
            {QStringLiteral("targets"), QJsonArray{QStringLiteral("127.0.0.1:%1").arg(port)}},
            {QStringLiteral("labels"),
             QJsonObject{{QStringLiteral("instance"), instanceName(i)},
                         {QStringLiteral("region"), regionOf(i)},
                         {QStringLiteral("service"), serviceOf(i)},
                         // Its own path: a distinct scrape URL, so a distinct agent.
                         {QStringLiteral("__metrics_path__"),
                          QStringLiteral("/%1/metrics").arg(instanceName(i))}}}});
    QFile file(path);
    return (file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(groups).toJson()) > 0) ||
           fail(QStringLiteral("cannot write %1").arg(path));
}

// The agents' /metrics: one answer for every instance, its counters growing with time.
// The agents' /metrics, one endpoint for all: the agent's number from the path
// (/agent-007/metrics), its counters by requestsCounter()'s formula from the same t0.
const char* const kEndpoint = R"PY(
import http.server, math, re, sys, time
t0 = float(sys.argv[2])
WAVE = 180.0
def counter(i, weight, t):
    rate = (5 + (i * 37 % 500) / 10.0) * weight / 3.0
    swing = rate * 0.3 * WAVE / (2 * math.pi)
    return rate * (t - t0) + swing * (1 - math.cos(2 * math.pi * t / WAVE + i))
class Metrics(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        found = re.search(r"agent-(\d+)", self.path)
        i = int(found.group(1)) if found else 0
        t = time.time()
        body = ("# TYPE switchboard_requests_total counter\n"
                f'switchboard_requests_total{{route="orders.write"}} {counter(i, 1, t):.3f}\n'
                f'switchboard_requests_total{{route="catalog.read"}} {counter(i, 2, t):.3f}\n'
                "# TYPE switchboard_probe_up gauge\n"
                f'switchboard_probe_up{{kind="postgres",probe="postgres"}} {0 if i % 97 == 0 else 1}\n'
                "# TYPE switchboard_probe_latency_seconds gauge\n"
                f'switchboard_probe_latency_seconds{{kind="postgres",probe="postgres"}} {0.0004 + (i % 10) * 0.0003:.4f}\n').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Metrics).serve_forever()
)PY";

} // namespace

qint64 idleLateness(int ms) {
    QElapsedTimer tick;
    QTimer lateness;
    lateness.setTimerType(Qt::PreciseTimer);
    lateness.setInterval(5);
    qint64 worst = 0;
    QObject::connect(&lateness, &QTimer::timeout,
                     [&] { worst = std::max(worst, tick.restart() - 5); });
    tick.start();
    lateness.start();
    waitUntil([] { return false; }, ms);
    return worst;
}

namespace {

// Polls discovery until all `agents` targets are up (Prometheus's first scrapes of each).
bool waitForAllUp(PrometheusSource& source, int agents, qint64* elapsedMs) {
    QElapsedTimer clock;
    clock.start();
    int up = 0;
    bool answered = false;
    QObject context;
    QObject::connect(&source, &PrometheusSource::targetsDiscovered, &context,
                     [&](quint64, const QList<PrometheusTarget>& targets) {
                         answered = true;
                         up = int(std::count_if(targets.begin(), targets.end(), [](const auto& t) {
                             return t.health == PrometheusTarget::Health::Up;
                         }));
                     });
    QObject::connect(&source, &PrometheusSource::requestFailed, &context, [&] { answered = true; });
    while (up < agents && clock.elapsed() < 60000) {
        answered = false;
        source.discoverTargets();
        waitUntil([&] { return answered; }, 10000);
        if (up < agents)
            waitUntil([] { return false; }, 250);
    }
    *elapsedMs = clock.elapsed();
    return up == agents ||
           fail(QStringLiteral("%1 of %2 targets up after 60 s").arg(up).arg(agents));
}

bool httpReady(int port) {
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/-/ready").arg(port)));
    request.setTransferTimeout(1000);
    QNetworkReply* reply = network.get(request);
    waitUntil([reply] { return reply->isFinished(); }, 2000);
    const bool ready = reply->isFinished() &&
                       reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
    delete reply;
    return ready;
}

// Stops a process we started: SIGTERM, then SIGKILL after 5 s.
void stop(QProcess& process) {
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished(2000);
    }
}

} // namespace

QUrl Fleet::prometheusUrl() const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_prometheusPort));
}

bool Fleet::start(int agents) {
    if (!m_dir.isValid())
        return fail(QStringLiteral("no temporary folder"));
    m_agents = agents;
    QElapsedTimer setup;
    setup.start();
    const QString history = m_dir.filePath(QStringLiteral("history.om"));
    const QString tsdb = m_dir.filePath(QStringLiteral("tsdb"));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 t0 = now - 3 * kHistoryMinutes * 60; // before the history: counters from 0
    if (!writeHistory(history, agents, now - 10, t0))
        return false;
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start(QStringLiteral("/usr/bin/promtool"),
                   {QStringLiteral("tsdb"), QStringLiteral("create-blocks-from"),
                    QStringLiteral("openmetrics"), QStringLiteral("--quiet"), history, tsdb});
    if (!promtool.waitForFinished(120000) || promtool.exitCode() != 0)
        return fail(QStringLiteral("promtool: %1").arg(QString::fromUtf8(promtool.readAll())));
    QFile::remove(history);

    const int endpointPort = freePort();
    m_prometheusPort = freePort();
    // Its log in the folder: Prometheus stopping mid-connection makes it print tracebacks.
    m_endpoint.setProcessChannelMode(QProcess::MergedChannels);
    m_endpoint.setStandardOutputFile(m_dir.filePath(QStringLiteral("endpoint.log")));
    m_endpoint.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"), QString::fromUtf8(kEndpoint),
                      QString::number(endpointPort), QString::number(t0)});
    const QString targets = m_dir.filePath(QStringLiteral("targets.json"));
    const QString config = m_dir.filePath(QStringLiteral("prometheus.yml"));
    QFile configFile(config);
    if (!writeTargets(targets, agents, endpointPort) || !configFile.open(QIODevice::WriteOnly))
        return false;
    configFile.write(QStringLiteral("global: {scrape_interval: 5s, scrape_timeout: 5s}\n"
                                    "scrape_configs:\n"
                                    "- job_name: bench-agents\n"
                                    "  file_sd_configs: [{files: ['%1']}]\n")
                         .arg(targets)
                         .toUtf8());
    configFile.close();
    m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
    m_prometheus.setStandardOutputFile(m_dir.filePath(QStringLiteral("prometheus.log")));
    m_prometheus.start(QStringLiteral("/usr/bin/prometheus"),
                       {QStringLiteral("--config.file=") + config,
                        QStringLiteral("--storage.tsdb.path=") + tsdb,
                        QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_prometheusPort)});
    if (!waitUntil([&] { return httpReady(m_prometheusPort); }, 30000))
        return fail(QStringLiteral("Prometheus not ready after 30 s"));
    m_setupMs = setup.elapsed();
    PrometheusSource source(prometheusUrl());
    return waitForAllUp(source, agents, &m_allUpMs);
}

void Fleet::stop() {
    benchfleet::stop(m_prometheus);
    benchfleet::stop(m_endpoint);
}

} // namespace benchfleet
