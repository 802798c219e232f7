#include "AgentClient.h"

#include "ProtocolNames.h"
#include "StreamMessageParser.h"
#include "TlsTrust.h"

#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QUrlQuery>
#include <QWebSocket>
#include <algorithm>

namespace switchboard {

using std::chrono::milliseconds;

AgentClient::AgentClient(const QUrl& baseUrl, const QString& token, QObject* parent)
    : QObject(parent)
    , m_baseUrl(baseUrl)
    , m_ssl(TlsTrust::systemConfiguration())
    , m_backoff(m_timing.initialBackoff) {
    if (!token.isEmpty())
        m_authorization = QByteArray(protocol::kBearerPrefix.data(),
                                     static_cast<qsizetype>(protocol::kBearerPrefix.size())) +
                          token.toUtf8();
    m_reconnectTimer.setSingleShot(true);
    m_staleTimer.setSingleShot(true);
    m_handshakeTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &AgentClient::openSocket);
    connect(&m_staleTimer, &QTimer::timeout, this, &AgentClient::onStaleTimeout);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        onSocketLost(QStringLiteral("no answer from %1 within %2 ms")
                         .arg(m_baseUrl.toString())
                         .arg(m_timing.handshakeTimeout.count()));
    });
}

AgentClient::~AgentClient() {
    // Detach first: a socket torn down by QObject's destructor would still signal into us.
    disposeSocket();
}

void AgentClient::setTiming(const Timing& timing) {
    m_timing = timing;
    m_backoff = timing.initialBackoff;
}

QUrl AgentClient::streamUrl() const {
    QUrl url = m_baseUrl;
    url.setScheme(m_baseUrl.scheme() == QLatin1String("https") ? QStringLiteral("wss")
                                                               : QStringLiteral("ws"));
    QString path = m_baseUrl.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + qtName(protocol::path::kStream));
    QUrlQuery query;
    if (!m_streamId.isEmpty() && m_lastSeq >= 0) {
        query.addQueryItem(qtName(protocol::query::kStreamId), m_streamId);
        query.addQueryItem(qtName(protocol::query::kSince), QString::number(m_lastSeq));
    }
    url.setQuery(query);
    return url;
}

void AgentClient::start() {
    if (m_running || m_replay)
        return;
    m_running = true;
    m_backoff = m_timing.initialBackoff;
    if (m_state == State::Incompatible)
        setState(m_hadData ? State::Stale : State::Connecting);
    openSocket();
}

void AgentClient::stop() {
    m_running = false;
    m_reconnectTimer.stop();
    m_staleTimer.stop();
    m_handshakeTimer.stop();
    disposeSocket();
}

void AgentClient::restartStream() {
    if (m_replay || !m_running || m_streamId.isEmpty())
        return;
    resync(false);
}

void AgentClient::startReplay() {
    stop();
    m_replay = true;
    setState(State::Connecting);
}

void AgentClient::replayFrame(const QByteArray& frame) {
    if (m_replay)
        onFrame(frame);
}

void AgentClient::replayState(State state, const QString& errorText) {
    if (!m_replay || state == State::Live)
        return;
    m_errorText = errorText;
    setState(state);
}

void AgentClient::endReplay(const QString& why) {
    if (!m_replay || m_state == State::Incompatible)
        return;
    m_errorText = why;
    setState(m_hadData ? State::Stale : State::Connecting);
}

void AgentClient::openSocket() {
    if (!m_running)
        return;
    disposeSocket();
    auto* socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, [this, socket] {
        if (socket != m_socket)
            return;
        m_handshakeTimer.stop();
        // Connected but silent is not live: the snapshot (or the missed events) must follow.
        m_staleTimer.start(m_timing.staleAfter);
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString& frame) {
        if (socket == m_socket)
            onFrame(frame.toUtf8());
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket == m_socket)
            onSocketEnded(socket);
    });
    // error() is overloaded in Qt 6.4 (signal and getter); errorOccurred() arrives in 6.5.
    // Qt reports the failed certificate checks first, then the handshake error: the checks say
    // more (untrusted issuer, wrong name) than "handshake failed".
    connect(socket, &QWebSocket::sslErrors, this, [this, socket](const QList<QSslError>& errors) {
        if (socket == m_socket)
            m_tlsErrors = TlsTrust::describe(m_baseUrl, errors);
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                if (socket == m_socket)
                    onSocketEnded(socket);
            });

    m_tlsErrors.clear();
    socket->setSslConfiguration(m_ssl);
    QNetworkRequest request(streamUrl());
    if (!m_authorization.isEmpty())
        request.setRawHeader(
            QByteArray(protocol::kAuthorizationHeader.data(),
                       static_cast<qsizetype>(protocol::kAuthorizationHeader.size())),
            m_authorization);
    m_handshakeTimer.start(m_timing.handshakeTimeout);
    socket->open(request);
}

