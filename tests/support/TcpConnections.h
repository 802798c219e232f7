// Who is connected to whom on this machine, from the kernel's own tables: the fault tests check
// that an agent lets go of a client that died (kill -9 of the console) by looking at the agent's
// side of the client's connections, not at anything the agent says about itself.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QSet>
#include <QString>

namespace tcp_connections {

// Connection states as /proc/net/tcp numbers them (include/net/tcp_states.h).
constexpr int kEstablished = 0x01;
constexpr int kCloseWait = 0x08;

struct Connection {
    int localPort = 0;
    int remotePort = 0;
    int state = 0;
    quint64 inode = 0; // 0 once no process holds the socket
};

// Every IPv4 TCP socket of this network namespace (the stack and the agents are on 127.0.0.1).
inline QList<Connection> all() {
    QList<Connection> connections;
    QFile table(QStringLiteral("/proc/net/tcp"));
    if (!table.open(QIODevice::ReadOnly))
        return connections;
    const QList<QByteArray> lines = table.readAll().split('\n');
    // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode"
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines[i].simplified().split(' ');
        if (fields.size() < 10)
            continue;
        Connection connection;
        connection.localPort = fields[1].split(':').value(1).toInt(nullptr, 16);
        connection.remotePort = fields[2].split(':').value(1).toInt(nullptr, 16);
        connection.state = fields[3].toInt(nullptr, 16);
        connection.inode = fields[9].toULongLong();
        connections.append(connection);
    }
    return connections;
}

// The inodes of the sockets process `pid` holds open (its /proc/PID/fd links "socket:[N]").
inline QSet<quint64> socketInodesOf(qint64 pid) {
    QSet<quint64> inodes;
    const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
    for (const QString& fd : fds.entryList(QDir::System | QDir::NoDotAndDotDot)) {
        const QString target = QFile::symLinkTarget(fds.filePath(fd));
        const QString name = target.section(QLatin1Char('/'), -1);
        if (name.startsWith(QStringLiteral("socket:[")))
            inodes.insert(name.mid(8, name.size() - 9).toULongLong());
    }
    return inodes;
}

// The local ports of process `pid`'s established connections to `serverPort`.
inline QSet<int> clientPortsOf(qint64 pid, int serverPort) {
    const QSet<quint64> inodes = socketInodesOf(pid);
    QSet<int> ports;
    for (const Connection& connection : all())
        if (connection.remotePort == serverPort && connection.state == kEstablished &&
            inodes.contains(connection.inode))
            ports.insert(connection.localPort);
    return ports;
}

// How many of those clients the server on `serverPort` still holds a socket for: established,
// or closed by the client but not yet by the server (CLOSE_WAIT: the server has not noticed).
inline int serverSideOf(int serverPort, const QSet<int>& clientPorts) {
    int held = 0;
    for (const Connection& connection : all())
        if (connection.localPort == serverPort && clientPorts.contains(connection.remotePort) &&
            (connection.state == kEstablished || connection.state == kCloseWait))
            ++held;
    return held;
}

} // namespace tcp_connections
