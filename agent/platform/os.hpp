// The operating-system seam: everything the agent asks of the OS that differs between Linux
// (and Android), Apple platforms and other POSIX systems lives behind these calls, in one
// variant file each (os_linux.cpp, os_apple.cpp, os_posix.cpp, and os_flock.cpp shared by the
// first two; each compiles to nothing on the other systems). Nothing outside agent/platform/
// calls fdatasync, F_FULLFSYNC, flock, gettid or prctl. Thread-safe; never throw. The crash
// handler's signal-time calls are marked async-signal-safe where they are (docs/mobile.md,
// "Platform seam").
#pragma once

#include <cstddef>
#include <filesystem>

#include "agent/core/result.hpp"

namespace veil::detail::os {

/// Makes the file's data durable on the storage device (not only in the drive's cache where
/// the OS can promise it): Linux fdatasync; Apple fcntl(F_FULLFSYNC), falling back to fsync on
/// file systems that refuse it; other POSIX fsync. 0 on success, else -1 with errno set.
int sync_data(int fd) noexcept;
/// The same for data and metadata (a new file's size, a directory's entries after a rename):
/// Linux fsync; Apple F_FULLFSYNC (fallback fsync); other POSIX fsync.
int sync_full(int fd) noexcept;

/// Opens (creating, 0600) `path` and takes an exclusive, non-blocking advisory lock on it for
/// as long as the returned descriptor stays open (flock on Linux and Apple; fcntl F_SETLK
/// elsewhere). errc::unavailable when another process (or descriptor) holds it.
result<int> lock_exclusive(const std::filesystem::path& path);

/// The calling thread's OS id (Linux gettid; Apple pthread_threadid_np). Async-signal-safe on
/// Linux.
long thread_id() noexcept;
/// The calling thread's name, NUL-terminated in `dst` (at most cap - 1 bytes; "" when the OS
/// has none). Linux prctl(PR_GET_NAME) (async-signal-safe); Apple pthread_getname_np.
void thread_name(char* dst, std::size_t cap) noexcept;

}  // namespace veil::detail::os
