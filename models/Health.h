#pragma once

#include <QMetaType>

namespace switchboard {

// A cell's health, for colouring: views map it to green, amber and red. Ordered from best to
// worst so the worst of several is std::max.
enum class Health {
    Up = 0,      // live and every probe answers
    Unknown = 1, // stale, connecting, or not checked yet
    Down = 2,    // a probe fails, or the console cannot talk to the agent at all
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::Health)
