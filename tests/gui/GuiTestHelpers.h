// Shared by the GUI tests: finding a widget by object name, clicking it, reading a label, and
// saving a screenshot for the docs.
#pragma once

#include <QAbstractButton>
#include <QDir>
#include <QLabel>
#include <QLatin1String>
#include <QString>
#include <QTest>
#include <QWidget>

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

} // namespace gui_test
