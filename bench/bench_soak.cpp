// The soak: the demo under load with the console connected for a long run, on the full stack.
//
//   bench_soak [SOAK_SECONDS=600] [WARMUP_SECONDS=180] [SAMPLE_SECONDS=10]
//
// Two demo instances each serve their three routes at 50 requests/s (their own workload: orders
// written to the primary and the shards, cached catalog reads, pricing calls through a breaker)
// and are scraped by the stack's Prometheus. The real console binary, offscreen, watches them
// through the stack file in presentation mode, so every view is built and repainted in turn
// every 5 s; the console's models also run in this process, to read the event log an operator
// would read. Every SAMPLE_SECONDS the resident memory and open descriptors of both demo
// processes (the agent lives in them) and of the console are read from /proc.
//
// Both keep bounded history that fills for a while by design: the agent its last 4096 stream
// events for consoles that resume (about 14 minutes of the demo's), the console an hour of every
// chart's points in rings that double up to their cap. A soak that ended before they filled would
// measure the filling, so the run shortens both (SWITCHBOARD_STREAM_HISTORY=256, the console's
// metrics/history_minutes=2) and the warm-up outlasts them; what grows after it is not history.
//
// After the warm-up, growth is the mean of the last minute's samples against the mean of the
// first minute's; the targets: memory under 5 %, no descriptor growth, no error event (a probe
// going down, a connection lost, a breaker opening) that the run does not explain. Exit status 0
// when all hold, 1 when one does not (each said on stdout), 2 when the run could not be set up.
#include "DemoBackend.h"
#include "EventLogModel.h"
#include "Fleet.h"
#include "LocalStack.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <optional>
#include <vector>

using namespace switchboard;

