#pragma once

#include "ConnectionState.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>
#include <optional>

namespace switchboard {

// A recording of agent streams (docs/recording.md): JSON Lines, one header line, then one line
// per thing the console received, in the order received. Frames are kept as the agent sent them
// so that a replay goes through the very parser a live stream goes through.
//
//   {"format":"switchboard-recording","version":1,"recorded_at":"…","recorded_at_ms":N,
//    "agents":[{"id":…,"label":…,"url":…}]}
//   {"t":ms,"agent":id,"message":{…}}         a frame (a JSON object, as received)
//   {"t":ms,"agent":id,"frame":"…"}           a frame that is not a JSON object, verbatim
//   {"t":ms,"agent":id,"state":"stale","error":"…"}   a connection state change
//   {"t":ms,"agent":id,"joined":{"label":…,"url":…}}  an agent added while recording
//   {"t":ms,"agent":id,"left":true}           an agent removed while recording
//   {"t":ms,"stopped":"…"}                    why the recording ended (the last line)
//
// "t" counts milliseconds since the recording started (the header's recorded_at_ms).
class RecordingFormat {
public:
    static constexpr int kVersion = 1;
    static constexpr const char* kFormatName = "switchboard-recording";

    struct Agent {
        QString id;
        QString label;
        QUrl url;
        bool operator==(const Agent&) const = default;
    };

    struct Header {
        int version = kVersion;
        qint64 recordedAtMs = 0; // wall clock, ms since the epoch
        QList<Agent> agents;
        bool operator==(const Header&) const = default;
    };

    struct Entry {
        enum class Kind { Message, State, Joined, Left, Stopped };
        Kind kind = Kind::Message;
        qint64 t = 0;
        QString agent;
        QByteArray frame; // Message: the frame as received (compact JSON or verbatim text)
        ConnectionState state = ConnectionState::Connecting; // State
        QString text; // State: the error; Joined: the label; Stopped: the reason
        QUrl url;     // Joined
        bool operator==(const Entry&) const = default;
    };

    // One line each, with its '\n'.
    static QByteArray encodeHeader(const Header& header);
    static QByteArray encodeEntry(const Entry& entry);

    // A line as read (with or without its '\n'); nullopt with `error` set when it is not one.
    static std::optional<Header> decodeHeader(const QByteArray& line, QString* error);
    static std::optional<Entry> decodeEntry(const QByteArray& line, QString* error);

    static QString stateName(ConnectionState state);
    static std::optional<ConnectionState> stateFromName(const QString& name);
};

} // namespace switchboard
