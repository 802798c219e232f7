#pragma once

#include "CliOptions.h"

#include <QList>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>
#include <optional>

namespace switchboard::cli {

// One agent to talk to, with the token and the TLS trust it is reached with.
struct SelectedAgent {
    QString name; // as the stack or workspace lists it; empty for --agent
    QUrl url;
    QString token;
    QString tokenName; // the token file's name, for messages
    QSslConfiguration ssl;
};

// The agents the options name: every agent of the stack or workspace (or the one --instance
// names), or the one --agent URL. Tokens are read here, permissions checked as the console does
// (TokenFile), so a token file others can read stops everything before a request is sent. With
// --stack, plan, run and cancel (POSTs) use the stack's operator token,
// every other verb its viewer token.
// On failure: nothing, *error says what and why.
std::optional<QList<SelectedAgent>> selectAgents(const CliOptions& options, QString* error);

// The one agent a verb other than `agents` talks to: as above, and more than one is an error
// asking for --instance.
std::optional<SelectedAgent> selectAgent(const CliOptions& options, QString* error);

} // namespace switchboard::cli
