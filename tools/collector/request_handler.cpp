#include "tools/collector/request_handler.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "agent/core/time_util.hpp"
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
  std::vector<std::pair<std::string, unsigned>> keys;
  std::string line;
  std::size_t n = 0;
  while (std::getline(f, line)) {
    ++n;
    auto l = trim(line);
    if (l.empty() || l.front() == '#') continue;
    std::vector<std::string_view> w;
    while (!l.empty()) {
      auto sp = l.find_first_of(" \t");
      w.push_back(l.substr(0, sp));
      l = sp == std::string_view::npos ? std::string_view() : trim(l.substr(sp));
    }
    const std::string where = path + ":" + std::to_string(n);
    if (w.size() > 3)
      return veil::make_error(veil::errc::invalid_argument,
                              where + ": want 'key', 'name key' or 'name key scopes'");
    const std::string_view key = w.size() == 1 ? w[0] : w[1];
    if (key.size() < 16)
      return veil::make_error(veil::errc::invalid_argument,
                              where + ": api key shorter than 16 characters");
    unsigned scopes = scope_ingest;
    if (w.size() == 3) {
      scopes = 0;
      std::string_view list = w[2];
      while (!list.empty()) {
        auto comma = list.find(',');
        const auto sc = list.substr(0, comma);
        if (sc == "ingest") scopes |= scope_ingest;
        else if (sc == "admin") scopes |= scope_admin;
        else if (sc == "operator") scopes |= scope_operator;
        else
          return veil::make_error(veil::errc::invalid_argument,
                                  where + ": unknown scope (want ingest, admin, operator)");
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
    }
    keys.emplace_back(std::string(key), scopes);
  }
  if (keys.empty()) return veil::make_error(veil::errc::invalid_argument, "no api keys in " + path);
  return from_scoped(keys);
}

api_keys api_keys::from_keys(const std::vector<std::string>& keys) {
  std::vector<std::pair<std::string, unsigned>> k;
  for (const auto& s : keys) k.emplace_back(s, scope_ingest);
  return from_scoped(k);
}

api_keys api_keys::from_scoped(const std::vector<std::pair<std::string, unsigned>>& keys) {
  api_keys k;
  for (const auto& [s, sc] : keys) k.keys_.push_back({sha256(s), sc});
  return k;
}

std::optional<std::size_t> api_keys::find(std::string_view presented) const noexcept {
  // Hashing first makes the compare independent of the presented length; every key is
  // compared so the time does not depend on which one matched.
  auto d = sha256(presented);
  std::size_t found = keys_.size();
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const bool eq = CRYPTO_memcmp(keys_[i].digest.data(), d.data(), d.size()) == 0;
    found = eq ? i : found;
  }
  if (found == keys_.size()) return std::nullopt;
  return found;
}

bool api_keys::any(unsigned scope) const noexcept {
  for (const auto& k : keys_)
    if (k.scopes & scope) return true;
  return false;
}

