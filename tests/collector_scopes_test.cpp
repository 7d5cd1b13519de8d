// The collector's authorization scopes, quotas, time window and its own columns (issue 12,
// parts 3 to 5): key files with scopes, token buckets on an injected clock, 429 per install,
// records dated outside the retention window, quarantine storing "unknown" instead of the
// sender's type, one install per request, the contract's domain grammar, numeric ranges and
// string lengths, and the independent leak guard behind make_policy_guard.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <fstream>

#include "collector_http_util.hpp"
#include "support_policy.hpp"
#include "tools/collector/contract.hpp"
#include "tools/collector/quota.hpp"

using namespace veil::collector;
using namespace veil::collector::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::pair<std::string, std::string>> quarantine_rows(const std::filesystem::path& db) {
  sqlite3* h = nullptr;
  std::vector<std::pair<std::string, std::string>> out;
  REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, "SELECT type, reason FROM quarantine ORDER BY rowid", -1, &s,
                             nullptr) == SQLITE_OK);
  while (sqlite3_step(s) == SQLITE_ROW)
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                     reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
  sqlite3_finalize(s);
  sqlite3_close(h);
  return out;
}

std::string record_at(const std::string& type, const std::string& ns,
                      const std::vector<std::string>& attrs = {}) {
  std::string a = attr("veil.category", "usage");
  for (const auto& x : attrs) a += "," + x;
  return R"({"eventName":")" + type + R"(","timeUnixNano":")" + ns + R"(","attributes":[)" + a +
         "]}";
}

}  // namespace

