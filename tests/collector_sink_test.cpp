#include <doctest/doctest.h>

#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "collector_test_util.hpp"
#include "tools/collector/record_guard.hpp"
#include "tools/collector/sink.hpp"
#include "tools/collector/batch_decoder.hpp"

using namespace veil::collector;
using namespace veil::collector::test;

namespace {

std::vector<std::string> sqlite_columns(const std::filesystem::path& db, const char* table) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  std::vector<std::string> cols;
  sqlite3_stmt* st = nullptr;
  std::string sql = std::string("SELECT name FROM pragma_table_info('") + table + "')";
  REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW)
    cols.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return cols;
}

}  // namespace

TEST_SUITE("collector") {
  TEST_CASE("memory sink follows the sink contract") {
    auto s = std::make_shared<memory_sink>();
    sink_contract([&] { return std::shared_ptr<sink>(s); });
  }

  TEST_CASE("sqlite sink follows the sink contract across reopen") {
    temp_dir_guard dir("sqlite");
    const std::string url = "sqlite://" + (dir.path / "events.db").string();
    sink_contract([&] {
      auto s = open_sink(url);
      REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
      return std::shared_ptr<sink>(std::move(*s));
    });
    // The quarantine table has no column that could hold a value.
    CHECK(sqlite_columns(dir.path / "events.db", "quarantine") ==
          std::vector<std::string>{"received_at", "batch_key", "type", "reason"});
    CHECK(sqlite_columns(dir.path / "events.db", "batches") ==
          std::vector<std::string>{"key", "received_at", "n"});
  }

  TEST_CASE("sqlite sink: commits of every size, WAL gathered in pieces, survive reopen") {
    // The sink's VFS wrapper gathers a commit's WAL frames and writes them in 64 KiB pieces (the
    // unix VFS takes at most 128 KiB per write). Commits from 1 row to several MiB, then the rows
    // and the idempotency keys are read back through a fresh connection and after reopening.
    temp_dir_guard dir("sqlite_wal");
    const auto db = dir.path / "events.db";
    const std::string url = "sqlite://" + db.string();
    const std::string pad(300, 'x');
    std::uint64_t total = 0;
    {
      auto s = open_sink(url);
      REQUIRE(s.ok());
      std::size_t k = 0;
      for (std::size_t n : {std::size_t{1}, std::size_t{30}, std::size_t{200}, std::size_t{450},
                            std::size_t{1000}, std::size_t{12000}, std::size_t{7}}) {
        std::vector<cleaned_record> v;
        for (std::size_t i = 0; i < n; ++i)
          v.push_back(rec(i % 2 ? "app.started" : "screen.viewed", "", "2026-11-29T10:00:00Z",
                          {{"app_version", "5.6." + std::to_string(i)}, {"pad", pad}}));
        auto w =
            (*s)->write_batch("k" + std::to_string(k++), v, {}, std::chrono::system_clock::now());
        REQUIRE(w.ok());
        CHECK(*w == write_outcome::stored);
        total += n;
        auto c = (*s)->count_events();
        REQUIRE(c.ok());
        CHECK(*c == total);
      }
      // Another connection sees every committed row while the sink is open.
      sqlite3* h = nullptr;
      REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
      sqlite3_stmt* st = nullptr;
      REQUIRE(sqlite3_prepare_v2(h, "SELECT COUNT(*), SUM(length(attrs)) FROM events", -1, &st,
                                 nullptr) == SQLITE_OK);
      REQUIRE(sqlite3_step(st) == SQLITE_ROW);
      CHECK(static_cast<std::uint64_t>(sqlite3_column_int64(st, 0)) == total);
      CHECK(sqlite3_column_int64(st, 1) > static_cast<sqlite3_int64>(total * pad.size()));
      sqlite3_finalize(st);
      sqlite3_close(h);
    }
    auto s = open_sink(url);
    REQUIRE(s.ok());
    auto c = (*s)->count_events();
    REQUIRE(c.ok());
    CHECK(*c == total);
    auto d = (*s)->write_batch("k5", {}, {},
                               std::chrono::system_clock::now());  // the 12000-row batch's key
    REQUIRE(d.ok());
    CHECK(*d == write_outcome::duplicate);
  }

  TEST_CASE("sink URLs are validated") {
    CHECK_FALSE(open_sink("postgres://x").ok());
    CHECK_FALSE(open_sink("sqlite://").ok());
    CHECK_FALSE(open_sink("clickhouse://127.0.0.1:99999/db").ok());
    CHECK_FALSE(open_sink("clickhouse://127.0.0.1:8123/bad;name").ok());
    CHECK(open_sink("memory:").ok());
    CHECK(valid_field("attrs.remote_country"));
    CHECK_FALSE(valid_field("attrs.a.b"));
    CHECK_FALSE(valid_field("install"));
    CHECK(day_of("2026-11-29T10:00:00Z", at(2026, 11, 30)) == "2026-11-29");
    // A claimed future day is stored under the day of arrival, so retention still removes it.
    CHECK(day_of("2026-11-29T10:00:00Z", at(2020, 1, 1)) == "2020-01-01");
    CHECK(day_of("2026-11-30T00:30:00Z", at(2026, 11, 29, 23)) == "2026-11-29");
    CHECK(day_of("garbage", at(2020, 1, 2, 5)) == "2020-01-02");
  }

  TEST_CASE("batch decoder reads OTLP logs JSON and coarsens time") {
    auto dec = *make_batch_decoder(1 << 20);
    std::string body =
        R"({"resourceLogs":[{"resource":{"attributes":[{"key":"veil.install","value":{"stringValue":"0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a"}}]},
      "scopeLogs":[{"logRecords":[{"eventName":"call.ended","timeUnixNano":"1795947307123000000","attributes":[
        {"key":"veil.category","value":{"stringValue":"call_quality"}},
        {"key":"codec","value":{"stringValue":"opus"}},{"key":"mos","value":{"doubleValue":4.1}},
        {"key":"rtt","value":{"intValue":"87"}},{"key":"srtp","value":{"boolValue":true}},
        {"key":"carrier","value":{"kvlistValue":{"values":[{"key":"mcc","value":{"stringValue":"262"}}]}}},
        {"key":"frames","value":{"arrayValue":{"values":[{"intValue":1},{"stringValue":"x"}]}}}]}]}]}]})";
    auto r = dec(body, "", "");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.err().message));
    REQUIRE(r->size() == 1);
    const auto& c = r->front();
    CHECK(c.type == "call.ended");
    CHECK(c.category == "call_quality");
    CHECK(c.install == inst_a);
    CHECK(c.ts == "2026-11-29T10:00:00Z");  // 1795947307 s = 2026-11-29T10:15:07Z
    CHECK(c.attrs["codec"] == "opus");
    CHECK(c.attrs["rtt"] == 87);
    CHECK(c.attrs["srtp"] == true);
    CHECK(c.attrs["carrier"]["mcc"] == "262");
    CHECK(c.attrs["frames"] == nlohmann::json::array({1, "x"}));
    CHECK_FALSE(c.attrs.contains("veil.category"));

    CHECK(dec("{nope", "", "").err().code == veil::errc::parse_error);
    CHECK(dec(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1}]}]}]})", "", "")
              .err()
              .code == veil::errc::parse_error);
    CHECK(dec(body, "zstd", "").err().code == veil::errc::corrupt);  // not a zstd frame -> 400
    CHECK(dec(body, "br", "").err().code == veil::errc::invalid_argument);  // unsupported -> 415
    CHECK((*make_batch_decoder(10))(body, "", "").err().code == veil::errc::limit_exceeded);
  }

  TEST_CASE("default guard quarantines with a reason, never a value") {
    // A deterministic scanner stand-in: flags '@' as an e-mail.
    guard_options o;
    o.scan = [](std::string_view s) {
      return s.find('@') != std::string_view::npos ? std::string("email") : std::string();
    };
    auto g = make_default_guard(o);
    CHECK_FALSE(g(rec("app.started", inst_a, "2026-11-29T10:00:00Z", {{"app_version", "5.6.12"}}))
                    .has_value());
    CHECK(g(rec("made.up", inst_a, "2026-11-29T10:00:00Z", {})) ==
          std::optional<std::string>("type:unknown"));
    CHECK(g(rec("log.line", inst_a, "t", {{"message", {{"deep", {"x", "alice@example.com"}}}}})) ==
          std::optional<std::string>("pii:email"));
    CHECK(g(rec("app.started", "alice@example.com", "t", {})) ==
          std::optional<std::string>("pseudonym:format"));
    CHECK(g(rec("app.started", inst_a, "t", {{"install_id", "+49301234567"}})) ==
          std::optional<std::string>("pseudonym:format"));
    // The real scanner finds something personal in a raw e-mail (whatever class it reports).
    auto real = make_default_guard();
    auto reason =
        real(rec("log.line", inst_a, "t", {{"message", "mail alice.smith@example.com now"}}));
    REQUIRE(reason.has_value());
    CHECK(reason->starts_with("pii:"));
    CHECK(reason->find("alice") == std::string::npos);
  }
}
