#include "StackFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace switchboard {

namespace {

std::optional<StackFile> fail(QString* error, const QString& message) {
    if (error)
        *error = message;
    return std::nullopt;
}

} // namespace

std::optional<StackFile> StackFile::load(const QString& path, QString* error) {
    if (path.isEmpty())
        return fail(error, QStringLiteral("no stack file given"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(error,
                    QStringLiteral("cannot read stack file %1: %2").arg(path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(error, QStringLiteral("stack file %1 is not JSON: %2 at offset %3")
                               .arg(path, parseError.errorString())
                               .arg(parseError.offset));
    if (!document.isObject())
        return fail(error, QStringLiteral("stack file %1 is not a JSON object").arg(path));
    const QJsonObject object = document.object();

    StackFile stack;
    stack.path = path;
    // Relative paths in the file are relative to the file, so a copied stack folder still works.
    const QDir base = QFileInfo(path).absoluteDir();

    const QJsonValue agents = object.value(QLatin1String("agents"));
    if (!agents.isUndefined() && !agents.isArray())
        return fail(error, QStringLiteral("stack file %1: \"agents\" is not an array").arg(path));
    const QJsonArray agentArray = agents.toArray();
    for (qsizetype i = 0; i < agentArray.size(); ++i) {
        const QJsonObject agent = agentArray.at(i).toObject();
        const QString urlText = agent.value(QLatin1String("url")).toString();
        const QUrl url(urlText, QUrl::StrictMode);
        if (urlText.isEmpty() || !url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return fail(error, QStringLiteral("stack file %1: agents[%2] has no valid http url "
                                              "(got \"%3\")")
                                   .arg(path)
                                   .arg(i)
                                   .arg(urlText));
        StackAgent entry;
        entry.url = url;
        entry.name = agent.value(QLatin1String("name")).toString();
        entry.region = agent.value(QLatin1String("region")).toString();
        stack.agents.append(entry);
    }

    for (const QJsonValue& value : object.value(QLatin1String("servers")).toArray()) {
        const QJsonObject server = value.toObject();
        if (server.value(QLatin1String("kind")).toString() != QLatin1String("prometheus"))
            continue;
        // Its "url" when given, else host and port (a stack file written by hand).
        QUrl url(server.value(QLatin1String("url")).toString(), QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()) {
            url = QUrl();
            url.setScheme(QStringLiteral("http"));
            url.setHost(server.value(QLatin1String("host")).toString());
            url.setPort(server.value(QLatin1String("port")).toInt(-1));
        }
        if (url.host().isEmpty() || url.port() <= 0)
            return fail(error, QStringLiteral("stack file %1: the prometheus server has no "
                                              "usable url, host and port")
                                   .arg(path));
        stack.prometheusUrl = url;
        break;
    }

    const QJsonValue tokens = object.value(QLatin1String("tokens"));
    if (!tokens.isUndefined() && !tokens.isObject())
        return fail(error, QStringLiteral("stack file %1: \"tokens\" is not an object").arg(path));
    const QString viewer = tokens.toObject().value(QLatin1String("viewer")).toString();
    if (!viewer.isEmpty())
        stack.viewerTokenFile = QDir::cleanPath(base.absoluteFilePath(viewer));
    const QString operatorFile = tokens.toObject().value(QLatin1String("operator")).toString();
    if (!operatorFile.isEmpty())
        stack.operatorTokenFile = QDir::cleanPath(base.absoluteFilePath(operatorFile));
    return stack;
}

} // namespace switchboard
