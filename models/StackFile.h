#pragma once

#include "StackAgent.h"

#include <QList>
#include <QString>
#include <QUrl>
#include <optional>

namespace switchboard {

// The parts of a local stack's stack.json (docs/stack.md) the console uses: the agents to
// connect to, the viewer token file and the Prometheus that scrapes the agents (the full
// profile's). Other servers are the agents' business, not the console's.
struct StackFile {
    QString path;
    QList<StackAgent> agents;
    QString viewerTokenFile;   // absolute; empty when the stack lists none
    QString operatorTokenFile; // absolute; empty when the stack lists none (acting needs it)
    QUrl prometheusUrl;        // the server of kind "prometheus"; empty when the stack has none

    // Reads and checks the file. On failure returns nothing and sets *error to a sentence that
    // names the file and what is wrong with it. A stack with no agents yet is not an error.
    static std::optional<StackFile> load(const QString& path, QString* error);
};

} // namespace switchboard
