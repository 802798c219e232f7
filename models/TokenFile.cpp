#include "TokenFile.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace switchboard {

namespace {

// Token files are tiny; anything large is the wrong file, and reading it whole would be waste.
constexpr qint64 kMaxTokenFileBytes = 64 * 1024;

std::optional<TokenFile> fail(QString* error, const QString& message) {
    if (error)
        *error = message;
    return std::nullopt;
}

} // namespace

std::optional<TokenFile> TokenFile::load(const QString& path, QString* error) {
    if (path.isEmpty())
        return fail(error, QStringLiteral("no token file given"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(error,
                    QStringLiteral("cannot read token file %1: %2").arg(path, file.errorString()));
    // A token other users can read is no secret: refused, as ssh refuses such a private key.
    constexpr QFileDevice::Permissions kOthers = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                 QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                 QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (file.permissions() & kOthers)
        return fail(error, QStringLiteral("token file %1 can be read or written by other users: "
                                          "make it private (chmod 600 %1)")
                               .arg(path));
    if (file.size() > kMaxTokenFileBytes)
        return fail(error,
                    QStringLiteral("token file %1 is too large to be a token file (%2 bytes)")
                        .arg(path)
                        .arg(file.size()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(error, QStringLiteral("token file %1 is not JSON: %2 at offset %3")
                               .arg(path, parseError.errorString())
                               .arg(parseError.offset));
    if (!document.isObject())
        return fail(error, QStringLiteral("token file %1 is not a JSON object").arg(path));
    const QJsonObject object = document.object();
    const QJsonValue token = object.value(QLatin1String("token"));
    if (!token.isString() || token.toString().trimmed().isEmpty())
        return fail(error, QStringLiteral("token file %1 has no \"token\" string").arg(path));
    const QString role = object.value(QLatin1String("role")).toString();
    if (!role.isEmpty() && role != QLatin1String("viewer") && role != QLatin1String("operator"))
        return fail(error, QStringLiteral("token file %1 has unknown role \"%2\" (expected viewer "
                                          "or operator)")
                               .arg(path, role));
    TokenFile result;
    result.path = path;
    result.name = object.value(QLatin1String("name")).toString();
    result.role = role;
    result.token = token.toString().trimmed();
    return result;
}

} // namespace switchboard
