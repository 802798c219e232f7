#pragma once

#include "FleetSourcePolicy.h"

#include <QList>
#include <QString>
#include <QUrl>
#include <optional>

namespace switchboard {

// A fleet the console opens again and again (docs/metrics.md, "Fleet workspaces"): the agents
// with the token file each is reached with, and optionally the Prometheus server that scrapes
// them, which the console reads instead of polling every agent once the fleet outgrows
// `prometheusAgentThreshold` agents. A JSON file:
//
//   {"token_file": "viewer.json", "ca_file": "fleet-ca.pem",
//    "agents": [{"url": "https://orders-1.internal:7464", "name": "orders-1",
//                "token_file": "orders-viewer.json", "ca_file": "orders-ca.pem"}, ...],
//    "prometheus": {"url": "http://127.0.0.1:9090", "agent_threshold": 30}}
//
// "ca_file" (PEM) names the certificate authority an https:// agent's certificate must chain to,
// instead of the system's (docs/protocol.md, "TLS"). Relative token and CA files are read from
// the workspace's folder, so a workspace travels with its tokens. The console writes the file back
// when agents are added or removed at run time.
struct WorkspaceAgent {
    QUrl url;
    QString name;      // shown until the agent says its instance name; may be empty
    QString tokenFile; // absolute once loaded; empty: the workspace's own token file
    QString caFile{};  // absolute once loaded; empty: the workspace's own CA file
    friend bool operator==(const WorkspaceAgent&, const WorkspaceAgent&) = default;
};

struct Workspace {
    // The fleet's own default: FleetSourcePolicy's "a few dozen".
    static constexpr int kDefaultAgentThreshold = FleetSourcePolicy::kDefaultDirectLimit;

    QString path;
    QString tokenFile; // for agents without their own; absolute once loaded
    QString caFile;    // for agents without their own; empty: the system's CAs
    QList<WorkspaceAgent> agents;
    QUrl prometheusUrl; // empty: no Prometheus
    int prometheusAgentThreshold = kDefaultAgentThreshold;

    // The token file an agent is reached with: its own, else the workspace's.
    QString tokenFileOf(const WorkspaceAgent& agent) const;
    // The CA file an agent is verified with: its own, else the workspace's (empty: system's).
    QString caFileOf(const WorkspaceAgent& agent) const;

    // Reads and checks the file: every agent URL usable, names of bad keys in the message
    // (e.g. "agents[2].url"). On failure returns nothing and sets *error to a sentence naming
    // the file. A missing file is an error; an empty agent list is not.
    static std::optional<Workspace> load(const QString& path, QString* error);
    // The same from text, token files resolved against `folder`.
    static std::optional<Workspace> parse(const QByteArray& json, const QString& folder,
                                          QString* error);
    // Writes the file whole (through a temporary file renamed over it, so a crash never leaves
    // half a workspace). Token files inside the workspace's folder are written relative.
    bool save(QString* error) const;
    QByteArray toJson() const;
};

} // namespace switchboard
