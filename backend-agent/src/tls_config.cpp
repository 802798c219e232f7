// TlsConfig::validate(): the certificate file is read with OpenSSL before civetweb sees it, so a
// bad file is a sentence naming the problem, not civetweb's "cannot start".
#include "switchboard/agent_config.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

namespace switchboard {

namespace {

constexpr const char* kKey = "tls.certificate";

struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
    void operator()(X509* certificate) const { X509_free(certificate); }
};
struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<BIO, BioFree> openPem(const std::string& path) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
    if (!bio)
        throw ConfigError(kKey, "cannot read " + path + ": " + std::strerror(errno));
    return bio;
}

} // namespace

void TlsConfig::validate() const {
    if (!enabled())
        return;
    const std::string& path = certificate;
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0)
        throw ConfigError(kKey, "cannot read " + path + ": " + std::strerror(errno));
    if (!S_ISREG(status.st_mode))
        throw ConfigError(kKey, path + " is not a file");
    // The file holds the private key: one other users can read is no secret (as for token files).
    if ((status.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", unsigned(status.st_mode & 07777));
        throw ConfigError(kKey, path + " (mode " + mode +
                                    ") holds the private key and can be read or written by "
                                    "other users: make it private (chmod 600 " +
                                    path + ")");
    }

    std::unique_ptr<X509, X509Free> x509(
        PEM_read_bio_X509(openPem(path).get(), nullptr, nullptr, nullptr));
    if (!x509)
        throw ConfigError(kKey, path + " holds no PEM certificate (expected the certificate, then "
                                       "its private key, in one PEM file)");
    // A fresh reader: PEM_read_bio_PrivateKey skips the certificate blocks to find the key.
    std::unique_ptr<EVP_PKEY, KeyFree> key(
        PEM_read_bio_PrivateKey(openPem(path).get(), nullptr, nullptr, nullptr));
    if (!key)
        throw ConfigError(kKey, path + " holds no unencrypted PEM private key (the agent reads the "
                                       "certificate and its key from one file)");
    if (X509_check_private_key(x509.get(), key.get()) != 1)
        throw ConfigError(kKey, "the private key in " + path + " does not match its certificate");
    if (X509_cmp_current_time(X509_get0_notAfter(x509.get())) < 0)
        throw ConfigError(kKey, "the certificate in " + path + " has expired");
}

} // namespace switchboard
