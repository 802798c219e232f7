// Shared by the fleet tests: the frames of an agent's stream (protocol 1) for FakeAgentServer
// to send.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace stream_frames {

// A snapshot from instance "fake-1" of service "checkout" carrying `reports` (e.g. "cache",
// "shards"), its revision the frame's `seq`.
inline QByteArray snapshotFrame(qint64 seq, const QString& stream, qint64 timeMs,
                                QJsonObject reports) {
    reports.insert(QStringLiteral("revision"), seq);
    reports.insert(QStringLiteral("time_ms"), timeMs);
    reports.insert(QStringLiteral("info"),
                   QJsonObject{{"service", "checkout"}, {"instance", "fake-1"}, {"protocol", 1}});
    return QJsonDocument(QJsonObject{{"type", "snapshot"},
                                     {"seq", seq},
                                     {"stream", stream},
                                     {"protocol", 1},
                                     {"snapshot", reports}})
        .toJson(QJsonDocument::Compact);
}

// One event of `kind` ("cache", "breaker", …) with its document `data`.
inline QByteArray eventFrame(qint64 seq, const QString& stream, const QString& kind, qint64 timeMs,
                             const QJsonObject& data) {
    return QJsonDocument(QJsonObject{{"type", "event"},
                                     {"seq", seq},
                                     {"stream", stream},
                                     {"kind", kind},
                                     {"time_ms", timeMs},
                                     {"data", data}})
        .toJson(QJsonDocument::Compact);
}

} // namespace stream_frames
