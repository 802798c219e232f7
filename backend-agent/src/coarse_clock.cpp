#include "coarse_clock.h"

#include <dlfcn.h>
#include <time.h>

namespace switchboard {

namespace {

using ClockGettime = int (*)(clockid_t, timespec*);

// The vDSO is mapped into every Linux process and exports __vdso_clock_gettime (vdso(7)); asking
// the dynamic loader with RTLD_NOLOAD finds it without loading anything. Not found (another
// kernel, a static build, a sanitizer's interposition): glibc's clock_gettime, which is correct,
// only a few nanoseconds slower.
ClockGettime resolve() noexcept {
    if (void* vdso = dlopen("linux-vdso.so.1", RTLD_LAZY | RTLD_LOCAL | RTLD_NOLOAD)) {
        if (void* symbol = dlsym(vdso, "__vdso_clock_gettime"))
            return reinterpret_cast<ClockGettime>(symbol);
    }
    return &clock_gettime;
}

} // namespace

std::int64_t coarseMonotonicNs() noexcept {
    static const ClockGettime clockGettime = resolve();
    timespec now{};
#ifdef CLOCK_MONOTONIC_COARSE
    clockGettime(CLOCK_MONOTONIC_COARSE, &now);
#else
    clockGettime(CLOCK_MONOTONIC, &now);
#endif
    return std::int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

} // namespace switchboard
