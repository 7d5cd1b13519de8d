// os::lock_exclusive with flock(2), for the systems that have it (Linux, Android, Apple);
// os_posix.cpp uses fcntl locks elsewhere.
#if defined(__linux__) || defined(__APPLE__)

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstring>

#include "agent/platform/os.hpp"

namespace veil::detail::os {

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

}  // namespace veil::detail::os

#endif
