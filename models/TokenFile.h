#pragma once

#include <QString>
#include <optional>

namespace switchboard {

// A token file as the stack and the agent's configuration write it:
// {"name": "stack-viewer", "role": "viewer", "token": "<hex>"}. The console only needs the
// token; name and role are kept for messages ("connected as stack-viewer").
struct TokenFile {
    QString path;
    QString name;
    QString role;
    QString token;

    // Reads and checks the file. On failure returns nothing and sets *error to a sentence that
    // names the file and what is wrong with it.
    static std::optional<TokenFile> load(const QString& path, QString* error);
};

} // namespace switchboard
