// The C ABI (include/veil/veil.h) over veil::agent. Every entry point catches everything
// (a C host cannot catch one); c_api_fault_injection lets a test make each one throw inside its try
// block.
#include "veil/veil.h"

#include <atomic>
#include <cstring>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "agent/api/agent_access.hpp"
#include "agent/api/agent_config.hpp"
#include "agent/upload/http_uploader.hpp"
#include "veil/agent.hpp"

struct veil_options_s {
  veil::agent_options o;
  // The C callbacks; veil_agent_open() turns them into the C++ ones with the new handle.
  veil_transport_fn transport = nullptr;
  void* transport_userdata = nullptr;
  veil_log_fn log = nullptr;
  void* log_userdata = nullptr;
};
struct veil_agent_s {
  std::unique_ptr<veil::agent> a;
  // The agent for veil_agent_transport_done(), which the host may call from inside a transport
  // callback that runs before veil_agent_open() has stored `a`: set by the callback's adapter
  // (from the agent it is given) and by open.
  std::atomic<veil::agent*> raw{nullptr};
};

namespace {

static_assert(static_cast<int>(veil::status::no_memory) == VEIL_E_NO_MEMORY);
static_assert(static_cast<int>(veil::status::not_consented) == VEIL_E_NOT_CONSENTED);
static_assert(static_cast<int>(veil::status::config_invalid) == VEIL_E_CONFIG_INVALID);
static_assert(static_cast<int>(veil::status::internal) == VEIL_E_INTERNAL);

veil_status_t to_c(veil::status s) { return static_cast<veil_status_t>(static_cast<int>(s)); }

void maybe_fault() {
  if (veil::detail::c_api_fault_injection.load(std::memory_order_relaxed))
    throw std::runtime_error("injected fault");
}

template <class F>
veil_status_t guarded(F&& f) noexcept {
  try {
    maybe_fault();
    return f();
  } catch (const std::bad_alloc&) {
    if (veil::detail::c_api_fault_injection.load()) return VEIL_E_INTERNAL;
    return VEIL_E_NO_MEMORY;
  } catch (...) {
    return VEIL_E_INTERNAL;
  }
}

char* copy_out(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

// A JSON string handed to the caller, who frees it with veil_string_free().
template <class F>
veil_status_t json_out(veil_agent_t* agent, char** out, F&& make) noexcept {
  return guarded([&] {
    if (!out) return VEIL_E_INVALID_ARGUMENT;
    *out = nullptr;
    if (!agent) return VEIL_E_INVALID_ARGUMENT;
    const std::string s = make(*agent->a);
    char* p = copy_out(s);
    if (!p) return VEIL_E_NO_MEMORY;
    *out = p;
    return VEIL_OK;
  });
}

veil_status_t set_string(veil_options_t* o, const char* v,
                         std::string veil::agent_options::*field) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.*field = v ? v : "";
    return VEIL_OK;
  });
}

// Host text (docs in veil.h, "Text from Java and Swift"): refuses NUL (a raw 00 byte or the
// modified-UTF-8 C0 80) and turns CESU-8 surrogates into UTF-8: a pair into its 4-byte form,
// a lone one into U+FFFD. `out` views the input when nothing needed converting, else `buf`.
bool host_text(const char* p, std::size_t n, std::string& buf, std::string_view& out) {
  const std::string_view in(p ? p : "", p ? n : 0);
  if (in.find('\0') != std::string_view::npos) return false;
  if (in.find('\xC0') == std::string_view::npos && in.find('\xED') == std::string_view::npos) {
    out = in;
    return true;
  }
  auto u = [&](std::size_t i) { return static_cast<unsigned char>(in[i]); };
  // A 3-byte surrogate at i: ED A0..BF 80..BF. Returns its code unit, or 0.
  auto surrogate = [&](std::size_t i) -> unsigned {
    if (i + 2 >= in.size()) return 0;
    if (u(i) != 0xED || u(i + 1) < 0xA0 || u(i + 1) > 0xBF || (u(i + 2) & 0xC0) != 0x80) return 0;
    return 0xD000u | (static_cast<unsigned>(u(i + 1) & 0x3F) << 6) | (u(i + 2) & 0x3F);
  };
  buf.clear();
  buf.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    if (u(i) == 0xC0 && i + 1 < in.size() && u(i + 1) == 0x80) return false;  // modified NUL
    const unsigned hi = surrogate(i);
    if (hi == 0) {
      buf += in[i++];
      continue;
    }
    const unsigned lo = hi < 0xDC00 ? surrogate(i + 3) : 0;
    if (hi < 0xDC00 && lo >= 0xDC00) {
      const unsigned cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
      buf += static_cast<char>(0xF0 | (cp >> 18));
      buf += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      buf += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      buf += static_cast<char>(0x80 | (cp & 0x3F));
      i += 6;
    } else {
      buf += "\xEF\xBF\xBD";  // U+FFFD for a surrogate without its pair
      i += 3;
    }
  }
  out = buf;
  return true;
}

