// A test certificate authority and the certificates it signs, made at test time with the openssl
// command line in a temporary folder (no key is ever committed). Each server certificate is
// written the way the agent's tls.certificate wants it: certificate and private key in one PEM,
// mode 0600.
#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

class TestCertificates {
public:
    // Makes the CA (<name>-ca.pem: its certificate, the file a client trusts); ok() says whether
    // openssl managed, error() says why not.
    explicit TestCertificates(const QString& name = QStringLiteral("test"));

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    QString caFile() const { return m_caFile; }
    QString folder() const { return m_dir.path(); }

    // A server certificate signed by this CA for these names (DNS names, or IP addresses such as
    // 127.0.0.1), valid from now for `days` (negative: expired that many days ago); returns the PEM
    // file with certificate and key, or an empty string (see error()).
    QString serverCertificate(const QString& fileName,
                              const QStringList& names = {QStringLiteral("127.0.0.1"),
                                                          QStringLiteral("localhost")},
                              int days = 2);

private:
    bool run(const QStringList& arguments);

    QTemporaryDir m_dir;
    QString m_name;
    QString m_caFile;
    QString m_caKey;
    QString m_error;
};
