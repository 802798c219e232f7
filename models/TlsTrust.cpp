#include "TlsTrust.h"

#include <QFile>
#include <QSslCertificate>
#include <QStringList>

namespace switchboard::TlsTrust {

QSslConfiguration systemConfiguration() {
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return configuration;
}

std::optional<QSslConfiguration> configuration(const QString& caFile, QString* error) {
    if (caFile.isEmpty())
        return systemConfiguration();
    QFile file(caFile);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("CA file %1: %2").arg(caFile, file.errorString());
        return std::nullopt;
    }
    const QList<QSslCertificate> authorities = QSslCertificate::fromData(file.readAll());
    if (authorities.isEmpty()) {
        if (error)
            *error = QStringLiteral("CA file %1: holds no PEM certificate").arg(caFile);
        return std::nullopt;
    }
    QSslConfiguration configuration = systemConfiguration();
    // Replacing the list also stops Qt from loading the system's certificates on demand: an
    // agent's certificate must chain to this CA and no other.
    configuration.setCaCertificates(authorities);
    return configuration;
}

QSslConfiguration trustNothing() {
    QSslConfiguration configuration = systemConfiguration();
    configuration.setCaCertificates({});
    return configuration;
}

QString describe(const QUrl& url, const QList<QSslError>& errors) {
    QStringList reasons;
    for (const QSslError& error : errors)
        if (!reasons.contains(error.errorString()))
            reasons << error.errorString();
    return QStringLiteral("TLS: %1 presented a certificate the console does not trust (%2): name "
                          "the CA that signed it (--ca-file, or ca_file in the workspace) or fix "
                          "the agent's certificate")
        .arg(url.toString(QUrl::RemovePath | QUrl::RemoveQuery),
             reasons.join(QStringLiteral("; ")));
}

QString describeHandshake(const QUrl& url, const QString& reason) {
    return QStringLiteral("TLS: the handshake with %1 failed (%2): is the agent serving TLS? One "
                          "without tls.certificate is reached with http://")
        .arg(url.toString(QUrl::RemovePath | QUrl::RemoveQuery), reason);
}

} // namespace switchboard::TlsTrust
