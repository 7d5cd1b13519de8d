// heap_trim: hands the C library's free heap pages back to the OS after a burst of temporary
// allocations (an upload round). glibc keeps freed memory of a thread's arena resident until
// the top of the arena is free; malloc_trim(0) also releases whole free pages in the middle.
// It does not change any allocator setting of the host (no mallopt). A no-op on other C
// libraries. Thread-safe; takes each arena's lock briefly.
#pragma once

namespace veil::detail {

void heap_trim() noexcept;

}  // namespace veil::detail
