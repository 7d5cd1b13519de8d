// 2 violations: a public header includes private code and zstd.
#include "veil/agent.hpp"
#include "agent/core/result.hpp"
#include <zstd.h>
