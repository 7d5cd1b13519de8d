// Helpers shared by the test files: a temporary directory removed at scope exit and a
// settable clock: no sleeping in tests.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace veil_test {

struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::string t = (std::filesystem::temp_directory_path() / "veil-test-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

// A settable clock for code under test. The time is atomic because the agent reads its clock
// on the worker thread while the test thread advances it.
template <class Clock>
struct basic_fake_clock {
  using time_point = typename Clock::time_point;
  std::shared_ptr<std::atomic<time_point>> t;
  explicit basic_fake_clock(time_point start)
      : t(std::make_shared<std::atomic<time_point>>(start)) {}
  std::function<time_point()> fn() const {
    auto p = t;
    return [p] { return p->load(); };
  }
  time_point now() const { return t->load(); }
  void advance(typename Clock::duration d) { t->store(t->load() + d); }
};

struct fake_clock : basic_fake_clock<std::chrono::system_clock> {
  fake_clock() : basic_fake_clock(std::chrono::sys_days(std::chrono::year(2024) / 3 / 1)) {}
};

struct fake_steady_clock : basic_fake_clock<std::chrono::steady_clock> {
  fake_steady_clock()
      : basic_fake_clock(std::chrono::steady_clock::time_point{} + std::chrono::hours(1000)) {}
};

inline unsigned file_mode(const std::filesystem::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::string out;
  if (FILE* f = std::fopen(p.c_str(), "rb")) {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

}  // namespace veil_test
