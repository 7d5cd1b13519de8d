#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>

#include "agent/consent/consent_store.hpp"
#include "test_util.hpp"

using namespace veil::detail;
using namespace std::chrono_literals;
using veil_test::temp_dir;

namespace {
std::unique_ptr<consent_store> open_store(const std::filesystem::path& dir,
                                          std::vector<std::string> defaults = {}) {
  auto s = consent_store::open({dir, {"crash", "usage", "quality"}, std::move(defaults)});
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
  return std::move(*s);
}
const auto t0 =
    std::chrono::system_clock::time_point(std::chrono::sys_days(std::chrono::year(2024) / 5 / 1));
}  // namespace

TEST_SUITE("consent") {
  TEST_CASE("opt-in: everything is off until granted") {
    temp_dir d;
    auto s = open_store(d.path);
    CHECK_FALSE(s->get("crash"));
    CHECK_FALSE(s->get("usage"));
    CHECK(s->bits() == 0);
    CHECK_FALSE(std::filesystem::exists(d.path / "consent.json"));  // nothing written yet
  }

  TEST_CASE("per-build defaults apply until the user chooses") {
    temp_dir d;
    auto s = open_store(d.path, {"crash"});
    CHECK(s->get("crash"));
    CHECK_FALSE(s->get("usage"));
    REQUIRE(s->set("crash", false, t0).ok());
    s.reset();
    CHECK_FALSE(open_store(d.path, {"crash"})->get("crash"));  // the stored choice wins
  }

  TEST_CASE("choices and history persist across reopen; file is 0600") {
    temp_dir d;
    {
      auto s = open_store(d.path);
      REQUIRE(s->set("usage", true, t0).ok());
      REQUIRE(s->set("usage", true, t0 + 1s).ok());  // unchanged: no history entry
      REQUIRE(s->set("crash", true, t0 + 2s).ok());
      REQUIRE(s->set("crash", false, t0 + 3s).ok());
      CHECK(s->granted(*s->index_of("usage")));
    }
    CHECK(veil_test::file_mode(d.path / "consent.json") == 0600);
    auto s = open_store(d.path);
    CHECK(s->get("usage"));
    CHECK_FALSE(s->get("crash"));
    auto snap = s->snapshot();
    REQUIRE(snap.history.size() == 3);
    CHECK(snap.history[0].category == "usage");
    CHECK(snap.history[0].granted);
    CHECK(snap.history[0].at == t0);
    CHECK(snap.history[2].category == "crash");
    CHECK_FALSE(snap.history[2].granted);
    CHECK(snap.history[2].at == t0 + 3s);
  }

  TEST_CASE("under 16: nothing reads as granted and granting fails") {
    temp_dir d;
    {
      auto s = open_store(d.path, {"quality"});
      REQUIRE(s->set("usage", true, t0).ok());
      REQUIRE(s->set_under_16(true, t0 + 1s).ok());
      CHECK(s->bits() == 0);
      CHECK_FALSE(s->get("usage"));
      CHECK_FALSE(s->get("quality"));
      auto r = s->set("crash", true, t0 + 2s);
      CHECK(r.err().code == veil::errc::invalid_argument);
      CHECK(s->set("crash", false, t0 + 2s).ok());
    }
    {
      auto s = open_store(d.path, {"quality"});  // the flag persists
      CHECK(s->bits() == 0);
      CHECK(s->snapshot().under_16);
      REQUIRE(s->set_under_16(false, t0 + 3s).ok());
      CHECK_FALSE(s->get("usage"));  // earlier grants were revoked, not suspended
      REQUIRE(s->set("usage", true, t0 + 4s).ok());
      CHECK(s->get("usage"));
      auto h = s->snapshot().history;
      CHECK(std::count_if(h.begin(), h.end(), [](auto& c) { return c.category == "$under_16"; }) ==
            2);
    }
  }

  TEST_CASE("unknown categories and bad options are errors") {
    temp_dir d;
    auto s = open_store(d.path);
    CHECK(s->set("marketing", true, t0).err().code == veil::errc::not_found);
    CHECK_FALSE(s->get("marketing"));
    CHECK_FALSE(s->index_of("marketing"));
    CHECK(consent_store::open({d.path, {"a", "a"}, {}}).err().code == veil::errc::invalid_argument);
    CHECK(consent_store::open({d.path, {"a"}, {"b"}}).err().code == veil::errc::invalid_argument);
    CHECK(consent_store::open({d.path, {}, {}}).err().code == veil::errc::invalid_argument);
  }

  TEST_CASE("a corrupt consent file gives a clear error") {
    temp_dir d;
    auto path = d.path / "consent.json";
    SUBCASE("not JSON") { std::ofstream(path) << "{\"version\":1,\"under_"; }
    SUBCASE("wrong shape") {
      std::ofstream(path)
          << R"({"version":1,"under_16":false,"granted":{"crash":"yes"},"history":[]})";
    }
    SUBCASE("unknown version") { std::ofstream(path) << R"({"version":7})"; }
    auto s = consent_store::open({d.path, {"crash"}, {}});
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == veil::errc::corrupt);
    CHECK(s.err().message.find("consent.json") != std::string::npos);
  }

  TEST_CASE("reads are consistent while another thread writes") {
    temp_dir d;
    auto s = open_store(d.path);
    std::atomic<bool> stop{false};
    std::atomic<int> bad{0};
    std::thread reader([&] {
      while (!stop.load())
        if ((s->bits() & ~std::uint64_t{7}) != 0) ++bad;
    });
    for (int i = 0; i < 20; ++i)
      REQUIRE(s->set("usage", i % 2 == 0, t0 + std::chrono::seconds(i)).ok());
    stop = true;
    reader.join();
    CHECK(bad.load() == 0);
    CHECK_FALSE(s->get("usage"));
  }
}
