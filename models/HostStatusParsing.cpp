#include "HostStatusParsing.h"

#include "TolerantJson.h"

#include <QJsonArray>

namespace switchboard {

namespace field = protocol::field;
using tolerant::at;

QList<PoolStatus> parsePoolStatuses(const QJsonValue& pools) {
    QList<PoolStatus> result;
    for (const QJsonValue& entry : pools.toArray()) {
        const QJsonObject object = entry.toObject();
        PoolStatus pool;
        pool.name = tolerant::text(at(object, field::kName));
        pool.inUse = tolerant::integer(at(object, field::kInUse), -1);
        pool.open = tolerant::integer(at(object, field::kOpen), -1);
        pool.max = tolerant::integer(at(object, field::kMax), -1);
        if (pool.name.isEmpty() || pool.inUse < 0 || pool.open < 0 || pool.max < 0)
            continue;
        result.append(std::move(pool));
    }
    return result;
}

ProcessStatus parseProcessStatus(const QJsonObject& object) {
    ProcessStatus process;
    process.intervalMs = tolerant::integer(at(object, field::kIntervalMs), 0);
    const double cpu = tolerant::number(at(object, field::kCpuPercent), -1);
    process.cpuPercent = cpu >= 0 ? cpu : -1;
    process.cpuCount = static_cast<int>(tolerant::integer(at(object, field::kCpuCount), 0));
    const qint64 rss = tolerant::integer(at(object, field::kRssBytes), -1);
    process.rssBytes = rss >= 0 ? rss : -1;
    process.error = tolerant::text(at(object, field::kError));
    return process;
}

} // namespace switchboard
