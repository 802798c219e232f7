// A minimal HTTP/1.1 responder on a free loopback port, for the console's action client tests:
// it reads one request per connection (head and Content-Length body), records it, and answers
// with what the test's handler returns, or stays silent, or hangs up. Test-only; no chunked
// bodies, no keep-alive (every answer closes its connection).
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QTcpServer>
#include <QUrl>
#include <QUrlQuery>
#include <functional>

class QTcpSocket;

// One request as the server received it.
struct HttpExchange {
    QByteArray method;
    QByteArray target; // as sent, still percent-encoded
    QString path;      // decoded
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;

    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    QJsonObject json() const;
};

// What to do with a request.
struct HttpAnswer {
    enum class Kind {
        Reply, // status, headers and body
        Hang,  // read it and never answer (a stopped process): the client's timeout must fire
        Drop,  // close the connection without a word (a crash mid-request)
    };

    Kind kind = Kind::Reply;
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    static HttpAnswer json(int status, const QJsonObject& document);
    // The agent's error document, with `extra` fields added inside "error".
    static HttpAnswer error(int status, const QString& reason, const QString& message,
                            const QJsonObject& extra = {});
    static HttpAnswer hang() { return {Kind::Hang, 0, {}, {}}; }
    static HttpAnswer drop() { return {Kind::Drop, 0, {}, {}}; }
};

class FakeHttpAgent : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<HttpAnswer(const HttpExchange&)>;

    explicit FakeHttpAgent(QObject* parent = nullptr);
    ~FakeHttpAgent() override;

    bool listen(); // a free loopback port
    quint16 port() const { return m_server.serverPort(); }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port())); }

    // Answers 404 until set.
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    QList<HttpExchange> exchanges() const { return m_exchanges; }
    // The requests for one path, in order.
    QList<HttpExchange> exchanges(const QString& path) const;

signals:
    void received(const HttpExchange& exchange);

private:
    void onReadyRead(QTcpSocket* socket);

    QTcpServer m_server;
    Handler m_handler;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    QList<HttpExchange> m_exchanges;
};
