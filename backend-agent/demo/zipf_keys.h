// Picks item ids 1..N with a Zipf-like skew, for the demo's cached catalog reads: with skew 0
// every id is as likely (a working set of N keys), with skew 1 to 2 a few ids take most reads
// (a small hot set), so the cache's hit rates move when the knobs do. Continuous inverse CDF of
// a power law: cheap, no table to rebuild when N changes. Not thread-safe (one per thread).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace demo {

class ZipfKeys {
public:
    ZipfKeys()
        : random_(std::random_device{}()) {}

    // An id from 1 to `keys` (at least 1), skewed by `skew` (0 uniform; larger, hotter).
    std::int64_t next(std::int64_t keys, double skew) {
        const double n = static_cast<double>(keys < 1 ? 1 : keys);
        const double u = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
        double x;
        if (skew <= 0)
            x = 1 + u * n;
        else if (std::abs(skew - 1.0) < 1e-9)
            x = std::exp(u * std::log(n + 1));
        else
            x = std::pow(u * (std::pow(n + 1, 1 - skew) - 1) + 1, 1 / (1 - skew));
        const auto id = static_cast<std::int64_t>(x);
        return id < 1 ? 1 : (id > keys ? keys : id);
    }

private:
    std::mt19937_64 random_;
};

} // namespace demo
