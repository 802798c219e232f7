#pragma once

#include <QObject>
#include <functional>
#include <optional>

namespace switchboard {

// The one x range every chart of the Metrics view shows, so zooming one zooms all. Three layers,
// the first that is set wins: a zoom (from wheel, rubber band or pan), a custom range picked by
// hand, else the last `window` before the end, where the end is now while live and the moment of
// the pause while paused. Resuming drops the pause and jumps back to now; the zoom is dropped by
// resetZoom() (and by picking another range). `now` is injected so tests step the clock.
class MetricsTimeRange : public QObject {
    Q_OBJECT
public:
    struct Range {
        qint64 fromMs = 0;
        qint64 toMs = 0;
        qint64 spanMs() const { return toMs - fromMs; }
        friend bool operator==(const Range&, const Range&) = default;
    };
    using Clock = std::function<qint64()>;

    // The narrowest zoom: a few samples at 1 Hz still make a line.
    static constexpr qint64 kMinSpanMs = 5'000;

    explicit MetricsTimeRange(Clock now, QObject* parent = nullptr);

    Range visible() const;
    bool isLive() const { return !m_pausedAtMs && !m_custom && !m_zoom; }
    bool isPaused() const { return m_pausedAtMs.has_value() && !m_pausedByZoom; }
    bool isZoomed() const { return m_zoom.has_value(); }
    bool isCustom() const { return m_custom.has_value(); }
    qint64 windowMs() const { return m_windowMs; }

    // A preset: the last `window` (5 m, 15 m, 1 h). Drops the custom range and the zoom.
    void setWindow(qint64 windowMs);
    // A fixed range; drops the zoom.
    void setCustom(Range range);
    void pause();
    void resume();
    // Shows `range` (clamped to at least kMinSpanMs) on every chart until resetZoom().
    void zoomTo(Range range);
    // Scales the visible span by `factor` (< 1 zooms in) around `anchorMs`, which stays put.
    void zoomBy(double factor, qint64 anchorMs);
    void panBy(qint64 deltaMs);
    void resetZoom();

    qint64 now() const { return m_now(); }

signals:
    // Anything that changes visible() except time passing while live.
    void changed();

private:
    Clock m_now;
    qint64 m_windowMs = 15 * 60 * 1000;
    std::optional<Range> m_custom;
    std::optional<qint64> m_pausedAtMs;
    std::optional<Range> m_zoom;
    bool m_pausedByZoom = false; // the zoom froze the end, not the operator: reset unfreezes
};

} // namespace switchboard
