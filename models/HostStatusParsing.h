// Readers of the agent's "pools" and "process" documents (snapshot and events). Tolerant like
// the shards and cache readers: an odd field never costs the whole document, and a figure that
// is not there stays unknown instead of turning into a zero.
#pragma once

#include "PoolStatus.h"
#include "ProcessStatus.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>

namespace switchboard {

// The "pools" list. An entry without a name, or without in_use, open and max as whole numbers
// of at least 0, is left out: a pool the console cannot grade is not shown as an idle one.
QList<PoolStatus> parsePoolStatuses(const QJsonValue& pools);

// The "process" object; cpu_percent and rss_bytes stay -1 when missing or of the wrong type.
ProcessStatus parseProcessStatus(const QJsonObject& object);

} // namespace switchboard
