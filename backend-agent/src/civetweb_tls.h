// Gets civetweb ready to serve TLS, or says why it cannot, before any TLS connection could
// crash the host (see compat/civetweb_openssl3.cpp).
#pragma once

namespace switchboard {

// Loads the OpenSSL 3 compatibility library next to the agent's (once per process), initialises
// civetweb's TLS and checks that every OpenSSL function civetweb calls was found. Throws
// std::runtime_error with the reason otherwise, e.g. when something opened "libssl.so" in this
// process before the agent (Qt's TLS backend does: start the agent first). Thread-safe.
void initialiseCivetwebTls();

} // namespace switchboard
