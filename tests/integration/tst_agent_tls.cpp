// TLS end to end: agents embedded in this process serve HTTPS and WSS with a certificate from a
// test CA made now, and the console's clients (AgentClient, ActionClient, MetricsScraper) reach
// them verified against that CA. Without the CA, with another CA, for another host name, or
// speaking TLS to a plain port (and plain HTTP to a TLS port), nothing connects and the failure
// is a sentence, while the agents keep serving. No database: the agents run without one.
#include "ActionClient.h"
#include "AgentClient.h"
#include "MetricsScraper.h"
#include "TestCertificates.h"
#include "TimeSeriesStore.h"
#include "TlsTrust.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>
#include <QWebSocket>
#include <memory>
#include <switchboard/agent.h>
#include <switchboard/protocol.h>

using switchboard::ActionClient;
using switchboard::Agent;
using switchboard::AgentClient;
using switchboard::AgentConfig;
using switchboard::ConnectionState;
namespace TlsTrust = switchboard::TlsTrust;
namespace protocol = switchboard::protocol;

namespace {

QString qt(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

struct Reply {
    int status = 0; // 0: no HTTP answer
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorText;
    QJsonObject json;
};

// One GET with the given trust, waited for on the event loop.
Reply get(const QUrl& url, const QByteArray& token, const QSslConfiguration& ssl) {
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setSslConfiguration(ssl);
    request.setTransferTimeout(5000);
    std::unique_ptr<QNetworkReply> reply(network.get(request));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->error(),
            reply->errorString(), QJsonDocument::fromJson(reply->readAll()).object()};
}

} // namespace

class TestAgentTls : public QObject {
    Q_OBJECT

    std::unique_ptr<TestCertificates> ca_;    // signs the agents' certificates
    std::unique_ptr<TestCertificates> other_; // a CA that signed nothing here
    QByteArray viewer_;
    QByteArray operator_;
    std::unique_ptr<Agent> agent_;    // TLS, a certificate for 127.0.0.1 and localhost
    std::unique_ptr<Agent> misnamed_; // TLS, a certificate for another host name only
    std::unique_ptr<Agent> plain_;    // no TLS
    // Made after the agents start (see initTestCase): even an empty QSslConfiguration loads
    // Qt's TLS backend.
    std::optional<QSslConfiguration> trusted_;

    QString writeToken(const QString& name, const QString& role, const QByteArray& token) {
        const QString path = ca_->folder() + QLatin1Char('/') + name + QStringLiteral(".json");
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("name"), name},
                                             {QStringLiteral("role"), role},
                                             {QStringLiteral("token"), QString::fromLatin1(token)}})
                       .toJson());
        return path;
    }

    std::unique_ptr<Agent> startAgent(const QString& instance, const QString& certificate) {
        AgentConfig config;
        config.instance = instance.toStdString();
        config.listen = "127.0.0.1:0";
        config.tokenFiles = {
            writeToken(QStringLiteral("viewer"), QStringLiteral("viewer"), viewer_).toStdString(),
            writeToken(QStringLiteral("operator"), QStringLiteral("operator"), operator_)
                .toStdString()};
        config.tls.certificate = certificate.toStdString();
        config.auditLog =
            (ca_->folder() + QLatin1Char('/') + instance + QStringLiteral(".audit")).toStdString();
        config.statsIntervalMs = 200;
        auto agent = std::make_unique<Agent>(config);
        agent->breaker("redis"); // something to plan an action on
        agent->start();
        return agent;
    }

    static QUrl urlOf(const Agent& agent, const QString& scheme, const QString& host = {}) {
        QUrl url;
        url.setScheme(scheme);
        url.setHost(host.isEmpty() ? QStringLiteral("127.0.0.1") : host);
        url.setPort(agent.port());
        return url;
    }
    QUrl https(const QString& host = {}) const {
        return urlOf(*agent_, QStringLiteral("https"), host);
    }

    // A stream client that retries fast, so a test sees several attempts in a short wait.
    std::unique_ptr<AgentClient> client(const QUrl& url, const QSslConfiguration& ssl) const {
        auto client = std::make_unique<AgentClient>(url, QString::fromLatin1(viewer_));
        AgentClient::Timing timing;
        timing.initialBackoff = std::chrono::milliseconds(50);
        timing.maxBackoff = std::chrono::milliseconds(200);
        timing.handshakeTimeout = std::chrono::milliseconds(3000);
        client->setTiming(timing);
        client->setSslConfiguration(ssl);
        return client;
    }

    // Waits until the client reaches TlsFailed, then checks it never received anything and the
    // error names `expected`.
    void expectTlsFailure(AgentClient& client, const QString& expected) {
        QSignalSpy snapshots(&client, &AgentClient::snapshotReceived);
        QSignalSpy frames(&client, &AgentClient::frameReceived);
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::TlsFailed, 10000);
        QVERIFY2(client.errorText().contains(expected), qPrintable(client.errorText()));
        // Further attempts (at 200 ms here) fail the same way: never a frame.
        QVERIFY(!frames.wait(600));
        QCOMPARE(client.state(), ConnectionState::TlsFailed);
        QCOMPARE(frames.count(), 0);
        QCOMPARE(snapshots.count(), 0);
        client.stop();
    }

