// Debian 12's civetweb 1.15 loads OpenSSL at run time (dlopen("libssl.so")) and looks up
// SSL_get_peer_certificate, which OpenSSL 3 only has as a macro for SSL_get1_peer_certificate:
// civetweb then calls a null pointer on every TLS connection (civetweb issue 1334). This library
// carries the soname "libssl.so", needs the real libssl, and adds the old name with the same
// meaning (a reference the caller frees). The agent loads it before civetweb opens "libssl.so"
// (civetweb_tls.cpp), so that dlopen returns it and every lookup succeeds.
#include <openssl/ssl.h>

#undef SSL_get_peer_certificate

extern "C" __attribute__((visibility("default"))) X509* SSL_get_peer_certificate(const SSL* ssl) {
    return SSL_get1_peer_certificate(ssl);
}
