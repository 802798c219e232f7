#include "TimeRangeBar.h"

#include "MetricsTimeRange.h"

#include <QButtonGroup>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace switchboard {

namespace {

QPushButton* toolButton(const QString& text, const QString& name, QWidget* parent) {
    auto* button = new QPushButton(text, parent);
    button->setObjectName(name);
    button->setAutoDefault(false);
    return button;
}

} // namespace

QList<std::pair<QString, qint64>> TimeRangeBar::presets() {
    return {{QObject::tr("5 m"), 5 * 60'000LL},
            {QObject::tr("15 m"), 15 * 60'000LL},
            {QObject::tr("1 h"), 60 * 60'000LL}};
}

TimeRangeBar::TimeRangeBar(MetricsTimeRange* range, QWidget* parent)
    : QWidget(parent)
    , m_range(range)
    , m_presets(new QButtonGroup(this))
    , m_customButton(toolButton(tr("Custom…"), QStringLiteral("rangeCustom"), this))
    , m_customRow(new QWidget(this))
    , m_from(new QDateTimeEdit(m_customRow))
    , m_to(new QDateTimeEdit(m_customRow))
    , m_pause(toolButton(tr("Pause"), QStringLiteral("pauseMetrics"), this))
    , m_resetZoom(toolButton(tr("Reset zoom"), QStringLiteral("resetZoom"), this))
    , m_state(new QLabel(this)) {
    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    const auto choices = presets();
    for (int i = 0; i < choices.size(); ++i) {
        QPushButton* button =
            toolButton(choices.at(i).first, QStringLiteral("range%1").arg(i), this);
        button->setCheckable(true);
        m_presets->addButton(button, i);
        row->addWidget(button);
    }
    m_customButton->setCheckable(true);
    m_presets->addButton(m_customButton, static_cast<int>(choices.size()));
    row->addWidget(m_customButton);
    row->addSpacing(12);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freezes the charts; data keeps arriving. Resume jumps back to now."));
    row->addWidget(m_pause);
    m_resetZoom->setToolTip(tr("Back to the picked range (or double-click a chart)"));
    row->addWidget(m_resetZoom);
    m_state->setObjectName(QStringLiteral("rangeState"));
    row->addWidget(m_state, 1);
    QPushButton* png = toolButton(tr("Export PNG…"), QStringLiteral("exportPng"), this);
    QPushButton* csv = toolButton(tr("Export CSV…"), QStringLiteral("exportCsv"), this);
    row->addWidget(png);
    row->addWidget(csv);

    auto* custom = new QHBoxLayout(m_customRow);
    custom->setContentsMargins(0, 0, 0, 0);
    for (QDateTimeEdit* edit : {m_from, m_to}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
    }
    m_from->setObjectName(QStringLiteral("customFrom"));
    m_to->setObjectName(QStringLiteral("customTo"));
    QPushButton* apply = toolButton(tr("Apply"), QStringLiteral("applyCustom"), m_customRow);
    custom->addWidget(new QLabel(tr("From"), m_customRow));
    custom->addWidget(m_from);
    custom->addWidget(new QLabel(tr("to"), m_customRow));
    custom->addWidget(m_to);
    custom->addWidget(apply);
    custom->addStretch(1);
    m_customRow->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_customRow);

    connect(m_presets, &QButtonGroup::idClicked, this, [this](int id) {
        if (id < presets().size())
            pickPreset(id);
        else
            showCustom();
    });
    connect(apply, &QPushButton::clicked, this, &TimeRangeBar::applyCustom);
    connect(m_pause, &QPushButton::clicked, this, [this](bool paused) {
        if (paused)
            m_range->pause();
        else
            m_range->resume();
    });
    connect(m_resetZoom, &QPushButton::clicked, m_range, &MetricsTimeRange::resetZoom);
    connect(png, &QPushButton::clicked, this, &TimeRangeBar::exportPngRequested);
    connect(csv, &QPushButton::clicked, this, &TimeRangeBar::exportCsvRequested);
    connect(m_range, &MetricsTimeRange::changed, this, &TimeRangeBar::syncState);
    syncState();
}

void TimeRangeBar::pickPreset(int index) {
    m_customRow->hide();
    m_range->setWindow(presets().at(index).second);
    m_range->resume(); // a preset is "the last N minutes": live
}

void TimeRangeBar::showCustom() {
    const MetricsTimeRange::Range now = m_range->visible();
    m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(now.fromMs));
    m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(now.toMs));
    m_customRow->show();
    m_customButton->setChecked(true);
}

void TimeRangeBar::applyCustom() {
    m_range->setCustom(
        {m_from->dateTime().toMSecsSinceEpoch(), m_to->dateTime().toMSecsSinceEpoch()});
}

void TimeRangeBar::syncState() {
    const auto choices = presets();
    if (!m_range->isCustom() && !m_customRow->isVisible())
        for (int i = 0; i < choices.size(); ++i)
            if (choices.at(i).second == m_range->windowMs())
                m_presets->button(i)->setChecked(true);
    m_pause->setChecked(m_range->isPaused());
    m_pause->setText(m_range->isPaused() ? tr("Resume") : tr("Pause"));
    m_resetZoom->setEnabled(m_range->isZoomed());
    QStringList state;
    if (m_range->isLive())
        state.append(tr("Live"));
    if (m_range->isPaused())
        state.append(tr("Paused"));
    if (m_range->isCustom())
        state.append(tr("Custom range"));
    if (m_range->isZoomed())
        state.append(tr("Zoomed (double-click a chart to reset)"));
    m_state->setText(state.join(QStringLiteral(" · ")));
}

} // namespace switchboard
