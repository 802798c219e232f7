#pragma once

#include "Theme.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace switchboard {

class HealthDelegate;
class ScaleMatrixPanel;
class ScorecardModel;

// The Scorecard tab (docs/scorecard.md): the overall verdict in large type, one row per check
// (verdict, check, figure, why) coloured by verdict, and where the system sits on the scale
// matrix with its capacity headroom, drawn (ScaleMatrixPanel) and in a sentence. Double-clicking a
// row opens the view that shows its figure; "Thresholds…" edits the limits and the capacity plan.
class ScorecardView : public QWidget {
    Q_OBJECT
public:
    explicit ScorecardView(ScorecardModel* model, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    QTableView* table() const { return m_table; }
    QLabel* summary() const { return m_summary; }
    QLabel* scale() const { return m_scale; }
    ScaleMatrixPanel* scalePanel() const { return m_scalePanel; }
    QPushButton* thresholdsButton() const { return m_thresholds; }

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

signals:
    // A row was opened: the view that shows its figure ("replication", "cache", …).
    void concernActivated(const QString& concern);
    // The operator changed the thresholds or the plan (the window saves them).
    void settingsChanged();

private:
    void refresh();
    // The table as tall as its rows, so the scale matrix sits right under it.
    void fitTableHeight();
    // The overall verdict at 1.6× the view's font, whatever the font is now.
    void fitSummaryFont();
    void editThresholds();

    ScorecardModel* m_model;
    QLabel* m_summary;
    QLabel* m_scale;
    ScaleMatrixPanel* m_scalePanel;
    QTableView* m_table;
    HealthDelegate* m_delegate;
    QPushButton* m_thresholds;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
