// Protocol names (std::string_view in protocol.h) as the QStrings tests compare with.
#pragma once

#include <QString>

#include <string_view>

inline QString sv(std::string_view text) {
    return QString::fromLatin1(text.data(), qsizetype(text.size()));
}
