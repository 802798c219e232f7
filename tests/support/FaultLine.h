// The line each fault-injection test prints per fault, in one format, so the figures can be
// copied into BENCHMARKS.md: how long until the console's models showed the fault, how long the
// recovery took, how many acknowledged writes were checked and how many of them were lost.
#pragma once

#include <QByteArray>
#include <QtGlobal>

struct FaultFigures {
    qint64 detectedMs = -1;  // from the fault to the console's models showing it
    qint64 recoveredMs = -1; // from the repair (or the fault, when nothing is repaired by hand)
                             // to the models showing it healthy and the writes flowing
    qint64 acknowledged = 0; // acknowledged writes checked after the fault
    qint64 lost = 0;         // of those, how many the database lacks
};

inline void printFault(const char* name, const FaultFigures& figures) {
    qInfo("FAULT %s: detected in %lld ms, recovered in %lld ms, acknowledged writes %lld, lost "
          "%lld",
          name, static_cast<long long>(figures.detectedMs),
          static_cast<long long>(figures.recoveredMs), static_cast<long long>(figures.acknowledged),
          static_cast<long long>(figures.lost));
}
