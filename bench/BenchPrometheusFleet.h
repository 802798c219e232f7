// A fleet of N agents behind a real Prometheus, for the benchmarks of issue 9's 500-agent goal
// (bench_prometheus_fleet: the data source alone; bench_fleet_console: the whole console).
//
// N static targets in a file_sd file, all served by one small HTTP endpoint on 127.0.0.1 (a
// python3 process, so serving scrapes costs the measured loop nothing), each under its own
// metrics path (/agent-007/metrics: a distinct scrape URL, so a distinct agent to the console)
// and its own `instance`, `region` (three) and `service` (four) labels. Prometheus
// (/usr/bin/prometheus, its own temporary folder and port, scraping every 5 s) starts with
// kHistoryMinutes of history per agent already in its TSDB (written by `promtool tsdb
// create-blocks-from openmetrics`), so queries see what a console opened on a running fleet
// sees. Everything is stopped by stop() or the destructor.
#pragma once

#include "PrometheusSource.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

namespace benchfleet {

constexpr int kHistoryMinutes = 20;
constexpr int kHistoryStepS = 15;

QString instanceName(int i);
QString regionOf(int i);
QString serviceOf(int i);

// Prints "<program>: message" to stderr; returns false.
bool fail(const QString& message);

// Runs the loop until `done` or the deadline; true if done.
template <typename Done> bool waitUntil(Done done, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}

// The loop's longest lateness over `ms` with nothing to do: the machine's own scheduling noise
// (other builds on two cores), the floor under a measured figure.
qint64 idleLateness(int ms);

class Fleet {
public:
    ~Fleet() { stop(); }
    // Writes the history, starts the endpoint and Prometheus, waits until every target is up.
    bool start(int agents);
    void stop();

    QUrl prometheusUrl() const;
    int agents() const { return m_agents; }
    qint64 setupMs() const { return m_setupMs; } // history blocks written, Prometheus ready
    qint64 allUpMs() const { return m_allUpMs; } // then until every target was scraped

private:
    QTemporaryDir m_dir;
    QProcess m_endpoint;
    QProcess m_prometheus;
    int m_agents = 0;
    int m_prometheusPort = 0;
    qint64 m_setupMs = 0;
    qint64 m_allUpMs = 0;
};

} // namespace benchfleet
