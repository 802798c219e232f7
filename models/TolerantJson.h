// The tolerant readers of the documents the console takes as they come (shards, cache, an
// action's details): the fallback stays unless the value has the right type, so one odd field
// never costs the whole document.
#pragma once

#include "ProtocolNames.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <cmath>
#include <string_view>
#include <switchboard/protocol.h>

namespace switchboard::tolerant {

inline QJsonValue at(const QJsonObject& object, std::string_view name) {
    return object.value(qtName(name));
}

inline double number(const QJsonValue& value, double fallback) {
    return value.isDouble() && std::isfinite(value.toDouble()) ? value.toDouble() : fallback;
}

inline qint64 integer(const QJsonValue& value, qint64 fallback) {
    const double n = number(value, std::nan(""));
    // 2^53: beyond it a double no longer holds every integer.
    if (!std::isfinite(n) || std::trunc(n) != n || std::fabs(n) > 9.0e15)
        return fallback;
    return static_cast<qint64>(n);
}

inline QString text(const QJsonValue& value, const QString& fallback = {}) {
    return value.isString() ? value.toString() : fallback;
}

inline bool boolean(const QJsonValue& value, bool fallback) {
    return value.isBool() ? value.toBool() : fallback;
}

inline protocol::ProbeStatus probeStatus(const QJsonValue& value) {
    const qint64 status = integer(value, 0);
    if (status < 0 || status > static_cast<qint64>(protocol::ProbeStatus::Down))
        return protocol::ProbeStatus::Unknown;
    return static_cast<protocol::ProbeStatus>(status);
}

// Where an action's own figures may sit (a plan's, a job's): the object `nested` in `document`
// (its "details") first, then the document itself. Agents have put them in either; readers take
// the first they find.
inline QList<QJsonObject> nestedThenDocument(const QJsonObject& document, std::string_view nested) {
    QList<QJsonObject> found;
    const QJsonValue inner = at(document, nested);
    if (inner.isObject())
        found.append(inner.toObject());
    found.append(document);
    return found;
}

// The first of `objects` to hold `name` as a whole number of at least 0 gives it; -1 when none
// does (a count or a size, where a negative one is as meaningless as none).
inline qint64 firstCount(const QList<QJsonObject>& objects, std::string_view name) {
    for (const QJsonObject& object : objects) {
        const qint64 value = integer(at(object, name), -1);
        if (value >= 0)
            return value;
    }
    return -1;
}

} // namespace switchboard::tolerant
