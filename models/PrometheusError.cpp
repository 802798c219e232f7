#include "PrometheusError.h"

#include <QCoreApplication>

namespace switchboard {

QString PrometheusError::text() const {
    const auto tr = [](const char* source) {
        return QCoreApplication::translate("PrometheusError", source);
    };
    switch (kind) {
    case Kind::Network:
        return tr("Prometheus cannot be reached: %1").arg(message);
    case Kind::Timeout:
        return tr("Prometheus did not answer in time: %1").arg(message);
    case Kind::Http:
        return tr("Prometheus answered HTTP %1: %2").arg(httpStatus).arg(message);
    case Kind::Prometheus:
        return tr("Prometheus refused the query (%1): %2").arg(errorType, message);
    case Kind::BadResponse:
        return tr("Prometheus's answer is not understood: %1").arg(message);
    case Kind::BadRequest:
        return tr("query not sent: %1").arg(message);
    }
    return message;
}

} // namespace switchboard
