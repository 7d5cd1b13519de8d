#include "tools/collector/request_handler.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <fstream>
#include <map>
#include <iostream>
#include <sstream>

#include "agent/core/time_util.hpp"
#include "tools/collector/device_proof.hpp"
#include "tools/collector/leak_guard.hpp"
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
      erasures_(opts_.erasures, 10'000, opts_.steady_now),
      subjects_(opts_.subject_requests, 100'000, opts_.steady_now) {
  if (!opts_.now) opts_.now = [] { return std::chrono::system_clock::now(); };
  if (!opts_.receipt_id) opts_.receipt_id = random_hex_id;
  if (!opts_.decode_metrics)
    if (auto d = make_metrics_decoder(); d) opts_.decode_metrics = std::move(*d);
  if (!opts_.metrics_leak_guard) {
    // Compiling the guard's pattern sets takes a while: one for every handler of the process.
    static const auto shared = std::make_shared<const leak_guard>();
    opts_.metrics_leak_guard = shared;
  }
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
  // /v1/logs, /v1/erasure and /v1/subject: open unless ingest keys are configured (each scope
  // is independent: a collector with only an operator key still takes uploads from apps that
  // ship no key). Erasure and subject access need the device's proof besides (checked in
  // handle(), with the body): no key, however privileged, erases or reads a device's data.
  if (ep == "/v1/subject") {
    if (req.method != "GET") return error(ep, 405, "method", "use GET");
  } else if (req.method != "POST") {
    return error(ep, 405, "method", "use POST");
  }
  if (keys_.any(scope_ingest)) {
    if (!key) return error(ep, 401, "unauthorized", "missing or bad api key");
    if (!(scopes & scope_ingest)) return error(ep, 403, "forbidden", "needs an ingest key");
    if (auto wait = key_requests_.take("key:" + std::to_string(*key)))
      return limited(ep, wait, "this key's request rate is over its quota");
  }
  // Erasure is rare and costs a proof check per item: bounded per client address before the
  // body is read (subject access is bounded per token once its headers are checked).
  if (ep == "/v1/erasure")
    if (auto wait = erasures_.take("peer:" + req.peer))
      return limited(ep, wait, "erasure rate limit, retry later");
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

std::size_t request_handler::body_limit(std::string_view target) const noexcept {
  const auto q = target.find('?');
  const auto path = target.substr(0, q);
  if (path == "/v1/erasure") return opts_.max_erasure_body;
  if (path == "/v1/subject") return 0;
  return std::numeric_limits<std::size_t>::max();
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
    if (ep == "/v1/subject") return subject(req);
    if (!is_json(req.content_type))
      return error(ep, 415, "unsupported_media", "Content-Type must be application/json");
    metrics_.bytes(req.body.size());
    if (ep == "/v1/logs") return logs(req);
    if (ep == "/v1/metrics") return metrics(req);
    return erasure(req);
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
  // One install per request (the decoder refuses two), and its erasure key with it; copied
  // before the records are moved into `ok`.
  const std::string origin_install = recs->empty() ? std::string() : recs->front().install;
  const std::string origin_key = recs->empty() ? std::string() : recs->front().erasure_key;
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
  const batch_origin origin{origin_install, origin_key};
  auto w = sink_.write_batch(req.idempotency_key, ok, quarantined, now, origin);
  if (!w) {
    std::clog << "veil-collector: sink write failed: " << w.err().message << '\n';
    return error(ep, 503, "sink_unavailable", "storage unavailable, retry later");
  }
  if (*w == write_outcome::key_mismatch)
    return error(ep, 409, "erasure_key_mismatch",
                 "this install token is bound to another veil.erasure_key; nothing was stored");
  if (*w == write_outcome::install_erased)
    return error(ep, 410, "install_erased",
                 "this install token was erased; nothing was stored (use a new epoch's token)");
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

// POST /v1/metrics: anonymous on-device aggregates (or any OTLP exporter's metrics). No install
// token, no erasure key: a request that carries one is refused, never stored with it dropped.
http_response request_handler::metrics(const http_request& req) {
  const std::string ep = "/v1/metrics";
  auto refuse = [&](unsigned status, const char* reason, const std::string& message) {
    metrics_.metric_request_refused(reason);
    return error(ep, status, reason, message);
  };
  if (req.idempotency_key.size() > opts_.max_idempotency_key)
    return refuse(400, "malformed", "Idempotency-Key too long");
  // There is no install to key the per-device quotas: the client address stands in, and is
  // charged before anything is decoded.
  const std::string subject = "peer:" + req.peer;
  unsigned wait = install_requests_.take(subject);
  if (!wait) wait = install_bytes_.take(subject, static_cast<double>(req.body.size()));
  if (wait) {
    metrics_.metric_request_refused("rate_limited");
    return limited(ep, wait, "this client's request rate is over its quota");
  }
  if (!opts_.decode_metrics) return refuse(500, "internal", "no metrics decoder");
  auto batch = opts_.decode_metrics(req.body, req.content_encoding, req.admit);
  if (!batch) {
    switch (batch.err().code) {
      case veil::errc::unavailable: {
        metrics_.metric_request_refused("busy");
        auto r = error(ep, 503, "busy", "memory budget busy, retry later");
        r.retry_after_s = 1;
        return r;
      }
      case veil::errc::limit_exceeded: return refuse(413, "too_large", batch.err().message);
      case veil::errc::invalid_argument:
        return refuse(415, "unsupported_media", batch.err().message);
      default: return refuse(400, "malformed", batch.err().message);
    }
  }
  if (!batch->not_anonymous.empty())
    return refuse(400, "not_anonymous", "metrics must be anonymous: " + batch->not_anonymous);
  const auto now = opts_.now();
  const std::int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t oldest =
      now_s - std::chrono::duration_cast<std::chrono::seconds>(opts_.retention).count();
  const std::int64_t newest = now_s + 24 * 3600;
  std::vector<metric_point> ok;
  std::vector<quarantined_record> quarantined;
  ok.reserve(batch->points.size());
  // Each resourceMetrics' resource is shared by its points: scanned once.
  std::map<const std::string*, std::optional<std::string>> resource_verdicts;
  for (auto& p : batch->points) {
    // Only the class is kept, never the value; the type is "metric", never the sender's name.
    std::optional<std::string> reason = check_metric_attributes(*opts_.metrics_leak_guard, p);
    if (!reason && p.resource) {
      auto [it, fresh] = resource_verdicts.try_emplace(p.resource.get());
      if (fresh) it->second = check_metric_resource(*opts_.metrics_leak_guard, *p.resource);
      reason = it->second;
    }
    if (!reason && (p.window_end_s < oldest || p.window_start_s > newest))
      reason = "time:out_of_range";
    if (reason) quarantined.push_back({"metric", std::move(*reason)});
    else ok.push_back(std::move(p));
  }
  auto w = sink_.write_metrics(req.idempotency_key, ok, quarantined, now);
  if (!w) {
    std::clog << "veil-collector: sink write failed: " << w.err().message << '\n';
    metrics_.metric_request_refused("sink_unavailable");
    return error(ep, 503, "sink_unavailable", "storage unavailable, retry later");
  }
  const bool dup = *w == write_outcome::duplicate;
  metrics_.metric_request_done(dup);
  if (dup) {
    metrics_.duplicate();
    metrics_.metric_points_refused("duplicate", ok.size() + quarantined.size());
  } else {
    metrics_.metric_points_stored(ok.size());
    for (const auto& q : quarantined) metrics_.metric_point_quarantined(q.reason);
    metrics_.metric_points_refused("no_recorded_value", batch->points_without_value);
    metrics_.metric_resource_attributes_dropped(batch->resource_attributes_dropped);
  }
  metrics_.request(ep, 200);
  nlohmann::json j{{"accepted", ok.size()},
                   {"quarantined", quarantined.size()},
                   {"resource_attributes_dropped", batch->resource_attributes_dropped}};
  if (dup) j["duplicate"] = true;
  // OTLP's ExportMetricsServiceResponse: exporters read partialSuccess (int64 as a string).
  if (!quarantined.empty())
    j["partialSuccess"] = {{"rejectedDataPoints", std::to_string(quarantined.size())},
                           {"errorMessage", "data points quarantined by the collector's checks"}};
  return {200, "application/json", j.dump()};
}

namespace {

// The deepest bracket nesting of a JSON text (strings skipped), stopping once over `limit`:
// checked before the parser sees the body, so a deep body costs one linear pass.
std::size_t json_depth(std::string_view s, std::size_t limit) {
  std::size_t depth = 0, max = 0;
  bool in_str = false, esc = false;
  for (char c : s) {
    if (in_str) {
      if (esc) esc = false;
      else if (c == '\\') esc = true;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') in_str = true;
    else if (c == '[' || c == '{') {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max;
}

std::string_view query_of(const http_request& req) {
  if (!req.query.empty()) return req.query;
  auto q = req.target.find('?');
  return q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1);
}

// A short, non-reversible subject for the rate-limit table (no token kept in memory).
std::string token_subject(std::string_view prefix, std::string_view token) {
  auto d = sha256(token);
  static const char* hex = "0123456789abcdef";
  std::string out(prefix);
  for (std::size_t i = 0; i < 12; ++i) {
    out += hex[d[i] >> 4];
    out += hex[d[i] & 15];
  }
  return out;
}

}  // namespace

// POST /v1/erasure: every item proves, with the key bound to its token, that the device asks.
// All or nothing: one refused item refuses the request and nothing is deleted.
http_response request_handler::erasure(const http_request& req) {
  const std::string ep = "/v1/erasure";
  if (req.body.size() > opts_.max_erasure_body)
    return error(ep, 413, "too_large",
                 "erasure body over " + std::to_string(opts_.max_erasure_body) + " bytes");
  if (json_depth(req.body, opts_.max_erasure_depth) > opts_.max_erasure_depth)
    return error(ep, 400, "malformed",
                 "JSON nested deeper than " + std::to_string(opts_.max_erasure_depth) + " levels");
  const auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded()) return error(ep, 400, "malformed", "body is not JSON");
  if (!j.is_object()) return error(ep, 400, "malformed", "body must be a JSON object");
  const auto v = j.find("version");
  if (v == j.end() || !v->is_number_integer() || v->get<std::int64_t>() != 1)
    return error(ep, 400, "malformed", "version must be 1");
  const auto arr = j.find("requests");
  if (arr == j.end() || !arr->is_array())
    return error(ep, 400, "malformed", R"(expected {"version":1,"requests":[...]})");
  if (arr->empty() || arr->size() > opts_.max_erasure_tokens)
    return error(ep, 400, "malformed",
                 "requests must hold 1.." + std::to_string(opts_.max_erasure_tokens) + " items");
  struct item {
    std::string install, signature;
  };
  std::vector<item> items;
  std::vector<std::string> tokens;  // distinct, in request order
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& it = (*arr)[i];
    const std::string at = "requests[" + std::to_string(i) + "]";
    if (!it.is_object()) return error(ep, 400, "malformed", at + " must be an object");
    const auto inst = it.find("install");
    if (inst == it.end() || !inst->is_string() ||
        !looks_like_pseudonym(inst->get_ref<const std::string&>()))
      return error(ep, 400, "malformed", at + ".install must be 32 lowercase hex characters");
    const auto sig = it.find("signature");
    if (sig == it.end() || !sig->is_string() ||
        !looks_like_signature(sig->get_ref<const std::string&>()))
      return error(ep, 400, "malformed", at + ".signature must be 128 lowercase hex characters");
    items.push_back({inst->get<std::string>(), sig->get<std::string>()});
    if (std::find(tokens.begin(), tokens.end(), items.back().install) == tokens.end())
      tokens.push_back(items.back().install);
  }
  auto bound = sink_.bindings(tokens);
  auto rows = bound ? sink_.install_row_counts(tokens)
                    : veil::result<std::map<std::string, std::uint64_t>>(bound.err());
  if (!bound || !rows) {
    std::clog << "veil-collector: erasure failed: "
              << (!bound ? bound.err().message : rows.err().message) << '\n';
    return error(ep, 503, "sink_unavailable", "storage unavailable, retry later");
  }
  // Verified against the key bound to the token, never a key from the request. A token with
  // rows but no binding cannot be proven (its batches carried no veil.erasure_key); a token
  // with neither is unknown and harmless (nothing to delete).
  std::vector<std::string> proven;
  std::size_t refused = 0;
  for (const auto& x : items) {
    if (auto b = bound->find(x.install); b != bound->end()) {
      if (!verify_device_signature(b->second.public_key, erasure_message(x.install), x.signature))
        ++refused;
      else if (std::find(proven.begin(), proven.end(), x.install) == proven.end())
        proven.push_back(x.install);
    } else if (rows->contains(x.install)) {
      ++refused;
    }
  }
  if (refused) {
    metrics_.proof_refused();
    std::clog << "veil-collector: erasure refused: " << refused << " of " << items.size()
              << " items without a valid proof, nothing deleted\n";  // never tokens or signatures
    return error(ep, 403, "proof_refused",
                 "an item's proof is missing or does not verify; nothing was deleted");
  }
  const auto now = opts_.now();
  erasure_counts c;
  if (!proven.empty()) {
    auto e = sink_.erase_installs(proven, now);
    if (!e) {
      std::clog << "veil-collector: erasure failed: " << e.err().message << '\n';
      return error(ep, 503, "sink_unavailable", "storage unavailable, retry later");
    }
    c = std::move(*e);
  }
  metrics_.erased(c.total);
  metrics_.erasure_done();
  const std::string id = opts_.receipt_id();
  std::clog << "veil-collector: erasure request: " << proven.size() << " installs, " << c.total
            << " rows (receipt " << id << ")\n";  // never the tokens or signatures
  nlohmann::json by_cat = nlohmann::json::object();
  for (const auto& [cat, n] : c.by_category) by_cat[cat] = n;
  const nlohmann::json receipt{
      {"receipt",
       {{"id", id},
        {"time_ms",
         std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count()},
        {"installs", proven.size()},
        {"rows_deleted", std::move(by_cat)},
        {"total", c.total}}}};
  metrics_.request(ep, 200);
  return {200, "application/json", receipt.dump()};
}

// GET /v1/subject: the rows stored for one install token, to the device that proves it holds
// the token's key, one page at a time.
http_response request_handler::subject(const http_request& req) {
  const std::string ep = "/v1/subject";
  const std::string& token = req.veil_install;
  const std::string& time = req.veil_time;
  if (!looks_like_pseudonym(token))
    return error(ep, 400, "malformed", "X-Veil-Install must be 32 lowercase hex characters");
  std::int64_t t_ms = 0;
  {
    auto [p, ec] = std::from_chars(time.data(), time.data() + time.size(), t_ms);
    if (time.empty() || time.size() > 19 || ec != std::errc() || p != time.data() + time.size() ||
        time.front() == '-' || time.front() == '+')
      return error(ep, 400, "malformed", "X-Veil-Time must be unix milliseconds in decimal");
  }
  if (!looks_like_signature(req.veil_signature))
    return error(ep, 400, "malformed", "X-Veil-Signature must be 128 lowercase hex characters");
  std::uint64_t offset = 0;
  if (auto q = query_of(req); !q.empty()) {
    constexpr std::string_view name = "offset=";
    auto digits = q.starts_with(name) ? q.substr(name.size()) : std::string_view();
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
    if (digits.empty() || digits.size() > 18 || ec != std::errc() ||
        p != digits.data() + digits.size())
      return error(ep, 400, "malformed", "the only query parameter is offset=<whole number>");
  }
  if (auto wait = subjects_.take(token_subject("subject:", token)))
    return limited(ep, wait, "subject access rate limit for this install, retry later");
  const auto now = opts_.now();
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  if (t_ms < now_ms - opts_.proof_window.count() || t_ms > now_ms + opts_.proof_window.count()) {
    metrics_.proof_refused();
    return error(ep, 403, "stale_proof", "X-Veil-Time is not within 300 s of the collector's");
  }
  auto bound = sink_.bindings({token});
  if (!bound) {
    std::clog << "veil-collector: subject access failed: " << bound.err().message << '\n';
    return error(ep, 503, "sink_unavailable", "storage unavailable, retry later");
  }
  // An unknown token and a bad signature get the same answer: it must not tell which tokens
  // exist.
  auto b = bound->find(token);
  if (b == bound->end() ||
      !verify_device_signature(b->second.public_key, subject_message(token, time),
                               req.veil_signature)) {
    metrics_.proof_refused();
    return error(ep, 403, "proof_refused", "the proof does not verify");
  }
  auto counts = sink_.install_row_counts({token});
  auto rows = counts ? sink_.install_rows(token, offset, opts_.subject_page_rows)
                     : veil::result<std::vector<subject_row>>(counts.err());
  if (!counts || !rows) {
    std::clog << "veil-collector: subject access failed: "
              << (!counts ? counts.err().message : rows.err().message) << '\n';
    return error(ep, 503, "sink_unavailable", "storage unavailable, retry later");
  }
  const std::uint64_t total = counts->contains(token) ? counts->at(token) : 0;
  nlohmann::json out_rows = nlohmann::json::array();
  std::size_t bytes = 0;
  for (const auto& r : *rows) {
    // The page stops early rather than exceed its byte budget (at least one row per page).
    const std::size_t cost = r.attrs.size() + r.batch_key.size() + r.type.size() +
                             r.category.size() + r.ts.size() + r.day.size() + 96;
    if (!out_rows.empty() && bytes + cost > opts_.subject_page_bytes) break;
    bytes += cost;
    auto attrs = nlohmann::json::parse(r.attrs, nullptr, false);
    if (!attrs.is_object()) attrs = nlohmann::json::object();
    out_rows.push_back({{"batch", r.batch_key},
                        {"ts", r.ts},
                        {"day", r.day},
                        {"type", r.type},
                        {"category", r.category},
                        {"attrs", std::move(attrs)}});
  }
  const std::uint64_t count = out_rows.size();
  nlohmann::json j{{"version", 1},   {"install", token}, {"rows", std::move(out_rows)},
                   {"count", count}, {"total", total},   {"next_offset", nullptr}};
  if (offset + count < total) j["next_offset"] = offset + count;
  metrics_.subject_done();
  metrics_.request(ep, 200);
  return {200, "application/json", j.dump()};
}

}  // namespace veil::collector
