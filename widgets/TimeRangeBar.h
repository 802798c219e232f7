#pragma once

#include <QWidget>

class QButtonGroup;
class QDateTimeEdit;
class QLabel;
class QPushButton;

namespace switchboard {

class MetricsTimeRange;

// The Metrics view's toolbar: the range presets (5 m, 15 m, 1 h) and a custom from/to, pause
// and resume, reset zoom, and the exports. It drives the shared MetricsTimeRange and shows its
// state (live, paused, zoomed); the exports it only asks for.
class TimeRangeBar : public QWidget {
    Q_OBJECT
public:
    explicit TimeRangeBar(MetricsTimeRange* range, QWidget* parent = nullptr);

    // The presets, in order: what the buttons pick.
    static QList<std::pair<QString, qint64>> presets();

    void pickPreset(int index);
    // Shows the custom from/to row, filled with what is visible now.
    void showCustom();
    void applyCustom();

signals:
    void exportPngRequested();
    void exportCsvRequested();

private:
    void syncState();

    MetricsTimeRange* m_range;
    QButtonGroup* m_presets;
    QPushButton* m_customButton;
    QWidget* m_customRow;
    QDateTimeEdit* m_from;
    QDateTimeEdit* m_to;
    QPushButton* m_pause;
    QPushButton* m_resetZoom;
    QLabel* m_state;
};

} // namespace switchboard
