#include "MetricsTimeRange.h"

#include <algorithm>
#include <cmath>

namespace switchboard {

MetricsTimeRange::MetricsTimeRange(Clock now, QObject* parent)
    : QObject(parent)
    , m_now(std::move(now)) {}

MetricsTimeRange::Range MetricsTimeRange::visible() const {
    if (m_zoom)
        return *m_zoom;
    if (m_custom)
        return *m_custom;
    const qint64 end = m_pausedAtMs ? *m_pausedAtMs : m_now();
    return {end - m_windowMs, end};
}

void MetricsTimeRange::setWindow(qint64 windowMs) {
    m_windowMs = std::max(kMinSpanMs, windowMs);
    m_custom.reset();
    m_zoom.reset();
    if (m_pausedByZoom)
        m_pausedAtMs.reset();
    m_pausedByZoom = false;
    emit changed();
}

void MetricsTimeRange::setCustom(Range range) {
    if (range.toMs < range.fromMs)
        std::swap(range.fromMs, range.toMs);
    range.toMs = std::max(range.toMs, range.fromMs + kMinSpanMs);
    m_custom = range;
    m_zoom.reset();
    emit changed();
}

void MetricsTimeRange::pause() {
    if (isPaused())
        return;
    if (!m_pausedAtMs)
        m_pausedAtMs = m_now();
    m_pausedByZoom = false; // the operator's now: resetZoom() keeps it

    emit changed();
}

void MetricsTimeRange::resume() {
    // Back to live: now, the picked window, no zoom (a zoom is a still picture).
    m_pausedAtMs.reset();
    m_pausedByZoom = false;
    m_custom.reset();
    m_zoom.reset();
    emit changed();
}

void MetricsTimeRange::zoomTo(Range range) {
    if (range.toMs < range.fromMs)
        std::swap(range.fromMs, range.toMs);
    if (range.spanMs() < kMinSpanMs) {
        const qint64 middle = range.fromMs + range.spanMs() / 2;
        range = {middle - kMinSpanMs / 2, middle + kMinSpanMs / 2};
    }
    // A zoomed chart is a still picture: freeze the end so it does not scroll away under the
    // operator; resetZoom() returns to what was picked (live or paused).
    if (!m_pausedAtMs && !m_custom) {
        m_pausedAtMs = m_now();
        m_pausedByZoom = true;
    }
    m_zoom = range;
    emit changed();
}

void MetricsTimeRange::zoomBy(double factor, qint64 anchorMs) {
    const Range now = visible();
    const double span = static_cast<double>(now.spanMs()) * factor;
    const double left =
        static_cast<double>(anchorMs - now.fromMs) / std::max<qint64>(1, now.spanMs());
    const qint64 from = anchorMs - std::llround(span * left);
    zoomTo({from, from + std::llround(span)});
}

void MetricsTimeRange::panBy(qint64 deltaMs) {
    const Range now = visible();
    zoomTo({now.fromMs + deltaMs, now.toMs + deltaMs});
}

void MetricsTimeRange::resetZoom() {
    if (!m_zoom)
        return;
    m_zoom.reset();
    if (m_pausedByZoom)
        m_pausedAtMs.reset();
    m_pausedByZoom = false;
    emit changed();
}

} // namespace switchboard
