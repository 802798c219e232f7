#include "PrometheusAnswers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <limits>

namespace switchboard {

namespace {

PrometheusError badResponse(int httpStatus, const QString& message) {
    return {PrometheusError::Kind::BadResponse, httpStatus, {}, message};
}

// The "data" member of a success answer, or the error the answer stands for. Prometheus sends
// its error document with 400, 422, 503 and others: that document wins over the bare status.
std::variant<QJsonObject, PrometheusError> envelope(int httpStatus, const QByteArray& body) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject root = document.object();
    if (parseError.error == QJsonParseError::NoError && document.isObject() &&
        root.value(QLatin1String("status")).toString() == QLatin1String("error"))
        return PrometheusError{PrometheusError::Kind::Prometheus, httpStatus,
                               root.value(QLatin1String("errorType")).toString(),
                               root.value(QLatin1String("error")).toString()};
    if (httpStatus < 200 || httpStatus >= 300)
        return PrometheusError{PrometheusError::Kind::Http,
                               httpStatus,
                               {},
                               QString::fromUtf8(body.left(200)).trimmed()};
    if (parseError.error != QJsonParseError::NoError)
        return badResponse(httpStatus, QStringLiteral("not JSON: %1 at offset %2")
                                           .arg(parseError.errorString())
                                           .arg(parseError.offset));
    if (!document.isObject() ||
        root.value(QLatin1String("status")).toString() != QLatin1String("success"))
        return badResponse(httpStatus, QStringLiteral("no \"status\": \"success\""));
    const QJsonValue data = root.value(QLatin1String("data"));
    if (!data.isObject())
        return badResponse(httpStatus, QStringLiteral("no \"data\" object"));
    return data.toObject();
}

QMap<QString, QString> labelMap(const QJsonObject& object) {
    QMap<QString, QString> labels;
    for (auto it = object.begin(); it != object.end(); ++it)
        labels.insert(it.key(), it.value().toString());
    return labels;
}

PrometheusTarget::Health health(const QString& text) {
    if (text == QLatin1String("up"))
        return PrometheusTarget::Health::Up;
    if (text == QLatin1String("down"))
        return PrometheusTarget::Health::Down;
    return PrometheusTarget::Health::Unknown;
}

// [time in seconds (a number), value (a string)] → a point; false if it is not that shape.
bool samplePoint(const QJsonValue& sample, PrometheusPoint* point) {
    const QJsonArray pair = sample.toArray();
    if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isString())
        return false;
    point->timeMs = std::llround(pair.at(0).toDouble() * 1000.0);
    return PrometheusAnswers::sampleValue(pair.at(1).toString(), &point->value);
}

// How the direct scraper keeps the series of one metric family (ScrapeFold.cpp's storage()):
// the stored names with how each is kept.
QList<MetricInfo> catalogEntries(const QString& family, const QString& type, const QString& help) {
    using StoredAs = MetricInfo::StoredAs;
    const auto suffixed = [&](const char* suffix, StoredAs storedAs) {
        return MetricInfo{family + QLatin1String(suffix), type, help, storedAs};
    };
    if (type == QLatin1String("counter"))
        return {{family, type, help, StoredAs::RatePerSecond}};
    if (type == QLatin1String("histogram"))
        return {suffixed("_count", StoredAs::RatePerSecond),
                suffixed("_sum", StoredAs::RatePerSecond)};
    if (type == QLatin1String("summary"))
        return {{family, type, help, StoredAs::Value},
                suffixed("_count", StoredAs::RatePerSecond),
                suffixed("_sum", StoredAs::RatePerSecond)};
    // Prometheus says "unknown" for what the text format calls untyped (promtext's name).
    const QString shown = type == QLatin1String("unknown") ? QStringLiteral("untyped") : type;
    return {{family, shown, help, StoredAs::Value}};
}

} // namespace

qint64 PrometheusAnswers::timeMs(const QString& rfc3339) {
    // Qt reads at most milliseconds: keep three digits of Go's nanoseconds.
    static const QRegularExpression fraction(QStringLiteral("(\\.\\d{3})\\d+"));
    QString text = rfc3339;
    text.replace(fraction, QStringLiteral("\\1"));
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid() || time.date().year() <= 1)
        return 0;
    return time.toMSecsSinceEpoch();
}

