#include "TestCertificates.h"

#include <QFile>
#include <QHostAddress>
#include <QProcess>

namespace {

QString subjectAltName(const QStringList& names) {
    QStringList entries;
    for (const QString& name : names)
        entries << (QHostAddress(name).isNull() ? QStringLiteral("DNS:") : QStringLiteral("IP:")) +
                       name;
    return QStringLiteral("subjectAltName=") + entries.join(QLatin1Char(','));
}

} // namespace

TestCertificates::TestCertificates(const QString& name)
    : m_name(name) {
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot make a temporary folder: ") + m_dir.errorString();
        return;
    }
    m_caFile = m_dir.filePath(name + QStringLiteral("-ca.pem"));
    m_caKey = m_dir.filePath(name + QStringLiteral("-ca.key"));
    run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
         QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
         QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
         QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
         QStringLiteral("/CN=") + name + QStringLiteral(" test CA"), QStringLiteral("-addext"),
         QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
         QStringLiteral("keyUsage=critical,keyCertSign,cRLSign"), QStringLiteral("-keyout"),
         m_caKey, QStringLiteral("-out"), m_caFile});
}

QString TestCertificates::serverCertificate(const QString& fileName, const QStringList& names,
                                            int days) {
    if (!ok())
        return {};
    const QString key = m_dir.filePath(fileName + QStringLiteral(".key"));
    const QString request = m_dir.filePath(fileName + QStringLiteral(".csr"));
    const QString certificate = m_dir.filePath(fileName + QStringLiteral(".crt"));
    const QString extensions = m_dir.filePath(fileName + QStringLiteral(".ext"));
    {
        QFile file(extensions);
        if (!file.open(QIODevice::WriteOnly)) {
            m_error = file.errorString();
            return {};
        }
        file.write((subjectAltName(names) +
                    QStringLiteral("\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"))
                       .toUtf8());
    }
    if (!run({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("ec"),
              QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
              QStringLiteral("-nodes"), QStringLiteral("-subj"),
              QStringLiteral("/CN=") + names.value(0), QStringLiteral("-keyout"), key,
              QStringLiteral("-out"), request}))
        return {};
    // A negative count ends the validity before it starts: an expired certificate.
    const QStringList sign{QStringLiteral("x509"),
                           QStringLiteral("-req"),
                           QStringLiteral("-in"),
                           request,
                           QStringLiteral("-CA"),
                           m_caFile,
                           QStringLiteral("-CAkey"),
                           m_caKey,
                           QStringLiteral("-CAcreateserial"),
                           QStringLiteral("-days"),
                           QString::number(days),
                           QStringLiteral("-extfile"),
                           extensions,
                           QStringLiteral("-out"),
                           certificate};
    if (!run(sign))
        return {};

    const QString pem = m_dir.filePath(fileName);
    QFile out(pem);
    QFile certificateIn(certificate);
    QFile keyIn(key);
    if (!out.open(QIODevice::WriteOnly) || !certificateIn.open(QIODevice::ReadOnly) ||
        !keyIn.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot assemble ") + pem;
        return {};
    }
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    out.write(certificateIn.readAll() + keyIn.readAll());
    return pem;
}

bool TestCertificates::run(const QStringList& arguments) {
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"), arguments);
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1 failed: %2%3")
                      .arg(arguments.value(0), openssl.errorString(),
                           QString::fromLocal8Bit(openssl.readAll()));
        return false;
    }
    return true;
}
