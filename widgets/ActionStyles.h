// Looks shared by the action widgets (override dialog, plan view).
#pragma once

#include <QString>

namespace switchboard::action_style {

// Fixed colours, as the error banner's: a refusal or a warning must read as one in either
// theme, and dark text on a pale tint stays readable on both. Colour never carries the meaning
// alone: every coloured line also says in words what it is.
inline QString error() {
    return QStringLiteral(
        "QLabel { background: #fbe0dd; border: 1px solid #d9534f; color: #5a1410; padding: 6px; }");
}
inline QString warning() {
    return QStringLiteral(
        "QLabel { background: #fff4d6; border: 1px solid #d9a400; color: #4a3500; padding: 6px; }");
}
inline QString success() {
    return QStringLiteral(
        "QLabel { background: #dcf0dc; border: 1px solid #4c9a4c; color: #173d17; padding: 6px; }");
}
inline QString neutral() {
    return QStringLiteral("QLabel { padding: 6px; }");
}

} // namespace switchboard::action_style
