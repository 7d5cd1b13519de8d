// Users' rights on the collector (issue 14): install-key binding (first seen wins, 409 on
// another key, 410 after erasure), erasure by the device's proof only (all or nothing, a
// receipt with per-category counts, idempotent), subject access (the token's rows, paged, with
// a fresh signed time), malformed requests, retention of rows and bindings on an injected
// clock, and the HTTP path through the real server. Keys are made with libsodium in the test.
#include <doctest/doctest.h>

#include <set>

#include "collector_rights_util.hpp"
#include "support_policy.hpp"
#include "tools/collector/retention.hpp"

using namespace veil::collector;
using namespace veil::collector::test;
using namespace std::chrono_literals;

namespace veil::collector::test {

namespace {

// Two epochs of one device (device A), and another device (B).
const std::string a1 = inst_a, a2 = "1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a";
const std::string b1 = inst_b, unbound = inst_c, unknown = inst_e;

}  // namespace

void check_erasure_across_epochs(sink& s) {
  rights_harness h(s);
  const device_key ka1(1), ka2(2), kb(3);
  // Epoch 1 and epoch 2 of device A, each with its own key; device B mentions A's first token
  // in a pseudonym attribute (another install's row: erasure must not reach it).
  REQUIRE(h.upload(a1, ka1.public_hex(),
                   {{"call.ended", "call_quality", 1},
                    {"call.ended", "call_quality", 2},
                    {"app.started", "usage", 3}})
              .status == 200);
  REQUIRE(h.upload(a1, "", {{"feature.used", "usage", 4}}).status == 200);  // no key: stored
  h.now += 24h;
  REQUIRE(h.upload(a2, ka2.public_hex(),
                   {{"call.ended", "call_quality", 5},
                    {"crash.report", "crash", 6},
                    {"crash.report", "crash", 7}})
              .status == 200);
  REQUIRE(h.upload(b1, kb.public_hex(), {{"app.started", "usage", 8}}).status == 200);
  {
    // B's row naming a1 in install_id (a pseudonym attribute).
    std::string body = rights_batch(b1, kb.public_hex(), {{"app.started", "usage", 9}}, h.now - 1h);
    const std::string marker = R"({"key":"n")";
    body.insert(body.find(marker), attr("install_id", a1) + ",");
    REQUIRE(h.post_to("/v1/logs", body, "b-attr").status == 200);
  }
  CHECK(h.events() == 9);

  // First seen wins: another key for a1 is refused and nothing of that batch is stored.
  auto mismatch = h.upload(a1, kb.public_hex(), {{"app.started", "usage", 10}});
  CHECK(mismatch.status == 409);
  CHECK(error_of(mismatch) == "erasure_key_mismatch");
  CHECK(h.events() == 9);
  auto bound = s.bindings({a1, a2, b1, unknown});
  REQUIRE(bound.ok());
  CHECK(bound->size() == 3);
  CHECK(bound->at(a1).public_key == ka1.public_hex());
  CHECK_FALSE(bound->at(a1).erased_at);

  // The device erases both epochs' tokens.
  auto r = h.erase({{a1, ka1.erasure_sig(a1)}, {a2, ka2.erasure_sig(a2)}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  const auto j = nlohmann::json::parse(r.body);
  const auto& rc = j["receipt"];
  CHECK(rc["id"].get<std::string>().size() == 32);
  CHECK(is_lower_hex(rc["id"].get<std::string>(), 32));
  CHECK(rc["time_ms"] == unix_ms(h.now));
  CHECK(rc["installs"] == 2);
  CHECK(rc["rows_deleted"] ==
        nlohmann::json{{"call_quality", 3}, {"usage", 2}, {"crash", 2}});  // what was stored
  CHECK(rc["total"] == 7);
  CHECK(h.events() == 2);  // device B's rows, including the one naming a1 in an attribute
  auto left = s.install_row_counts({a1, a2, b1});
  REQUIRE(left.ok());
  CHECK(*left == std::map<std::string, std::uint64_t>{{b1, 2}});
  CHECK(h.metrics.requests("/v1/erasure", 200) == 1);
  CHECK(h.metrics.render().find("veil_collector_records_erased_total 7") != std::string::npos);
  CHECK(h.metrics.render().find("veil_collector_erasure_requests_total 1") != std::string::npos);

  // Tombstones: later batches of the erased tokens are refused, with or without a key.
  for (const std::string& key : {ka1.public_hex(), std::string()}) {
    auto late = h.upload(a1, key, {{"app.started", "usage", 11}});
    CHECK(late.status == 410);
    CHECK(error_of(late) == "install_erased");
  }
  CHECK(h.upload(a2, ka2.public_hex(), {{"app.started", "usage", 12}}).status == 410);
  CHECK(h.events() == 2);
  auto tomb = s.bindings({a1});
  REQUIRE(tomb.ok());
  REQUIRE(tomb->size() == 1);
  CHECK(tomb->at(a1).erased_at.has_value());

  // Idempotent: the same request later answers 200 with nothing left to delete.
  h.now += 1h;
  auto again = h.erase({{a1, ka1.erasure_sig(a1)}, {a2, ka2.erasure_sig(a2)}});
  REQUIRE(again.status == 200);
  const auto j2 = nlohmann::json::parse(again.body)["receipt"];
  CHECK(j2["installs"] == 2);
  CHECK(j2["total"] == 0);
  CHECK(j2["rows_deleted"] == nlohmann::json::object());
  CHECK(j2["id"] != rc["id"]);
  CHECK(h.events() == 2);
}

void check_retention_expiry(sink& s) {
  rights_harness h(s);
  const device_key ka(1), kb(3);
  sys_time clock_now{};
  retention job(s, 24h * default_retention_days, [&] { return clock_now; });

  h.now = at(2026, 1, 10, 12);
  REQUIRE(h.upload(a1, ka.public_hex(), {{"app.started", "usage", 1}}).status == 200);
  h.now = at(2026, 6, 1, 12);
  REQUIRE(h.upload(b1, kb.public_hex(), {{"app.started", "usage", 2}}).status == 200);
  REQUIRE(h.erase({{b1, kb.erasure_sig(b1)}}).status == 200);  // tombstone of 2026-06-01
  h.now = at(2026, 3, 1, 12);
  REQUIRE(h.upload(a2, ka.public_hex(), {{"app.started", "usage", 3}}).status == 200);
  CHECK(h.events() == 2);

  // 396 days after 2026-01-10 12:00 is 2027-02-10 12:00: that day's rows are still kept.
  clock_now = at(2027, 2, 10, 13);
  auto n = job.run_once();
  REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.err().message));
  CHECK(*n == 0);
  CHECK(s.bindings({a1, a2, b1})->size() == 3);

  // A day later the row of 2026-01-10 and a1's binding (last seen that day) expire.
  clock_now = at(2027, 2, 11, 13);
  n = job.run_once();
  REQUIRE(n.ok());
  CHECK(*n == 1);
  CHECK(h.events() == 1);
  auto b = s.bindings({a1, a2, b1});
  REQUIRE(b.ok());
  CHECK(b->size() == 2);
  CHECK_FALSE(b->contains(a1));
  CHECK(b->at(b1).erased_at.has_value());

  // The tombstone goes one retention after the erasure, with the last rows it could concern.
  clock_now = at(2027, 7, 3, 13);
  REQUIRE(job.run_once().ok());
  b = s.bindings({a1, a2, b1});
  REQUIRE(b.ok());
  CHECK(b->empty());
  CHECK(h.events() == 0);
}

}  // namespace veil::collector::test

