#pragma once

#include "AgentSnapshot.h"

#include <QString>

namespace switchboard {

// The stream's "snapshot" message. When protocolVersion is not the console's, the parser stops
// there and leaves `snapshot` empty: a peer of another version may lay it out differently.
struct SnapshotMessage {
    qint64 seq = 0;
    QString streamId;
    int protocolVersion = 0;
    AgentSnapshot snapshot;

    friend bool operator==(const SnapshotMessage&, const SnapshotMessage&) = default;
};

} // namespace switchboard
