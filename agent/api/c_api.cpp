// The C ABI (include/veil/veil.h) over veil::agent. Every entry point catches everything
// (a C host cannot catch one); c_api_fault_injection lets a test make each one throw inside its try
// block.
#include "veil/veil.h"

#include <cstring>
#include <new>
#include <stdexcept>

#include "agent/api/agent_access.hpp"
#include "veil/agent.hpp"

struct veil_options_s {
  veil::agent_options o;
};
struct veil_agent_s {
  std::unique_ptr<veil::agent> a;
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

// A JSON string handed to the caller, who frees it with veil_string_free().
template <class F>
veil_status_t json_out(veil_agent_t* agent, char** out, F&& make) noexcept {
  return guarded([&] {
    if (!out) return VEIL_E_INVALID_ARGUMENT;
    *out = nullptr;
    if (!agent) return VEIL_E_INVALID_ARGUMENT;
    const std::string s = make(*agent->a);
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) return VEIL_E_NO_MEMORY;
    std::memcpy(p, s.c_str(), s.size() + 1);
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

veil_status_t veil_options_set_policy_file(veil_options_t* o, const char* path) {
  return set_string(o, path, &veil::agent_options::policy_file);
}
veil_status_t veil_options_set_policy_json(veil_options_t* o, const char* json) {
  return set_string(o, json, &veil::agent_options::policy_json);
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
    veil::failure f;
    auto a = veil::agent::open(options->o, &f);
    if (!a) return to_c(f.code);
    *out = new veil_agent_s{std::move(a)};
    return VEIL_OK;
  });
}

veil_status_t veil_agent_open_config(const char* path_or_json, veil_agent_t** out) {
  return guarded([&] {
    if (!out) return VEIL_E_INVALID_ARGUMENT;
    *out = nullptr;
    if (!path_or_json) return VEIL_E_INVALID_ARGUMENT;
    veil::failure f;
    auto a = veil::agent::open_config(path_or_json, &f);
    if (!a) return to_c(f.code);
    *out = new veil_agent_s{std::move(a)};
    return VEIL_OK;
  });
}

veil_status_t veil_agent_record_json(veil_agent_t* agent, const char* type,
                                     const char* attrs_json) {
  return guarded([&] {
    if (!agent || !type) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->record(type, attrs_json ? attrs_json : "{}"));
  });
}

veil_status_t veil_agent_set_consent(veil_agent_t* agent, const char* category, int granted) {
  return guarded([&] {
    if (!agent || !category) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->set_consent(category, granted != 0, "c_api"));
  });
}

veil_status_t veil_agent_get_consent(veil_agent_t* agent, const char* category, int* granted) {
  return guarded([&] {
    if (!agent || !category || !granted) return VEIL_E_INVALID_ARGUMENT;
    bool g = false;
    auto s = agent->a->get_consent(category, g);
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
  return guarded([&] {
    if (!agent || !text) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->breadcrumb(text));
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
    if (st != veil::status::ok && error_message && !why.message.empty()) {
      char* p = static_cast<char*>(std::malloc(why.message.size() + 1));
      if (p) {
        std::memcpy(p, why.message.c_str(), why.message.size() + 1);
        *error_message = p;
      }
    }
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
  return guarded([&] {
    if (!agent || !category) return VEIL_E_INVALID_ARGUMENT;
    return to_c(agent->a->object(category, "c_api"));
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
