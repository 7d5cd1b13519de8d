// agent_options::validate(), load_config() and status texts. The config schema is the one of
// config/agent.json (documented in docs/agent.md); unknown keys are errors so typos surface.
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>

#include "agent/api/agent_config.hpp"
#include "agent/platform/file_util.hpp"
#include "veil/options.hpp"

namespace veil {

const char* to_string(status s) noexcept {
  switch (s) {
    case status::ok: return "ok";
    case status::invalid_argument: return "invalid argument";
    case status::policy_invalid: return "policy invalid";
    case status::io_error: return "I/O error";
    case status::not_found: return "not found";
    case status::unavailable: return "unavailable (state directory in use)";
    case status::timeout: return "timeout";
    case status::queue_full: return "queue full (event dropped)";
    case status::closed: return "agent closed";
    case status::internal: return "internal error";
    case status::config_invalid: return "config invalid";
    case status::no_memory: return "out of memory";
    case status::not_consented: return "not consented";
  }
  return "unknown status";
}

std::optional<failure> agent_options::validate() const {
  auto bad = [](std::string m) { return failure{status::invalid_argument, std::move(m)}; };
  if (policy_file.empty() == policy_json.empty())
    return bad("give exactly one of policy_file and policy_json");
  if (state_dir.empty()) return bad("state_dir is required");
  if (queue.capacity == 0 || queue.capacity > 1'000'000)
    return bad("queue.capacity must be in 1..1000000");
  if (queue.block_for.count() < 0 || queue.block_for.count() > 1000)
    return bad("queue.block_ms must be in 0..1000");
  if (batch.max_records == 0) return bad("batch.max_records must be positive");
  if (batch.max_bytes < 1024) return bad("batch.max_bytes must be at least 1024");
  if (batch.max_age.count() <= 0) return bad("batch.max_age_ms must be positive");
  if (upload.zstd_level < 1 || upload.zstd_level > 19)
    return bad("upload.zstd_level must be in 1..19");
  if (upload.connect_timeout.count() <= 0 || upload.io_timeout.count() <= 0)
    return bad("upload timeouts must be positive");
  if (upload.backoff_floor.count() <= 0 || upload.backoff_cap < upload.backoff_floor)
    return bad("upload.backoff_floor_ms must be positive and <= backoff_cap_ms");
  if (upload.max_attempts_per_minute == 0)
    return bad("upload.max_attempts_per_minute must be positive");
  if (upload.transport && upload.endpoint.empty())
    return bad("upload.transport needs upload.endpoint (the base URL of its requests)");
  if (!upload.endpoint.empty() && upload.endpoint.rfind("http://", 0) != 0 &&
      upload.endpoint.rfind("https://", 0) != 0)
    return bad("upload.endpoint must start with http:// or https://");
  if (storage.max_bytes < 4096) return bad("spool.max_bytes must be at least 4096");
  if (storage.max_age.count() <= 0) return bad("spool.max_age_hours must be positive");
  if (storage.max_retries == 0 || storage.max_retries > 255)
    return bad("spool.max_retries must be in 1..255");
  if (shutdown_timeout.count() < 0) return bad("shutdown_timeout_ms must not be negative");
  if (rights.retention.count() < 24) return bad("rights.retention_days must be at least 1");
  if (rights.collector_timeout.count() <= 0)
    return bad("rights.collector_timeout_ms must be positive");
  if (resource.service_name.empty()) return bad("service.name must not be empty");
  return std::nullopt;
}

namespace {

using nlohmann::json;

struct reader {
  std::filesystem::path base;  // relative paths resolve here
  std::string error;