namespace {

struct Sample {
    double atSeconds = 0;
    qint64 rssKib = -1;
    int descriptors = -1;
};

// VmRSS from /proc/PID/status, in KiB; -1 when the process is gone.
qint64 residentKib(qint64 pid) {
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

int openDescriptors(qint64 pid) {
    const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
    return fds.exists() ? int(fds.entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size()) : -1;
}

double mean(const std::vector<double>& values) {
    return values.empty() ? 0 : std::accumulate(values.begin(), values.end(), 0.0) / values.size();
}

// One watched process's samples and what they say after the warm-up.
struct Watched {
    QString name;
    qint64 pid = 0;
    std::vector<Sample> samples;

    void sample(double atSeconds) {
        samples.push_back({atSeconds, residentKib(pid), openDescriptors(pid)});
    }
    std::vector<const Sample*> between(double from, double to) const {
        std::vector<const Sample*> chosen;
        for (const Sample& sample : samples)
            if (sample.atSeconds >= from && sample.atSeconds <= to && sample.rssKib >= 0)
                chosen.push_back(&sample);
        return chosen;
    }
};

struct Verdict {
    bool holds = true;
    void check(bool condition, const QString& what) {
        std::printf("%s %s\n", condition ? "ok  " : "FAIL", qPrintable(what));
        holds = holds && condition;
    }
};

void judge(const Watched& process, double warmup, double end, Verdict& verdict) {
    const double window = 60;
    const auto first = process.between(warmup, warmup + window);
    const auto last = process.between(end - window, end);
    if (first.empty() || last.empty()) {
        verdict.check(false, process.name + QStringLiteral(": no samples (did it exit?)"));
        return;
    }
    auto rss = [](const std::vector<const Sample*>& samples) {
        std::vector<double> values;
        for (const Sample* sample : samples)
            values.push_back(double(sample->rssKib));
        return mean(values);
    };
    // Descriptors come and go with each scrape and request: the fewest of the last minute
    // against the most of the first is growth that stays.
    auto fewest = [](const std::vector<const Sample*>& samples) {
        int low = samples.front()->descriptors;
        for (const Sample* sample : samples)
            low = std::min(low, sample->descriptors);
        return low;
    };
    auto most = [](const std::vector<const Sample*>& samples) {
        int high = samples.front()->descriptors;
        for (const Sample* sample : samples)
            high = std::max(high, sample->descriptors);
        return high;
    };
    const double before = rss(first);
    const double after = rss(last);
    const double growth = 100.0 * (after - before) / before;
    verdict.check(growth < 5.0, QStringLiteral("%1: resident memory %2 MiB -> %3 MiB after the "
                                               "warm-up: %4 % (target < 5 %)")
                                    .arg(process.name)
                                    .arg(before / 1024, 0, 'f', 1)
                                    .arg(after / 1024, 0, 'f', 1)
                                    .arg(growth, 0, 'f', 2));
    verdict.check(fewest(last) <= most(first),
                  QStringLiteral("%1: open descriptors %2..%3 in the first minute, %4..%5 in the "
                                 "last (target: no growth)")
                      .arg(process.name)
                      .arg(fewest(first))
                      .arg(most(first))
                      .arg(fewest(last))
                      .arg(most(last)));
}

QString healthName(Health health) {
    switch (health) {
    case Health::Up:
        return QStringLiteral("up");
    case Health::Unknown:
        return QStringLiteral("unknown");
    case Health::Down:
        return QStringLiteral("down");
    }
    return {};
}

int argument(int argc, char** argv, int index, int fallback) {
    return argc > index ? std::max(1, std::atoi(argv[index])) : fallback;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int soakSeconds = argument(argc, argv, 1, 600);
    const int warmupSeconds = argument(argc, argv, 2, 180);
    const int sampleSeconds = argument(argc, argv, 3, 10);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);

    LocalStack stack(QStringLiteral("full"));
    if (!stack.ok()) {
        std::fprintf(stderr, "the stack did not start: %s\n", qPrintable(stack.error()));
        return 2;
    }
    // The demos inherit this process's environment.
    qputenv("SWITCHBOARD_STREAM_HISTORY", "256");
    std::vector<std::unique_ptr<DemoBackend>> demos;
    for (const char* name : {"demo-soak1", "demo-soak2"}) {
        auto demo = std::make_unique<DemoBackend>(stack.stackFile(), QString::fromLatin1(name));
        demo->setExtraArguments({QStringLiteral("--rate"), QStringLiteral("50")});
        if (!demo->start()) {
            std::fprintf(stderr, "%s did not start: %s\n", name, qPrintable(demo->output()));
            return 2;
        }
        if (const QString failed =
                stack.addAgent(QString::fromLatin1(name), demo->url(), QStringLiteral("us-east"),
                               QStringLiteral("switchboard-demo"));
            !failed.isEmpty()) {
            std::fprintf(stderr, "add-agent %s: %s\n", name, qPrintable(failed));
            return 2;
        }
        demos.push_back(std::move(demo));
    }

    // The console as a user runs it, with settings of its own (never the user's).
    QTemporaryDir settings;
    if (QDir().mkpath(settings.path() + QStringLiteral("/Switchboard"))) {
        QFile file(settings.path() + QStringLiteral("/Switchboard/switchboard.conf"));
        if (file.open(QIODevice::WriteOnly))
            file.write("[metrics]\nhistory_minutes=2\n");
    }
    QProcess console;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), settings.path());
    console.setProcessEnvironment(environment);
    console.setProcessChannelMode(QProcess::MergedChannels);
    QByteArray consoleOutput;
    QObject::connect(&console, &QProcess::readyRead, [&] {
        consoleOutput += console.readAll();
        if (consoleOutput.size() > 1 << 20)
            consoleOutput = consoleOutput.right(1 << 19);
    });
    console.start(QStringLiteral(SWITCHBOARD_CONSOLE_BINARY),
                  {QStringLiteral("--stack"), stack.stackFile(), QStringLiteral("--token-file"),
                   stack.operatorTokenFile(), QStringLiteral("--presentation"),
                   QStringLiteral("--presentation-interval"), QStringLiteral("5")});
    if (!console.waitForStarted(10000)) {
        std::fprintf(stderr, "the console did not start: %s\n", qPrintable(console.errorString()));
        return 2;
    }

    // The console's models in this process: the event log an operator reads.
    Fleet fleet;
    for (const auto& demo : demos)
        fleet.addAgent(demo->url(), stack.viewerToken());
    struct Event {
        double atSeconds;
        EventLogEntry entry;
    };
    std::vector<Event> events;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(fleet.eventLog(), &QAbstractItemModel::rowsInserted, [&] {
        events.push_back({clock.elapsed() / 1000.0, fleet.eventLog()->entry(0)});
    });

    std::vector<Watched> watched;
    for (const auto& demo : demos)
        watched.push_back(
            {QStringLiteral("demo (agent) pid %1").arg(demo->pid()), demo->pid(), {}});
    watched.push_back(
        {QStringLiteral("console pid %1").arg(console.processId()), console.processId(), {}});

    const double total = warmupSeconds + soakSeconds;
    std::printf("soak: %d s warm-up, then %d s, a sample every %d s\n", warmupSeconds, soakSeconds,
                sampleSeconds);
    std::printf("%8s  %-28s %10s %6s\n", "t_s", "process", "rss_kib", "fds");
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        const double now = clock.elapsed() / 1000.0;
        for (Watched& process : watched) {
            process.sample(now);
            std::printf("%8.0f  %-28s %10lld %6d\n", now, qPrintable(process.name),
                        static_cast<long long>(process.samples.back().rssKib),
                        process.samples.back().descriptors);
        }
        if (now >= total)
            QCoreApplication::quit();
    });
    sampler.start(sampleSeconds * 1000);
    QCoreApplication::exec();

    Verdict verdict;
    const double end = clock.elapsed() / 1000.0;
    verdict.check(console.state() == QProcess::Running,
                  QStringLiteral("the console ran to the end"));
    for (const auto& demo : demos)
        verdict.check(demo->pid() > 0 && residentKib(demo->pid()) > 0,
                      QStringLiteral("%1 ran to the end").arg(demo->url().toString()));
    for (const Watched& process : watched)
        judge(process, warmupSeconds, end, verdict);

    // Every event the console logged, and whether the run explains it: before the warm-up ends
    // agents connect and probes report for the first time; after it, nothing should happen.
    int unexplained = 0;
    for (const Event& event : events) {
        const bool bad = event.entry.health != Health::Up;
        const bool duringWarmup = event.atSeconds < warmupSeconds;
        if (bad && !duringWarmup)
            ++unexplained;
        std::printf("event %7.1f s %-7s %s %s: %s%s\n", event.atSeconds,
                    qPrintable(healthName(event.entry.health)), qPrintable(event.entry.agent),
                    event.entry.kind == EventLogEntry::Kind::Connection ? "connection"
                    : event.entry.kind == EventLogEntry::Kind::Probe    ? "probe"
                                                                        : "breaker",
                    qPrintable(event.entry.message),
                    bad ? (duringWarmup ? "  (warm-up)" : "  (unexplained)") : "");
    }
    verdict.check(unexplained == 0,
                  QStringLiteral("%1 events logged, %2 of them errors after the warm-up "
                                 "(target: none)")
                      .arg(events.size())
                      .arg(unexplained));

    console.terminate();
    if (!console.waitForFinished(10000))
        console.kill();
    fleet.stopAll();
    for (auto& demo : demos)
        demo->stop();
    std::printf("soak: %s\n", verdict.holds ? "every target held" : "a target was missed");
    return verdict.holds ? 0 : 1;
}
