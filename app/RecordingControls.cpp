#include "RecordingControls.h"

#include "ErrorBanner.h"
#include "Fleet.h"
#include "StreamRecorder.h"
#include "StreamReplay.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QStatusBar>

namespace switchboard {

namespace {

const QString kFilter = QObject::tr("Switchboard recordings (*.jsonl);;All files (*)");

} // namespace

RecordingControls::RecordingControls(Fleet* fleet, QWidget* window, ErrorBanner* banner,
                                     QStatusBar* statusBar)
    : QObject(window)
    , m_fleet(fleet)
    , m_window(window)
    , m_banner(banner)
    , m_recorder(new StreamRecorder(fleet, this))
    , m_label(new QLabel(window)) {
    m_label->setObjectName(QStringLiteral("recordingStatus"));
    statusBar->addPermanentWidget(m_label);
    connect(m_recorder, &StreamRecorder::progress, this, &RecordingControls::showState);
    connect(m_recorder, &StreamRecorder::started, this, &RecordingControls::showState);
    connect(m_recorder, &StreamRecorder::stopped, this, &RecordingControls::showState);
    connect(m_recorder, &StreamRecorder::failed, m_banner, &ErrorBanner::showMessage);
    showState();
}

void RecordingControls::addActions(QMenu* file) {
    m_startAction =
        file->addAction(tr("Start &recording…"), this, &RecordingControls::askStartRecording);
    m_startAction->setObjectName(QStringLiteral("startRecordingAction"));
    m_stopAction = file->addAction(tr("S&top recording"), this, &RecordingControls::stopRecording);
    m_stopAction->setObjectName(QStringLiteral("stopRecordingAction"));
    QAction* open =
        file->addAction(tr("&Open recording…"), this, &RecordingControls::askOpenRecording);
    open->setObjectName(QStringLiteral("openRecordingAction"));
    open->setShortcut(QKeySequence::Open);
    showState();
}

bool RecordingControls::startRecording(const QString& path, QString* error) {
    const bool ok = m_recorder->start(path, error);
    showState();
    return ok;
}

void RecordingControls::stopRecording() {
    m_recorder->stop();
    showState();
}

bool RecordingControls::openRecording(const QString& path, double speed, QString* error) {
    // A new replay takes the place of the one before: its agents leave with it.
    if (m_replay) {
        m_replay->disconnect(this);
        m_replay->stop();
        for (const QString& agentId : m_replay->agentIds())
            m_fleet->removeAgent(agentId);
        m_replay->deleteLater();
        m_replay = nullptr;
    }
    auto* replay = new StreamReplay(m_fleet, this);
    if (!replay->start(path, {speed, StreamReplay::Times::ShiftedToNow}, error)) {
        delete replay;
        showState();
        return false;
    }
    m_replay = replay;
    m_replayEnded.clear();
    connect(replay, &StreamReplay::lineFailed, this, [this](int line, const QString& message) {
        m_banner->showMessage(tr("%1, line %2: %3 (skipped; the rest is replayed)")
                                  .arg(QFileInfo(m_replay->path()).fileName())
                                  .arg(line)
                                  .arg(message));
    });
    connect(replay, &StreamReplay::finished, this, [this](const QString& reason) {
        m_replayEnded = reason;
        showState();
    });
    showState();
    return true;
}

void RecordingControls::askStartRecording() {
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Record the fleet's streams"),
                                                      QString(), kFilter);
    if (path.isEmpty())
        return;
    QString error;
    if (!startRecording(path, &error))
        m_banner->showMessage(error);
}

void RecordingControls::askOpenRecording() {
    const QString path =
        QFileDialog::getOpenFileName(m_window, tr("Open a recording"), QString(), kFilter);
    if (path.isEmpty())
        return;
    QString error;
    if (!openRecording(path, 1.0, &error))
        m_banner->showMessage(error);
}

void RecordingControls::showState() {
    QStringList parts;
    QString title = tr("Switchboard");
    if (m_replay) {
        const QString name = QFileInfo(m_replay->path()).fileName();
        if (m_replay->isRunning()) {
            parts.append(tr("Replaying %1 (%2)")
                             .arg(name, StreamReplay::speedText(m_replay->options().speed)));
            title = tr("Switchboard — replaying %1").arg(name);
        } else {
            // The views keep the recording's last state: say so, or it reads as a live fleet.
            parts.append(
                tr("Replay of %1 ended: the views show the recording's last state").arg(name));
            title = tr("Switchboard — replay of %1 (ended)").arg(name);
        }
    }
    if (m_recorder->isRecording())
        parts.append(tr("● Recording to %1 (%2)")
                         .arg(QFileInfo(m_recorder->path()).fileName(),
                              QLocale().formattedDataSize(m_recorder->bytesWritten())));
    m_label->setText(parts.join(QStringLiteral("  ·  ")));
    m_label->setToolTip(m_replay ? m_replayEnded : QString());
    m_label->setVisible(!parts.isEmpty());
    m_window->setWindowTitle(title);
    if (m_startAction) {
        m_startAction->setEnabled(!m_recorder->isRecording());
        m_stopAction->setEnabled(m_recorder->isRecording());
    }
}

} // namespace switchboard
