// An in-process stand-in for an agent's /v1/stream: a QWebSocketServer on a free loopback port
// that records each handshake and lets the test send whatever frames it wants, good or bad.
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

class FakeAgentServer : public QObject {
    Q_OBJECT
public:
    explicit FakeAgentServer(QObject* parent = nullptr);
    ~FakeAgentServer() override;

    // port 0 picks a free one; a restart passes the previous port.
    bool listen(quint16 port = 0);
    // Stops listening and drops every connection, like a process that exits.
    void shutDown();

    quint16 port() const { return m_port; }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }

    // What each connection asked for, in order.
    QList<QUrl> requestUrls() const { return m_requestUrls; }
    QList<QByteArray> authorizations() const { return m_authorizations; }
    int connectionCount() const { return static_cast<int>(m_requestUrls.size()); }

    // Sends to the newest connection.
    void send(const QByteArray& frame);
    void sendSnapshot(qint64 seq, const QString& stream, int protocolVersion = 1,
                      double rate = 10.0, int probeStatus = 1);
    void sendRequests(qint64 seq, const QString& stream, double rate, qint64 timeMs = 0);
    void sendProbe(qint64 seq, const QString& stream, const QString& name, int status,
                   const QString& error = {});

    // When set, each new connection receives a snapshot of this stream at `seq` at once.
    void setGreeting(const QString& stream, qint64 seq) {
        m_greetingStream = stream;
        m_greetingSeq = seq;
    }

signals:
    void connected();

private:
    QWebSocketServer m_server;
    quint16 m_port = 0;
    QList<QPointer<QWebSocket>> m_sockets;
    QList<QUrl> m_requestUrls;
    QList<QByteArray> m_authorizations;
    QString m_greetingStream;
    qint64 m_greetingSeq = 0;
};
