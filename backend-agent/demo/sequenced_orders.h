// The demo's orders written to the primary through the agent's write router: each row carries
// the router's run id and a sequence number, so a failover drill (and a test, from the
// --acked-writes file) can count exactly which acknowledged writes reached the new primary.
// The writer reconnects whenever the router's epoch changes (a new leader). One thread.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <pqxx/connection>
#include <random>
#include <string>
#include <switchboard/write_router.h>

namespace demo {

class SequencedOrderWriter {
public:
    // `ackedFile` (may be empty): each acknowledged write's "RUN SEQUENCE" is appended and
    // flushed once its transaction has committed. Throws std::runtime_error if it cannot be
    // opened.
    SequencedOrderWriter(switchboard::WriteRouter& router, std::string instance,
                         const std::string& ackedFile);
    ~SequencedOrderWriter();

    // The name of the target the next write goes to (for its breaker).
    std::string targetName();
    // One order (and now and then a bulk batch); true once committed. Throws on a failure.
    bool write();

private:
    void connect();

    switchboard::WriteRouter& router_;
    std::string instance_;
    std::ofstream acked_;
    std::mt19937 random_{std::random_device{}()};
    switchboard::WriteRouter::Target target_;
    std::unique_ptr<pqxx::connection> db_;
    long written_ = 0;
};

} // namespace demo
