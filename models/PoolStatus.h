#pragma once

#include <QString>

namespace switchboard {

// One connection pool of an agent's backend, as its last "pools" report said.
struct PoolStatus {
    QString name;
    qint64 inUse = 0; // connections leased out
    qint64 open = 0;  // connections open, idle or leased
    qint64 max = 0;   // the most the pool opens; 0 when it has no limit

    // In use over max (0..1), what a scorecard grades against its 80 % threshold; -1 for a
    // pool without a limit, whose use has no ceiling to be a share of.
    double useRatio() const { return max > 0 ? double(inUse) / double(max) : -1.0; }

    friend bool operator==(const PoolStatus&, const PoolStatus&) = default;
};

} // namespace switchboard
