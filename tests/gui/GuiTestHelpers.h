// Shared by the GUI tests: finding a widget by object name, clicking it, reading a label,
// saving a screenshot for the docs, and driving an action dialog through its stages.
#pragma once

#include <QAbstractButton>
#include <QDir>
#include <QLabel>
#include <QLatin1String>
#include <QString>
#include <QTest>
#include <QWidget>
#include <chrono>

namespace gui_test {

// The child of `parent` named `name`; a missing one ends the test run at once, since every
// later step would fail less clearly.
template <typename T> T* child(const QWidget& parent, const char* name) {
    T* found = parent.findChild<T*>(QLatin1String(name));
    if (!found)
        qFatal("no child %s", name);
    return found;
}

inline QString text(const QWidget& parent, const char* label) {
    return child<QLabel>(parent, label)->text();
}

inline void click(const QWidget& parent, const char* button) {
    QTest::mouseClick(child<QAbstractButton>(parent, button), Qt::LeftButton);
}

// Saves what `widget` shows to `fileName` in $SWITCHBOARD_SCREENSHOT_DIR (the docs' pictures);
// nothing when it is not set.
inline void saveScreenshot(QWidget& widget, const QString& fileName) {
    const QString dir = qEnvironmentVariable("SWITCHBOARD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    const QString path = QDir(dir).absoluteFilePath(fileName);
    QVERIFY2(widget.grab().save(path), qPrintable(path));
    qInfo("saved %s", qPrintable(path));
}

// The action dialogs (override, rebalance, invalidate, drill) share their flow, the names of
// their stages and their buttons' object names, so their tests drive them alike with these.

// Polls the dialog's job every 60 ms, so a test does not wait out the real interval.
template <typename Dialog> void followQuickly(Dialog& dialog) {
    dialog.follower()->setTiming({std::chrono::milliseconds(60), std::chrono::minutes(1)});
}

// Clicks the plan button and waits for the agent's answer: whether a plan is shown.
template <typename Dialog> bool planned(Dialog& dialog) {
    using Stage = typename Dialog::Stage;
    click(dialog, "planButton");
    return QTest::qWaitFor([&dialog] { return dialog.stage() != Stage::Planning; }, 5000) &&
           dialog.stage() == Stage::Planned;
}

// Clicks Confirm and waits for the confirm's answer: whether the job started (it may have
// ended already).
template <typename Dialog> bool started(Dialog& dialog) {
    using Stage = typename Dialog::Stage;
    click(dialog, "confirmButton");
    return QTest::qWaitFor([&dialog] { return dialog.stage() != Stage::Confirming; }, 5000) &&
           (dialog.stage() == Stage::Running || dialog.stage() == Stage::Finished);
}

// Clicks Confirm, then `acceptButton` in the question a dangerous action asks first: whether
// the job runs.
template <typename Dialog> bool confirmedThrough(Dialog& dialog, const char* acceptButton) {
    using Stage = typename Dialog::Stage;
    click(dialog, "confirmButton");
    if (dialog.stage() != Stage::Asking || !dialog.confirmation())
        return false;
    click(*dialog.confirmation(), acceptButton);
    return QTest::qWaitFor([&dialog] { return dialog.stage() == Stage::Running; }, 5000);
}

} // namespace gui_test
