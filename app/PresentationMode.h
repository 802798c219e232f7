#pragma once

#include "ConsoleSettings.h"
#include "ShortcutList.h"
#include "Theme.h"

#include <QByteArray>
#include <QFont>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>

class QAction;
class QActionGroup;
class QLabel;
class QMenu;

namespace switchboard {

class MainWindow;

// Presentation mode for architecture reviews (docs/presentation.md): the window full screen, the
// application's font 1.6 times larger, the high-contrast theme, the events dock and the menus
// hidden, and the views shown in turn on a timer (presentation/interval_s in the settings, 20 s
// by default). While it is on, keys on the window drive it: Right, Page Down or Space the next
// view, Left or Page Up the previous one, 1 to 9 a view directly, P pauses and resumes, Esc
// leaves. A small label in the tab bar's corner names the view, its place ("3/9") and the time to
// the next one. Leaving restores the font, theme, dock, menus and window state it found.
class PresentationMode : public QObject {
    Q_OBJECT
public:
    static constexpr qreal kFontScale = 1.6;
    static constexpr int kDefaultIntervalSeconds =
        ConsoleSettings::kDefaultPresentationIntervalSeconds;
    static constexpr int kMaxIntervalSeconds = ConsoleSettings::kMaxPresentationIntervalSeconds;

    explicit PresentationMode(MainWindow* window);

    // The keys that drive it while it is on (actionFor()), for Help → Keyboard shortcuts.
    static QList<ShortcutEntry> keys();

    bool isActive() const { return m_active; }
    bool isPaused() const { return m_paused; }
    std::chrono::milliseconds interval() const;
    // For this run only; the View menu's choices are also saved to the settings.
    void setInterval(std::chrono::milliseconds interval);

    // View → Presentation mode (F11, Ctrl+Shift+P), checkable; it works with the menus hidden.
    QAction* toggleAction() const { return m_toggle; }
    // The toggle and View → Presentation interval's choices.
    void addActions(QMenu* view);
    QLabel* indicator() const { return m_indicator; }

public slots:
    void enter();
    void leave();
    void setActive(bool active);
    void next();
    void previous();
    void showView(int index);
    void setPaused(bool paused);

signals:
    void activeChanged(bool active);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // What entering changed, as it was before.
    struct Saved {
        QFont font;
        Theme::Kind theme = Theme::Kind::Light;
        Qt::WindowStates state;
        QByteArray geometry;
        QByteArray overviewSplit; // the Overview's table/map division
        bool dockVisible = true;
        bool menuBarVisible = true;
    };

    // What a key does in presentation mode; none for a key it leaves alone.
    std::function<void()> actionFor(int key);
    // After the viewer moved: the next view a whole interval from now.
    void restartCycle();
    void updateIndicator();
    // "Replication · 3/9 · next in 14 s", "… · paused (P resumes)".
    QString indicatorText(int index, bool paused, qint64 secondsLeft) const;
    // Every text it may show at the current interval, for its width.
    QStringList indicatorTexts() const;

    MainWindow* m_window;
    QAction* m_toggle;
    QActionGroup* m_intervals = nullptr;
    QLabel* m_indicator;
    QTimer m_cycle;
    QTimer m_tick; // the indicator's countdown
    Saved m_saved;
    bool m_active = false;
    bool m_paused = false;
};

} // namespace switchboard
