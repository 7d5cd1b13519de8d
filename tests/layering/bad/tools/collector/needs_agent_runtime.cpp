// 1 violation: the collector links no agent runtime.
#include "agent/spool/spool.hpp"
#include "agent/wire/otlp_decoder.hpp"
