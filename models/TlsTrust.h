#pragma once

#include <QList>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>
#include <QUrl>
#include <optional>

namespace switchboard {

// How the console trusts agents it reaches over https:// and wss:// (docs/protocol.md, "TLS"):
// every client of an agent (its stream, its actions, its /metrics) uses the one configuration
// built here. The agent's certificate is always verified, its name included; no error is ever
// ignored. Plain values; thread-safe.
namespace TlsTrust {

// The system's certificate authorities, TLS 1.2 or later.
QSslConfiguration systemConfiguration();

// Only the certificate authorities in `caFile` (PEM, one or more certificates) instead of the
// system's; an empty `caFile` is systemConfiguration(). When the file cannot be read or holds no
// certificate: nothing, and *error says so naming the file.
std::optional<QSslConfiguration> configuration(const QString& caFile, QString* error);

// Trusts no one: for an agent whose CA file could not be read, so that its connections fail
// visibly rather than fall back to the system's CAs.
QSslConfiguration trustNothing();

// A sentence for the user: `url`'s certificate failed these checks, and what to do.
QString describe(const QUrl& url, const QList<QSslError>& errors);
// A sentence for a TLS handshake that failed without a certificate check (a plain-HTTP server
// on that port, no common TLS version): `reason` is Qt's text.
QString describeHandshake(const QUrl& url, const QString& reason);

} // namespace TlsTrust

} // namespace switchboard
