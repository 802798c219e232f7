#include "RegionsView.h"

#include "DrillReportExport.h"
#include "FleetPageParts.h"
#include "HealthDelegate.h"
#include "RegionCard.h"
#include "RegionsModel.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace switchboard {

RegionsView::RegionsView(RegionsModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_staleBanner(new StaleBanner(QStringLiteral("regionsStaleBanner"), this))
    , m_emptyLabel(new QLabel(this))
    , m_content(new QWidget(this))
    , m_title(new QLabel(m_content))
    , m_runDrill(new QPushButton(tr("Run drill…"), m_content))
    , m_cardScroll(new QScrollArea(m_content))
    , m_cardStrip(new QWidget)
    , m_cardLayout(new QHBoxLayout(m_cardStrip))
    , m_history(new QTableView(m_content))
    , m_historyDelegate(new HealthDelegate(DrillHistoryModel::HealthRole, this))
    , m_exportMarkdown(new QPushButton(tr("Export Markdown…"), m_content))
    , m_exportPdf(new QPushButton(tr("Export PDF…"), m_content))
    , m_exportStatus(new QLabel(m_content)) {
    setObjectName(QStringLiteral("regions"));
    setUpEmptyLabel(m_emptyLabel, QStringLiteral("regionsEmpty"),
                    tr("No agent reports regions yet. Agents report them when their "
                       "configuration has an ha section (capability \"regions\": the Patroni "
                       "clusters of each region, and failover drills)."));

    m_title->setObjectName(QStringLiteral("regionsTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    m_runDrill->setObjectName(QStringLiteral("runDrillButton"));
    m_runDrill->setToolTip(tr("Preflight a switchover or failover drill, then run it as a plan, "
                              "simulated or live, and measure RTO and RPO"));
    connect(m_runDrill, &QPushButton::clicked, this, [this] {
        if (!m_model->current().sourceAgentId.isEmpty())
            emit requestDrill(m_model->current().sourceAgentId);
    });
    auto* header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_runDrill);

    // Cards side by side; a scroll bar rather than squeezed cards when regions are many.
    m_cardStrip->setObjectName(QStringLiteral("regionCards"));
    m_cardLayout->setContentsMargins(0, 0, 0, 0);
    m_cardScroll->setObjectName(QStringLiteral("regionCardScroll"));
    m_cardScroll->setWidgetResizable(true);
    m_cardScroll->setFrameShape(QFrame::NoFrame);
    m_cardScroll->setWidget(m_cardStrip);

    setUpReadOnlyTable(m_history, QStringLiteral("drillHistoryTable"), 110);
    m_history->setModel(model->drills());
    m_history->setItemDelegate(m_historyDelegate);
    m_history->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_history->horizontalHeader()->setStretchLastSection(false);
    m_exportMarkdown->setObjectName(QStringLiteral("exportMarkdownButton"));
    m_exportPdf->setObjectName(QStringLiteral("exportPdfButton"));
    m_exportStatus->setObjectName(QStringLiteral("exportStatus"));
    m_exportStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_exportMarkdown, &QPushButton::clicked, this, [this] { exportSelected(false); });
    connect(m_exportPdf, &QPushButton::clicked, this, [this] { exportSelected(true); });
    connect(m_history->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RegionsView::updateExportButtons);
    connect(model->drills(), &QAbstractItemModel::modelReset, this,
            &RegionsView::updateExportButtons);

    auto* historyBox = new QGroupBox(tr("Drill history (newest first)"), m_content);
    auto* exportRow = new QHBoxLayout;
    exportRow->addWidget(m_exportStatus, 1);
    exportRow->addWidget(m_exportMarkdown);
    exportRow->addWidget(m_exportPdf);
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(4, 4, 4, 4);
    historyLayout->addWidget(m_history, 1);
    historyLayout->addLayout(exportRow);

    auto* splitter = new QSplitter(Qt::Vertical, m_content);
    splitter->setObjectName(QStringLiteral("regionsSplitter"));
    splitter->addWidget(m_cardScroll);
    splitter->addWidget(historyBox);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    // The cards first: room for their figures and a few members; the history below.
    splitter->setSizes({480, 300});
    auto* contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(6, 6, 6, 6);
    contentLayout->addLayout(header);
    contentLayout->addWidget(splitter, 1);

    stackFleetPage(this, m_staleBanner, m_emptyLabel, m_content);

    connect(model, &RegionsModel::regionsChanged, this, &RegionsView::refresh);
    setTheme(m_theme);
    refresh();
}

RegionCard* RegionsView::card(const QString& region) const {
    for (RegionCard* card : m_cards) {
        if (card->regionName() == region)
            return card;
    }
    return nullptr;
}

void RegionsView::setTheme(const Theme& theme) {
    m_theme = theme;
    m_historyDelegate->setTheme(theme);
    m_staleBanner->setTheme(theme);
    for (RegionCard* card : m_cards)
        card->setTheme(theme);
    m_history->viewport()->update();
}

std::optional<DrillResult> RegionsView::selectedDrill() const {
    const QModelIndexList rows = m_history->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    const DrillResult* drill = m_model->drills()->drill(rows.first().row());
    return drill ? std::optional<DrillResult>(*drill) : std::nullopt;
}

void RegionsView::updateExportButtons() {
    const bool selected = selectedDrill().has_value();
    m_exportMarkdown->setEnabled(selected);
    m_exportPdf->setEnabled(selected);
    const QString why = selected ? QString() : tr("Select a drill in the history first");
    m_exportMarkdown->setToolTip(why);
    m_exportPdf->setToolTip(why);
}

void RegionsView::exportSelected(bool pdf) {
    const std::optional<DrillResult> drill = selectedDrill();
    if (!drill)
        return;
    drill_report_export::exportWithDialog(
        this, *drill,
        pdf ? drill_report_export::Format::Pdf : drill_report_export::Format::Markdown,
        [label = QPointer<QLabel>(m_exportStatus)](const QString& message) {
            if (label)
                label->setText(message);
        });
}

void RegionsView::refresh() {
    const RegionsSummary& summary = m_model->current();
    const bool empty = summary.isEmpty();
    m_emptyLabel->setVisible(empty);
    m_content->setVisible(!empty);
    m_runDrill->setEnabled(!empty);
    if (!empty) {
        const RegionsStatus& status = summary.status;
        const QString reporters =
            summary.reporters.size() > 1
                ? tr("%1 (+%2)").arg(summary.reporters.first()).arg(summary.reporters.size() - 1)
                : summary.reporters.value(0);
        QStringList parts{tr("<b>Regions</b>")};
        if (!status.targets.tier.isEmpty())
            parts << tr("tier %1").arg(status.targets.tier.toHtmlEscaped());
        parts << tr("targets RTO %1, RPO %2")
                     .arg(drillDurationText(status.targets.rtoTargetMs),
                          drillDurationText(status.targets.rpoTargetMs));
        if (!status.writeTarget.name.isEmpty())
            parts << tr("writes go to %1 (epoch %2)")
                         .arg(status.writeTarget.name.toHtmlEscaped())
                         .arg(status.writeTarget.epoch);
        parts << tr("reported by %1").arg(reporters.toHtmlEscaped());
        m_title->setText(parts.join(QStringLiteral(" · ")));
        m_title->setToolTip(summary.reporters.join(QLatin1Char('\n')));

        // Cards are rebuilt only when the regions change; a report updates them in place.
        QStringList names;
        for (const RegionStatus& region : status.regions)
            names << region.name;
        QStringList shown;
        for (RegionCard* card : m_cards)
            shown << card->regionName();
        if (names != shown) {
            qDeleteAll(m_cards);
            m_cards.clear();
            for (qsizetype i = 0; i < names.size(); ++i) {
                auto* card = new RegionCard(m_cardStrip);
                card->setTheme(m_theme);
                m_cardLayout->addWidget(card, 1);
                // A child added to a strip already shown stays hidden until told otherwise.
                card->show();
                m_cards.append(card);
            }
        }
        for (qsizetype i = 0; i < status.regions.size(); ++i) {
            const RegionStatus& region = status.regions.at(i);
            m_cards.at(i)->setRegion(region, status.targets, status.lastDrillOf(region.name));
        }
        // A card squeezed under its figures would hide them: never less than the cards need
        // (a scroll bar takes over only past most of a screen).
        m_cardScroll->setMinimumHeight(std::min(m_cardStrip->minimumSizeHint().height() + 4, 520));
    }
    updateExportButtons();
    // Old figures look exactly like current ones: say it in words above the view.
    if (summary.stale) {
        m_staleBanner->setText(
            summary.staleSince.isValid()
                ? tr("Regions are stale since %1: the agent is unreachable. What is shown below "
                     "is the last report seen; a region may have failed over since.")
                      .arg(summary.staleSince.toString(QStringLiteral("HH:mm:ss")))
                : tr("Regions are stale: the agent is unreachable. What is shown below is the "
                     "last report seen; a region may have failed over since."));
    }
    m_staleBanner->setVisible(summary.stale);
}

void RegionsView::showRegion(const QString& region) {
    RegionCard* shown = card(region);
    if (!shown)
        return;
    m_cardScroll->ensureWidgetVisible(shown);
    shown->setFocus(Qt::OtherFocusReason);
}

} // namespace switchboard
