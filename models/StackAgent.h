#pragma once

#include <QString>
#include <QUrl>

namespace switchboard {

// One agent a stack file lists: where it listens and what it is called.
struct StackAgent {
    QString name;
    QUrl url;
    QString region;

    friend bool operator==(const StackAgent&, const StackAgent&) = default;
};

} // namespace switchboard
