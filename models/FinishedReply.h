#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>
#include <chrono>
#include <optional>

namespace switchboard {

// What the console's HTTP clients (ActionClient, PrometheusSource) do with a finished reply
// before reading their own answer: find what they were waiting for, and tell an HTTP answer from
// none at all (a timeout or a network error).
struct FinishedReply {
    // The entry kept for `reply`, removed from `pending`; nothing if the reply is not (or no
    // longer) awaited. Schedules the reply's deletion either way.
    template <typename Pending>
    static std::optional<Pending> take(QHash<QNetworkReply*, Pending>& pending,
                                       QNetworkReply* reply) {
        reply->deleteLater();
        const auto found = pending.constFind(reply);
        if (found == pending.constEnd())
            return std::nullopt;
        Pending entry = *found;
        pending.erase(found);
        return entry;
    }

    // Why a reply without an HTTP status failed: the transfer timeout, or the network.
    struct NoAnswer {
        bool timedOut = false;
        QString message; // a sentence naming the server and the timeout, or Qt's error text
    };

    // The reply's HTTP status, or nothing with *noAnswer filled in.
    static std::optional<int> status(QNetworkReply* reply, const QUrl& server,
                                     std::chrono::milliseconds timeout, NoAnswer* noAnswer) {
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid())
            return status.toInt();
        // Nothing here aborts a reply it still waits for: a cancel is the transfer timeout.
        noAnswer->timedOut = reply->error() == QNetworkReply::OperationCanceledError;
        noAnswer->message =
            noAnswer->timedOut
                ? QCoreApplication::translate("FinishedReply", "no answer from %1 within %2 s")
                      .arg(server.toString())
                      .arg(static_cast<double>(timeout.count()) / 1000.0)
                : reply->errorString();
        return std::nullopt;
    }
};

} // namespace switchboard
