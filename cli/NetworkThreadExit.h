#pragma once

#include <chrono>

namespace switchboard::cli {

// Waits, at most `limit`, until Qt's network thread has left the process.
//
// Destroying a QNetworkAccessManager stops its thread and waits for QThread::finished, but the
// thread's exit handlers run after that: OpenSSL frees its per-thread random generators there. A
// program that returns from main() at once races them, and LeakSanitizer (CI's sanitizer half)
// then reports OpenSSL's per-thread state as leaked. Nothing is lost in a normal run; the wait
// (a few milliseconds) keeps the sanitizer's leak check meaningful for the command line.
void awaitNetworkThreadExit(std::chrono::milliseconds limit);

} // namespace switchboard::cli
