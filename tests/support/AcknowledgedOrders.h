// What the fault tests count for the demo's sharded orders on their own: the orders a demo saw
// committed (its --acked-file: "ID CUSTOMER" per line, written after each commit) and which of
// them no shard node holds.
#pragma once

#include <QFile>
#include <QList>
#include <QString>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

// Every order id in the file (empty when unreadable). A line cut short by a kill has no second
// field and is left out.
inline std::set<long long> acknowledgedOrders(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    std::set<long long> ids;
    for (const QByteArray& line : file.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() == 2)
            ids.insert(fields[0].toLongLong());
    }
    return ids;
}

// The ids of demo_sharded_orders on one shard node.
inline std::set<long long> storedOrders(const std::string& conninfo) {
    pqxx::connection db(conninfo);
    pqxx::nontransaction tx(db);
    std::set<long long> ids;
    for (const auto& row : tx.exec("SELECT id FROM demo_sharded_orders"))
        ids.insert(row[0].as<long long>());
    return ids;
}

// Which of `ids` none of the nodes holds.
inline std::set<long long> missingOrders(const std::vector<std::string>& nodes,
                                         const std::set<long long>& ids) {
    std::set<long long> stored;
    for (const std::string& node : nodes)
        stored.merge(storedOrders(node));
    std::set<long long> missing;
    for (long long id : ids)
        if (!stored.count(id))
            missing.insert(id);
    return missing;
}
