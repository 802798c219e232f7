#pragma once

#include "AuditEntry.h"

#include <QList>
#include <QMetaType>
#include <optional>

namespace switchboard {

// One page of the audit log, newest first. `nextBefore` asks for the page after it (older
// entries); it is empty on the last page.
struct AuditPage {
    QList<AuditEntry> entries;
    std::optional<qint64> nextBefore;

    friend bool operator==(const AuditPage&, const AuditPage&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::AuditPage)
