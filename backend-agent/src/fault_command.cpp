#include "fault_command.h"

#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace switchboard {

namespace {

std::string substituted(std::string argument, const std::string& member) {
    static const std::string placeholder = "{member}";
    for (auto at = argument.find(placeholder); at != std::string::npos;
         at = argument.find(placeholder, at + member.size()))
        argument.replace(at, placeholder.size(), member);
    return argument;
}

} // namespace

FaultOutcome runFaultCommand(const std::vector<std::string>& command, const std::string& member,
                             int timeoutMs) {
    if (command.empty())
        return {false, "no fault command configured"};
    std::vector<std::string> arguments;
    for (const auto& argument : command)
        arguments.push_back(substituted(argument, member));
    std::vector<char*> argv;
    for (auto& argument : arguments)
        argv.push_back(argument.data());
    argv.push_back(nullptr);

    // posix_spawn, not fork: the host backend may be multi-threaded and large.
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&files, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    if (spawned != 0)
        return {false, "cannot start " + arguments[0] + ": " + std::strerror(spawned)};

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    int status = 0;
    for (;;) {
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            break;
        if (done < 0)
            return {false, std::string("waitpid: ") + std::strerror(errno)};
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return {false, arguments[0] + " did not finish within " + std::to_string(timeoutMs) +
                               " ms; killed"};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return {true, ""};
    if (WIFEXITED(status))
        return {false, arguments[0] + " exited with status " + std::to_string(WEXITSTATUS(status))};
    return {false, arguments[0] + " was killed by signal " + std::to_string(WTERMSIG(status))};
}

} // namespace switchboard
