#include "ReplayTimeShift.h"

#include <QJsonArray>
#include <cmath>

namespace switchboard {

namespace {

QJsonValue shifted(const QJsonValue& value, const ReplayTimeShift& shift);

QJsonArray shiftedArray(const QJsonArray& array, const ReplayTimeShift& shift) {
    QJsonArray result;
    for (const QJsonValue& value : array)
        result.append(shifted(value, shift));
    return result;
}

QJsonValue shifted(const QJsonValue& value, const ReplayTimeShift& shift) {
    if (value.isObject())
        return shift.apply(value.toObject());
    if (value.isArray())
        return shiftedArray(value.toArray(), shift);
    return value;
}

} // namespace

ReplayTimeShift ReplayTimeShift::toNow(qint64 recordedStartMs, qint64 recordedLengthMs,
                                       qint64 nowMs, double speed) {
    ReplayTimeShift shift;
    shift.m_identity = false;
    shift.m_to = nowMs;
    if (speed > 0) {
        shift.m_from = recordedStartMs;
        shift.m_scale = 1.0 / speed;
    } else {
        shift.m_from = recordedStartMs + recordedLengthMs;
    }
    return shift;
}

qint64 ReplayTimeShift::map(qint64 timeMs) const {
    if (m_identity)
        return timeMs;
    return m_to + std::llround(static_cast<double>(timeMs - m_from) * m_scale);
}

QJsonObject ReplayTimeShift::apply(const QJsonObject& object) const {
    if (m_identity)
        return object;
    QJsonObject result = object;
    for (auto it = result.begin(); it != result.end(); ++it) {
        const QJsonValue value = it.value();
        if (value.isDouble() && it.key().endsWith(QLatin1String("_ms"))) {
            const qint64 time = value.toInteger(-1);
            if (time >= kEpochFloorMs)
                it.value() = map(time);
        } else if (value.isObject() || value.isArray()) {
            it.value() = shifted(value, *this);
        }
    }
    return result;
}

} // namespace switchboard
