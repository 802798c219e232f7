#pragma once

#include <QMetaType>
#include <QString>

namespace switchboard {

// Why a Prometheus request brought no usable answer. Every failure is one of these, never a
// thrown exception or a silent empty list.
struct PrometheusError {
    enum class Kind {
        Network,     // no HTTP answer: refused, reset, unknown host
        Timeout,     // no byte within the source's timeout
        Http,        // an HTTP error status without Prometheus's error document
        Prometheus,  // Prometheus's {"status":"error","errorType","error"}
        BadResponse, // 2xx, but not the JSON document the API describes
        BadRequest,  // refused before sending (e.g. a step that asks for too many points)
    };

    Kind kind = Kind::Network;
    int httpStatus = 0; // 0: no HTTP answer
    QString errorType;  // Prometheus's errorType ("bad_data", "timeout", ...), when given
    QString message;

    // A sentence for a status line: what failed and Prometheus's or Qt's own words.
    QString text() const;

    friend bool operator==(const PrometheusError&, const PrometheusError&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::PrometheusError)
