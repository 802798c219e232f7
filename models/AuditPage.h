#pragma once

#include "AuditChainStatus.h"
#include "AuditEntry.h"

#include <QList>
#include <QMetaType>
#include <optional>

namespace switchboard {

// One page of the audit log, newest first. `nextBefore` asks for the page after it (older
// entries); it is empty on the last page. `chain` is the log's hash chain as the agent sees it
// when it answers; none from an agent older than the chain.
struct AuditPage {
    QList<AuditEntry> entries;
    std::optional<qint64> nextBefore;
    std::optional<AuditChainStatus> chain;

    friend bool operator==(const AuditPage&, const AuditPage&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::AuditPage)
