#pragma once

#include <QList>
#include <QString>

namespace switchboard {

// One place the backend's read router may send a read: the primary or a replica.
struct ReadRouterTarget {
    QString name; // the replication document's node name ("primary", "pg-replica-1")
    QString role; // "primary" or "replica"
    bool eligible = false;
    QString whyNot;             // empty while eligible, e.g. "replay lag 2.4 s > 100 ms"
    qint64 reads = 0;           // cumulative since the agent started
    double ratePerSecond = 0.0; // the agent's own figure over its last statistics interval

    friend bool operator==(const ReadRouterTarget&, const ReadRouterTarget&) = default;
};

// The read router's thresholds and targets ("read_router" in a snapshot or event).
struct ReadRouterStatus {
    qint64 maxLagMs = 0;    // a replica lagging more is not eligible (and shows as lagging)
    qint64 maxLagBytes = 0; // likewise in bytes; 0: not sent
    QList<ReadRouterTarget> targets;

    friend bool operator==(const ReadRouterStatus&, const ReadRouterStatus&) = default;
};

} // namespace switchboard
