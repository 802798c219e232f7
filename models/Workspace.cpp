#include "Workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <cmath>

namespace switchboard {

namespace {

// An http(s) URL with a host, or why not.
QString urlProblem(const QUrl& url) {
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("not a URL with a host");
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return QStringLiteral("expected http:// or https://");
    return {};
}

QString resolved(const QString& folder, const QString& file) {
    return file.isEmpty() ? file : QDir::cleanPath(QDir(folder).absoluteFilePath(file));
}

// Relative to `folder` when inside it, else as it is.
QString relativeIfInside(const QString& folder, const QString& file) {
    if (file.isEmpty() || folder.isEmpty())
        return file;
    const QString relative = QDir(folder).relativeFilePath(file);
    return relative.startsWith(QLatin1String("..")) ? file : relative;
}

struct Reader {
    QString error;
    bool fail(const QString& key, const QString& problem) {
        if (error.isEmpty())
            error = QStringLiteral("%1: %2").arg(key, problem);
        return false;
    }
    bool string(const QJsonObject& object, const QString& key, const QString& where, QString& out) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return true;
        if (!value.isString())
            return fail(where + key, QStringLiteral("expected a string"));
        out = value.toString();
        return true;
    }
};

} // namespace

QString Workspace::tokenFileOf(const WorkspaceAgent& agent) const {
    return agent.tokenFile.isEmpty() ? tokenFile : agent.tokenFile;
}

QString Workspace::caFileOf(const WorkspaceAgent& agent) const {
    return agent.caFile.isEmpty() ? caFile : agent.caFile;
}

std::optional<Workspace> Workspace::parse(const QByteArray& json, const QString& folder,
                                          QString* error) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    auto failed = [error](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (parseError.error != QJsonParseError::NoError)
        return failed(QStringLiteral("not JSON (%1 at byte %2)")
                          .arg(parseError.errorString())
                          .arg(parseError.offset));
    if (!document.isObject())
        return failed(QStringLiteral("expected a JSON object"));
    const QJsonObject root = document.object();
    Workspace workspace;
    Reader read;
    if (!read.string(root, QStringLiteral("token_file"), {}, workspace.tokenFile))
        return failed(read.error);
    workspace.tokenFile = resolved(folder, workspace.tokenFile);
    if (!read.string(root, QStringLiteral("ca_file"), {}, workspace.caFile))
        return failed(read.error);
    workspace.caFile = resolved(folder, workspace.caFile);

    const QJsonValue agents = root.value(QStringLiteral("agents"));
    if (!agents.isUndefined() && !agents.isArray())
        return failed(QStringLiteral("agents: expected an array"));
    const QJsonArray list = agents.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("agents[%1].").arg(i);
        if (!list.at(i).isObject())
            return failed(where.chopped(1) + QStringLiteral(": expected an object"));
        const QJsonObject entry = list.at(i).toObject();
        WorkspaceAgent agent;
        QString url;
        if (!read.string(entry, QStringLiteral("url"), where, url) ||
            !read.string(entry, QStringLiteral("name"), where, agent.name) ||
            !read.string(entry, QStringLiteral("token_file"), where, agent.tokenFile) ||
            !read.string(entry, QStringLiteral("ca_file"), where, agent.caFile))
            return failed(read.error);
        agent.url = QUrl(url.trimmed(), QUrl::StrictMode);
        if (const QString problem = urlProblem(agent.url); !problem.isEmpty())
            return failed(QStringLiteral("%1url: %2 (\"%3\")").arg(where, problem, url));
        agent.tokenFile = resolved(folder, agent.tokenFile);
        agent.caFile = resolved(folder, agent.caFile);
        if (agent.tokenFile.isEmpty() && workspace.tokenFile.isEmpty())
            return failed(where + QStringLiteral("token_file: needed (no workspace token_file): "
                                                 "an agent refuses requests without a token"));
        for (const WorkspaceAgent& earlier : std::as_const(workspace.agents))
            if (earlier.url == agent.url)
                return failed(
                    QStringLiteral("%1url: %2 is listed twice").arg(where, agent.url.toString()));
        workspace.agents.append(agent);
    }

    const QJsonValue prometheus = root.value(QStringLiteral("prometheus"));
    if (!prometheus.isUndefined()) {
        if (!prometheus.isObject())
            return failed(QStringLiteral("prometheus: expected an object"));
        const QJsonObject section = prometheus.toObject();
        QString url;
        if (!read.string(section, QStringLiteral("url"), QStringLiteral("prometheus."), url))
            return failed(read.error);
        workspace.prometheusUrl = QUrl(url.trimmed(), QUrl::StrictMode);
        if (const QString problem = urlProblem(workspace.prometheusUrl); !problem.isEmpty())
            return failed(QStringLiteral("prometheus.url: %1 (\"%2\")").arg(problem, url));
        const QJsonValue threshold = section.value(QStringLiteral("agent_threshold"));
        if (!threshold.isUndefined()) {
            const double value = threshold.toDouble(-1);
            if (!threshold.isDouble() || value != std::floor(value) || value < 0 || value > 100000)
                return failed(QStringLiteral("prometheus.agent_threshold: expected a whole "
                                             "number from 0 to 100000"));
            workspace.prometheusAgentThreshold = static_cast<int>(value);
        }
    }
    return workspace;
}

std::optional<Workspace> Workspace::load(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("workspace %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QString problem;
    auto workspace = parse(file.readAll(), QFileInfo(path).absolutePath(), &problem);
    if (!workspace) {
        if (error)
            *error = QStringLiteral("workspace %1: %2").arg(path, problem);
        return std::nullopt;
    }
    workspace->path = QFileInfo(path).absoluteFilePath();
    return workspace;
}

QByteArray Workspace::toJson() const {
    const QString folder = path.isEmpty() ? QString() : QFileInfo(path).absolutePath();
    QJsonObject root;
    if (!tokenFile.isEmpty())
        root.insert(QStringLiteral("token_file"), relativeIfInside(folder, tokenFile));
    if (!caFile.isEmpty())
        root.insert(QStringLiteral("ca_file"), relativeIfInside(folder, caFile));
    QJsonArray list;
    for (const WorkspaceAgent& agent : agents) {
        QJsonObject entry{{QStringLiteral("url"), agent.url.toString()}};
        if (!agent.name.isEmpty())
            entry.insert(QStringLiteral("name"), agent.name);
        if (!agent.tokenFile.isEmpty() && agent.tokenFile != tokenFile)
            entry.insert(QStringLiteral("token_file"), relativeIfInside(folder, agent.tokenFile));
        if (!agent.caFile.isEmpty() && agent.caFile != caFile)
            entry.insert(QStringLiteral("ca_file"), relativeIfInside(folder, agent.caFile));
        list.append(entry);
    }
    root.insert(QStringLiteral("agents"), list);
    if (!prometheusUrl.isEmpty())
        root.insert(QStringLiteral("prometheus"),
                    QJsonObject{{QStringLiteral("url"), prometheusUrl.toString()},
                                {QStringLiteral("agent_threshold"), prometheusAgentThreshold}});
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool Workspace::save(QString* error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson()) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("workspace %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace switchboard