private slots:
    void initTestCase() {
        qRegisterMetaType<switchboard::ConnectionState>();
        ca_ = std::make_unique<TestCertificates>(QStringLiteral("agents"));
        QVERIFY2(ca_->ok(), qPrintable(ca_->error()));
        other_ = std::make_unique<TestCertificates>(QStringLiteral("other"));
        QVERIFY2(other_->ok(), qPrintable(other_->error()));
        const QString certificate = ca_->serverCertificate(QStringLiteral("agent.pem"));
        const QString misnamed = ca_->serverCertificate(QStringLiteral("misnamed.pem"),
                                                        {QStringLiteral("agent.switchboard.test")});
        QVERIFY2(!certificate.isEmpty() && !misnamed.isEmpty(), qPrintable(ca_->error()));
        viewer_ = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        operator_ = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        // The agents first: civetweb's TLS must be set up before Qt's TLS backend opens
        // libssl.so in this process (civetweb_tls.h).
        try {
            agent_ = startAgent(QStringLiteral("tls-agent"), certificate);
            misnamed_ = startAgent(QStringLiteral("misnamed-agent"), misnamed);
            plain_ = startAgent(QStringLiteral("plain-agent"), QString());
        } catch (const std::exception& failure) {
            QFAIL(failure.what());
        }
        QString error;
        const auto trusted = TlsTrust::configuration(ca_->caFile(), &error);
        QVERIFY2(trusted, qPrintable(error));
        trusted_ = trusted;
    }

    void cleanupTestCase() {
        agent_.reset();
        misnamed_.reset();
        plain_.reset();
    }

    // Whatever a test did, the TLS agent still answers over HTTPS.
    void cleanup() {
        if (!agent_ || !trusted_)
            return;
        QUrl url = https();
        url.setPath(qt(protocol::path::kHealthz));
        QCOMPARE(get(url, viewer_, *trusted_).status, 200);
    }

    void httpsInfoWithTheCa() {
        for (const QString& host : {QStringLiteral("127.0.0.1"), QStringLiteral("localhost")}) {
            QUrl url = https(host);
            url.setPath(qt(protocol::path::kInfo));
            const Reply reply = get(url, viewer_, *trusted_);
            QVERIFY2(reply.status == 200, qPrintable(reply.errorText));
            QCOMPARE(reply.json.value(qt(protocol::field::kInstance)).toString(),
                     QStringLiteral("tls-agent"));
            QCOMPARE(reply.json.value(qt(protocol::field::kTls)).toBool(), true);
        }
    }

    void httpsWithoutTheCaIsRefusedByTheClient() {
        QUrl url = https();
        url.setPath(qt(protocol::path::kInfo));
        for (const QSslConfiguration& ssl : {TlsTrust::systemConfiguration(),
                                             *TlsTrust::configuration(other_->caFile(), nullptr)}) {
            const Reply reply = get(url, viewer_, ssl);
            QCOMPARE(reply.status, 0);
            QCOMPARE(reply.error, QNetworkReply::SslHandshakeFailedError);
        }
    }

    void plainHttpToTheTlsPortFailsCleanly() {
        QUrl url = urlOf(*agent_, QStringLiteral("http"));
        url.setPath(qt(protocol::path::kInfo));
        const Reply reply = get(url, viewer_, *trusted_);
        QCOMPARE(reply.status, 0);
        QVERIFY(reply.error != QNetworkReply::NoError);
        // cleanup() checks the agent still serves HTTPS.
    }

    void plainAgentSaysNoTls() {
        QUrl url = urlOf(*plain_, QStringLiteral("http"));
        url.setPath(qt(protocol::path::kInfo));
        const Reply reply = get(url, viewer_, *trusted_);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(qt(protocol::field::kTls)).toBool(), false);
    }

    void wssStreamSendsTheSnapshot() {
        QWebSocket socket;
        socket.setSslConfiguration(*trusted_);
        QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
        QUrl url = urlOf(*agent_, QStringLiteral("wss"));
        url.setPath(qt(protocol::path::kStream));
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + viewer_);
        socket.open(request);
        QVERIFY(messages.wait(10000));
        const QJsonObject first =
            QJsonDocument::fromJson(messages.first().first().toString().toUtf8()).object();
        QCOMPARE(first.value(QStringLiteral("type")).toString(), QStringLiteral("snapshot"));
        socket.close();
    }

    void agentClientGoesLiveOverWss() {
        auto live = client(https(), *trusted_);
        QSignalSpy snapshots(live.get(), &AgentClient::snapshotReceived);
        QSignalSpy events(live.get(), &AgentClient::eventReceived);
        live->start();
        QVERIFY(snapshots.wait(10000));
        QCOMPARE(live->state(), ConnectionState::Live);
        QVERIFY(live->streamUrl().scheme() == QLatin1String("wss"));
        // The stream goes on: the agent's periodic events arrive over the same TLS connection.
        QVERIFY(events.count() > 0 || events.wait(5000));
        live->stop();
    }

    void agentClientWithoutTheCaNeverConnects() {
        auto untrusted = client(https(), TlsTrust::systemConfiguration());
        expectTlsFailure(*untrusted, QStringLiteral("does not trust"));
    }

    void agentClientWithAnotherCaNeverConnects() {
        auto untrusted = client(https(), *TlsTrust::configuration(other_->caFile(), nullptr));
        expectTlsFailure(*untrusted, QStringLiteral("does not trust"));
    }

    void agentClientRefusesAnotherHostName() {
        auto misnamed = client(urlOf(*misnamed_, QStringLiteral("https")), *trusted_);
        expectTlsFailure(*misnamed, QStringLiteral("host name"));
    }

    void agentClientSpeakingTlsToAPlainPortFails() {
        auto mismatched = client(urlOf(*plain_, QStringLiteral("https")), *trusted_);
        expectTlsFailure(*mismatched, QStringLiteral("handshake"));
    }

    void agentClientSpeakingPlainToATlsPortFailsCleanly() {
        auto plain = client(urlOf(*agent_, QStringLiteral("http")), *trusted_);
        QSignalSpy errors(plain.get(), &AgentClient::errorOccurred);
        QSignalSpy frames(plain.get(), &AgentClient::frameReceived);
        plain->start();
        QVERIFY(errors.wait(10000));
        QVERIFY(plain->state() != ConnectionState::Live);
        QVERIFY2(plain->errorText().contains(QLatin1String("https://")),
                 qPrintable(plain->errorText()));
        QCOMPARE(frames.count(), 0);
        plain->stop();
    }

    void actionPlanOverHttps() {
        ActionClient actions(https(), QString::fromLatin1(operator_));
        actions.setSslConfiguration(*trusted_);
        QSignalSpy planned(&actions, &ActionClient::planned);
        QSignalSpy failed(&actions, &ActionClient::requestFailed);
        const quint64 id = actions.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"),
                                        {{QStringLiteral("mode"), QStringLiteral("force_open")},
                                         {QStringLiteral("expiry_s"), 60}});
        QVERIFY(planned.wait(10000));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(planned.first().at(0).toULongLong(), id);
        QVERIFY(!planned.first().at(1).value<switchboard::ActionPlan>().id.isEmpty());
    }

    void actionWithoutTheCaIsANetworkErrorNamingTheCertificate() {
        ActionClient actions(https(), QString::fromLatin1(operator_));
        actions.setSslConfiguration(*TlsTrust::configuration(other_->caFile(), nullptr));
        QSignalSpy failed(&actions, &ActionClient::requestFailed);
        actions.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"),
                     {{QStringLiteral("mode"), QStringLiteral("force_open")}});
        QVERIFY(failed.wait(10000));
        const auto error = failed.first().at(2).value<switchboard::ActionError>();
        QVERIFY(error.isNetworkError());
        QVERIFY2(error.message.contains(QLatin1String("SSL"), Qt::CaseInsensitive),
                 qPrintable(error.message));
    }

    void metricsAreScrapedOverHttps() {
        switchboard::TimeSeriesStore store;
        switchboard::MetricsScraper scraper(&store);
        QSignalSpy scraped(&scraper, &switchboard::MetricsScraper::scraped);
        QSignalSpy failed(&scraper, &switchboard::MetricsScraper::scrapeFailed);
        scraper.addAgent(QStringLiteral("tls"), https(), QString::fromLatin1(viewer_), *trusted_);
        QVERIFY(scraped.wait(10000));
        QCOMPARE(failed.count(), 0);
        scraper.stop();
    }
};

QTEST_GUILESS_MAIN(TestAgentTls)
#include "tst_agent_tls.moc"
