#include "PresentationMode.h"

#include "ConsoleSettings.h"
#include "EventLogDock.h"
#include "MainWindow.h"
#include "OverviewView.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSplitter>
#include <QTabWidget>
#include <cmath>

namespace switchboard {

namespace {

constexpr int kIntervalChoices[] = {10, 20, 30, 60};

// A second at least (a view must be seen before it goes), an hour at most (past that it does
// not cycle); anything else in the setting is the default (ConsoleSettings).
std::chrono::milliseconds savedInterval() {
    return std::chrono::seconds(ConsoleSettings::load().presentationIntervalSeconds);
}

// QApplication::setFont() and setPalette() post the change to each widget: handled here at once,
// so the widgets have the font before the theme's application reads it, and a picture taken
// right after shows the new look.
QFont scaled(QFont font, qreal factor) {
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * factor);
    else
        font.setPixelSize(static_cast<int>(std::lround(font.pixelSize() * factor)));
    return font;
}

void setApplicationFont(const QFont& font) {
    QApplication::setFont(font);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::ApplicationFontChange);
}

void applyTheme(MainWindow* window, Theme::Kind kind) {
    window->applyTheme(kind);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::ApplicationPaletteChange);
}

} // namespace

PresentationMode::PresentationMode(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_toggle(new QAction(tr("&Presentation mode"), this))
    , m_indicator(new QLabel) {
    setObjectName(QStringLiteral("presentationMode"));
    m_toggle->setObjectName(QStringLiteral("presentationAction"));
    m_toggle->setCheckable(true);
    m_toggle->setShortcuts({QKeySequence(Qt::Key_F11), QKeySequence(tr("Ctrl+Shift+P"))});
    m_toggle->setToolTip(
        tr("Full screen, large type, high contrast, the views in turn (Esc leaves)"));
    // On the window as well as in the menu: a hidden menu bar's shortcuts do not fire.
    window->addAction(m_toggle);
    connect(m_toggle, &QAction::toggled, this, &PresentationMode::setActive);

    // Owned by the window's tab widget while shown there, by this otherwise.
    m_indicator->setParent(window);
    m_indicator->hide();
    m_indicator->setObjectName(QStringLiteral("presentationIndicator"));
    m_indicator->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Room on the right: the tab bar's corner reaches the window's edge.
    m_indicator->setContentsMargins(16, 0, 16, 0);

    m_cycle.setInterval(savedInterval());
    connect(&m_cycle, &QTimer::timeout, this, &PresentationMode::next);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &PresentationMode::updateIndicator);
    connect(window->views(), &QTabWidget::currentChanged, this, &PresentationMode::updateIndicator);
}

std::chrono::milliseconds PresentationMode::interval() const {
    return m_cycle.intervalAsDuration();
}

void PresentationMode::setInterval(std::chrono::milliseconds interval) {
    m_cycle.setInterval(interval);
    if (m_active && !m_paused)
        restartCycle();
    if (m_intervals)
        for (QAction* action : m_intervals->actions())
            action->setChecked(std::chrono::seconds(action->data().toInt()) == interval);
}

void PresentationMode::addActions(QMenu* view) {
    view->addAction(m_toggle);
    QMenu* intervals = view->addMenu(tr("Presentation &interval"));
    m_intervals = new QActionGroup(this);
    for (int seconds : kIntervalChoices) {
        QAction* action = intervals->addAction(tr("%1 s").arg(seconds));
        action->setCheckable(true);
        action->setData(seconds);
        action->setChecked(std::chrono::seconds(seconds) == interval());
        m_intervals->addAction(action);
        connect(action, &QAction::triggered, this, [this, seconds] {
            ConsoleSettings settings = ConsoleSettings::load();
            settings.presentationIntervalSeconds = seconds;
            settings.save();
            setInterval(std::chrono::seconds(seconds));
        });
    }
}

void PresentationMode::setActive(bool active) {
    active ? enter() : leave();
}

void PresentationMode::enter() {
    if (m_active)
        return;
    m_active = true;
    m_paused = false;
    m_saved.font = QApplication::font();
    m_saved.theme = m_window->themeKind();
    m_saved.state = m_window->windowState();
    m_saved.geometry = m_window->saveGeometry();
    m_saved.dockVisible = m_window->eventsDock()->isVisibleTo(m_window);
    m_saved.menuBarVisible = m_window->menuBar()->isVisibleTo(m_window);
    QSplitter* overviewSplit = m_window->overview()->splitter();
    m_saved.overviewSplit = overviewSplit->saveState();

    const QFont large = scaled(m_saved.font, kFontScale);
    setApplicationFont(large);
    // After the font: the charts take their labels' font from the theme's application.
    applyTheme(m_window, Theme::Kind::HighContrast);
    m_window->eventsDock()->hide();
    m_window->menuBar()->hide();
    // Unobtrusive: smaller than the views' text.
    const QFont small = scaled(large, 0.7);
    m_indicator->setFont(small);
    // As wide as its widest text, so the tab bar's corner, laid out once, never clips it.
    const QFontMetrics metrics(small);
    int widest = 0;
    for (const QString& text : indicatorTexts())
        widest = std::max(widest, metrics.horizontalAdvance(text));
    const QMargins margins = m_indicator->contentsMargins();
    m_indicator->setMinimumWidth(widest + margins.left() + margins.right());
    updateIndicator();
    m_window->views()->setCornerWidget(m_indicator, Qt::TopRightCorner);
    m_indicator->show();
    m_window->showFullScreen();
    // The map is what a review looks at: most of the Overview's height, the table a strip.
    const int height = std::max(overviewSplit->height(), m_window->height());
    overviewSplit->setSizes({height / 4, height - height / 4});

    qApp->installEventFilter(this);
    m_cycle.start();
    m_tick.start();
    updateIndicator();
    m_toggle->setChecked(true);
    emit activeChanged(true);
}

