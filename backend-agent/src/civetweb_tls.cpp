#include "civetweb_tls.h"

#include <civetweb.h>
#include <dlfcn.h>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>

namespace switchboard {

namespace {

constexpr const char* kCompatLibrary = "libswitchboard-civetweb-openssl3.so";

// Where the compatibility library is: in its private folder beside the object holding this
// code (the installed agent's shared library; not in the library folder itself, where ldconfig
// would take its soname "libssl.so" for the system's), or right beside it (the build tree), else
// where the build put it.
std::string compatLibraryPath() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&initialiseCivetwebTls), &info) != 0 && info.dli_fname) {
        const auto folder = std::filesystem::path(info.dli_fname).parent_path();
        for (const auto& candidate : {folder / SWITCHBOARD_CIVETWEB_COMPAT_SUBDIR / kCompatLibrary,
                                      folder / kCompatLibrary}) {
            std::error_code ignored;
            if (std::filesystem::exists(candidate, ignored))
                return candidate.string();
        }
    }
#ifdef SWITCHBOARD_CIVETWEB_COMPAT_DIR
    return (std::filesystem::path(SWITCHBOARD_CIVETWEB_COMPAT_DIR) / kCompatLibrary).string();
#else
    return kCompatLibrary;
#endif
}

// Empty when civetweb's TLS is ready, else why not.
std::string prepare() {
    // The compatibility library first, kept open for the process's life as civetweb keeps its
    // handle: civetweb's dlopen("libssl.so") then finds it by its soname. Where it is missing
    // (an OpenSSL 1.1 build needs none), the check below decides.
    (void)dlopen(compatLibraryPath().c_str(), RTLD_NOW | RTLD_LOCAL);
    // What civetweb's own dlopen("libssl.so") will return: the first object opened under that
    // name (the system's libssl when something, Qt's TLS backend say, opened it before the
    // agent), else the system's.
    void* ssl = dlopen("libssl.so", RTLD_LAZY);
    if (!ssl)
        return std::string("civetweb loads OpenSSL as libssl.so, which cannot be opened (") +
               dlerror() + "): is libssl-dev installed?";
    if (!dlsym(ssl, "SSL_get_peer_certificate"))
        return std::string("civetweb calls SSL_get_peer_certificate, which this OpenSSL lacks, "
                           "and ") +
               kCompatLibrary + " (which adds it) was not found beside the agent's library";
    // Where this is the process's first use of civetweb; otherwise civetweb initialises TLS
    // when the first TLS port starts.
    mg_init_library(MG_FEATURES_TLS);
    return {};
}

} // namespace

void initialiseCivetwebTls() {
    static std::once_flag once;
    static std::string problem;
    std::call_once(once, [] { problem = prepare(); });
    if (!problem.empty())
        throw std::runtime_error("cannot serve TLS: " + problem);
}

} // namespace switchboard
