#include "FakeHttpAgent.h"

#include <QJsonDocument>
#include <QTcpSocket>

QJsonObject HttpExchange::json() const {
    return QJsonDocument::fromJson(body).object();
}

HttpAnswer HttpAnswer::json(int status, const QJsonObject& document) {
    HttpAnswer answer;
    answer.status = status;
    answer.body = QJsonDocument(document).toJson(QJsonDocument::Compact);
    answer.headers.append(
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return answer;
}

HttpAnswer HttpAnswer::error(int status, const QString& reason, const QString& message,
                             const QJsonObject& extra) {
    QJsonObject error = extra;
    error.insert(QStringLiteral("code"), status);
    error.insert(QStringLiteral("reason"), reason);
    error.insert(QStringLiteral("message"), message);
    return json(status, QJsonObject{{QStringLiteral("error"), error}});
}

FakeHttpAgent::FakeHttpAgent(QObject* parent)
    : QObject(parent) {
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_server.nextPendingConnection()) {
            m_buffers.insert(socket, {});
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    });
}

FakeHttpAgent::~FakeHttpAgent() {
    // Sockets are the server's children; detach them so none reports into a dead object.
    for (QTcpSocket* socket : m_buffers.keys())
        socket->disconnect(this);
}

bool FakeHttpAgent::listen() {
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QList<HttpExchange> FakeHttpAgent::exchanges(const QString& path) const {
    QList<HttpExchange> result;
    for (const HttpExchange& exchange : m_exchanges) {
        if (exchange.path == path)
            result.append(exchange);
    }
    return result;
}

void FakeHttpAgent::onReadyRead(QTcpSocket* socket) {
    QByteArray& buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    HttpExchange exchange;
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    exchange.method = requestLine.value(0);
    exchange.target = requestLine.value(1);
    const QUrl target(QString::fromLatin1(exchange.target));
    exchange.path = target.path();
    exchange.query = QUrlQuery(target.query());
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            exchange.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                    lines.at(i).mid(colon + 1).trimmed());
    }
    const qsizetype length = exchange.header("content-length").toLongLong();
    if (buffer.size() < headEnd + 4 + length)
        return; // the body is still on its way
    exchange.body = buffer.mid(headEnd + 4, length);
    buffer.clear();
    m_exchanges.append(exchange);
    emit received(exchange);

    const HttpAnswer answer = m_handler ? m_handler(exchange)
                                        : HttpAnswer::error(404, QStringLiteral("not_found"),
                                                            QStringLiteral("no handler"));
    switch (answer.kind) {
    case HttpAnswer::Kind::Hang:
        return;
    case HttpAnswer::Kind::Drop:
        socket->abort();
        return;
    case HttpAnswer::Kind::Reply:
        break;
    }
    QByteArray response = "HTTP/1.1 " + QByteArray::number(answer.status) + " Fake\r\n";
    for (const auto& [name, value] : answer.headers)
        response += name + ": " + value + "\r\n";
    response += "Content-Length: " + QByteArray::number(answer.body.size()) +
                "\r\nConnection: close\r\n\r\n" + answer.body;
    socket->write(response);
    socket->disconnectFromHost();
}
