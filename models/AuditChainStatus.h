#pragma once

#include <QMetaType>
#include <QString>
#include <optional>

namespace switchboard {

// The agent's verdict on its audit log's hash chain (GET /v1/audit "chain", docs/protocol.md):
// intact, or where it first breaks and why. The agent checks the chain when it opens the log;
// a break stays where it is however many entries follow.
struct AuditChainStatus {
    bool intact = true;
    qint64 entries = 0;
    qint64 legacyEntries = 0; // written before the chain existed, not verified
    QString lastHash;         // hex SHA-256 of the last line: the chain's anchor
    // The first break, when not intact.
    std::optional<qint64> brokenSeq; // none when the broken line holds no entry
    qint64 brokenLine = 0;
    QString brokenReason;

    friend bool operator==(const AuditChainStatus&, const AuditChainStatus&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::AuditChainStatus)
