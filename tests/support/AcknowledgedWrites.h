// What the drill tests count on their own, independently of the agent: the writes the demo saw
// acknowledged (its --acked-writes file: "RUN SEQUENCE" per line) and which of them a server's
// demo_orders table lacks.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <utility>

// The run id and every acknowledged sequence number in the file (empty when unreadable).
inline std::pair<std::string, std::set<long long>> acknowledgedWrites(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    std::string run;
    std::set<long long> sequences;
    for (const QByteArray& line : file.readAll().split('\n')) {
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() != 2)
            continue;
        run = parts[0].toStdString();
        sequences.insert(parts[1].toLongLong());
    }
    return {run, sequences};
}

// Which of `sequences` of `run` the server at `conninfo` lacks.
inline std::set<long long> missingWrites(const std::string& conninfo, const std::string& run,
                                         const std::set<long long>& sequences) {
    pqxx::connection db(conninfo);
    pqxx::work tx(db);
    std::set<long long> present;
    for (const auto& row :
         tx.exec_params("SELECT write_seq FROM demo_orders WHERE write_run = $1", run))
        present.insert(row[0].as<long long>());
    std::set<long long> missing;
    for (long long sequence : sequences)
        if (!present.count(sequence))
            missing.insert(sequence);
    return missing;
}
