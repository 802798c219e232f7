// Symbol visibility for the agent library: it is built with hidden visibility, so only what is
// marked here is part of its ABI.
#pragma once

#if defined(SWITCHBOARD_AGENT_BUILDING)
#define SWITCHBOARD_AGENT_API __attribute__((visibility("default")))
#else
#define SWITCHBOARD_AGENT_API
#endif