// One text argument converted by host_text(), kept alive for the call.
struct text_arg {
  std::string buf;
  std::string_view view;
  bool ok = false;
  text_arg(const char* p, std::size_t n) { ok = host_text(p, n, buf, view); }
  explicit text_arg(const char* p) : text_arg(p, p ? std::strlen(p) : 0) {}
};

// load_config's rule: a JSON text starts with '{'; anything else is a path, which is bytes for
// the file system and not converted by host_text().
bool looks_like_json(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && s[first] == '{';
}

thread_local std::string last_open_error;

veil_status_t open_failed(const veil::failure& f) {
  last_open_error = f.message;
  return to_c(f.code);
}

// The C++ options of an open: the C callbacks become C++ ones bound to the new handle `h`.
veil::agent_options with_callbacks(const veil_options_s& src, veil_agent_s* h) {
  veil::agent_options o = src.o;
  if (src.transport) {
    o.upload.transport = [fn = src.transport, ud = src.transport_userdata, h](
                             veil::agent& a, const veil::transport_request& r) {
      h->raw.store(&a, std::memory_order_release);
      const std::string method(r.method), url(r.url);
      std::vector<const char*> names, values;
      names.reserve(r.headers.size());
      values.reserve(r.headers.size());
      for (const auto& [k, v] : r.headers) {
        names.push_back(k.c_str());
        values.push_back(v.c_str());
      }
      fn(ud, h, r.id, method.c_str(), url.c_str(), names.data(), values.data(), names.size(),
         reinterpret_cast<const std::uint8_t*>(r.body.data()), r.body.size());
    };
  }
  if (src.log) {
    o.log = [fn = src.log, ud = src.log_userdata](veil::log_level l, std::string_view m) {
      const std::string text(m);
      fn(ud, static_cast<veil_log_level_t>(static_cast<int>(l)), text.c_str());
    };
  }
  return o;
}

veil_status_t finish_open(std::unique_ptr<veil_agent_s> h, std::unique_ptr<veil::agent> a,
                          const veil::failure& f, veil_agent_t** out) {
  if (!a) return open_failed(f);
  h->raw.store(a.get(), std::memory_order_release);
  h->a = std::move(a);
  last_open_error.clear();
  *out = h.release();
  return VEIL_OK;
}

}  // namespace

