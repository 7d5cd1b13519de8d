// os.hpp for Linux and Android (bionic has the same calls).
#if defined(__linux__)

#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "agent/platform/os.hpp"

namespace veil::detail::os {

int sync_data(int fd) noexcept { return ::fdatasync(fd); }
int sync_full(int fd) noexcept { return ::fsync(fd); }

long thread_id() noexcept { return ::syscall(SYS_gettid); }

void thread_name(char* dst, std::size_t cap) noexcept {
  if (!dst || cap == 0) return;
  char cur[17] = {};  // PR_GET_NAME writes at most 16 bytes with the NUL
  ::prctl(PR_GET_NAME, cur, 0, 0, 0);
  std::size_t i = 0;
  for (; i + 1 < cap && cur[i]; ++i) dst[i] = cur[i];
  dst[i] = '\0';
}

}  // namespace veil::detail::os

#endif
