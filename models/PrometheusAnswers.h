#pragma once

#include "MetricInfo.h"
#include "PrometheusError.h"
#include "PrometheusSeries.h"
#include "PrometheusTarget.h"

#include <QByteArray>
#include <QList>
#include <variant>

namespace switchboard {

// Readers of Prometheus's HTTP API answers
// (https://prometheus.io/docs/prometheus/latest/querying/api/): pure functions of the HTTP status
// and body, so they run on any thread and tests feed them captured answers. Every failure is a
// PrometheusError: an HTTP status, Prometheus's own
// {"status":"error","errorType","error"}, or a body that is not what the API describes.
struct PrometheusAnswers {
    // GET /api/v1/targets: the active targets, in Prometheus's order.
    static std::variant<QList<PrometheusTarget>, PrometheusError> targets(int httpStatus,
                                                                          const QByteArray& body);
    // GET|POST /api/v1/query_range (a matrix) or /api/v1/query (a vector, or a scalar as one
    // series without labels): every series with its points, oldest first.
    static std::variant<QList<PrometheusSeries>, PrometheusError> series(int httpStatus,
                                                                         const QByteArray& body);
    // GET /api/v1/metadata: the metrics the targets describe, as the direct scraper's catalog
    // lists them (ScrapeFold.h): a counter as a rate under its own name, a histogram as its
    // _count and _sum rates (buckets left out), a summary as its quantiles (values) and its
    // _count and _sum rates, anything else as values. Sorted by name; Prometheus's "unknown"
    // type reads "untyped", as the text format calls it.
    static std::variant<QList<MetricInfo>, PrometheusError> metadata(int httpStatus,
                                                                     const QByteArray& body);
    // An RFC 3339 time as Prometheus writes it (nanoseconds, "Z"): ms since the epoch, 0 for
    // Go's zero time ("0001-01-01T00:00:00Z", a target never scraped) or an unreadable text.
    static qint64 timeMs(const QString& rfc3339);
    // A sample value: a decimal, or "NaN", "+Inf", "-Inf". False if it is none of those.
    static bool sampleValue(const QString& text, double* value);
};

} // namespace switchboard
