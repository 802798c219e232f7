#pragma once

#include "RegionsStatus.h"
#include "StaleBanner.h"
#include "Theme.h"

#include <QList>
#include <QWidget>
#include <optional>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QTableView;

namespace switchboard {

class HealthDelegate;
class RegionCard;
class RegionsModel;

// Regions and drills: a card per region side by side (role, health in words and colour,
// leader, timeline, lag behind the active region, the targets against the last drill's RTO and
// RPO, its members), the drill history newest first with "Export Markdown…" and "Export PDF…"
// for the selected drill, and "Run drill…", which asks for the drill dialog of the agent whose
// report is shown. A banner says when what is shown is stale. Reads RegionsModel only.
class RegionsView : public QWidget {
    Q_OBJECT
public:
    explicit RegionsView(RegionsModel* model, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);

    QList<RegionCard*> cards() const { return m_cards; }
    // nullptr when no region of that name is shown.
    RegionCard* card(const QString& region) const;
    // Scrolls the region's card into view and gives it focus.
    void showRegion(const QString& region);
    QTableView* historyTable() const { return m_history; }
    QLabel* titleLabel() const { return m_title; }
    QLabel* staleBanner() const { return m_staleBanner; }
    QLabel* emptyLabel() const { return m_emptyLabel; }
    QPushButton* runDrillButton() const { return m_runDrill; }
    QPushButton* exportMarkdownButton() const { return m_exportMarkdown; }
    QPushButton* exportPdfButton() const { return m_exportPdf; }
    // What the last export said (where it went, or why not).
    QLabel* exportStatus() const { return m_exportStatus; }
    // The drill selected in the history; nullopt when none is.
    std::optional<DrillResult> selectedDrill() const;

signals:
    // "Run drill…": the agent (Fleet id) whose report the view shows.
    void requestDrill(const QString& agentId);

private:
    void refresh();
    void updateExportButtons();
    void exportSelected(bool pdf);

    RegionsModel* m_model;
    StaleBanner* m_staleBanner;
    QLabel* m_emptyLabel;
    QWidget* m_content;
    QLabel* m_title;
    QPushButton* m_runDrill;
    QScrollArea* m_cardScroll;
    QWidget* m_cardStrip;
    QHBoxLayout* m_cardLayout;
    QList<RegionCard*> m_cards;
    QTableView* m_history;
    HealthDelegate* m_historyDelegate;
    QPushButton* m_exportMarkdown;
    QPushButton* m_exportPdf;
    QLabel* m_exportStatus;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