void AgentClient::disposeSocket() {
    if (!m_socket)
        return;
    QWebSocket* socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void AgentClient::onFrame(const QByteArray& frame) {
    m_lastMessageAt = QDateTime::currentDateTime();
    // In replay the recording's pace (and its recorded state changes) say when data is stale.
    if (!m_replay)
        m_staleTimer.start(m_timing.staleAfter);
    emit frameReceived(frame);

    StreamMessageParser::Result result = StreamMessageParser::parse(frame);
    if (!result.ok()) {
        // Dropped; if it was an event, the next one shows a gap and triggers a resync.
        reportError(QStringLiteral("%1 sent a message the console cannot read: %2")
                        .arg(m_baseUrl.toString(), result.error));
        return;
    }

    if (auto* snapshot = std::get_if<SnapshotMessage>(&*result.message)) {
        if (snapshot->protocolVersion != protocol::kVersion) {
            m_errorText = QStringLiteral("protocol mismatch: agent speaks version %1, this console "
                                         "speaks version %2")
                              .arg(snapshot->protocolVersion)
                              .arg(protocol::kVersion);
            // Retrying cannot help until one side is upgraded.
            stop();
            setState(State::Incompatible);
            reportError(m_errorText);
            return;
        }
        m_streamId = snapshot->streamId;
        m_lastSeq = snapshot->seq;
        m_hadData = true;
        m_backoff = m_timing.initialBackoff;
        m_errorText.clear();
        m_lastReportedError.clear();
        setState(State::Live);
        emit snapshotReceived(snapshot->snapshot);
        return;
    }

    const auto& event = std::get<StreamEvent>(*result.message);
    if (m_streamId.isEmpty() || event.streamId != m_streamId) {
        // Events of a stream we hold no snapshot for cannot be applied: start over.
        resync(false);
        return;
    }
    if (event.seq <= m_lastSeq)
        return; // already applied (the agent may resend around a reconnect)
    if (event.seq != m_lastSeq + 1) {
        resync(true);
        return;
    }
    m_lastSeq = event.seq;
    m_backoff = m_timing.initialBackoff;
    m_errorText.clear();
    m_lastReportedError.clear();
    setState(State::Live);
    emit eventReceived(event);
}

void AgentClient::resync(bool keepPosition) {
    if (!keepPosition) {
        m_streamId.clear();
        m_lastSeq = -1;
    }
    // With the position kept, the agent replays what we missed, or sends a snapshot when that
    // is too old; either way the data stays consistent without a visible interruption.
    disposeSocket();
    m_handshakeTimer.stop();
    scheduleReconnect(milliseconds(0));
}

void AgentClient::onSocketLost(const QString& reason) {
    disposeSocket();
    m_handshakeTimer.stop();
    m_staleTimer.stop();
    if (!m_running)
        return;
    if (reason.contains(QLatin1String("status code: 401"))) {
        m_errorText = QStringLiteral("%1 refused the token (HTTP 401): check the token file")
                          .arg(m_baseUrl.toString());
        setState(State::Unauthorized);
    } else {
        m_errorText = reason;
        if (m_state == State::Live)
            setState(State::Stale);
    }
    reportError(m_errorText);
    scheduleReconnect(m_backoff);
    m_backoff = std::min(m_backoff * 2, m_timing.maxBackoff);
}

void AgentClient::onSocketEnded(QWebSocket* socket) {
    const QAbstractSocket::SocketError error = socket->error();
    if (!m_tlsErrors.isEmpty())
        onTlsFailed(m_tlsErrors);
    else if (error == QAbstractSocket::SslHandshakeFailedError ||
             error == QAbstractSocket::SslInternalError)
        onTlsFailed(TlsTrust::describeHandshake(m_baseUrl, socket->errorString()));
    else if (error == QAbstractSocket::RemoteHostClosedError && m_handshakeTimer.isActive() &&
             m_baseUrl.scheme() == QLatin1String("http"))
        // A TLS port drops a plain request unanswered, which Qt reports as a closed connection.
        onSocketLost(QStringLiteral("%1 closed the connection before the handshake: if the "
                                    "agent serves TLS, reach it with https://")
                         .arg(m_baseUrl.toString()));
    else
        onSocketLost(socket->errorString().isEmpty()
                         ? QStringLiteral("connection closed by %1").arg(m_baseUrl.toString())
                         : socket->errorString());
}

void AgentClient::onTlsFailed(const QString& reason) {
    disposeSocket();
    m_handshakeTimer.stop();
    m_staleTimer.stop();
    if (!m_running)
        return;
    // Never connected, never retried quickly: until the agent's certificate or the console's CA
    // changes, every attempt fails the same way. Said once (reportError), retried at the slowest.
    m_errorText = reason;
    setState(State::TlsFailed);
    reportError(m_errorText);
    scheduleReconnect(m_timing.maxBackoff);
}

void AgentClient::onStaleTimeout() {
    if (m_state == State::Live) {
        setState(State::Stale);
        // Keep the connection a little longer: a paused agent (or a congested link) may resume
        // delivering on it, which is cheaper than a reconnect and a replay.
        m_staleTimer.start(m_timing.staleAfter * 2);
        return;
    }
    if (!m_socket)
        return;
    const QString silence =
        m_lastMessageAt.isValid()
            ? QStringLiteral("no message from %1 since %2")
                  .arg(m_baseUrl.toString(), m_lastMessageAt.toString(QStringLiteral("HH:mm:ss")))
            : QStringLiteral("%1 accepted the connection but sent nothing")
                  .arg(m_baseUrl.toString());
    onSocketLost(silence);
}

void AgentClient::scheduleReconnect(milliseconds delay) {
    if (!m_running)
        return;
    // Jitter (±20 %) keeps a fleet of consoles from reconnecting to a restarted agent in step.
    if (delay.count() > 0) {
        const double factor = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
        delay =
            std::min(milliseconds(static_cast<qint64>(static_cast<double>(delay.count()) * factor)),
                     m_timing.maxBackoff);
    }
    m_reconnectTimer.start(delay);
}

void AgentClient::setState(State state) {
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void AgentClient::reportError(const QString& message) {
    // A reconnect loop repeats the same error every few seconds; say it once.
    if (message == m_lastReportedError)
        return;
    m_lastReportedError = message;
    emit errorOccurred(message);
}

} // namespace switchboard
