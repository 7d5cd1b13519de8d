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
  while (sqlite3_step(st) == SQLITE_ROW) cols.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
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
    CHECK(sqlite_columns(dir.path / "events.db", "batches") == std::vector<std::string>{"key", "received_at", "n"});
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
    CHECK(day_of("2026-11-29T10:00:00Z", at(2020, 1, 1)) == "2026-11-29");
    CHECK(day_of("garbage", at(2020, 1, 2, 5)) == "2020-01-02");
  }

  TEST_CASE("batch decoder reads OTLP logs JSON and coarsens time") {
    auto dec = *make_batch_decoder(1 << 20);
    std::string body = R"({"resourceLogs":[{"resource":{"attributes":[{"key":"veil.install","value":{"stringValue":"instAAAAAAAAAAAAAAAA"}}]},
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
    CHECK(dec(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1}]}]}]})", "", "").err().code ==
          veil::errc::parse_error);
    CHECK(dec(body, "zstd", "").err().code == veil::errc::corrupt);       // not a zstd frame -> 400
    CHECK(dec(body, "br", "").err().code == veil::errc::invalid_argument);  // unsupported -> 415
    CHECK((*make_batch_decoder(10))(body, "", "").err().code == veil::errc::limit_exceeded);
  }

  TEST_CASE("default guard quarantines with a reason, never a value") {
    // A deterministic scanner stand-in: flags '@' as an e-mail.
    guard_options o;
    o.scan = [](std::string_view s) { return s.find('@') != std::string_view::npos ? std::string("email") : std::string(); };
    auto g = make_default_guard(o);
    CHECK_FALSE(g(rec("app.started", inst_a, "2026-11-29T10:00:00Z", {{"app_version", "5.6.12"}})).has_value());
    CHECK(g(rec("made.up", inst_a, "2026-11-29T10:00:00Z", {})) == std::optional<std::string>("type:unknown"));
    CHECK(g(rec("log.line", inst_a, "t", {{"message", {{"deep", {"x", "alice@example.com"}}}}})) ==
          std::optional<std::string>("pii:email"));
    CHECK(g(rec("app.started", "alice@example.com", "t", {})) == std::optional<std::string>("pseudonym:format"));
    CHECK(g(rec("app.started", inst_a, "t", {{"install_id", "+49301234567"}})) ==
          std::optional<std::string>("pseudonym:format"));
    // The real scanner finds something personal in a raw e-mail (whatever class it reports).
    auto real = make_default_guard();
    auto reason = real(rec("log.line", inst_a, "t", {{"message", "mail alice.smith@example.com now"}}));
    REQUIRE(reason.has_value());
    CHECK(reason->starts_with("pii:"));
    CHECK(reason->find("alice") == std::string::npos);
  }
}