TEST_SUITE("collector scopes") {
  TEST_CASE("api key files: names, scopes, and errors that say where") {
    temp_dir_guard d{"keys"};
    auto write = [&](const std::string& text) {
      std::ofstream(d.path / "k") << text;
      return api_keys::load((d.path / "k").string());
    };
    auto k = write(
        "# fleet keys\n0123456789abcdef-ingest\napp1 app1-key-0123456789\n"
        "ops ops-key-0123456789abcd admin,operator\n");
    REQUIRE(k.ok());
    auto i = k->find("0123456789abcdef-ingest");
    REQUIRE(i);
    CHECK(k->scopes(*i) == scope_ingest);
    auto o = k->find("ops-key-0123456789abcd");
    REQUIRE(o);
    CHECK(k->scopes(*o) == (scope_admin | scope_operator));
    CHECK_FALSE(k->find("not-a-key-0123456789"));
    CHECK(k->any(scope_admin));
    auto bad = write("a b-0123456789abcdef root\n");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().message.find(":1: unknown scope") != std::string::npos);
    auto short_key = write("# x\napp short\n");
    REQUIRE_FALSE(short_key.ok());
    CHECK(short_key.err().message.find(":2: api key shorter") != std::string::npos);
  }

  TEST_CASE("token buckets: burst, refill on the injected clock, Retry-After, bounded table") {
    auto t = std::chrono::steady_clock::time_point{};
    token_buckets b({2, 4}, 3, [&] { return t; });  // 2/s, burst 4, 3 subjects at most
    for (int i = 0; i < 4; ++i) CHECK(b.take("a") == 0);
    CHECK(b.take("a") == 1);  // empty: one token comes in 0.5 s -> 1 s
    CHECK(b.take("b") == 0);  // another subject has its own bucket
    t += 1s;                  // two tokens back
    CHECK(b.take("a") == 0);
    CHECK(b.take("a") == 0);
    CHECK(b.take("a") == 1);
    CHECK(b.take("a", 10) == 2);  // more than the burst waits for a full bucket
    b.take("c");
    b.take("d");  // table full: idle (full) buckets are dropped first
    CHECK(b.subjects() <= 3);
    token_buckets off({0, 0});
    for (int i = 0; i < 1000; ++i) REQUIRE(off.take("x") == 0);
  }

  TEST_CASE("per-install quota: 429 with Retry-After, other installs unaffected") {
    server_options so;
    so.read_timeout = 3s;
    handler_options ho;
    ho.install_requests = {1, 2};
    fixture f(so, {}, {}, std::move(ho));
    const std::string body = otlp({log_record("app.started", {})});
    CHECK(status_of(roundtrip(f.port, post("/v1/logs", body))) == 200);
    CHECK(status_of(roundtrip(f.port, post("/v1/logs", body))) == 200);
    auto r = roundtrip(f.port, post("/v1/logs", body));
    CHECK(status_of(r) == 429);
    CHECK(r.find("Retry-After: 1") != std::string::npos);
    CHECK(status_of(roundtrip(
              f.port, post("/v1/logs", otlp({log_record("app.started", {})}, inst_b)))) == 200);
    CHECK(f.metrics.rejected_count("rate_limited") == 1);
  }

  TEST_CASE("the collector's own columns: unknown types, times out of range, one install") {
    fixture f;
    // "now" is 2026-11-30T09:33:20Z in the fixture; retention 90 days.
    const std::string ok_ns = "1795947307123000000";      // 2026-11-29
    const std::string future_ns = "4102444800000000000";  // 2100-01-01
    const std::string old_ns = "1600000000000000000";     // 2020-09-13
    auto body = otlp({record_at("app.started", ok_ns), record_at("bob@example.com", ok_ns),
                      record_at("app.started", future_ns), record_at("app.started", old_ns)});
    auto r = roundtrip(f.port, post("/v1/logs", body));
    REQUIRE(status_of(r) == 200);
    CHECK(body_of(r) == R"({"accepted":1,"quarantined":3})");
    const auto q = quarantine_rows(f.dir.path / "c.db");
    REQUIRE(q.size() == 3);
    CHECK(q[0] == std::pair<std::string, std::string>{"unknown", "type:unknown"});
    CHECK(q[1] == std::pair<std::string, std::string>{"app.started", "time:out_of_range"});
    CHECK(q[2] == std::pair<std::string, std::string>{"app.started", "time:out_of_range"});
    for (const auto& [t, why] : q) CHECK(t.find('@') == std::string::npos);
    CHECK(f.metrics.quarantined_count("time:out_of_range") == 2);
    CHECK(f.metrics.quarantined_count("type:unknown") == 1);
    // Two resource blocks of different installs in one request: refused, nothing stored.
    const std::string two =
        R"({"resourceLogs":[{"resource":{"attributes":[)" + attr("veil.install", inst_a) +
        R"(]},"scopeLogs":[{"logRecords":[)" + record_at("app.started", ok_ns) +
        R"(]}]},{"resource":{"attributes":[)" + attr("veil.install", inst_b) +
        R"(]},"scopeLogs":[{"logRecords":[)" + record_at("app.started", ok_ns) + "]}]}]}";
    auto m = roundtrip(f.port, post("/v1/logs", two));
    CHECK(status_of(m) == 400);
    CHECK(body_of(m).find("different veil.install") != std::string::npos);
    CHECK(f.events() == 1);
    // One install, two erasure keys: a later block must not rebind the token. Refused.
    const std::string k1(64, 'a'), k2(64, 'b');
    const std::string two_keys =
        R"({"resourceLogs":[{"resource":{"attributes":[)" + attr("veil.install", inst_a) + "," +
        attr("veil.erasure_key", k1) + R"(]},"scopeLogs":[{"logRecords":[)" +
        record_at("app.started", ok_ns) + R"(]}]},{"resource":{"attributes":[)" +
        attr("veil.install", inst_a) + "," + attr("veil.erasure_key", k2) +
        R"(]},"scopeLogs":[{"logRecords":[)" + record_at("app.started", ok_ns) + "]}]}]}";
    m = roundtrip(f.port, post("/v1/logs", two_keys));
    CHECK(status_of(m) == 400);
    CHECK(body_of(m).find("different veil.erasure_key") != std::string::npos);
    CHECK(f.events() == 1);
    // An install that is not the agent's pseudonym shape: quarantined.
    auto who = roundtrip(
        f.port, post("/v1/logs", otlp({record_at("app.started", ok_ns)}, "4915123456707abc")));
    CHECK(body_of(who) == R"({"accepted":0,"quarantined":1})");
    CHECK(looks_like_pseudonym(inst_a));
    CHECK_FALSE(looks_like_pseudonym("victim-smith-0123456789"));
    CHECK_FALSE(looks_like_pseudonym("0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A"));
  }

  TEST_CASE("contract shapes: domains by grammar, numbers by meaning, strings by length") {
    veil::detail::contract k(veil::test::default_policy());
    auto call = [&](nlohmann::json extra) {
      nlohmann::json a = {{"direction", "in"}, {"codec", "opus"}};
      a.update(extra);
      return k.check("call.ended", "call_quality", a);
    };
    CHECK(call({{"remote_domain", "sip.example.com"}}) == std::nullopt);
    CHECK(call({{"remote_domain", "pbx.tanaka-shoji.co.jp"}}) == std::nullopt);
    CHECK(call({{"remote_domain", "pbx.local"}}) == std::nullopt);
    for (const char* d : {"4915123456707", "victim.smith", "49151.23456707", "-bad.example.com",
                          "a..example.com", "sip.example.com."}) {
      CAPTURE(std::string(d));
      CHECK(call({{"remote_domain", d}}) == std::optional<std::string>("shape:domain"));
    }
    CHECK(call({{"mos", 4.1}}) == std::nullopt);
    CHECK(call({{"mos", 4915123456708.0}}) == std::optional<std::string>("range:mos"));
    CHECK(call({{"packet_loss_pct", 101}}) == std::optional<std::string>("range:percent"));
    CHECK(call({{"rtt_ms", -5}}) == std::optional<std::string>("range:duration"));
    CHECK(call({{"rtt_ms", 577}}) == std::nullopt);
    CHECK(call({{"codec", std::string(300, 'o')}}) == std::optional<std::string>("length"));
  }

  TEST_CASE("policy guard: Unicode digits, full-width @ and a leak the scanner misses") {
    auto g = make_policy_guard(veil::test::default_policy());
    auto rec = [](nlohmann::json attrs) {
      cleaned_record r;
      r.type = "rating.submitted";
      r.category = "usage";
      r.install = inst_a;
      r.attrs = std::move(attrs);
      return r;
    };
    CHECK(g(rec({{"stars", 4}, {"comment", "works great"}})) == std::nullopt);
    for (const char* leak : {"ruf mich an: ４９１５１２３４５６７０７", "رقمي ٤٩١٥١٢٣٤٥٦٧",
                             "mail bob＠example.org", "meine Nummer ist jetzt 55 8365 6223"}) {
      CAPTURE(std::string(leak));
      auto why = g(rec({{"stars", 4}, {"comment", leak}}));
      REQUIRE(why);
      CHECK((why->rfind("pii:", 0) == 0 || why->rfind("leak:", 0) == 0));
    }
    auto bad_install = rec({{"stars", 4}});
    bad_install.install = "4915123456707000";
    CHECK(g(bad_install) == std::optional<std::string>("pseudonym:format"));
  }
}
