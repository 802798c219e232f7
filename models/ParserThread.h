#pragma once

#include <QThreadPool>

namespace switchboard {

// The one thread the console parses network answers on (Prometheus's JSON, agents' /metrics),
// not Qt's global pool (a thread per core): on a two-core workstation two parses at once leave
// the GUI thread waiting for a core. bench_prometheus_fleet at a load average of 8: the loop's
// longest stall 9–41 ms with the global pool, 6–29 ms with one parser thread. One thread also
// runs the jobs in order, so a job may keep state between runs without a lock.
QThreadPool* parserThread();

} // namespace switchboard
