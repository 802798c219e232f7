// Stopping a civetweb server at once. Shared by the agent's server and the demo's dependency.
//
// civetweb's listener sleeps in poll() for up to two seconds between looks at its stop flag, so
// mg_stop() alone holds up whoever stops it (a backend shutting down) by that much. A connection
// to our own port wakes the listener: a helper thread makes one every 20 ms until mg_stop()
// has returned.
#pragma once

#include <atomic>
#include <chrono>
#include <civetweb.h>
#include <cstdint>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace switchboard {

// Stops `context`, whose listener is bound to `port` on 127.0.0.1 (or any address).
inline void stopCivetwebPromptly(mg_context* context, int port) noexcept {
    std::atomic<bool> stopped{false};
    std::thread waker([port, &stopped] {
        while (!stopped.load()) {
            int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0)
                return;
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(static_cast<std::uint16_t>(port));
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
            ::close(fd);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    mg_stop(context);
    stopped = true;
    waker.join();
}

} // namespace switchboard
