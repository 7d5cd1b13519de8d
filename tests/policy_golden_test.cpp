// Golden files: tests/golden/<event>.in.jsonl -> <event>.out.jsonl with the fixed
// key in tests/golden/test.key and the clock at 2026-11-29T12:00:00Z. Regenerate only with
// tools/regen_golden/regen_golden.sh and review the diff.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "support_policy.hpp"

namespace fs = std::filesystem;

TEST_SUITE("policy") {
  TEST_CASE("golden files") {
    fs::path dir = fs::path(VEIL_SOURCE_DIR) / "tests" / "golden";
    std::string keyhex = *veil::detail::read_file(dir / "test.key");
    unsigned char key[32];
    for (int i = 0; i < 32; ++i)
      key[i] = static_cast<unsigned char>(std::stoi(keyhex.substr(2 * i, 2), nullptr, 16));
    veil::detail::policy_engine eng(veil::test::default_policy());
    veil::detail::static_key_ring ring(
        std::move(veil::detail::secure_key::from_bytes(key)).value());
    veil::detail::event_parser parser;
    auto now = veil::detail::sys_time(
        std::chrono::milliseconds(*veil::detail::parse_rfc3339_ms("2026-11-29T12:00:00Z")));
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string name = e.path().filename().string();
      if (name.size() < 9 || name.substr(name.size() - 9) != ".in.jsonl") continue;
      ++files;
      std::string in = *veil::detail::read_file(e.path());
      auto expected =
          veil::detail::read_file(dir / (name.substr(0, name.size() - 9) + ".out.jsonl"));
      REQUIRE_MESSAGE(expected.ok(), "missing golden output for " << name);
      std::string got;
      std::istringstream lines(in);
      std::string line;
      veil::detail::clean_stats st;
      while (std::getline(lines, line)) {
        veil::detail::raw_event ev;
        veil::detail::parse_failure f;
        REQUIRE(parser.parse(line, ev, f));
        std::size_t mark = got.size();
        if (eng.clean(ev, ring, now, got, st)) got.push_back('\n');
        else got.resize(mark);
      }
      CAPTURE(name);
      CHECK(got == *expected);
    }
    CHECK(files >= 12);  // one per catalog event but screen.viewed/feature.used, plus unknown types
  }
}
