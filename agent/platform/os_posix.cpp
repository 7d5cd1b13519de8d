// os.hpp for other POSIX systems (the BSDs, ...): portable calls only.
#if !defined(__linux__) && !defined(__APPLE__)

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cstring>

#include "agent/platform/os.hpp"

namespace veil::detail::os {

int sync_data(int fd) noexcept { return ::fsync(fd); }
int sync_full(int fd) noexcept { return ::fsync(fd); }

result<int> lock_exclusive(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return make_error(errc::io_error, "open " + path.string() + ": " + std::strerror(errno));
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (::fcntl(fd, F_SETLK, &fl) != 0) {
    const int e = errno;
    ::close(fd);
    if (e == EACCES || e == EAGAIN)
      return make_error(errc::unavailable, path.string() + " is locked");
    return make_error(errc::io_error, "fcntl lock " + path.string() + ": " + std::strerror(e));
  }
  return fd;
}

long thread_id() noexcept { return static_cast<long>(::getpid()); }  // no portable thread id

void thread_name(char* dst, std::size_t cap) noexcept {
  if (dst && cap) dst[0] = '\0';
}

}  // namespace veil::detail::os

#endif