bool PrometheusAnswers::sampleValue(const QString& text, double* value) {
    if (text == QLatin1String("NaN")) {
        *value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (text == QLatin1String("+Inf") || text == QLatin1String("-Inf")) {
        *value =
            (text.front() == QLatin1Char('-') ? -1 : 1) * std::numeric_limits<double>::infinity();
        return true;
    }
    bool ok = false;
    *value = text.toDouble(&ok);
    return ok;
}

std::variant<QList<PrometheusTarget>, PrometheusError>
PrometheusAnswers::targets(int httpStatus, const QByteArray& body) {
    auto data = envelope(httpStatus, body);
    if (auto* error = std::get_if<PrometheusError>(&data))
        return *error;
    const QJsonValue active = std::get<QJsonObject>(data).value(QLatin1String("activeTargets"));
    if (!active.isArray())
        return badResponse(httpStatus, QStringLiteral("no \"activeTargets\" array"));
    QList<PrometheusTarget> targets;
    const QJsonArray array = active.toArray();
    targets.reserve(array.size());
    for (const QJsonValue& value : array) {
        const QJsonObject object = value.toObject();
        PrometheusTarget target;
        target.labels = labelMap(object.value(QLatin1String("labels")).toObject());
        target.instance = target.labels.value(QStringLiteral("instance"));
        target.job = target.labels.value(QStringLiteral("job"));
        target.region = target.labels.value(QStringLiteral("region"));
        target.service = target.labels.value(QStringLiteral("service"));
        target.scrapeUrl = QUrl(object.value(QLatin1String("scrapeUrl")).toString());
        target.health = health(object.value(QLatin1String("health")).toString());
        target.lastError = object.value(QLatin1String("lastError")).toString();
        target.lastScrapeMs = timeMs(object.value(QLatin1String("lastScrape")).toString());
        target.lastScrapeDurationS = object.value(QLatin1String("lastScrapeDuration")).toDouble(-1);
        targets.append(std::move(target));
    }
    return targets;
}

std::variant<QList<MetricInfo>, PrometheusError>
PrometheusAnswers::metadata(int httpStatus, const QByteArray& body) {
    auto data = envelope(httpStatus, body);
    if (auto* error = std::get_if<PrometheusError>(&data))
        return *error;
    // {"<family>": [{"type", "help", "unit"}, ...]}: one entry per distinct description the
    // targets gave; the first is kept, as the direct catalog keeps the first it sees.
    const QJsonObject families = std::get<QJsonObject>(data);
    QList<MetricInfo> catalog;
    for (auto it = families.begin(); it != families.end(); ++it) {
        const QJsonObject first = it.value().toArray().at(0).toObject();
        const QJsonValue type = first.value(QLatin1String("type"));
        if (it.key().isEmpty() || !type.isString() || type.toString().isEmpty())
            return badResponse(
                httpStatus, QStringLiteral("the metadata of \"%1\" is not a list of {type, help}")
                                .arg(it.key()));
        catalog += catalogEntries(it.key(), type.toString(),
                                  first.value(QLatin1String("help")).toString());
    }
    std::sort(catalog.begin(), catalog.end(),
              [](const MetricInfo& a, const MetricInfo& b) { return a.name < b.name; });
    return catalog;
}

std::variant<QList<PrometheusSeries>, PrometheusError>
PrometheusAnswers::series(int httpStatus, const QByteArray& body) {
    auto data = envelope(httpStatus, body);
    if (auto* error = std::get_if<PrometheusError>(&data))
        return *error;
    const QJsonObject object = std::get<QJsonObject>(data);
    const QString type = object.value(QLatin1String("resultType")).toString();
    const QJsonValue result = object.value(QLatin1String("result"));
    const auto unreadable = [&](const QString& what) {
        return badResponse(httpStatus, QStringLiteral("%1 in a %2 result").arg(what, type));
    };

    QList<PrometheusSeries> series;
    if (type == QLatin1String("scalar")) {
        PrometheusSeries one;
        PrometheusPoint point;
        if (!samplePoint(result, &point))
            return unreadable(QStringLiteral("a malformed sample"));
        one.points.append(point);
        series.append(one);
        return series;
    }
    if ((type != QLatin1String("matrix") && type != QLatin1String("vector")) || !result.isArray())
        return badResponse(httpStatus,
                           QStringLiteral("resultType \"%1\" is not a matrix or vector").arg(type));
    const bool matrix = type == QLatin1String("matrix");
    const QJsonArray array = result.toArray();
    series.reserve(array.size());
    for (const QJsonValue& value : array) {
        const QJsonObject entry = value.toObject();
        PrometheusSeries one;
        one.labels = labelMap(entry.value(QLatin1String("metric")).toObject());
        const QJsonArray samples = matrix ? entry.value(QLatin1String("values")).toArray()
                                          : QJsonArray{entry.value(QLatin1String("value"))};
        one.points.reserve(samples.size());
        for (const QJsonValue& sample : samples) {
            PrometheusPoint point;
            if (!samplePoint(sample, &point))
                return unreadable(QStringLiteral("a malformed sample"));
            one.points.append(point);
        }
        series.append(std::move(one));
    }
    return series;
}

} // namespace switchboard