request_handler::request_handler(sink& s, batch_decoder decode, record_guard guard, api_keys keys,
                                 collector_metrics& m, handler_options o)
    : sink_(s),
      decode_(std::move(decode)),
      guard_(std::move(guard)),
      keys_(std::move(keys)),
      metrics_(m),
      opts_(std::move(o)),
      install_requests_(opts_.install_requests, 100'000, opts_.steady_now),
      install_bytes_(opts_.install_bytes, 100'000, opts_.steady_now),
      key_requests_(opts_.key_requests, 10'000, opts_.steady_now),
      erasures_(opts_.erasures, 10'000, opts_.steady_now) {
  if (!opts_.now) opts_.now = [] { return std::chrono::system_clock::now(); };
}

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

http_response request_handler::limited(std::string_view endpoint, unsigned wait_s,
                                       std::string_view message) {
  auto r = error(endpoint, 429, "rate_limited", message);
  r.retry_after_s = wait_s;
  return r;
}

std::variant<request_handler::grant, http_response> request_handler::check_access(
    const http_request& req) {
  const auto ep = endpoint_label(req.target);
  if (ep == "/healthz") {
    if (req.method != "GET") return error(ep, 405, "method", "use GET");
    return grant{};
  }
  if (ep == "other") return error(ep, 404, "not_found", "unknown endpoint");
  std::optional<std::size_t> key;
  if (!req.api_key.empty() && !keys_.empty()) key = keys_.find(req.api_key);
  const unsigned scopes = key ? keys_.scopes(*key) : 0;
  if (ep == "/metrics") {
    if (req.method != "GET") return error(ep, 405, "method", "use GET");
    // With an operator key configured, only it reads /metrics; without one, loopback only.
    if (keys_.any(scope_operator)) {
      if (!key) return error(ep, 401, "unauthorized", "missing or bad api key");
      if (!(scopes & scope_operator)) return error(ep, 403, "forbidden", "needs an operator key");
    } else if (!req.peer_loopback) {
      return error(ep, 403, "forbidden", "metrics: configure an operator key or read on loopback");
    }
    return grant{key};
  }
  if (req.method != "POST") return error(ep, 405, "method", "use POST");
  if (ep == "/v1/erasure") {
    // Only an admin key erases (an ingest key ships in every app). The device's own proof of
    // its install (users' rights) will be the second way; until then, no admin key = no erasure.
    if (!keys_.any(scope_admin))
      return error(ep, 403, "no_admin_key", "erasure needs an admin key on this collector");
    if (!key) return error(ep, 401, "unauthorized", "missing or bad api key");
    if (!(scopes & scope_admin)) return error(ep, 403, "forbidden", "erasure needs an admin key");
    if (auto wait = erasures_.take("key:" + std::to_string(*key)))
      return limited(ep, wait, "erasure rate limit, retry later");
    return grant{key};
  }
  // /v1/logs: open unless ingest keys are configured (each scope is independent: a collector
  // with only an admin key still takes uploads from apps that ship no key).
  if (keys_.any(scope_ingest)) {
    if (!key) return error(ep, 401, "unauthorized", "missing or bad api key");
    if (!(scopes & scope_ingest)) return error(ep, 403, "forbidden", "needs an ingest key");
    if (auto wait = key_requests_.take("key:" + std::to_string(*key)))
      return limited(ep, wait, "this key's request rate is over its quota");
  }
  return grant{key};
}

std::optional<http_response> request_handler::authorize(const http_request& req) noexcept {
  try {
    auto a = check_access(req);
    if (auto* r = std::get_if<http_response>(&a)) return std::move(*r);
    return std::nullopt;
  } catch (...) {
    return http_response{500, "application/json", "{}"};
  }
}

http_response request_handler::handle(const http_request& req) noexcept {
  try {
    const auto ep = endpoint_label(req.target);
    // The server already called authorize() for this request (quotas are taken once there);
    // a direct caller (tests, tools) without the server gets the same checks here.
    if (!req.authorized) {
      auto a = check_access(req);
      if (auto* r = std::get_if<http_response>(&a)) return std::move(*r);
    }
    if (ep == "/healthz") {
      metrics_.request(ep, 200);
      return {200, "text/plain; charset=utf-8", "ok\n"};
    }
    if (ep == "/metrics") {
      metrics_.request(ep, 200);
      return {200, "text/plain; version=0.0.4; charset=utf-8", metrics_.render()};
    }
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
  // Per-install quotas (the install is known once decoded; one install per request).
  const std::string subject = recs->empty() || recs->front().install.empty()
                                  ? "peer:" + req.peer
                                  : "install:" + recs->front().install;
  unsigned wait = install_requests_.take(subject);
  if (!wait) wait = install_bytes_.take(subject, static_cast<double>(req.body.size()));
  if (wait) return limited(ep, wait, "this install's request rate is over its quota");
  std::vector<cleaned_record> ok;
  std::vector<quarantined_record> quarantined;
  ok.reserve(recs->size());
  const auto now = opts_.now();
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::int64_t oldest =
      now_ms - std::chrono::duration_cast<std::chrono::milliseconds>(opts_.retention).count();
  const std::int64_t newest = now_ms + 24 * 3600 * 1000;
  for (auto& r : *recs) {
    std::optional<std::string> reason = guard_(r);
    if (!reason) {
      // A time the retention would delete at once, or a future one that would never expire.
      const auto ms = veil::detail::parse_rfc3339_ms(r.ts);
      if (!ms || *ms < oldest || *ms > newest) reason = "time:out_of_range";
    }
    if (reason) {
      metrics_.quarantined_reason(*reason);
      // Never the sender's string: an unknown type is stored as "unknown".
      std::string type = reason->rfind("type:", 0) == 0 ? "unknown" : r.type;
      quarantined.push_back({std::move(type), std::move(*reason)});
    } else {
      ok.push_back(std::move(r));
    }
  }
  auto w = sink_.write_batch(req.idempotency_key, ok, quarantined, now);
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
      return error(ep, 400, "malformed", "tokens must be pseudonym tokens (32 lowercase hex)");
    tokens.push_back(t.get<std::string>());
  }
  auto n = sink_.erase(tokens);
  if (!n) {
    std::clog << "veil-collector: erasure failed: " << n.err().message << '\n';
    return error(ep, 503, "sink_unavailable", "storage unavailable, retry later");
  }
  metrics_.erased(*n);
  // The count goes to the operator's log and the metrics, never to the caller: the answer is
  // the same whether the tokens had rows or not (it must not tell whether a token exists).
  std::clog << "veil-collector: erasure request: " << *n
            << " records deleted\n";  // never the tokens
  metrics_.request(ep, 202);
  return {202, "application/json", R"({"status":"accepted"})"};
}

}  // namespace veil::collector
