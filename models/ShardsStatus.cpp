#include "ShardsStatus.h"

#include "ProtocolNames.h"
#include "TolerantJson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace switchboard {

namespace field = protocol::field;
using namespace tolerant;

namespace {

template <typename T, typename Read>
QList<T> column(const QJsonObject& object, std::string_view name, Read read) {
    QList<T> result;
    const QJsonArray array = at(object, name).toArray();
    result.reserve(array.size());
    for (const QJsonValue& value : array)
        result.append(read(value));
    return result;
}

SkewFigures parseSkewFigures(const QJsonValue& value) {
    const QJsonObject object = value.toObject();
    SkewFigures skew;
    skew.maxOverMean = number(at(object, field::kMaxOverMean), 0.0);
    skew.cv = number(at(object, field::kCoefficientOfVariation), 0.0);
    return skew;
}

ShardNode parseNode(const QJsonObject& object) {
    ShardNode node;
    node.name = text(at(object, field::kName));
    node.target = text(at(object, field::kTarget));
    node.status = probeStatus(at(object, field::kStatus));
    node.error = text(at(object, field::kError));
    node.buckets = integer(at(object, field::kBuckets), -1);
    node.rows = integer(at(object, field::kRows), -1);
    node.bytes = integer(at(object, field::kBytes), -1);
    node.writesPerSecond = number(at(object, field::kWritesPerSecond), -1.0);
    node.readsPerSecond = number(at(object, field::kReadsPerSecond), -1.0);
    return node;
}

} // namespace

bool ShardMove::isFinished() const {
    return phase == QLatin1String("done") || phase == QLatin1String("rolled_back") ||
           phase == QLatin1String("failed");
}

QString ShardsStatus::nodeName(int index) const {
    return index >= 0 && index < nodes.size() ? nodes.at(index).name : QString();
}

ShardSkew parseShardSkew(const QJsonObject& object) {
    ShardSkew skew;
    skew.rows = parseSkewFigures(at(object, field::kRows));
    skew.bytes = parseSkewFigures(at(object, field::kBytes));
    skew.load = parseSkewFigures(at(object, field::kLoad));
    return skew;
}

QList<ShardMove> parseShardMoves(const QJsonValue& value) {
    QList<ShardMove> moves;
    for (const QJsonValue& entry : value.toArray()) {
        if (!entry.isObject())
            continue;
        const QJsonObject object = entry.toObject();
        ShardMove move;
        move.bucket = static_cast<int>(integer(at(object, field::kBucket), -1));
        move.from = static_cast<int>(integer(at(object, field::kFrom), -1));
        move.to = static_cast<int>(integer(at(object, field::kTo), -1));
        move.phase = text(at(object, field::kPhase));
        move.rowsCopied = integer(at(object, field::kRowsCopied), 0);
        move.rowsTotal = integer(at(object, field::kRowsTotal), 0);
        move.progress = std::clamp(number(at(object, field::kProgress), 0.0), 0.0, 1.0);
        moves.append(move);
    }
    return moves;
}

ShardsStatus parseShardsStatus(const QJsonObject& object) {
    ShardsStatus shards;
    shards.checkedMs = integer(at(object, field::kCheckedMs), 0);
    shards.status = probeStatus(at(object, field::kStatus));
    shards.error = text(at(object, field::kError));
    shards.catalog = text(at(object, field::kCatalog));
    shards.version = integer(at(object, field::kVersion), 0);
    shards.bucketCount = static_cast<int>(
        std::clamp<qint64>(integer(at(object, field::kBucketCount), 0), 0, 1 << 20));
    for (const QJsonValue& node : at(object, field::kNodes).toArray()) {
        if (node.isObject())
            shards.nodes.append(parseNode(node.toObject()));
    }
    const QJsonObject buckets = at(object, field::kBuckets).toObject();
    shards.buckets.node = column<int>(buckets, field::kNode, [](const QJsonValue& v) {
        return static_cast<int>(integer(v, -1));
    });
    shards.buckets.rows =
        column<qint64>(buckets, field::kRows, [](const QJsonValue& v) { return integer(v, -1); });
    shards.buckets.bytes =
        column<qint64>(buckets, field::kBytes, [](const QJsonValue& v) { return integer(v, -1); });
    shards.buckets.writesPerSecond = column<double>(
        buckets, field::kWritesPerSecond, [](const QJsonValue& v) { return number(v, -1.0); });
    shards.buckets.readsPerSecond = column<double>(
        buckets, field::kReadsPerSecond, [](const QJsonValue& v) { return number(v, -1.0); });
    // An agent that leaves bucket_count out still sends the columns: their length is the count.
    if (shards.bucketCount == 0)
        shards.bucketCount = static_cast<int>(shards.buckets.node.size());
    shards.skew = parseShardSkew(at(object, field::kSkew).toObject());
    shards.moves = parseShardMoves(at(object, field::kMoves));
    return shards;
}

SkewFigures skewOf(const QList<double>& values) {
    double sum = 0.0;
    double largest = 0.0;
    int count = 0;
    for (double value : values) {
        if (value < 0)
            continue;
        sum += value;
        largest = std::max(largest, value);
        ++count;
    }
    if (count == 0 || sum <= 0.0)
        return {};
    const double mean = sum / count;
    double squares = 0.0;
    for (double value : values) {
        if (value >= 0)
            squares += (value - mean) * (value - mean);
    }
    return {largest / mean, std::sqrt(squares / count) / mean};
}

QString shardSkewText(const QString& what, const SkewFigures& skew) {
    return QCoreApplication::translate("Shards", "%1: max/mean %2, CV %3")
        .arg(what)
        .arg(skew.maxOverMean, 0, 'f', 2)
        .arg(skew.cv, 0, 'f', 2);
}

QString shardCountText(qint64 count) {
    if (count < 0)
        return QStringLiteral("–");
    return QLocale(QLocale::English).toString(count);
}

QString shardRateText(double perSecond) {
    if (perSecond < 0 || !std::isfinite(perSecond))
        return QStringLiteral("–");
    return QStringLiteral("%1 /s").arg(perSecond, 0, 'f', perSecond < 10 ? 1 : 0);
}

QString shardMovePhaseLabel(const QString& phase) {
    if (phase.isEmpty())
        return QCoreApplication::translate("Shards", "unknown");
    // pending, copying, verifying, flipping, deleting, done, failed: already words.
    return QString(phase).replace(QLatin1Char('_'), QLatin1Char(' '));
}

} // namespace switchboard
