#include "AgentSelection.h"

#include "StackFile.h"
#include "TlsTrust.h"
#include "TokenFile.h"
#include "Workspace.h"

#include <QHash>

namespace switchboard::cli {

namespace {

// One agent as listed, before its files are read.
struct Listed {
    QString name;
    QUrl url;
    QString tokenFile;
    QString caFile;
};

std::optional<QList<Listed>> listed(const CliOptions& options, QString* error) {
    if (!options.agentUrl.isEmpty()) {
        const QUrl url(options.agentUrl, QUrl::StrictMode);
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
            url.host().isEmpty()) {
            *error = QStringLiteral("--agent %1 is not an http:// or https:// URL")
                         .arg(options.agentUrl);
            return std::nullopt;
        }
        return QList<Listed>{{{}, url, options.tokenFile, options.caFile}};
    }
    QList<Listed> agents;
    if (!options.stackFile.isEmpty()) {
        const auto stack = StackFile::load(options.stackFile, error);
        if (!stack)
            return std::nullopt;
        const QString token = !options.tokenFile.isEmpty() ? options.tokenFile
                              : options.acts()             ? stack->operatorTokenFile
                                                           : stack->viewerTokenFile;
        if (token.isEmpty()) {
            *error = QStringLiteral("stack file %1 names no %2 token file: give --token-file")
                         .arg(options.stackFile, options.acts() ? QStringLiteral("operator")
                                                                : QStringLiteral("viewer"));
            return std::nullopt;
        }
        for (const StackAgent& agent : stack->agents)
            agents.append({agent.name, agent.url, token, options.caFile});
    } else {
        const auto workspace = Workspace::load(options.workspaceFile, error);
        if (!workspace)
            return std::nullopt;
        for (const WorkspaceAgent& agent : workspace->agents)
            agents.append(
                {agent.name.isEmpty() ? agent.url.toString() : agent.name, agent.url,
                 options.tokenFile.isEmpty() ? workspace->tokenFileOf(agent) : options.tokenFile,
                 options.caFile.isEmpty() ? workspace->caFileOf(agent) : options.caFile});
    }
    const QString from = options.stackFile.isEmpty() ? options.workspaceFile : options.stackFile;
    if (agents.isEmpty()) {
        *error = QStringLiteral("%1 lists no agents").arg(from);
        return std::nullopt;
    }
    if (options.instance.isEmpty())
        return agents;
    for (const Listed& agent : agents)
        if (agent.name == options.instance)
            return QList<Listed>{agent};
    QStringList names;
    for (const Listed& agent : agents)
        names.append(agent.name);
    *error = QStringLiteral("%1 lists no agent %2 (it lists %3)")
                 .arg(from, options.instance, names.join(QStringLiteral(", ")));
    return std::nullopt;
}

} // namespace

std::optional<QList<SelectedAgent>> selectAgents(const CliOptions& options, QString* error) {
    const auto agents = listed(options, error);
    if (!agents)
        return std::nullopt;
    // Files shared by several agents are read once.
    QHash<QString, TokenFile> tokens;
    QHash<QString, QSslConfiguration> trusts;
    QList<SelectedAgent> selected;
    for (const Listed& agent : *agents) {
        if (agent.tokenFile.isEmpty()) {
            *error = QStringLiteral("no token file for agent %1: give --token-file")
                         .arg(agent.url.toString());
            return std::nullopt;
        }
        if (!tokens.contains(agent.tokenFile)) {
            const auto token = TokenFile::load(agent.tokenFile, error);
            if (!token)
                return std::nullopt;
            tokens.insert(agent.tokenFile, *token);
        }
        if (!trusts.contains(agent.caFile)) {
            const auto trust = TlsTrust::configuration(agent.caFile, error);
            if (!trust)
                return std::nullopt;
            trusts.insert(agent.caFile, *trust);
        }
        const TokenFile& token = tokens.value(agent.tokenFile);
        selected.append({agent.name, agent.url, token.token,
                         token.name.isEmpty() ? token.path : token.name,
                         trusts.value(agent.caFile)});
    }
    return selected;
}

std::optional<SelectedAgent> selectAgent(const CliOptions& options, QString* error) {
    const auto agents = selectAgents(options, error);
    if (!agents)
        return std::nullopt;
    if (agents->size() > 1) {
        QStringList names;
        for (const SelectedAgent& agent : *agents)
            names.append(agent.name);
        *error = QStringLiteral("%1 lists %2 agents: pick one with --instance (%3)")
                     .arg(options.stackFile.isEmpty() ? options.workspaceFile : options.stackFile)
                     .arg(agents->size())
                     .arg(names.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return agents->first();
}

} // namespace switchboard::cli
