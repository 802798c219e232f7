#include "stack_file.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace demo {

StackFile StackFile::read(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read the stack file " + path);
    StackFile stack;
    try {
        auto doc = nlohmann::json::parse(in);
        for (const auto& server : doc.at("servers")) {
            stack.servers.push_back(
                {server.at("name").get<std::string>(), server.at("role").get<std::string>(),
                 server.at("host").get<std::string>(), server.at("port").get<int>(),
                 server.value("conninfo", std::string()), server.value("extra", false),
                 server.value("region", std::string()), server.value("rest_port", 0),
                 server.value("cluster", std::string()),
                 server.value("replica_conninfo", std::string()),
                 server.value("upstream", std::string())});
        }
        stack.dir = doc.value("dir", std::string());
        if (doc.contains("patroni"))
            for (const auto& cluster : doc["patroni"].at("clusters"))
                stack.clusters.push_back({cluster.at("scope").get<std::string>(),
                                          cluster.at("region").get<std::string>(),
                                          cluster.value("standby", false),
                                          cluster.at("members").get<std::vector<std::string>>(),
                                          cluster.value("slot", std::string())});
        if (doc.contains("tokens"))
            for (const auto& [role, file] : doc["tokens"].items())
                stack.tokenFiles.push_back(file.get<std::string>());
    } catch (const nlohmann::json::exception& error) {
        throw std::runtime_error(path + " is not a stack file: " + error.what());
    }
    return stack;
}

const StackServer& StackFile::first(const std::string& role) const {
    for (const auto& server : servers)
        if (server.role == role)
            return server;
    throw std::runtime_error("the stack has no server with the role " + role);
}

std::string StackFile::primaryConninfo() const {
    for (const auto& server : servers)
        if (server.role == "primary")
            return server.conninfo;
    return first("proxy").conninfo;
}

const StackServer* StackFile::named(const std::string& name) const {
    for (const auto& server : servers)
        if (server.name == name)
            return &server;
    return nullptr;
}

std::vector<StackServer> StackFile::all(const std::string& role) const {
    std::vector<StackServer> found;
    for (const auto& server : servers)
        if (server.role == role)
            found.push_back(server);
    return found;
}

} // namespace demo
