#include "agent/platform/heap_trim.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace veil::detail {

void heap_trim() noexcept {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

}  // namespace veil::detail