extern "C" {

const char* veil_status_str(veil_status_t status) {
  try {
    maybe_fault();
    return veil::to_string(static_cast<veil::status>(status));
  } catch (...) {
    return "internal error";
  }
}

const char* veil_version(void) { return VEIL_VERSION_STRING; }

const char* veil_last_open_error(void) { return last_open_error.c_str(); }

veil_status_t veil_options_new(veil_options_t** out) {
  return guarded([&] {
    if (!out) return VEIL_E_INVALID_ARGUMENT;
    *out = nullptr;
    *out = new veil_options_s();
    return VEIL_OK;
  });
}

void veil_options_free(veil_options_t* options) {
  try {
    maybe_fault();
  } catch (...) {}
  delete options;  // noexcept
}

veil_status_t veil_options_load_config(veil_options_t* o, const char* path_or_json) {
  return guarded([&] {
    if (!o || !path_or_json) return VEIL_E_INVALID_ARGUMENT;
    const std::string_view raw(path_or_json);
    const bool is_json = looks_like_json(raw);
    const text_arg t(path_or_json);
    if (is_json && !t.ok) return VEIL_E_INVALID_ARGUMENT;
    if (auto f = veil::detail::read_config(is_json ? t.view : raw, o->o)) return open_failed(*f);
    last_open_error.clear();
    return VEIL_OK;
  });
}
veil_status_t veil_options_load_config_n(veil_options_t* o, const char* json, size_t len) {
  return guarded([&] {
    if (!o || (!json && len)) return VEIL_E_INVALID_ARGUMENT;
    const text_arg t(json, len);
    if (!t.ok) return VEIL_E_INVALID_ARGUMENT;
    // A text, never a path: an unterminated buffer cannot name a file.
    if (!looks_like_json(t.view)) return VEIL_E_CONFIG_INVALID;
    if (auto f = veil::detail::read_config(t.view, o->o)) return open_failed(*f);
    last_open_error.clear();
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_policy_file(veil_options_t* o, const char* path) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.policy_file = path ? path : "";
    if (!o->o.policy_file.empty()) o->o.policy_json.clear();
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_policy_json(veil_options_t* o, const char* json) {
  return veil_options_set_policy_json_n(o, json, json ? std::strlen(json) : 0);
}
veil_status_t veil_options_set_policy_json_n(veil_options_t* o, const char* json, size_t len) {
  return guarded([&] {
    if (!o || (!json && len)) return VEIL_E_INVALID_ARGUMENT;
    const text_arg t(json, len);
    if (!t.ok) return VEIL_E_INVALID_ARGUMENT;
    o->o.policy_json.assign(t.view);
    if (!o->o.policy_json.empty()) o->o.policy_file.clear();
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_state_dir(veil_options_t* o, const char* dir) {
  return set_string(o, dir, &veil::agent_options::state_dir);
}

veil_status_t veil_options_set_endpoint(veil_options_t* o, const char* url) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.upload.endpoint = url ? url : "";
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_api_key(veil_options_t* o, const char* key) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.upload.api_key = key ? key : "";
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_ca_file(veil_options_t* o, const char* path) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.upload.ca_file = path ? path : "";
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_spki_pin(veil_options_t* o, const char* hex) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    const std::string_view v = hex ? hex : "";
    if (!v.empty() && !veil::detail::parse_spki_pin(v)) return VEIL_E_INVALID_ARGUMENT;
    o->o.upload.spki_pin.assign(v);
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_zstd_level(veil_options_t* o, int level) {
  return guarded([&] {
    if (!o || level < 1 || level > 19) return VEIL_E_INVALID_ARGUMENT;
    o->o.upload.zstd_level = level;
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_os_version(veil_options_t* o, const char* version) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.resource.os_version = version ? version : "";
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_overflow(veil_options_t* o, veil_overflow_t policy,
                                        uint32_t block_ms) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    // A C host may pass any integer: read it as bytes, not as an enum value (a value outside
    // the enumerators is not a valid veil_overflow_t in C++, and UBSan says so).
    std::underlying_type_t<veil_overflow_t> raw{};
    std::memcpy(&raw, &policy, sizeof raw);
    switch (raw) {
      case VEIL_OVERFLOW_DROP_NEWEST: o->o.queue.on_full = veil::overflow::drop_newest; break;
      case VEIL_OVERFLOW_DROP_OLDEST: o->o.queue.on_full = veil::overflow::drop_oldest; break;
      case VEIL_OVERFLOW_BLOCK_FOR: o->o.queue.on_full = veil::overflow::block_for; break;
      default: return VEIL_E_INVALID_ARGUMENT;
    }
    o->o.queue.block_for = std::chrono::milliseconds(block_ms);
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_spool_limits(veil_options_t* o, uint64_t max_bytes,
                                            uint32_t max_age_hours, uint32_t max_retries) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.storage.max_bytes = max_bytes;
    o->o.storage.max_age = std::chrono::hours(max_age_hours);
    o->o.storage.max_retries = max_retries;
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_spool_sync(veil_options_t* o, int sync_each_append) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.storage.sync_each_append = sync_each_append != 0;
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_spool_in_memory(veil_options_t* o, int in_memory) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.storage.in_memory = in_memory != 0;
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_retry(veil_options_t* o, uint32_t backoff_floor_ms,
                                     uint32_t backoff_cap_ms, uint32_t max_attempts_per_minute) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.upload.backoff_floor = std::chrono::milliseconds(backoff_floor_ms);
    o->o.upload.backoff_cap = std::chrono::milliseconds(backoff_cap_ms);
    o->o.upload.max_attempts_per_minute = max_attempts_per_minute;
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_timeouts(veil_options_t* o, uint32_t connect_ms, uint32_t io_ms) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.upload.connect_timeout = std::chrono::milliseconds(connect_ms);
    o->o.upload.io_timeout = std::chrono::milliseconds(io_ms);
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_rights(veil_options_t* o, uint32_t retention_days,
                                      uint32_t collector_timeout_ms) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.rights.retention = std::chrono::hours(24) * retention_days;
    o->o.rights.collector_timeout = std::chrono::milliseconds(collector_timeout_ms);
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_log(veil_options_t* o, veil_log_fn fn, void* userdata,
                                   veil_log_level_t min_level) {
  return guarded([&] {
    std::underlying_type_t<veil_log_level_t> raw{};  // any integer a C host passes (above)
    std::memcpy(&raw, &min_level, sizeof raw);
    if (!o || raw < VEIL_LOG_DEBUG || raw > VEIL_LOG_ERROR) return VEIL_E_INVALID_ARGUMENT;
    o->log = fn;
    o->log_userdata = userdata;
    o->o.min_log_level = static_cast<veil::log_level>(raw);
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_transport(veil_options_t* o, veil_transport_fn fn, void* userdata) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->transport = fn;
    o->transport_userdata = userdata;
    // Marks the options for validate() (a transport needs an endpoint); with_callbacks()
    // replaces it with the one bound to the opened handle.
    if (fn) o->o.upload.transport = [](veil::agent&, const veil::transport_request&) {};
    else o->o.upload.transport = nullptr;
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_dictionary_file(veil_options_t* o, const char* path) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.upload.dictionary_file = path ? path : "";
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_service(veil_options_t* o, const char* name, const char* version,
                                       const char* os) {
  return guarded([&] {
    if (!o || !name || !*name) return VEIL_E_INVALID_ARGUMENT;
    o->o.resource.service_name = name;
    o->o.resource.app_version = version ? version : "";
    o->o.resource.os_name = os ? os : "";
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_queue_capacity(veil_options_t* o, size_t capacity) {
  return guarded([&] {
    if (!o || capacity == 0) return VEIL_E_INVALID_ARGUMENT;
    o->o.queue.capacity = capacity;
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_batch(veil_options_t* o, size_t max_records, size_t max_bytes,
                                     uint32_t max_age_ms) {
  return guarded([&] {
    if (!o || max_records == 0 || max_bytes == 0 || max_age_ms == 0) return VEIL_E_INVALID_ARGUMENT;
    o->o.batch.max_records = max_records;
    o->o.batch.max_bytes = max_bytes;
    o->o.batch.max_age = std::chrono::milliseconds(max_age_ms);
    return VEIL_OK;
  });
}
veil_status_t veil_options_set_shutdown_timeout(veil_options_t* o, uint32_t timeout_ms) {
  return guarded([&] {
    if (!o) return VEIL_E_INVALID_ARGUMENT;
    o->o.shutdown_timeout = std::chrono::milliseconds(timeout_ms);
    return VEIL_OK;
  });
}
veil_status_t veil_options_grant_by_default(veil_options_t* o, const char* category) {
  return guarded([&] {
    if (!o || !category || !*category) return VEIL_E_INVALID_ARGUMENT;
    o->o.consent_granted_by_default.emplace_back(category);
    return VEIL_OK;
  });
}

veil_status_t veil_agent_open(const veil_options_t* options, veil_agent_t** out) {
  return guarded([&] {
    if (!out) return VEIL_E_INVALID_ARGUMENT;
    *out = nullptr;
    if (!options) return VEIL_E_INVALID_ARGUMENT;
    auto h = std::make_unique<veil_agent_s>();
    veil::failure f;
    auto a = veil::agent::open(with_callbacks(*options, h.get()), &f);
    return finish_open(std::move(h), std::move(a), f, out);
  });
}

veil_status_t veil_agent_open_config(const char* path_or_json, veil_agent_t** out) {
  return guarded([&] {
    if (!out) return VEIL_E_INVALID_ARGUMENT;
    *out = nullptr;
    if (!path_or_json) return VEIL_E_INVALID_ARGUMENT;
    const std::string_view raw(path_or_json);
    const bool is_json = looks_like_json(raw);
    const text_arg t(path_or_json);
    if (is_json && !t.ok) return VEIL_E_INVALID_ARGUMENT;
    auto h = std::make_unique<veil_agent_s>();
    veil::failure f;
    auto a = veil::agent::open_config(is_json ? t.view : raw, &f);
    return finish_open(std::move(h), std::move(a), f, out);
  });
}

veil_status_t veil_agent_record_json(veil_agent_t* agent, const char* type,
                                     const char* attrs_json) {
  return guarded([&] {
    if (!agent || !type) return VEIL_E_INVALID_ARGUMENT;
    return veil_agent_record_json_n(agent, type, std::strlen(type), attrs_json,
                                    attrs_json ? std::strlen(attrs_json) : 0);
  });
}

veil_status_t veil_agent_record_json_n(veil_agent_t* agent, const char* type, size_t type_len,
                                       const char* attrs_json, size_t attrs_len) {
  return guarded([&] {
    if (!agent || !type || (!attrs_json && attrs_len)) return VEIL_E_INVALID_ARGUMENT;
    const text_arg t(type, type_len), at(attrs_json, attrs_len);
    if (!t.ok || !at.ok) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->record(t.view, attrs_json ? at.view : std::string_view("{}")));
  });
}

veil_status_t veil_agent_set_consent(veil_agent_t* agent, const char* category, int granted) {
  return veil_agent_set_consent_n(agent, category, category ? std::strlen(category) : 0, granted);
}

veil_status_t veil_agent_set_consent_n(veil_agent_t* agent, const char* category, size_t len,
                                       int granted) {
  return guarded([&] {
    if (!agent || !category) return VEIL_E_INVALID_ARGUMENT;
    const text_arg c(category, len);
    if (!c.ok) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->set_consent(c.view, granted != 0, "c_api"));
  });
}

veil_status_t veil_agent_get_consent(veil_agent_t* agent, const char* category, int* granted) {
  return veil_agent_get_consent_n(agent, category, category ? std::strlen(category) : 0, granted);
}

veil_status_t veil_agent_get_consent_n(veil_agent_t* agent, const char* category, size_t len,
                                       int* granted) {
  return guarded([&] {
    if (!agent || !category || !granted) return VEIL_E_INVALID_ARGUMENT;
    const text_arg c(category, len);
    if (!c.ok) return VEIL_E_INVALID_ARGUMENT;
    bool g = false;
    auto s = agent->a->get_consent(c.view, g);
    if (s == veil::status::ok) *granted = g ? 1 : 0;
    return to_c(s);
  });
}

veil_status_t veil_agent_set_under_16(veil_agent_t* agent, int under_16) {
  return guarded([&] {
    if (!agent) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->set_under_16(under_16 != 0));
  });
}

veil_status_t veil_agent_install_crash_handler(veil_agent_t* agent) {
  return guarded([&] {
    if (!agent) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->install_crash_handler());
  });
}

veil_status_t veil_agent_breadcrumb(veil_agent_t* agent, const char* text) {
  return veil_agent_breadcrumb_n(agent, text, text ? std::strlen(text) : 0);
}

veil_status_t veil_agent_breadcrumb_n(veil_agent_t* agent, const char* text, size_t len) {
  return guarded([&] {
    if (!agent || !text) return VEIL_E_INVALID_ARGUMENT;
    const text_arg t(text, len);
    if (!t.ok) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->breadcrumb(t.view));
  });
}

void veil_prepare_thread_for_crashes(void) { veil::agent::prepare_thread_for_crashes(); }

veil_status_t veil_agent_import_crash_report(veil_agent_t* agent, const void* data, size_t len,
                                             char** error_message) {
  return guarded([&] {
    if (error_message) *error_message = nullptr;
    if (!agent || (!data && len)) return VEIL_E_INVALID_ARGUMENT;
    veil::failure why;
    const auto st =
        agent->a->import_crash_report(std::string_view(static_cast<const char*>(data), len), &why);
    if (st != veil::status::ok && error_message && !why.message.empty())
      *error_message = copy_out(why.message);
    return to_c(st);
  });
}

veil_status_t veil_agent_flush(veil_agent_t* agent, uint32_t timeout_ms) {
  return guarded([&] {
    if (!agent) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->flush(std::chrono::milliseconds(timeout_ms)));
  });
}

veil_status_t veil_agent_stats_json(veil_agent_t* agent, char** out) {
  return json_out(agent, out, [](veil::agent& a) { return a.stats_json(); });
}

void veil_string_free(char* s) { std::free(s); }

veil_status_t veil_agent_object(veil_agent_t* agent, const char* category) {
  return veil_agent_object_n(agent, category, category ? std::strlen(category) : 0);
}

veil_status_t veil_agent_object_n(veil_agent_t* agent, const char* category, size_t len) {
  return guarded([&] {
    if (!agent || !category) return VEIL_E_INVALID_ARGUMENT;
    const text_arg c(category, len);
    if (!c.ok) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->object(c.view, "c_api"));
  });
}

veil_status_t veil_agent_transport_done(veil_agent_t* agent, uint64_t request_id, int http_status,
                                        int32_t retry_after_s) {
  return veil_agent_transport_done_body(agent, request_id, http_status, retry_after_s, nullptr, 0);
}

veil_status_t veil_agent_transport_done_body(veil_agent_t* agent, uint64_t request_id,
                                             int http_status, int32_t retry_after_s,
                                             const void* body, size_t len) {
  return guarded([&] {
    if (!agent || (!body && len)) return VEIL_E_INVALID_ARGUMENT;
    veil::agent* a = agent->raw.load(std::memory_order_acquire);
    if (!a) return VEIL_E_NOT_FOUND;
    return to_c(a->transport_done(request_id, http_status, retry_after_s,
                                  std::string_view(static_cast<const char*>(body), len)));
  });
}

veil_status_t veil_agent_consent_json(veil_agent_t* agent, char** out) {
  return json_out(agent, out, [](veil::agent& a) { return a.consent_json(); });
}

veil_status_t veil_agent_preview_json(veil_agent_t* agent, uint32_t max_records, char** out) {
  return json_out(agent, out, [max_records](veil::agent& a) {
    return a.preview_json(max_records ? max_records : 1000);
  });
}

veil_status_t veil_agent_export_json(veil_agent_t* agent, char** out) {
  return json_out(agent, out, [](veil::agent& a) { return a.export_json(); });
}

veil_status_t veil_agent_erase(veil_agent_t* agent) {
  return guarded([&] {
    if (!agent) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->erase());
  });
}

veil_status_t veil_agent_erasure_status_json(veil_agent_t* agent, char** out) {
  return json_out(agent, out, [](veil::agent& a) { return a.erasure_status_json(); });
}

veil_status_t veil_agent_close(veil_agent_t* agent) {
  if (!agent) return VEIL_OK;
  veil_status_t st = guarded([&] { return to_c(agent->a->close()); });
  delete agent;  // ~agent after close() does nothing more
  return st;
}

}  // extern "C"
