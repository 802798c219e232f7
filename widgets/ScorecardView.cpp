#include "ScorecardView.h"

#include "HealthDelegate.h"
#include "ScaleMatrixPanel.h"
#include "ScorecardModel.h"
#include "ScorecardSettingsDialog.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

namespace {

// The overall verdict's colour as text on the window's ground: dark tones on a light one, the
// theme's saturated health colours on a dark one (high contrast in presentation mode).
QString verdictColour(Verdict verdict, const Theme& theme) {
    if (theme.isDark()) {
        switch (verdict) {
        case Verdict::Pass:
            return theme.healthColor(Health::Up).lighter(150).name();
        case Verdict::Warn:
            return theme.healthColor(Health::Unknown).lighter(150).name();
        case Verdict::Fail:
            return theme.healthColor(Health::Down).lighter(150).name();
        case Verdict::Unknown:
            break;
        }
        return theme.palette().color(QPalette::WindowText).name();
    }
    switch (verdict) {
    case Verdict::Pass:
        return QStringLiteral("#2e7d32");
    case Verdict::Warn:
        return QStringLiteral("#b26a00");
    case Verdict::Fail:
        return QStringLiteral("#c62828");
    case Verdict::Unknown:
        break;
    }
    return QStringLiteral("#616161");
}

} // namespace

ScorecardView::ScorecardView(ScorecardModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_summary(new QLabel(this))
    , m_scale(new QLabel(this))
    , m_scalePanel(new ScaleMatrixPanel(this))
    , m_table(new QTableView(this))
    , m_delegate(new HealthDelegate(ScorecardModel::HealthRole, this))
    , m_thresholds(new QPushButton(tr("Thresholds…"), this)) {
    setObjectName(QStringLiteral("scorecardView"));
    m_summary->setObjectName(QStringLiteral("scorecardSummary"));
    fitSummaryFont();
    m_scale->setObjectName(QStringLiteral("scorecardScale"));
    m_scale->setTextFormat(Qt::RichText);
    m_scale->setWordWrap(true);

    m_table->setObjectName(QStringLiteral("scorecardTable"));
    m_table->setModel(model);
    m_table->setItemDelegate(m_delegate);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(ScorecardModel::VerdictColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ScorecardModel::CheckColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ScorecardModel::FigureColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ScorecardModel::WhyColumn, QHeaderView::Stretch);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit concernActivated(index.data(ScorecardModel::ConcernRole).toString());
    });

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_thresholds);
    connect(m_thresholds, &QPushButton::clicked, this, &ScorecardView::editThresholds);
    // The table is as tall as its rows: in a small window the page scrolls instead of the
    // window refusing to shrink.
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_table);
    layout->addWidget(m_scale);
    layout->addWidget(m_scalePanel);
    layout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    auto* outer = new QVBoxLayout(this);
    outer->addLayout(top);
    outer->addWidget(scroll, 1);

    // Rows grow when their reasons wrap at the columns' final widths: refit after they do.
    connect(m_table->verticalHeader(), &QHeaderView::sectionResized, this,
            &ScorecardView::fitTableHeight, Qt::QueuedConnection);
    connect(model, &ScorecardModel::recomputed, this, &ScorecardView::refresh);
    refresh();
}

void ScorecardView::setTheme(const Theme& theme) {
    m_theme = theme;
    m_delegate->setTheme(theme);
    m_scalePanel->setTheme(theme);
    m_table->viewport()->update();
    refresh();
}

void ScorecardView::refresh() {
    const QList<ScoreLine>& lines = m_model->lines();
    int failing = 0, warning = 0, unknown = 0;
    for (const ScoreLine& line : lines) {
        failing += line.verdict == Verdict::Fail;
        warning += line.verdict == Verdict::Warn;
        unknown += line.verdict == Verdict::Unknown;
    }
    const Verdict overall = m_model->overall();
    QString text = tr("%1: %2 failing, %3 warning, %4 passing of %5 checks")
                       .arg(verdictName(overall).toUpper())
                       .arg(failing)
                       .arg(warning)
                       .arg(lines.size() - failing - warning - unknown)
                       .arg(lines.size());
    if (unknown > 0)
        text += tr(" (%1 not reported)").arg(unknown);
    m_summary->setText(text);
    m_summary->setStyleSheet(QStringLiteral("color: %1;").arg(verdictColour(overall, m_theme)));

    const ScalePlacement& placement = m_model->placement();
    const CapacityPlan& plan = m_model->plan();
    const QString headroom =
        placement.peakRequestsPerSecond <= 0
            ? tr("unknown (no request rate yet)")
            : QStringLiteral("%1×").arg(QLocale().toString(placement.headroom, 'f', 1));
    m_scale->setText(
        tr("<b>Scale matrix.</b> Built: <b>%1</b> (%2). Today's peak of %3 requests/s calls for "
           "<b>%4</b>; planned load (× %5 growth × %6 margin%7) calls for <b>%8</b>. "
           "Capacity headroom: <b>%9</b>.")
            .arg(scaleStageName(placement.deployed), m_model->deployed().text(),
                 QLocale().toString(placement.peakRequestsPerSecond, 'f', 0),
                 scaleStageName(placement.loadNow), QLocale().toString(plan.growth, 'g', 3),
                 QLocale().toString(plan.safetyMargin, 'g', 3),
                 plan.users > 0 ? tr(", %1 users").arg(QLocale().toString(plan.users, 'f', 0))
                                : QString(),
                 scaleStageName(placement.loadPlanned), headroom));
    m_scalePanel->setPlacement(m_model->matrix(), placement);
    fitTableHeight();
}

void ScorecardView::fitSummaryFont() {
    QFont large = font();
    large.setPointSizeF(large.pointSizeF() * 1.6);
    large.setBold(true);
    m_summary->setFont(large);
}

void ScorecardView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        fitSummaryFont(); // presentation mode's large type: the verdict grows with the rest
        fitTableHeight();
    }
}

void ScorecardView::fitTableHeight() {
    int height = m_table->horizontalHeader()->height() + 2 * m_table->frameWidth();
    for (int row = 0; row < m_model->rowCount(); ++row)
        height += m_table->rowHeight(row);
    m_table->setFixedHeight(height);
}

void ScorecardView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitTableHeight(); // the reasons wrap differently at another width
}

void ScorecardView::editThresholds() {
    ScorecardSettingsDialog dialog(m_model->thresholds(), m_model->plan(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_model->setThresholds(dialog.thresholds());
    m_model->setPlan(dialog.plan());
    emit settingsChanged();
}

} // namespace switchboard
