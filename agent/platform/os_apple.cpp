// os.hpp for macOS and iOS: fsync only reaches the drive's cache there; F_FULLFSYNC asks the
// drive to write it out (Apple's fsync(2) man page), which is what "durable" means to the spool.
#if defined(__APPLE__)

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "agent/platform/os.hpp"

namespace veil::detail::os {

namespace {
int full_fsync(int fd) noexcept {
  if (::fcntl(fd, F_FULLFSYNC) == 0) return 0;
  // Some file systems (network, FAT) refuse F_FULLFSYNC: fsync is the best they offer.
  return ::fsync(fd);
}
}  // namespace

int sync_data(int fd) noexcept { return full_fsync(fd); }
int sync_full(int fd) noexcept { return full_fsync(fd); }

long thread_id() noexcept {
  std::uint64_t id = 0;
  ::pthread_threadid_np(nullptr, &id);
  return static_cast<long>(id);
}

void thread_name(char* dst, std::size_t cap) noexcept {
  if (!dst || cap == 0) return;
  if (::pthread_getname_np(::pthread_self(), dst, cap) != 0) dst[0] = '\0';
}

}  // namespace veil::detail::os

#endif
