// Bridges the protocol header's std::string_view names to Qt strings.
#pragma once

#include <QLatin1StringView>
#include <QString>
#include <string_view>

namespace switchboard {

// The protocol's names are ASCII literals, so a Latin-1 view over them costs nothing.
constexpr QLatin1StringView qtName(std::string_view name) {
    return QLatin1StringView(name.data(), static_cast<qsizetype>(name.size()));
}

} // namespace switchboard
