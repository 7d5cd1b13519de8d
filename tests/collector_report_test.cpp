#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "collector_test_util.hpp"
#include "tools/collector/report.hpp"
#include "tools/collector/sink.hpp"

using namespace veil::collector;
using namespace veil::collector::test;

namespace {

const report_table& table(const report& r, const std::string& id) {
  for (const auto& t : r.tables)
    if (t.id == id) return t;
  FAIL("no table " << id);
  throw 0;
}

// Rows rendered as "key|key|v|v" with "<k" for suppressed cells.
std::vector<std::string> rows(const report& r, const std::string& id) {
  std::ostringstream os;
  report one{r.k, {table(r, id)}};
  render_csv(one, os);
  std::vector<std::string> out;
  std::istringstream in(os.str());
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto comma = line.find(',');
    std::string rest = line.substr(comma + 1);
    for (auto& c : rest)
      if (c == ',') c = '|';
    out.push_back(rest);
  }
  return out;
}

std::shared_ptr<sink> filled(const std::string& url) {
  auto s = open_sink(url);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
  auto w = (*s)->write_batch("k1", report_dataset(), {}, at(2026, 12, 1, 9));
  REQUIRE_MESSAGE(w.ok(), (w.ok() ? "" : w.err().message));
  return std::shared_ptr<sink>(std::move(*s));
}

}  // namespace

// Exact expectations for report_dataset() at k = 3 (computed by hand in collector_test_util.hpp).
void check_report_k3(sink& s) {
  auto r = build_report(s, 3);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.err().message));
  CHECK(rows(*r, "calls_by_country") == std::vector<std::string>{"DE|6", "FR|<3"});
  CHECK(rows(*r, "quality_by_codec") ==
        std::vector<std::string>{"opus|7|4.00|16.17|0.92", "g711|<3|<3|<3|<3"});
  CHECK(rows(*r, "quality_by_network") ==
        std::vector<std::string>{"wifi|7|4.10|12.00|0.58", "cellular|<3|<3|<3|<3"});
  CHECK(rows(*r, "call_duration") == std::vector<std::string>{"60-180|4", "(none)|<3", "0-10|<3",
                                                              "10-30|<3", "180-600|<3",
                                                              "3600+|<3"});
  CHECK(rows(*r, "crashes") == std::vector<std::string>{"SIGSEGV|5.6.12|4", "SIGABRT|5.6.11|<3"});
  // The hidden group's labels are kept (they are code names), its count is not.
  CHECK(rows(*r, "crash_groups") ==
        std::vector<std::string>{
            "SIGSEGV|(none)|voxline::sip::dialog::on_response|5.6.12|4",
            "SIGABRT|std::bad_alloc|voxline::media::jitter_buffer::put|5.6.11|<3"});
  CHECK(rows(*r, "installs_per_day") ==
        std::vector<std::string>{"2026-11-29|4", "2026-11-30|4", "2026-12-01|<3"});
  CHECK(rows(*r, "app_versions") == std::vector<std::string>{"5.6.12|4", "5.6.11|<3"});
  CHECK(rows(*r, "os_mix") == std::vector<std::string>{"Android|4", "iOS|<3"});
  CHECK(rows(*r, "quality_by_country") ==
        std::vector<std::string>{"DE|6|4.08|16.00|1.00", "FR|<3|<3|<3|<3"});
  // Eight calls of four installs at 10:00; the install-less one at 11:00 is no install at all.
  const auto hours = rows(*r, "calls_per_hour");
  REQUIRE(hours.size() == 2);
  CHECK(hours[0].rfind("2026-11-29T10|8|", 0) == 0);
  CHECK(hours[1] == "2026-11-29T11|<3|<3|<3|<3");
  // Event mode only here: no aggregate calls; the day's total is the events'.
  CHECK(rows(*r, "calls_per_day") == std::vector<std::string>{"2026-11-29|9|0|9"});
  // Four sessions of 5.6.12 and its four crashes; 5.6.11's sessions come from too few installs.
  CHECK(rows(*r, "crash_free_sessions") ==
        std::vector<std::string>{"5.6.11|<3|<3|<3", "5.6.12|4|4|0.00"});
}

