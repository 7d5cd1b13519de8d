// os.hpp for Linux and Android (bionic has the same calls).
#if defined(__linux__)

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "agent/platform/os.hpp"

namespace veil::detail::os {

int sync_data(int fd) noexcept { return ::fdatasync(fd); }
int sync_full(int fd) noexcept { return ::fsync(fd); }

result<int> lock_exclusive(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return make_error(errc::io_error, "open " + path.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    ::close(fd);
    if (e == EWOULDBLOCK) return make_error(errc::unavailable, path.string() + " is locked");
    return make_error(errc::io_error, "flock " + path.string() + ": " + std::strerror(e));
  }
  return fd;
}

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