TEST_SUITE("collector rights") {
  TEST_CASE("rights: erasure of two epochs' tokens, receipt, tombstones (memory, sqlite)") {
    SUBCASE("memory") {
      memory_sink m;
      check_erasure_across_epochs(m);
    }
    SUBCASE("sqlite") {
      temp_dir_guard dir("rights");
      auto s = open_sink("sqlite://" + (dir.path / "e.db").string());
      REQUIRE(s.ok());
      check_erasure_across_epochs(**s);
      // The binding and the tombstone survive a reopen.
      s->reset();
      auto again = open_sink("sqlite://" + (dir.path / "e.db").string());
      REQUIRE(again.ok());
      rights_harness h(**again);
      CHECK(h.upload(inst_a, "", {{"app.started", "usage", 1}}).status == 410);
      const device_key kb(3), other(9);
      CHECK(h.upload(inst_b, other.public_hex(), {{"app.started", "usage", 1}}).status == 409);
      CHECK(h.upload(inst_b, kb.public_hex(), {{"app.started", "usage", 1}}).status == 200);
    }
  }

  TEST_CASE("rights: retention expires rows, bindings and tombstones on an injected clock") {
    SUBCASE("memory") {
      memory_sink m;
      check_retention_expiry(m);
    }
    SUBCASE("sqlite") {
      temp_dir_guard dir("rights_ret");
      auto s = open_sink("sqlite://" + (dir.path / "r.db").string());
      REQUIRE(s.ok());
      check_retention_expiry(**s);
    }
  }

  TEST_CASE("rights: erasure without a valid proof is refused and deletes nothing") {
    memory_sink m;
    rights_harness h(m);
    const device_key ka(1), kb(3);
    REQUIRE(h.upload(a1, ka.public_hex(), {{"app.started", "usage", 1}}).status == 200);
    REQUIRE(h.upload(b1, kb.public_hex(), {{"app.started", "usage", 2}}).status == 200);
    REQUIRE(h.upload(unbound, "", {{"app.started", "usage", 3}}).status == 200);  // no key
    const std::string zeros(128, '0');
    struct attempt {
      const char* what;
      std::vector<std::pair<std::string, std::string>> items;
    };
    for (const auto& t : std::vector<attempt>{
             {"signed by another device's key", {{a1, kb.erasure_sig(a1)}}},
             {"a signature of zeros", {{a1, zeros}}},
             {"the subject message signed instead", {{a1, ka.sign("veil-subject-v1\n" + a1)}}},
             {"another token's signature", {{a1, ka.erasure_sig(b1)}}},
             {"rows without a binding", {{unbound, ka.erasure_sig(unbound)}}},
             {"a good item and a bad one", {{a1, ka.erasure_sig(a1)}, {b1, ka.erasure_sig(b1)}}},
             {"a good item and an unbound token with rows",
              {{a1, ka.erasure_sig(a1)}, {unbound, ka.erasure_sig(unbound)}}},
             {"the same token twice, once badly", {{a1, ka.erasure_sig(a1)}, {a1, zeros}}},
         }) {
      CAPTURE(std::string(t.what));
      auto r = h.erase(t.items);
      CHECK(r.status == 403);
      CHECK(error_of(r) == "proof_refused");
      CHECK(h.events() == 3);
      CHECK_FALSE(m.bindings({a1})->at(a1).erased_at);
    }
    // A public key in the request is ignored: verification uses only the bound key.
    auto own_key = h.post_to(
        "/v1/erasure",
        nlohmann::json{
            {"version", 1},
            {"requests", nlohmann::json::array({nlohmann::json{{"install", a1},
                                                               {"signature", kb.erasure_sig(a1)},
                                                               {"public_key", kb.public_hex()},
                                                               {"erasure_key", kb.public_hex()}}})}}
            .dump());
    CHECK(own_key.status == 403);
    CHECK(h.events() == 3);
    CHECK(h.metrics.render().find("veil_collector_proofs_refused_total 9") != std::string::npos);

    // A proven token beside an unknown one (no binding, no rows): fine, only a1 is erased.
    auto ok = h.erase({{a1, ka.erasure_sig(a1)}, {unknown, kb.erasure_sig(unknown)}});
    REQUIRE(ok.status == 200);
    CHECK(nlohmann::json::parse(ok.body)["receipt"]["installs"] == 1);
    CHECK(nlohmann::json::parse(ok.body)["receipt"]["total"] == 1);
    CHECK(h.events() == 2);
    CHECK(m.bindings({unknown})->empty());  // an unknown token gets no tombstone
    CHECK(h.upload(unknown, kb.public_hex(), {{"app.started", "usage", 4}}).status == 200);
  }

  TEST_CASE("rights: malformed erasure requests get a 400 that names the problem") {
    memory_sink m;
    rights_harness h(m);
    const device_key ka(1);
    REQUIRE(h.upload(a1, ka.public_hex(), {{"app.started", "usage", 1}}).status == 200);
    const std::string sig = ka.erasure_sig(a1);
    auto item = [](const nlohmann::json& install, const nlohmann::json& signature) {
      return nlohmann::json{{"install", install}, {"signature", signature}};
    };
    auto body = [](nlohmann::json items) {
      nlohmann::json j = nlohmann::json::object();
      j["version"] = 1;
      j["requests"] = std::move(items);
      return j.dump();
    };
    using arr = std::vector<nlohmann::json>;  // always a JSON array, whatever it holds
    nlohmann::json many = nlohmann::json::array();
    for (int i = 0; i < 1001; ++i) many.push_back(item(a1, sig));
    std::string upper = a1;
    upper[0] = 'A';
    std::string sig_upper = sig;
    for (auto& c : sig_upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    struct bad {
      std::string body, message;
    };
    for (const auto& t : std::vector<bad>{
             {"not json", "body is not JSON"},
             {"", "body is not JSON"},
             {R"([1,2])", "body must be a JSON object"},
             {R"({"tokens":[")" + a1 + R"("]})", "version must be 1"},  // the removed admin form
             {R"({"version":2,"requests":[]})", "version must be 1"},
             {R"({"version":"1","requests":[]})", "version must be 1"},
             {R"({"version":1})", "expected {\"version\":1,\"requests\":[...]}"},
             {R"({"version":1,"requests":{}})", "expected {\"version\":1,\"requests\":[...]}"},
             {body(arr{}), "requests must hold 1..1000 items"},
             {body(many), "requests must hold 1..1000 items"},
             {body(arr{a1}), "requests[0] must be an object"},
             {body(arr{item(a1, sig), item(upper, sig)}),
              "requests[1].install must be 32 lowercase hex characters"},
             {body(arr{item(a1.substr(1), sig)}),
              "requests[0].install must be 32 lowercase hex characters"},
             {body(arr{item(a1 + "0", sig)}),
              "requests[0].install must be 32 lowercase hex characters"},
             {body(arr{item(42, sig)}), "requests[0].install must be 32 lowercase hex characters"},
             {body(arr{nlohmann::json{{"signature", sig}}}),
              "requests[0].install must be 32 lowercase hex characters"},
             {body(arr{item(a1, sig.substr(1))}),
              "requests[0].signature must be 128 lowercase hex characters"},
             {body(arr{item(a1, sig + "00")}),
              "requests[0].signature must be 128 lowercase hex characters"},
             {body(arr{item(a1, sig_upper)}),
              "requests[0].signature must be 128 lowercase hex characters"},
             {body(arr{item(a1, "zz" + sig.substr(2))}),
              "requests[0].signature must be 128 lowercase hex characters"},
             {std::string(100, '[') + std::string(100, ']'), "JSON nested deeper than 4 levels"},
             {R"({"version":1,"requests":[{"install":{"a":{"b":[1]}}}]})",
              "JSON nested deeper than 4 levels"},
         }) {
      CAPTURE(t.body.substr(0, 80));
      auto r = h.post_to("/v1/erasure", t.body);
      CHECK(r.status == 400);
      CHECK(error_of(r) == "malformed");
      CHECK(message_of(r) == t.message);
    }
    // A quoted bracket is not nesting.
    auto quoted = h.post_to(
        "/v1/erasure", R"({"version":1,"x":"[[[[[[[[","requests":[)" + item(a1, sig).dump() + "]}");
    CHECK(quoted.status == 200);
    CHECK(h.events() == 0);
    // Size first: a body over the erasure limit is 413 before it is parsed.
    auto big = h.post_to("/v1/erasure", std::string(300 << 10, ' '));
    CHECK(big.status == 413);
    http_request plain;
    plain.method = "POST";
    plain.target = "/v1/erasure";
    plain.content_type = "text/plain";
    plain.body = body(arr{item(a1, sig)});
    CHECK(h.handler->handle(plain).status == 415);
    plain.method = "GET";
    CHECK(h.handler->handle(plain).status == 405);
  }

  TEST_CASE("rights: batches with veil.erasure_key are checked, and the guards accept them") {
    memory_sink m;
    rights_harness h(m);
    const device_key ka(1);
    std::string upper = ka.public_hex();
    upper[3] = 'F';
    for (const auto& [install, key, message] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {a1, upper, "veil.erasure_key must be 64 lowercase hex characters"},
             {a1, ka.public_hex().substr(2),
              "veil.erasure_key must be 64 lowercase hex characters"},
             {a1, ka.public_hex() + "00", "veil.erasure_key must be 64 lowercase hex characters"},
             {"", ka.public_hex(), "veil.erasure_key without veil.install"},
         }) {
      CAPTURE(message);
      auto r = h.upload(install, key, {{"app.started", "usage", 1}});
      CHECK(r.status == 400);
      CHECK(error_of(r) == "malformed");
      CHECK(message_of(r).find(message) != std::string::npos);
    }
    // Not a string value.
    std::string body = rights_batch(a1, "", {{"app.started", "usage", 1}}, h.now - 1h);
    body.insert(body.find(R"(]},"scopeLogs")"),
                R"(,{"key":"veil.erasure_key","value":{"intValue":"7"}})");
    CHECK(h.post_to("/v1/logs", body).status == 400);
    CHECK(h.events() == 0);
    CHECK(m.bindings({a1})->empty());

    // The production guard (cleaned-data contract + leak guard) accepts a record of a batch
    // with an erasure key: the key is a resource attribute, never part of a record's attrs.
    auto dec = *make_batch_decoder(1 << 20);
    std::string rated = rights_batch(a1, ka.public_hex(), {}, h.now - 1h);
    rated.replace(rated.find("[]}]}]}"), 7,
                  R"([{"eventName":"rating.submitted","timeUnixNano":"1795947307123000000",)"
                  R"("attributes":[)" +
                      attr("veil.category", "usage") +
                      R"(,{"key":"stars","value":{"intValue":"4"}}]}]}]}]})");
    auto recs = dec(rated, "", "");
    REQUIRE_MESSAGE(recs.ok(), (recs.ok() ? "" : recs.err().message));
    REQUIRE(recs->size() == 1);
    CHECK(recs->front().erasure_key == ka.public_hex());
    CHECK(recs->front().install == a1);
    CHECK_FALSE(recs->front().attrs.contains("veil.erasure_key"));
    auto guard = make_policy_guard(veil::test::default_policy());
    CHECK(guard(recs->front()) == std::nullopt);
  }

  TEST_CASE("rights: subject access returns exactly the token's rows, paged, with a fresh proof") {
    temp_dir_guard dir("subject");
    auto s = open_sink("sqlite://" + (dir.path / "s.db").string());
    REQUIRE(s.ok());
    handler_options ho;
    ho.subject_page_rows = 2;
    rights_harness h(**s, ho);
    const device_key ka(1), kb(3);
    REQUIRE(h.upload(a1, ka.public_hex(),
                     {{"call.ended", "call_quality", 1},
                      {"app.started", "usage", 2},
                      {"crash.report", "crash", 3}})
                .status == 200);
    REQUIRE(h.upload(b1, kb.public_hex(), {{"app.started", "usage", 100}}).status == 200);
    REQUIRE(h.upload(a1, "", {{"feature.used", "usage", 4}, {"app.started", "usage", 5}}).status ==
            200);

    // Page by page: 2 + 2 + 1 rows, then next_offset null.
    std::vector<nlohmann::json> all;
    nlohmann::json offset = 0;
    int pages = 0;
    while (!offset.is_null() && pages < 10) {
      auto r = h.subject_now(ka, a1, "offset=" + std::to_string(offset.get<std::uint64_t>()));
      REQUIRE_MESSAGE(r.status == 200, r.body);
      auto j = nlohmann::json::parse(r.body);
      CHECK(j["version"] == 1);
      CHECK(j["install"] == a1);
      CHECK(j["total"] == 5);
      CHECK(j["count"] == j["rows"].size());
      CHECK(j["rows"].size() == (pages < 2 ? 2u : 1u));
      for (auto& row : j["rows"]) all.push_back(row);
      offset = j["next_offset"];
      ++pages;
    }
    CHECK(pages == 3);
    REQUIRE(all.size() == 5);
    std::vector<int> ns;
    for (const auto& row : all) {
      ns.push_back(row["attrs"]["n"].get<int>());
      CHECK(row["day"] == "2026-11-30");
      CHECK(row["ts"] == "2026-11-30T11:00:00Z");
      CHECK(row["batch"].get<std::string>().starts_with("batch-"));
      CHECK(row.size() == 6);  // batch, ts, day, type, category, attrs: never the install of others
    }
    CHECK(ns == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(all[0]["type"] == "call.ended");
    CHECK(all[0]["category"] == "call_quality");
    CHECK(all[0]["batch"] == "batch-1");
    CHECK(all[3]["batch"] == "batch-3");
    // Without a query: the first page.
    CHECK(nlohmann::json::parse(h.subject_now(ka, a1).body)["rows"].size() == 2);
    // Past the end: no rows.
    auto past = nlohmann::json::parse(h.subject_now(ka, a1, "offset=99").body);
    CHECK(past["rows"].empty());
    CHECK(past["next_offset"].is_null());

    // The time must be within 300 s of the collector's clock.
    const auto now_ms = unix_ms(h.now);
    auto at_time = [&](std::int64_t t) {
      const auto ts = std::to_string(t);
      return h.subject(a1, ts, ka.sign("veil-subject-v1\n" + a1 + "\n" + ts));
    };
    CHECK(at_time(now_ms - 299'000).status == 200);
    CHECK(at_time(now_ms + 299'000).status == 200);
    for (auto t : {now_ms - 301'000, now_ms + 301'000, std::int64_t{0}}) {
      auto r = at_time(t);
      CHECK(r.status == 403);
      CHECK(error_of(r) == "stale_proof");
    }
    // A bad signature and an unknown token get the same answer.
    const auto ts = std::to_string(now_ms);
    auto wrong_key = h.subject(a1, ts, kb.sign("veil-subject-v1\n" + a1 + "\n" + ts));
    auto other_time = h.subject(a1, ts, ka.sign("veil-subject-v1\n" + a1 + "\n" + "1"));
    auto erasure_sig = h.subject(a1, ts, ka.erasure_sig(a1));
    auto no_such = h.subject(unknown, ts, ka.sign("veil-subject-v1\n" + unknown + "\n" + ts));
    auto no_binding = h.subject(unbound, ts, ka.sign("veil-subject-v1\n" + unbound + "\n" + ts));
    for (const auto* r : {&wrong_key, &other_time, &erasure_sig, &no_such, &no_binding}) {
      CHECK(r->status == 403);
      CHECK(error_of(*r) == "proof_refused");
      CHECK(r->body == no_such.body);
    }
    // B reads only B's row.
    auto rb = nlohmann::json::parse(h.subject_now(kb, b1).body);
    CHECK(rb["total"] == 1);
    REQUIRE(rb["rows"].size() == 1);
    CHECK(rb["rows"][0]["attrs"]["n"] == 100);

    // Malformed proofs and queries: 400 naming the header.
    const auto sig = ka.sign("veil-subject-v1\n" + a1 + "\n" + ts);
    struct bad {
      std::string install, time, sig, query, message;
    };
    for (const auto& t : std::vector<bad>{
             {"", ts, sig, "", "X-Veil-Install must be 32 lowercase hex characters"},
             {a1.substr(1), ts, sig, "", "X-Veil-Install must be 32 lowercase hex characters"},
             {a1, "", sig, "", "X-Veil-Time must be unix milliseconds in decimal"},
             {a1, ts + "x", sig, "", "X-Veil-Time must be unix milliseconds in decimal"},
             {a1, "-" + ts, sig, "", "X-Veil-Time must be unix milliseconds in decimal"},
             {a1, std::string(40, '9'), sig, "",
              "X-Veil-Time must be unix milliseconds in decimal"},
             {a1, ts, "", "", "X-Veil-Signature must be 128 lowercase hex characters"},
             {a1, ts, sig.substr(2), "", "X-Veil-Signature must be 128 lowercase hex characters"},
             {a1, ts, sig, "offset=x", "the only query parameter is offset=<whole number>"},
             {a1, ts, sig, "limit=5", "the only query parameter is offset=<whole number>"},
             {a1, ts, sig, "offset=-1", "the only query parameter is offset=<whole number>"},
         }) {
      CAPTURE(t.message);
      auto r = h.subject(t.install, t.time, t.sig, t.query);
      CHECK(r.status == 400);
      CHECK(message_of(r) == t.message);
    }

    // After erasure the device still proves its token and sees that nothing is left.
    REQUIRE(h.erase({{a1, ka.erasure_sig(a1)}}).status == 200);
    auto gone = nlohmann::json::parse(h.subject_now(ka, a1).body);
    CHECK(gone["total"] == 0);
    CHECK(gone["rows"].empty());
    CHECK(h.metrics.requests("/v1/subject", 403) == 8);
  }

  TEST_CASE("rights: rate limits on erasure (per client) and subject access (per token)") {
    memory_sink m;
    handler_options ho;
    auto t = std::chrono::steady_clock::time_point{};
    ho.steady_now = [&] { return t; };
    ho.erasures = {1.0 / 6, 2};
    ho.subject_requests = {1, 2};
    rights_harness h(m, ho, /*limits=*/true);
    const device_key ka(1);
    REQUIRE(h.upload(a1, ka.public_hex(), {{"app.started", "usage", 1}}).status == 200);
    CHECK(h.erase({{unknown, ka.erasure_sig(unknown)}}).status == 200);
    CHECK(h.erase({{unknown, ka.erasure_sig(unknown)}}).status == 200);
    auto limited = h.erase({{unknown, ka.erasure_sig(unknown)}});
    CHECK(limited.status == 429);
    CHECK(limited.retry_after_s == 6);
    CHECK(h.subject_now(ka, a1).status == 200);
    CHECK(h.subject_now(ka, a1).status == 200);
    CHECK(h.subject_now(ka, a1).status == 429);
    CHECK(h.subject_now(ka, inst_d).status == 403);  // another token has its own bucket
    t += 6s;
    CHECK(h.erase({{unknown, ka.erasure_sig(unknown)}}).status == 200);
    CHECK(h.subject_now(ka, a1).status == 200);
  }

  TEST_CASE("rights: the server carries X-Veil-* headers and the query; erasure over HTTP") {
    server_options so;
    so.max_body = 1 << 20;  // above the erasure limit, so the endpoint's own limit is what applies
    fixture f(so);
    const device_key ka(1);
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1796000000));
    const auto batch =
        rights_batch(inst_a, ka.public_hex(),
                     {{"app.started", "usage", 1}, {"feature.used", "usage", 2}}, now - 1h);
    REQUIRE(status_of(roundtrip(f.port, post("/v1/logs", batch, "Idempotency-Key: h-1\r\n"))) ==
            200);
    const auto ts = std::to_string(unix_ms(now));
    const auto sig = ka.sign("veil-subject-v1\n" + inst_a + "\n" + ts);
    auto get = [&](const std::string& target, const std::string& s) {
      return roundtrip(
          f.port, "GET " + target +
                      " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Veil-Install: " + inst_a +
                      "\r\nX-Veil-Time: " + ts + "\r\nX-Veil-Signature: " + s + "\r\n\r\n");
    };
    auto r = get("/v1/subject?offset=1", sig);
    REQUIRE_MESSAGE(status_of(r) == 200, r);
    auto j = nlohmann::json::parse(body_of(r));
    CHECK(j["total"] == 2);
    REQUIRE(j["rows"].size() == 1);
    CHECK(j["rows"][0]["attrs"]["n"] == 2);
    CHECK(j["rows"][0]["batch"] == "h-1");
    CHECK(j["next_offset"].is_null());
    CHECK(status_of(get("/v1/subject", std::string(128, '0'))) == 403);
    CHECK(status_of(get("/v1/subject", sig + std::string(300, 'a'))) == 400);  // over its bound
    auto posted = roundtrip(f.port, post("/v1/subject", "{}"));
    CHECK(status_of(posted) == 405);

    // Erasure over HTTP: refused with a wrong signature, then carried out with a receipt.
    auto one = [](const std::string& install, const std::string& signature) {
      return nlohmann::json{
          {"version", 1},
          {"requests",
           nlohmann::json::array({nlohmann::json{{"install", install}, {"signature", signature}}})}}
          .dump();
    };
    const auto wrong = one(inst_a, std::string(128, 'a'));
    CHECK(status_of(roundtrip(f.port, post("/v1/erasure", wrong))) == 403);
    CHECK(f.events() == 2);
    const auto good = one(inst_a, ka.erasure_sig(inst_a));
    auto er = roundtrip(f.port, post("/v1/erasure", good));
    REQUIRE_MESSAGE(status_of(er) == 200, er);
    CHECK(nlohmann::json::parse(body_of(er))["receipt"]["rows_deleted"] ==
          nlohmann::json{{"usage", 2}});
    CHECK(f.events() == 0);
    // The erasure body limit is applied from Content-Length, before the body is read.
    auto big = roundtrip(f.port,
                         "POST /v1/erasure HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                         "Content-Type: application/json\r\nContent-Length: 300000\r\n\r\n");
    CHECK(status_of(big) == 413);
    // Metrics name the endpoint.
    auto m = roundtrip(f.port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(body_of(m).find("endpoint=\"/v1/subject\",status=\"200\"} 1") != std::string::npos);
    CHECK(body_of(m).find(inst_a) == std::string::npos);
  }
}
