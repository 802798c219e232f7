#include "HttpCall.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>

HttpResult HttpCall::run(const QByteArray& method, const QUrl& url, const QByteArray& authorization,
                         const QByteArray& body, int timeoutMs,
                         const QList<QPair<QByteArray, QByteArray>>& extraHeaders) {
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    for (const auto& [name, value] : extraHeaders)
        request.setRawHeader(name, value);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    QNetworkReply* reply = network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult result;
    if (!reply->isFinished() && !finished.wait(timeoutMs)) {
        result.networkError = QStringLiteral("no answer within %1 ms").arg(timeoutMs);
        reply->abort();
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    result.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    result.json = QJsonDocument::fromJson(result.body).object();
    if (result.networkError.isEmpty() && reply->error() != QNetworkReply::NoError &&
        result.status == 0)
        result.networkError = reply->errorString();
    delete reply;
    return result;
}
