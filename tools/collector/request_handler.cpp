#include "tools/collector/request_handler.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "tools/collector/record_guard.hpp"

namespace veil::collector {
namespace {

std::array<unsigned char, 32> sha256(std::string_view s) {
  std::array<unsigned char, 32> d{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d.data());
  return d;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// "application/json; charset=utf-8" -> true. Media types are case-insensitive.
bool is_json(std::string_view ct) {
  ct = trim(ct.substr(0, ct.find(';')));
  std::string l(ct);
  for (auto& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == "application/json";
}

std::string json_body(std::initializer_list<std::pair<const char*, nlohmann::json>> kv) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : kv) j[k] = v;
  return j.dump();
}

}  // namespace

veil::result<api_keys> api_keys::load(const std::string& path) {
  std::ifstream f(path);
  if (!f) return veil::make_error(veil::errc::io_error, "cannot read api keys file " + path);
  std::vector<std::string> keys;
  std::string line;
  while (std::getline(f, line)) {
    auto l = trim(line);
    if (l.empty() || l.front() == '#') continue;
    auto sp = l.find_last_of(" \t");
    auto key = sp == std::string_view::npos ? l : trim(l.substr(sp + 1));
    if (key.size() < 16)
      return veil::make_error(veil::errc::invalid_argument,
                              "api key shorter than 16 characters in " + path);
    keys.emplace_back(key);
  }
  if (keys.empty()) return veil::make_error(veil::errc::invalid_argument, "no api keys in " + path);
  return from_keys(keys);
}

api_keys api_keys::from_keys(const std::vector<std::string>& keys) {
  api_keys k;
  for (const auto& s : keys) k.digests_.push_back(sha256(s));
  return k;
}

bool api_keys::check(std::string_view presented) const noexcept {
  // Hashing first makes the compare independent of the presented length; every key is
  // compared so the time does not depend on which one matched.
  auto d = sha256(presented);
  int match = 0;
  for (const auto& k : digests_) match |= CRYPTO_memcmp(k.data(), d.data(), d.size()) == 0;
  return match != 0;
}

request_handler::request_handler(sink& s, batch_decoder decode, record_guard guard, api_keys keys,
                                 collector_metrics& m, handler_options o)
    : sink_(s),
      decode_(std::move(decode)),
      guard_(std::move(guard)),
      keys_(std::move(keys)),
      metrics_(m),
      opts_(o) {}

http_response request_handler::error(std::string_view endpoint, unsigned status,
                                     std::string_view reason, std::string_view message) {
  metrics_.request(std::string(endpoint), status);
  metrics_.rejected(std::string(reason));
  return {status, "application/json",
          json_body({{"error", std::string(reason)}, {"message", std::string(message)}})};
}

http_response request_handler::reject(std::string_view target, unsigned status,
                                      std::string_view reason) noexcept {
  try {
    return error(endpoint_label(target), status, reason, reason);
  } catch (...) {
    return {status, "application/json", "{}"};
  }
}

std::optional<http_response> request_handler::authorize(const http_request& req) noexcept {
  try {
    const auto ep = endpoint_label(req.target);
    if (ep == "/healthz" || ep == "/metrics" || ep == "other") return std::nullopt;
    if (req.method != "POST") return error(ep, 405, "method", "use POST");
    if (!keys_.empty() && !keys_.check(req.api_key))
      return error(ep, 401, "unauthorized", "missing or bad api key");
    return std::nullopt;
  } catch (...) {
    return http_response{500, "application/json", "{}"};
  }
}

http_response request_handler::handle(const http_request& req) noexcept {
  try {
    const auto ep = endpoint_label(req.target);
    if (ep == "/healthz") {
      if (req.method != "GET") return error(ep, 405, "method", "use GET");
      metrics_.request(ep, 200);
      return {200, "text/plain; charset=utf-8", "ok\n"};
    }
    if (ep == "/metrics") {
      if (req.method != "GET") return error(ep, 405, "method", "use GET");
      metrics_.request(ep, 200);
      return {200, "text/plain; version=0.0.4; charset=utf-8", metrics_.render()};
    }
    if (ep == "other") return error(ep, 404, "not_found", "unknown endpoint");
    if (req.method != "POST") return error(ep, 405, "method", "use POST");
    if (!keys_.empty() && !keys_.check(req.api_key))
      return error(ep, 401, "unauthorized", "missing or bad api key");
    if (!is_json(req.content_type))
      return error(ep, 415, "unsupported_media", "Content-Type must be application/json");
    metrics_.bytes(req.body.size());
    return ep == "/v1/logs" ? logs(req) : erasure(req);
  } catch (...) {
    try {
      return error("other", 500, "internal", "internal error");
    } catch (...) {
      return {500, "application/json", "{}"};
    }
  }
}

http_response request_handler::logs(const http_request& req) {
  const std::string ep = "/v1/logs";
  if (req.idempotency_key.size() > opts_.max_idempotency_key)
    return error(ep, 400, "malformed", "Idempotency-Key too long");
  auto recs = decode_(req.body, req.content_encoding, req.dict_id, req.admit);
  if (!recs) {
    switch (recs.err().code) {
      case veil::errc::unavailable: {
        auto r = error(ep, 503, "busy", "memory budget busy, retry later");
        r.retry_after_s = 1;
        return r;
      }
      case veil::errc::limit_exceeded: return error(ep, 413, "too_large", recs.err().message);
      case veil::errc::invalid_argument:
        return error(ep, 415, "unsupported_media", recs.err().message);
      default: return error(ep, 400, "malformed", recs.err().message);
    }
  }
  std::vector<cleaned_record> ok;
  std::vector<quarantined_record> quarantined;
  ok.reserve(recs->size());
  for (auto& r : *recs) {
    if (auto reason = guard_(r)) quarantined.push_back({r.type, std::move(*reason)});
    else ok.push_back(std::move(r));
  }
  auto w =
      sink_.write_batch(req.idempotency_key, ok, quarantined, std::chrono::system_clock::now());
  if (!w) {
    std::clog << "veil-collector: sink write failed: " << w.err().message << '\n';
    return error(ep, 503, "sink_unavailable", "storage unavailable, retry later");
  }
  const bool dup = *w == write_outcome::duplicate;
  if (dup) {
    metrics_.duplicate();
  } else {
    metrics_.stored(ok.size());
    metrics_.quarantined(quarantined.size());
  }
  metrics_.request(ep, 200);
  nlohmann::json j{{"accepted", ok.size()}, {"quarantined", quarantined.size()}};
  if (dup) j["duplicate"] = true;
  return {200, "application/json", j.dump()};
}

http_response request_handler::erasure(const http_request& req) {
  const std::string ep = "/v1/erasure";
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("tokens") || !j["tokens"].is_array())
    return error(ep, 400, "malformed", R"(expected {"tokens":[...]})");
  const auto& arr = j["tokens"];
  if (arr.empty() || arr.size() > opts_.max_erasure_tokens)
    return error(ep, 400, "malformed", "1..1000 tokens");
  std::vector<std::string> tokens;
  for (const auto& t : arr) {
    // Only pseudonym-shaped tokens: "opus" or "DE" must not be able to wipe a column.
    if (!t.is_string() || !looks_like_pseudonym(t.get_ref<const std::string&>()))
      return error(ep, 400, "malformed",
                   "tokens must be pseudonym tokens (16..128 chars of [A-Za-z0-9_-])");
    tokens.push_back(t.get<std::string>());
  }
  auto n = sink_.erase(tokens);
  if (!n) {
    std::clog << "veil-collector: erasure failed: " << n.err().message << '\n';
    return error(ep, 503, "sink_unavailable", "storage unavailable, retry later");
  }
  metrics_.erased(*n);
  std::clog << "veil-collector: erasure request: " << *n
            << " records deleted\n";  // never the tokens
  metrics_.request(ep, 200);
  return {200, "application/json", nlohmann::json{{"erased", *n}}.dump()};
}

}  // namespace veil::collector
