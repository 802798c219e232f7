#include "NetworkThreadExit.h"

#include <QDir>
#include <QFile>
#include <QThread>

namespace switchboard::cli {

namespace {

// Qt names the thread "QNetworkAccessManager thread"; the kernel keeps its first 15 bytes.
bool networkThreadAlive() {
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString& task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("QNetworkAccess"))
            return true;
    }
    return false;
}

} // namespace

void awaitNetworkThreadExit(std::chrono::milliseconds limit) {
    constexpr std::chrono::milliseconds poll{5};
    for (std::chrono::milliseconds waited{0}; waited < limit && networkThreadAlive();
         waited += poll)
        QThread::msleep(static_cast<unsigned long>(poll.count()));
}

} // namespace switchboard::cli
