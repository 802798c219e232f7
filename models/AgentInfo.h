#pragma once

#include <QString>
#include <QStringList>

namespace switchboard {

// What an agent says about itself (/v1/info, and the "info" object of a snapshot).
struct AgentInfo {
    QString service;
    QString instance;
    QString region;
    QString agentVersion;
    int protocolVersion = 0;
    QStringList capabilities;

    friend bool operator==(const AgentInfo&, const AgentInfo&) = default;
};

} // namespace switchboard
