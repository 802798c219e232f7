#pragma once

#include <QObject>
#include <QString>

class QAction;
class QLabel;
class QMenu;
class QStatusBar;
class QWidget;

namespace switchboard {

class ErrorBanner;
class Fleet;
class StreamRecorder;
class StreamReplay;

// The console's side of recording and replay (docs/recording.md): File → Start recording… /
// Stop recording / Open recording…, --record and --replay from main(), and a status-bar label
// that always says when the views show a recording ("Replaying demo.jsonl (×10)", then that the
// replay ended) or that one is being written. The recording itself is models/ (StreamRecorder,
// StreamReplay); this only asks for files and shows what happens.
class RecordingControls : public QObject {
    Q_OBJECT
public:
    RecordingControls(Fleet* fleet, QWidget* window, ErrorBanner* banner, QStatusBar* statusBar);

    void addActions(QMenu* file);

    // Records the fleet's streams into `path` from now on. False, with `error`, if it cannot.
    bool startRecording(const QString& path, QString* error);
    void stopRecording();
    // Replays `path` into the fleet at `speed` (1: the recorded pace; 0: as fast as possible),
    // in place of the replay before, if any. False, with `error`, if it is no recording.
    bool openRecording(const QString& path, double speed, QString* error);

    StreamRecorder* recorder() const { return m_recorder; }
    StreamReplay* replay() const { return m_replay; } // nullptr before the first replay
    QLabel* statusLabel() const { return m_label; }

private:
    void askStartRecording();
    void askOpenRecording();
    void showState();

    Fleet* m_fleet;
    QWidget* m_window;
    ErrorBanner* m_banner;
    StreamRecorder* m_recorder;
    StreamReplay* m_replay = nullptr;
    QLabel* m_label;
    QAction* m_startAction = nullptr;
    QAction* m_stopAction = nullptr;
    QString m_replayEnded; // why the last replay ended; empty while it runs
};

} // namespace switchboard