TEST_SUITE("collector") {
  TEST_CASE("report suppresses cells under k with exact numbers (memory sink)") {
    auto s = filled("memory:");
    check_report_k3(*s);
    // k = 1 shows everything; k = 5 hides everything but the 5-install day... none has 5.
    auto r1 = build_report(*s, 1);
    REQUIRE(r1.ok());
    CHECK(rows(*r1, "calls_by_country") == std::vector<std::string>{"DE|6", "FR|3"});
    auto r5 = build_report(*s, 5);
    REQUIRE(r5.ok());
    CHECK(rows(*r5, "calls_by_country") == std::vector<std::string>{"DE|<5", "FR|<5"});
    CHECK_FALSE(build_report(*s, 0).ok());
  }

  TEST_CASE("report over the sqlite sink gives the same numbers") {
    temp_dir_guard dir("report");
    auto s = filled("sqlite://" + (dir.path / "r.db").string());
    check_report_k3(*s);
  }

  TEST_CASE("report formats: text, CSV, JSON, HTML") {
    temp_dir_guard dir("fmt");
    const std::string url = "sqlite://" + (dir.path / "r.db").string();
    filled(url);
    std::ostringstream out, err;

    SUBCASE("text") {
      CHECK(run_report({url, 3, report_format::text, ""}, out, err) == 0);
      CHECK(out.str().find("Calls per destination country") != std::string::npos);
      CHECK(out.str().find("<3") != std::string::npos);
    }
    SUBCASE("csv") {
      CHECK(run_report({url, 3, report_format::csv, ""}, out, err) == 0);
      const auto s = out.str();
      CHECK(s.find("table,remote_country,calls\r\ncalls_by_country,DE,6\r\ncalls_by_country,FR,<"
                   "3\r\n") != std::string::npos);
      CHECK(s.find("table,codec,calls,avg_mos,avg_jitter_ms,avg_packet_loss_pct\r\n") !=
            std::string::npos);
    }
    SUBCASE("json") {
      CHECK(run_report({url, 3, report_format::json, ""}, out, err) == 0);
      auto j = nlohmann::json::parse(out.str());
      CHECK(j["k"] == 3);
      const auto& t = j["tables"][0];
      CHECK(t["id"] == "calls_by_country");
      CHECK(t["rows"][0] == nlohmann::json{{"remote_country", "DE"}, {"calls", 6}});
      CHECK(t["rows"][1] ==
            nlohmann::json{{"remote_country", "FR"}, {"calls", nullptr}, {"suppressed", true}});
      CHECK(j["tables"][1]["rows"][0]["avg_mos"] == doctest::Approx(4.0));
      // No suppressed value appears anywhere: FR had 3 calls, g711 2 calls.
      for (const auto& tt : j["tables"])
        for (const auto& row : tt["rows"])
          if (row.contains("suppressed"))
            for (const auto& [k, v] : row.items())
              CHECK((v.is_null() || v.is_string() || v.is_boolean()));
    }
    SUBCASE("html is one self-contained page") {
      auto file = (dir.path / "r.html").string();
      CHECK(run_report({url, 3, report_format::html, file}, out, err) == 0);
      std::ifstream f(file);
      std::string html((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      CHECK(html.find("<svg") != std::string::npos);
      CHECK(html.find("&lt;3") != std::string::npos);
      for (const char* bad :
           {"src=\"http", "href=\"http", "src='http", "href='http", "<script", "@import", "url("})
        CHECK_MESSAGE(html.find(bad) == std::string::npos, bad);
    }
    SUBCASE("usage errors") {
      CHECK(run_report({"", 3, report_format::text, ""}, out, err) == 2);
      CHECK(run_report({url, 3, report_format::html, ""}, out, err) == 2);
      CHECK(run_report({"nope://", 3, report_format::text, ""}, out, err) == 1);
      std::vector<std::string> args = {"--db", url, "--k", "7", "--json"};
      auto o = parse_report_args(args);
      REQUIRE(o.ok());
      CHECK(o->k == 7);
      CHECK(o->format == report_format::json);
      std::vector<std::string> bad = {"--k", "0"};
      CHECK_FALSE(parse_report_args(bad).ok());
    }
  }
}