void PresentationMode::leave() {
    if (!m_active)
        return;
    m_active = false;
    qApp->removeEventFilter(this);
    m_cycle.stop();
    m_tick.stop();
    m_window->views()->setCornerWidget(nullptr, Qt::TopRightCorner);
    m_indicator->hide();
    m_indicator->setParent(m_window);

    setApplicationFont(m_saved.font);
    applyTheme(m_window, m_saved.theme);
    m_window->eventsDock()->setVisible(m_saved.dockVisible);
    m_window->menuBar()->setVisible(m_saved.menuBarVisible);
    m_window->overview()->splitter()->restoreState(m_saved.overviewSplit);
    m_window->setWindowState(m_saved.state);
    if (!(m_saved.state & (Qt::WindowFullScreen | Qt::WindowMaximized)))
        m_window->restoreGeometry(m_saved.geometry);
    m_toggle->setChecked(false);
    emit activeChanged(false);
}

void PresentationMode::next() {
    const int count = m_window->views()->count();
    if (count > 0)
        showView((m_window->views()->currentIndex() + 1) % count);
}

void PresentationMode::previous() {
    const int count = m_window->views()->count();
    if (count > 0)
        showView((m_window->views()->currentIndex() + count - 1) % count);
}

void PresentationMode::showView(int index) {
    if (index < 0 || index >= m_window->views()->count())
        return;
    m_window->views()->setCurrentIndex(index);
    restartCycle();
    updateIndicator();
}

void PresentationMode::setPaused(bool paused) {
    m_paused = paused;
    if (paused)
        m_cycle.stop();
    else
        restartCycle();
    updateIndicator();
}

void PresentationMode::restartCycle() {
    if (m_active && !m_paused)
        m_cycle.start();
}

bool PresentationMode::eventFilter(QObject* watched, QEvent* event) {
    const bool override = event->type() == QEvent::ShortcutOverride;
    if ((!override && event->type() != QEvent::KeyPress) || !watched->isWidgetType())
        return false;
    // Keys on the window only: a dialog over it keeps its own.
    if (static_cast<QWidget*>(watched)->window() != m_window)
        return false;
    const auto* key = static_cast<QKeyEvent*>(event);
    // Ctrl, Alt and Meta combinations stay shortcuts (Ctrl+Shift+P leaves).
    if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    const auto action = actionFor(key->key());
    if (!action)
        return false;
    // Asked first whether a shortcut may have the key (the error banner's Esc): no, it is ours.
    if (override) {
        event->accept();
        return true;
    }
    action();
    return true;
}

QList<ShortcutEntry> PresentationMode::keys() {
    const QString group = tr("Presentation mode");
    return {{group, tr("Next view"), {tr("Right"), tr("Page Down"), tr("Space")}},
            {group, tr("Previous view"), {tr("Left"), tr("Page Up")}},
            {group, tr("Show view 1 to 9"), {tr("1 … 9")}},
            {group, tr("Pause or resume the cycle"), {tr("P")}},
            {group, tr("Leave presentation mode"), {tr("Esc")}}};
}

// Keep keys() in step with this.
std::function<void()> PresentationMode::actionFor(int key) {
    switch (key) {
    case Qt::Key_Right:
    case Qt::Key_PageDown:
    case Qt::Key_Space:
        return [this] {
            next();
        };
    case Qt::Key_Left:
    case Qt::Key_PageUp:
        return [this] {
            previous();
        };
    case Qt::Key_P:
        return [this] {
            setPaused(!m_paused);
        };
    case Qt::Key_Escape:
        return [this] {
            leave();
        };
    default:
        break;
    }
    if (key >= Qt::Key_1 && key <= Qt::Key_9)
        return [this, key] {
            showView(key - Qt::Key_1);
        };
    return {};
}

QString PresentationMode::indicatorText(int index, bool paused, qint64 secondsLeft) const {
    const QTabWidget* views = m_window->views();
    const QString place = tr("%1 · %2/%3")
                              .arg(views->tabText(index).remove(QLatin1Char('&')))
                              .arg(index + 1)
                              .arg(views->count());
    return paused ? tr("%1 · paused (P resumes)").arg(place)
                  : tr("%1 · next in %2 s").arg(place).arg(secondsLeft);
}

QStringList PresentationMode::indicatorTexts() const {
    QStringList texts;
    const qint64 longest = std::chrono::ceil<std::chrono::seconds>(interval()).count();
    for (int index = 0; index < m_window->views()->count(); ++index)
        texts << indicatorText(index, true, 0) << indicatorText(index, false, longest);
    return texts;
}

void PresentationMode::updateIndicator() {
    if (!m_active)
        return;
    const auto left = std::chrono::ceil<std::chrono::seconds>(
        m_cycle.isActive() ? m_cycle.remainingTimeAsDuration() : interval());
    m_indicator->setText(indicatorText(m_window->views()->currentIndex(), m_paused, left.count()));
}

} // namespace switchboard
