#pragma once

#include "AgentSnapshot.h"
#include "ConnectionState.h"
#include "StreamEvent.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QString>
#include <QTimer>
#include <QUrl>
#include <chrono>

class QWebSocket;

namespace switchboard {

// One agent's stream, kept alive. Opens ws://HOST:PORT/v1/stream (wss:// for an https:// agent,
// its certificate verified against sslConfiguration(): a failure is State::TlsFailed, retried
// slowly) with the bearer token,
// reconnects with jittered exponential backoff, asks for only what it missed on reconnect
// (?stream=ID&since=SEQ), resyncs on a sequence gap, and says when data goes stale.
// Everything is asynchronous on the owning thread's event loop; nothing here blocks.
class AgentClient : public QObject {
    Q_OBJECT
public:
    using State = ConnectionState;

    struct Timing {
        // The agent sends a requests event every second; past this silence the data is stale.
        std::chrono::milliseconds staleAfter{1500};
        std::chrono::milliseconds initialBackoff{200};
        std::chrono::milliseconds maxBackoff{2000};
        // A connect or handshake that hangs (e.g. a stopped process) is abandoned after this.
        std::chrono::milliseconds handshakeTimeout{5000};
    };

    AgentClient(const QUrl& baseUrl, const QString& token, QObject* parent = nullptr);
    ~AgentClient() override;

    QUrl baseUrl() const { return m_baseUrl; }
    // The URL the next connection attempt opens (with stream and since once it has data).
    QUrl streamUrl() const;

    State state() const { return m_state; }
    // Why the client is not Live: the last socket error, the 401, or the protocol mismatch.
    QString errorText() const { return m_errorText; }
    // When the last message arrived; invalid before the first one.
    QDateTime staleSince() const { return m_lastMessageAt; }
    qint64 lastSeq() const { return m_lastSeq; }
    QString streamId() const { return m_streamId; }

    Timing timing() const { return m_timing; }
    void setTiming(const Timing& timing);

    // Whom a wss:// connection trusts (TlsTrust); the system's CAs until set. Applies from the
    // next connection attempt.
    QSslConfiguration sslConfiguration() const { return m_ssl; }
    void setSslConfiguration(const QSslConfiguration& configuration) { m_ssl = configuration; }

    // Replay (StreamReplay): no socket and no timers; the frames of a recording arrive through
    // replayFrame() and go through the very checks and signals a socket's frames go through, so
    // every model is fed as from a live agent.
    bool isReplay() const { return m_replay; }
    void startReplay();
    void replayFrame(const QByteArray& frame);
    // A state the recorded client went through that no frame shows (Stale when its socket
    // closed, Unauthorized...); Live comes from the frames themselves.
    void replayState(switchboard::ConnectionState state, const QString& errorText);
    // The recording is over: Stale, with `why` as the error text, so no view pretends it is live.
    void endReplay(const QString& why);

public slots:
    void start();
    void stop();
    // Asks the agent for a whole new snapshot (a reconnect without a position): a recording
    // started now then begins with one. Nothing happens before the first snapshot or in replay.
    void restartStream();

signals:
    void stateChanged(switchboard::ConnectionState state);
    // Every text frame as received, before it is parsed (what StreamRecorder writes).
    void frameReceived(const QByteArray& frame);
    // A whole new state; may come at any time (first connect, agent restarted, resync).
    void snapshotReceived(const switchboard::AgentSnapshot& snapshot);
    // One change, in sequence order, seq = previous + 1.
    void eventReceived(const switchboard::StreamEvent& event);
    void errorOccurred(const QString& message);

private:
    void openSocket();
    void disposeSocket();
    void onFrame(const QByteArray& frame);
    // The socket closed or failed: a TLS failure, or a connection lost.
    void onSocketEnded(QWebSocket* socket);
    void onSocketLost(const QString& reason);
    void onTlsFailed(const QString& reason);
    void onStaleTimeout();
    void scheduleReconnect(std::chrono::milliseconds delay);
    void resync(bool keepPosition);
    void setState(State state);
    void reportError(const QString& message);

    QUrl m_baseUrl;
    QByteArray m_authorization;
    Timing m_timing;
    QSslConfiguration m_ssl;
    QString m_tlsErrors; // the certificate checks the current socket failed, as a sentence
    State m_state = State::Connecting;
    QString m_errorText;
    QString m_lastReportedError;
    QDateTime m_lastMessageAt;
    qint64 m_lastSeq = -1;
    QString m_streamId;
    bool m_running = false;
    bool m_hadData = false;
    bool m_replay = false;
    std::chrono::milliseconds m_backoff;
    QPointer<QWebSocket> m_socket;
    QTimer m_reconnectTimer;
    QTimer m_staleTimer;
    QTimer m_handshakeTimer;
};

} // namespace switchboard
