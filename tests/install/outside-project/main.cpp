// A backend that embeds the installed agent: starts it with the configuration file it is given,
// prints the port it serves, records a request, and stops cleanly on SIGTERM or SIGINT.
#include <csignal>
#include <iostream>
#include <pthread.h>
#include <signal.h>
#include <switchboard/agent.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: outside_backend AGENT_CONFIG.json\n";
        return 2;
    }
    // Blocked before the agent starts its threads (they inherit the mask), so that sigwait below
    // receives the signal rather than an arbitrary thread.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    try {
        switchboard::Agent agent(switchboard::AgentConfig::fromFile(argv[1]));
        agent.start();
        agent.route("outside").record(true, 0.001);
        std::cout << "agent on port " << agent.port() << std::endl;
        int received = 0;
        sigwait(&stop, &received);
    } catch (const std::exception& error) {
        std::cerr << "outside_backend: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