  bool check_keys(const json& obj, const std::string& where,
                  std::initializer_list<const char*> keys) {
    if (!obj.is_object()) {
      error = where + ": must be an object";
      return false;
    }
    for (const auto& [k, v] : obj.items()) {
      if (!k.empty() && k[0] == '_') continue;
      bool known = false;
      for (const char* n : keys) known = known || k == n;
      if (!known) {
        error = where + "." + k + ": unknown key";
        return false;
      }
    }
    return true;
  }
  template <class T>
  bool get(const json& obj, const std::string& where, const char* key, T& out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return true;
    try {
      out = it->get<T>();
      return true;
    } catch (const std::exception&) {
      error = where + "." + key + ": wrong type";
      return false;
    }
  }
  bool ms(const json& obj, const std::string& where, const char* key,
          std::chrono::milliseconds& out) {
    std::int64_t v = out.count();
    if (!get(obj, where, key, v)) return false;
    out = std::chrono::milliseconds(v);
    return true;
  }
  bool path(const json& obj, const std::string& where, const char* key, std::string& out) {
    std::string v;
    if (!get(obj, where, key, v)) return false;
    if (v.empty()) return true;
    if (v.rfind("~/", 0) == 0) {
      if (const char* h = std::getenv("HOME")) v = std::string(h) + v.substr(1);
    }
    std::filesystem::path p(v);
    out = p.is_relative() && !base.empty() ? (base / p).lexically_normal().string() : v;
    return true;
  }
};

std::string default_state_dir() {
  if (const char* d = std::getenv("VEIL_STATE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return std::string(x) + "/veil";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/state/veil";
  return ".veil-state";
}

}  // namespace

std::optional<failure> load_config(std::string_view path_or_json, agent_options& o) {
  o.state_dir.clear();
  if (auto f = detail::read_config(path_or_json, o)) return f;
  return o.validate();
}

std::optional<failure> detail::read_config(std::string_view path_or_json, agent_options& o) {
  auto bad = [](std::string m) { return failure{status::config_invalid, std::move(m)}; };
  std::string text;
  reader r;
  std::string name = "config";
  std::size_t first = path_or_json.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && path_or_json[first] == '{') {
    text.assign(path_or_json);
  } else {
    auto t = detail::read_file(std::string(path_or_json));
    if (!t)
      return failure{status::io_error,
                     "config " + std::string(path_or_json) + ": " + t.err().message};
    text = std::move(*t);
    name = std::string(path_or_json);
    r.base = std::filesystem::path(path_or_json).parent_path();
    if (r.base.empty()) r.base = ".";
  }
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return bad(name + ": not valid JSON");
  if (!r.check_keys(
          j, "$",
          {"schema", "policy_file", "policy_json", "state_dir", "service", "upload", "batch",
           "queue", "spool", "consent", "rights", "shutdown_timeout_ms", "daemon"}))
    return bad(name + ": " + r.error);
  bool ok = r.path(j, "$", "policy_file", o.policy_file) &&
            r.get(j, "$", "policy_json", o.policy_json) &&
            r.path(j, "$", "state_dir", o.state_dir) &&
            r.ms(j, "$", "shutdown_timeout_ms", o.shutdown_timeout);
  if (ok && j.contains("schema") && j["schema"] != "veil-agent/1")
    return bad(name + ": $.schema must be \"veil-agent/1\"");
  if (ok && j.contains("service")) {
    const auto& s = j["service"];
    ok = r.check_keys(s, "$.service", {"name", "version", "os"}) &&
         r.get(s, "$.service", "name", o.resource.service_name) &&
         r.get(s, "$.service", "version", o.resource.app_version) &&
         r.get(s, "$.service", "os", o.resource.os_name);
  }
  if (ok && j.contains("upload")) {
    const auto& u = j["upload"];
    const std::string w = "$.upload";
    std::size_t attempts = o.upload.max_attempts_per_minute;
    ok = r.check_keys(u, w,
                      {"endpoint", "api_key", "ca_file", "spki_pin", "dictionary_file",
                       "zstd_level", "connect_timeout_ms", "io_timeout_ms", "backoff_floor_ms",
                       "backoff_cap_ms", "max_attempts_per_minute"}) &&
         r.get(u, w, "endpoint", o.upload.endpoint) && r.get(u, w, "api_key", o.upload.api_key) &&
         r.path(u, w, "ca_file", o.upload.ca_file) && r.get(u, w, "spki_pin", o.upload.spki_pin) &&
         r.path(u, w, "dictionary_file", o.upload.dictionary_file) &&
         r.get(u, w, "zstd_level", o.upload.zstd_level) &&
         r.ms(u, w, "connect_timeout_ms", o.upload.connect_timeout) &&
         r.ms(u, w, "io_timeout_ms", o.upload.io_timeout) &&
         r.ms(u, w, "backoff_floor_ms", o.upload.backoff_floor) &&
         r.ms(u, w, "backoff_cap_ms", o.upload.backoff_cap) &&
         r.get(u, w, "max_attempts_per_minute", attempts);
    o.upload.max_attempts_per_minute = attempts;
  }
  if (ok && j.contains("batch")) {
    const auto& b = j["batch"];
    ok = r.check_keys(b, "$.batch", {"max_records", "max_bytes", "max_age_ms"}) &&
         r.get(b, "$.batch", "max_records", o.batch.max_records) &&
         r.get(b, "$.batch", "max_bytes", o.batch.max_bytes) &&
         r.ms(b, "$.batch", "max_age_ms", o.batch.max_age);
  }
  if (ok && j.contains("queue")) {
    const auto& q = j["queue"];
    std::string ov;
    ok = r.check_keys(q, "$.queue", {"capacity", "overflow", "block_ms"}) &&
         r.get(q, "$.queue", "capacity", o.queue.capacity) && r.get(q, "$.queue", "overflow", ov) &&
         r.ms(q, "$.queue", "block_ms", o.queue.block_for);
    if (ok && !ov.empty()) {
      if (ov == "drop_newest") o.queue.on_full = overflow::drop_newest;
      else if (ov == "drop_oldest") o.queue.on_full = overflow::drop_oldest;
      else if (ov == "block_for") o.queue.on_full = overflow::block_for;
      else return bad(name + ": $.queue.overflow must be drop_newest, drop_oldest or block_for");
    }
  }
  if (ok && j.contains("spool")) {
    const auto& s = j["spool"];
    std::int64_t hours = o.storage.max_age.count();
    ok = r.check_keys(
             s, "$.spool",
             {"max_bytes", "max_age_hours", "max_retries", "sync_each_append", "in_memory"}) &&
         r.get(s, "$.spool", "max_bytes", o.storage.max_bytes) &&
         r.get(s, "$.spool", "max_age_hours", hours) &&
         r.get(s, "$.spool", "max_retries", o.storage.max_retries) &&
         r.get(s, "$.spool", "sync_each_append", o.storage.sync_each_append) &&
         r.get(s, "$.spool", "in_memory", o.storage.in_memory);
    o.storage.max_age = std::chrono::hours(hours);
  }
  if (ok && j.contains("consent")) {
    const auto& c = j["consent"];
    ok = r.check_keys(c, "$.consent", {"granted_by_default"}) &&
         r.get(c, "$.consent", "granted_by_default", o.consent_granted_by_default);
  }
  if (ok && j.contains("rights")) {
    const auto& g = j["rights"];
    std::int64_t days = o.rights.retention.count() / 24;
    ok = r.check_keys(g, "$.rights", {"retention_days", "collector_timeout_ms"}) &&
         r.get(g, "$.rights", "retention_days", days) &&
         r.ms(g, "$.rights", "collector_timeout_ms", o.rights.collector_timeout);
    if (ok && (days < 1 || days > 3660))
      return bad(name + ": $.rights.retention_days must be 1..3660");
    o.rights.retention = std::chrono::hours(24 * days);
  }
  if (ok && j.contains("daemon"))
    ok = r.check_keys(j["daemon"], "$.daemon", {"socket"});  // read by `veil run`
  if (!ok) return bad(name + ": " + r.error);
  if (o.state_dir.empty()) o.state_dir = default_state_dir();
  return std::nullopt;
}

}  // namespace veil
