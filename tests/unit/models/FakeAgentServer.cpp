#include "FakeAgentServer.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>

namespace {

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

FakeAgentServer::FakeAgentServer(QObject* parent)
    : QObject(parent)
    , m_server(QStringLiteral("fake-agent"), QWebSocketServer::NonSecureMode) {
    connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket* socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            m_sockets.append(socket);
            m_requestUrls.append(socket->requestUrl());
            m_authorizations.append(socket->request().rawHeader("Authorization"));
            if (!m_greetingStream.isEmpty())
                sendSnapshot(m_greetingSeq, m_greetingStream);
            emit connected();
        }
    });
}

FakeAgentServer::~FakeAgentServer() {
    shutDown();
}

bool FakeAgentServer::listen(quint16 port) {
    if (!m_server.listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void FakeAgentServer::shutDown() {
    m_server.close();
    for (const QPointer<QWebSocket>& socket : std::as_const(m_sockets)) {
        if (socket) {
            socket->abort();
            socket->deleteLater();
        }
    }
    m_sockets.clear();
}

void FakeAgentServer::send(const QByteArray& frame) {
    for (qsizetype i = m_sockets.size() - 1; i >= 0; --i) {
        if (m_sockets.at(i)) {
            m_sockets.at(i)->sendTextMessage(QString::fromUtf8(frame));
            return;
        }
    }
}

void FakeAgentServer::sendSnapshot(qint64 seq, const QString& stream, int protocolVersion,
                                   double rate, int probeStatus) {
    const QJsonObject info{{"service", "checkout"},       {"instance", "fake-1"},
                           {"region", "us-east"},         {"agent_version", "0.1.0"},
                           {"protocol", protocolVersion}, {"capabilities", QJsonArray{"stream"}}};
    const QJsonObject probe{{"name", "redis"},       {"kind", "redis"},   {"target", "127.0.0.1:1"},
                            {"status", probeStatus}, {"latency_ms", 0.5}, {"error", ""},
                            {"checked_ms", nowMs()}};
    const QJsonObject requests{
        {"interval_ms", 1000}, {"total", 10}, {"errors", 0}, {"rate_per_s", rate}};
    const QJsonObject snapshot{{"revision", seq},
                               {"time_ms", nowMs()},
                               {"info", info},
                               {"probes", QJsonArray{probe}},
                               {"requests", requests}};
    const QJsonObject message{{"type", "snapshot"},
                              {"seq", seq},
                              {"stream", stream},
                              {"protocol", protocolVersion},
                              {"snapshot", snapshot}};
    send(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

void FakeAgentServer::sendRequests(qint64 seq, const QString& stream, double rate, qint64 timeMs) {
    const QJsonObject requests{
        {"interval_ms", 1000}, {"total", 10}, {"errors", 0}, {"rate_per_s", rate}};
    const QJsonObject message{{"type", "event"},
                              {"seq", seq},
                              {"stream", stream},
                              {"kind", "requests"},
                              {"time_ms", timeMs > 0 ? timeMs : nowMs()},
                              {"data", requests}};
    send(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

void FakeAgentServer::sendProbe(qint64 seq, const QString& stream, const QString& name, int status,
                                const QString& error) {
    const QJsonObject probe{{"name", name},      {"kind", "redis"}, {"status", status},
                            {"latency_ms", 1.0}, {"error", error},  {"checked_ms", nowMs()}};
    const QJsonObject message{{"type", "event"}, {"seq", seq},         {"stream", stream},
                              {"kind", "probe"}, {"time_ms", nowMs()}, {"data", probe}};
    send(QJsonDocument(message).toJson(QJsonDocument::Compact));
}
