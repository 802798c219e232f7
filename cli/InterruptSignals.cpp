#include "InterruptSignals.h"

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace switchboard::cli {

namespace {

int s_pipe[2] = {-1, -1};

void onSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(s_pipe[0], &byte, 1);
}

} // namespace

bool InterruptSignals::install() {
    if (m_notifier)
        return true;
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s_pipe) != 0)
        return false; // signals then keep their default action: the process ends
    m_notifier = new QSocketNotifier(s_pipe[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &InterruptSignals::onReadable);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    return true;
}

InterruptSignals::~InterruptSignals() {
    if (!m_notifier)
        return;
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    delete m_notifier;
    ::close(s_pipe[0]);
    ::close(s_pipe[1]);
    s_pipe[0] = s_pipe[1] = -1;
}

void InterruptSignals::onReadable() {
    char bytes[16];
    const ssize_t read = ::read(s_pipe[1], bytes, sizeof bytes);
    if (read <= 0)
        return;
    m_count += int(read);
    emit interrupted(m_count);
}

} // namespace switchboard::cli
