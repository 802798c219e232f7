#pragma once

#include "SnapshotMessage.h"
#include "StreamEvent.h"

#include <variant>

namespace switchboard {

// One parsed text frame of the stream.
using StreamMessage = std::variant<SnapshotMessage, StreamEvent>;

} // namespace switchboard
