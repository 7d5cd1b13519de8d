// Fixtures of the users'-rights tests (issue 14): a device's Ed25519 key pair made with
// libsodium from a fixed seed, OTLP batches carrying veil.install and veil.erasure_key, and a
// request handler on any sink with a clock the test sets. The scenarios that every sink must
// pass are defined in collector_rights_test.cpp and also run against ClickHouse
// (collector_clickhouse_test.cpp).
#pragma once

#include <doctest/doctest.h>

#include <sodium.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "collector_http_util.hpp"
#include "collector_test_util.hpp"
#include "tools/collector/batch_decoder.hpp"
#include "tools/collector/device_proof.hpp"
#include "tools/collector/record_guard.hpp"
#include "tools/collector/request_handler.hpp"

namespace veil::collector::test {

inline std::string to_hex(const unsigned char* p, std::size_t n) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += hex[p[i] >> 4];
    out += hex[p[i] & 15];
  }
  return out;
}

// What a device derives for one epoch: a key pair (crypto_sign) from a seed.
struct device_key {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
  explicit device_key(unsigned char seed) {
    REQUIRE(sodium_init() >= 0);
    std::array<unsigned char, crypto_sign_SEEDBYTES> s{};
    s.fill(seed);
    REQUIRE(crypto_sign_seed_keypair(pk.data(), sk.data(), s.data()) == 0);
  }
  std::string public_hex() const { return to_hex(pk.data(), pk.size()); }
  std::string sign(std::string_view msg) const {
    std::array<unsigned char, crypto_sign_BYTES> sig{};
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(msg.data()),
                         msg.size(), sk.data());
    return to_hex(sig.data(), sig.size());
  }
  std::string erasure_sig(const std::string& token) const {
    return sign("veil-erasure-v1\n" + token);
  }
};

inline std::int64_t unix_ms(sys_time t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// One event of a test batch: its type, consent category and an attribute n (to tell rows apart).
struct ev {
  std::string type, category;
  int n = 0;
};

// An OTLP body of one resource: veil.install, optionally veil.erasure_key, events at `when`.
inline std::string rights_batch(const std::string& install, const std::string& key,
                                const std::vector<ev>& events, sys_time when) {
  const auto ns = std::to_string(
      std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch()).count());
  std::string res = install.empty() ? "" : attr("veil.install", install);
  if (!key.empty()) res += (res.empty() ? "" : ",") + attr("veil.erasure_key", key);
  std::string recs;
  for (const auto& e : events)
    recs += (recs.empty() ? "" : ",") + std::string(R"({"eventName":")") + e.type +
            R"(","timeUnixNano":")" + ns + R"(","attributes":[)" +
            attr("veil.category", e.category) + R"(,{"key":"n","value":{"intValue":")" +
            std::to_string(e.n) + R"("}}]})";
  return R"({"resourceLogs":[{"resource":{"attributes":[)" + res +
         R"(]},"scopeLogs":[{"logRecords":[)" + recs + "]}]}]}";
}

// A request handler on `store` without a server; `now` is the test's clock.
struct rights_harness {
  sink& store;
  collector_metrics metrics;
  sys_time now = at(2026, 11, 30, 12);
  std::unique_ptr<request_handler> handler;
  int batch_no = 0;

  // `limits`: keep the erasure and subject rate limits (off otherwise: the tests send many).
  explicit rights_harness(sink& s, handler_options ho = {}, bool limits = false) : store(s) {
    ho.now = [this] { return now; };
    if (!limits) ho.erasures = ho.subject_requests = {};
    guard_options g;
    g.scan = [](std::string_view) { return std::string(); };
    handler = std::make_unique<request_handler>(s, *make_batch_decoder(1 << 20),
                                                make_default_guard(g), api_keys{}, metrics, ho);
  }
  http_response post_to(const std::string& target, const std::string& body,
                        const std::string& idem = "") {
    http_request r;
    r.method = "POST";
    r.target = target;
    r.content_type = "application/json";
    r.idempotency_key = idem;
    r.peer = "192.0.2.1";
    r.body = body;
    return handler->handle(r);
  }
  // Uploads one batch (rows dated an hour before now) under a fresh idempotency key.
  http_response upload(const std::string& install, const std::string& key,
                       const std::vector<ev>& events) {
    return post_to("/v1/logs", rights_batch(install, key, events, now - std::chrono::hours(1)),
                   "batch-" + std::to_string(++batch_no));
  }
  http_response erase(const std::vector<std::pair<std::string, std::string>>& items) {
    nlohmann::json req = nlohmann::json::array();
    for (const auto& [install, sig] : items)
      req.push_back({{"install", install}, {"signature", sig}});
    return post_to("/v1/erasure", nlohmann::json{{"version", 1}, {"requests", req}}.dump());
  }
  http_response subject(const std::string& install, const std::string& time, const std::string& sig,
                        const std::string& query = "") {
    http_request r;
    r.method = "GET";
    r.target = "/v1/subject" + (query.empty() ? "" : "?" + query);
    r.peer = "192.0.2.1";
    r.veil_install = install;
    r.veil_time = time;
    r.veil_signature = sig;
    return handler->handle(r);
  }
  // A valid subject proof at the harness's current time.
  http_response subject_now(const device_key& k, const std::string& install,
                            const std::string& query = "") {
    const auto t = std::to_string(unix_ms(now));
    return subject(install, t, k.sign("veil-subject-v1\n" + install + "\n" + t), query);
  }
  std::uint64_t events() { return *store.count_events(); }
};

inline std::string error_of(const http_response& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : "";
}
inline std::string message_of(const http_response& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("message") ? j["message"].get<std::string>() : "";
}

// The scenarios (collector_rights_test.cpp).
void check_erasure_across_epochs(sink& s);
void check_retention_expiry(sink& s);

}  // namespace veil::collector::test
