// The OS seam (agent/platform/os.hpp): its calls work on this system, and nothing outside
// agent/platform/ calls the OS-specific functions it wraps (so a port touches one folder).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <thread>

#include "agent/platform/os.hpp"
#include "test_util.hpp"

namespace os = veil::detail::os;

TEST_SUITE("platform") {
  TEST_CASE("lock_exclusive: a second holder is refused as unavailable, released on close") {
    veil_test::temp_dir d;
    const auto p = d.path / "lock";
    auto a = os::lock_exclusive(p);
    REQUIRE(a.ok());
    CHECK(veil_test::file_mode(p) == 0600);
    auto b = os::lock_exclusive(p);  // another open file description: flock conflicts
    REQUIRE_FALSE(b.ok());
    CHECK(b.err().code == veil::errc::unavailable);
    CHECK(b.err().message.find(p.string()) != std::string::npos);
    ::close(*a);
    auto c = os::lock_exclusive(p);
    REQUIRE(c.ok());
    ::close(*c);
    auto bad = os::lock_exclusive(d.path / "no" / "such" / "dir" / "lock");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().code == veil::errc::io_error);
  }

  TEST_CASE("sync_data and sync_full succeed on a file and fail on a bad descriptor") {
    veil_test::temp_dir d;
    const auto p = d.path / "f";
    std::ofstream(p) << "x";
    const int fd = ::open(p.c_str(), O_RDWR);
    REQUIRE(fd >= 0);
    CHECK(os::sync_data(fd) == 0);
    CHECK(os::sync_full(fd) == 0);
    ::close(fd);
    CHECK(os::sync_data(-1) == -1);
  }

  TEST_CASE("thread_id and thread_name describe the calling thread") {
    long main_id = os::thread_id();
    long other = 0;
    std::string name;
    std::thread t([&] {
      ::pthread_setname_np(::pthread_self(), "veil-os-test");
      other = os::thread_id();
      char buf[32];
      os::thread_name(buf, sizeof buf);
      name = buf;
    });
    t.join();
    CHECK(main_id > 0);
    CHECK(other != main_id);
    CHECK(name == "veil-os-test");
    char tiny[4];
    os::thread_name(tiny, sizeof tiny);  // truncated, still terminated
    CHECK(std::string(tiny).size() <= 3);
  }

  TEST_CASE("no OS-specific call outside agent/platform/") {
    const std::regex banned(
        R"(\b(fdatasync|F_FULLFSYNC|flock|prctl|SYS_gettid|pthread_threadid_np)\s*[\(,)])");
    std::size_t files = 0;
    std::string hits;
    for (const auto& e : std::filesystem::recursive_directory_iterator(VEIL_SOURCE_DIR "/agent")) {
      if (!e.is_regular_file()) continue;
      const auto rel = std::filesystem::relative(e.path(), VEIL_SOURCE_DIR).string();
      if (rel.rfind("agent/platform/", 0) == 0) continue;
      const auto ext = e.path().extension();
      if (ext != ".cpp" && ext != ".hpp") continue;
      ++files;
      std::ifstream in(e.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        const auto code = line.substr(0, line.find("//"));
        if (std::regex_search(code, banned)) hits += rel + ":" + std::to_string(n) + "\n";
      }
    }
    CHECK(files > 50);
    CHECK_MESSAGE(hits.empty(), "OS-specific calls outside agent/platform/:\n" << hits);
  }
}
