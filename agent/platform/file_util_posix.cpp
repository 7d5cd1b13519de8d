#include "agent/platform/file_util.hpp"
#include "agent/platform/os.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace veil::detail {
namespace {
error sys_error(std::string_view what, const std::filesystem::path& p) {
  return make_error(errc::io_error,
                    std::string(what) + " " + p.string() + ": " + std::strerror(errno));
}
bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}
}  // namespace

result<void> sync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sys_error("open dir", dir);
  int rc = os::sync_full(fd);
  ::close(fd);
  if (rc != 0) return sys_error("fsync dir", dir);
  return {};
}

result<void> write_file_atomic(const std::filesystem::path& path, std::string_view data,
                               unsigned mode) {
  auto tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) return sys_error("create", tmp);
  ::fchmod(fd, static_cast<mode_t>(mode));  // umask may have narrowed or the file existed
  if (!write_all(fd, data.data(), data.size())) {
    auto e = sys_error("write", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  }
  if (os::sync_full(fd) != 0) {
    auto e = sys_error("fsync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto e = sys_error("rename to " + path.string() + " from", tmp);
    ::unlink(tmp.c_str());
    return e;
  }
  auto parent = path.parent_path();
  return sync_dir(parent.empty() ? std::filesystem::path(".") : parent);
}

result<std::string> read_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return make_error(errc::not_found, "no such file " + path.string());
    return sys_error("open", path);
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0) {
      if (errno == EINTR) continue;
      auto e = sys_error("read", path);
      ::close(fd);
      return e;
    }
    if (r == 0) break;
    out.append(buf, static_cast<std::size_t>(r));
  }
  ::close(fd);
  return out;
}

result<void> make_dirs(const std::filesystem::path& dir, unsigned mode) {
  std::error_code ec;
  std::filesystem::path cur;
  for (const auto& part : dir) {
    cur /= part;
    if (cur.empty() || std::filesystem::exists(cur, ec)) continue;
    if (::mkdir(cur.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST)
      return sys_error("mkdir", cur);
  }
  return {};
}

result<void> wipe_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return {};
    return sys_error("open for wipe", path);
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    std::vector<char> zeros(65536, 0);
    auto left = static_cast<std::size_t>(st.st_size);
    while (left > 0) {
      std::size_t n = left < zeros.size() ? left : zeros.size();
      if (!write_all(fd, zeros.data(), n)) break;
      left -= n;
    }
    os::sync_full(fd);
  }
  ::close(fd);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return sys_error("unlink", path);
  return {};
}

}  // namespace veil::detail
