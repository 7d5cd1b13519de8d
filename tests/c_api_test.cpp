// The C ABI from C++: argument checks, status texts, and the rule that no exception crosses it
// (a C host cannot catch one): with fault injection on, every entry point answers VEIL_E_INTERNAL.
#include <doctest/doctest.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent/api/agent_access.hpp"
#include "test_util.hpp"
#include "veil/veil.h"

namespace {
struct fault_on {
  fault_on() { veil::detail::c_api_fault_injection = true; }
  ~fault_on() { veil::detail::c_api_fault_injection = false; }
};
}  // namespace

TEST_SUITE("c_api") {
  TEST_CASE("status codes and texts are pinned") {
    CHECK(VEIL_OK == 0);
    CHECK(VEIL_E_INVALID_ARGUMENT == -1);
    CHECK(VEIL_E_INTERNAL == -9);
    CHECK(VEIL_E_NO_MEMORY == -11);
    CHECK(std::string(veil_status_str(VEIL_OK)) == "ok");
    CHECK(std::string(veil_status_str(VEIL_E_QUEUE_FULL)) == "queue full (event dropped)");
    CHECK(std::string(veil_status_str(static_cast<veil_status_t>(-999))) == "unknown status");
  }

  TEST_CASE("null arguments are refused, not crashed on") {
    CHECK(veil_options_new(nullptr) == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_options_set_state_dir(nullptr, "x") == VEIL_E_INVALID_ARGUMENT);
    veil_agent_t* a = reinterpret_cast<veil_agent_t*>(1);
    CHECK(veil_agent_open(nullptr, &a) == VEIL_E_INVALID_ARGUMENT);
    CHECK(a == nullptr);
    CHECK(veil_agent_open_config(nullptr, &a) == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_agent_record_json(nullptr, "t", "{}") == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_agent_flush(nullptr, 1) == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_agent_close(nullptr) == VEIL_OK);
    veil_options_free(nullptr);
    veil_string_free(nullptr);
  }

  TEST_CASE("open, record, consent, stats, close through the C ABI") {
    veil_test::temp_dir dir;
    veil_options_t* o = nullptr;
    REQUIRE(veil_options_new(&o) == VEIL_OK);
    REQUIRE(veil_options_set_policy_file(o, VEIL_SOURCE_DIR "/config/policy.json") == VEIL_OK);
    REQUIRE(veil_options_set_state_dir(o, (dir.path / "s").c_str()) == VEIL_OK);
    REQUIRE(veil_options_grant_by_default(o, "usage") == VEIL_OK);
    veil_agent_t* a = nullptr;
    REQUIRE(veil_agent_open(o, &a) == VEIL_OK);
    veil_options_free(o);
    int g = -1;
    CHECK(veil_agent_get_consent(a, "usage", &g) == VEIL_OK);
    CHECK(g == 1);
    CHECK(veil_agent_get_consent(a, "nope", &g) == VEIL_E_NOT_FOUND);
    CHECK(veil_agent_record_json(a, "feature.used", R"({"feature":"chat"})") == VEIL_OK);
    CHECK(veil_agent_flush(a, 5000) == VEIL_OK);
    char* s = nullptr;
    REQUIRE(veil_agent_stats_json(a, &s) == VEIL_OK);
    CHECK(std::string(s).find("\"stored\":1") != std::string::npos);
    veil_string_free(s);
    CHECK(veil_agent_close(a) == VEIL_OK);
    // A config that does not parse names the problem through its status.
    CHECK(veil_agent_open_config("{\"bogus\":1}", &a) == VEIL_E_CONFIG_INVALID);
    CHECK(a == nullptr);
  }

  TEST_CASE("every entry point answers VEIL_E_INTERNAL when it throws inside") {
    veil_test::temp_dir dir;
    veil_options_t* o = nullptr;
    REQUIRE(veil_options_new(&o) == VEIL_OK);
    REQUIRE(veil_options_set_policy_file(o, VEIL_SOURCE_DIR "/config/policy.json") == VEIL_OK);
    REQUIRE(veil_options_set_state_dir(o, (dir.path / "s").c_str()) == VEIL_OK);
    veil_agent_t* a = nullptr;
    REQUIRE(veil_agent_open(o, &a) == VEIL_OK);
    {
      fault_on f;
      veil_options_t* o2 = nullptr;
      veil_agent_t* a2 = nullptr;
      char* s = nullptr;
      int g = 0;
      CHECK(veil_options_new(&o2) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_policy_file(o, "x") == VEIL_E_INTERNAL);
      CHECK(veil_options_set_policy_json(o, "{}") == VEIL_E_INTERNAL);
      CHECK(veil_options_set_state_dir(o, "x") == VEIL_E_INTERNAL);
      CHECK(veil_options_set_endpoint(o, "http://x") == VEIL_E_INTERNAL);
      CHECK(veil_options_set_api_key(o, "k") == VEIL_E_INTERNAL);
      CHECK(veil_options_set_ca_file(o, "c") == VEIL_E_INTERNAL);
      CHECK(veil_options_set_dictionary_file(o, "d") == VEIL_E_INTERNAL);
      CHECK(veil_options_set_service(o, "n", "v", "o") == VEIL_E_INTERNAL);
      CHECK(veil_options_set_queue_capacity(o, 8) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_batch(o, 1, 1024, 1) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_shutdown_timeout(o, 1) == VEIL_E_INTERNAL);
      CHECK(veil_options_grant_by_default(o, "usage") == VEIL_E_INTERNAL);
      CHECK(veil_agent_open(o, &a2) == VEIL_E_INTERNAL);
      CHECK(veil_agent_open_config("{}", &a2) == VEIL_E_INTERNAL);
      CHECK(veil_agent_record_json(a, "feature.used", "{}") == VEIL_E_INTERNAL);
      CHECK(veil_agent_set_consent(a, "usage", 1) == VEIL_E_INTERNAL);
      CHECK(veil_agent_get_consent(a, "usage", &g) == VEIL_E_INTERNAL);
      CHECK(veil_agent_set_under_16(a, 0) == VEIL_E_INTERNAL);
      CHECK(veil_agent_flush(a, 1) == VEIL_E_INTERNAL);
      CHECK(veil_agent_stats_json(a, &s) == VEIL_E_INTERNAL);
      CHECK(s == nullptr);
      CHECK(veil_options_load_config(o, "{}") == VEIL_E_INTERNAL);
      CHECK(veil_options_load_config_n(o, "{}", 2) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_policy_json_n(o, "{}", 2) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_spki_pin(o, nullptr) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_zstd_level(o, 3) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_os_version(o, "1") == VEIL_E_INTERNAL);
      CHECK(veil_options_set_overflow(o, VEIL_OVERFLOW_DROP_OLDEST, 0) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_spool_limits(o, 1 << 20, 1, 1) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_spool_sync(o, 0) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_spool_in_memory(o, 1) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_retry(o, 1, 2, 3) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_timeouts(o, 1, 2) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_rights(o, 1, 2) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_log(o, nullptr, nullptr, VEIL_LOG_INFO) == VEIL_E_INTERNAL);
      CHECK(veil_options_set_transport(o, nullptr, nullptr) == VEIL_E_INTERNAL);
      CHECK(veil_agent_record_json_n(a, "t", 1, "{}", 2) == VEIL_E_INTERNAL);
      CHECK(veil_agent_set_consent_n(a, "usage", 5, 1) == VEIL_E_INTERNAL);
      CHECK(veil_agent_get_consent_n(a, "usage", 5, &g) == VEIL_E_INTERNAL);
      CHECK(veil_agent_object_n(a, "usage", 5) == VEIL_E_INTERNAL);
      CHECK(veil_agent_breadcrumb_n(a, "x", 1) == VEIL_E_INTERNAL);
      CHECK(veil_agent_transport_done(a, 1, 200, -1) == VEIL_E_INTERNAL);
      CHECK(veil_agent_transport_done_body(a, 1, 200, -1, "x", 1) == VEIL_E_INTERNAL);
      CHECK(std::string(veil_status_str(VEIL_OK)) == "internal error");
      veil_options_free(o);  // still frees: nothing to report
      veil_string_free(nullptr);
      CHECK(veil_agent_close(a) == VEIL_E_INTERNAL);  // and the agent is freed anyway
    }
  }

  TEST_CASE("veil_version() is the headers' VEIL_VERSION_STRING") {
    CHECK(std::string(veil_version()) == VEIL_VERSION_STRING);
    CHECK(VEIL_VERSION_NUMBER ==
          VEIL_VERSION_MAJOR * 10000 + VEIL_VERSION_MINOR * 100 + VEIL_VERSION_PATCH);
  }

  TEST_CASE("the reason of the last failed open, per thread") {
    veil_test::temp_dir dir;
    veil_options_t* o = nullptr;
    REQUIRE(veil_options_new(&o) == VEIL_OK);
    REQUIRE(veil_options_set_policy_file(o, VEIL_SOURCE_DIR "/config/policy.json") == VEIL_OK);
    veil_agent_t* a = nullptr;
    CHECK(veil_agent_open(o, &a) == VEIL_E_INVALID_ARGUMENT);  // no state_dir
    CHECK(std::string(veil_last_open_error()).find("state_dir") != std::string::npos);
    std::string other;
    std::thread([&] { other = veil_last_open_error(); }).join();
    CHECK(other.empty());  // another thread's failure is not this one's
    CHECK(veil_agent_open_config("{\"upload\":{\"nosuch\":1}}", &a) == VEIL_E_CONFIG_INVALID);
    CHECK(std::string(veil_last_open_error()).find("$.upload.nosuch") != std::string::npos);
    REQUIRE(veil_options_set_state_dir(o, (dir.path / "s").c_str()) == VEIL_OK);
    REQUIRE(veil_options_set_endpoint(o, "http://127.0.0.1:9") == VEIL_OK);
    REQUIRE(veil_options_set_transport(
                o,
                [](void*, veil_agent_t*, uint64_t, const char*, const char*, const char* const*,
                   const char* const*, size_t, const uint8_t*, size_t) {},
                nullptr) == VEIL_OK);
    REQUIRE(veil_options_set_endpoint(o, nullptr) == VEIL_OK);
    CHECK(veil_agent_open(o, &a) == VEIL_E_INVALID_ARGUMENT);  // a transport needs an endpoint
    CHECK(std::string(veil_last_open_error()).find("upload.endpoint") != std::string::npos);
    REQUIRE(veil_options_set_transport(o, nullptr, nullptr) == VEIL_OK);
    REQUIRE(veil_agent_open(o, &a) == VEIL_OK);
    CHECK(std::string(veil_last_open_error()).empty());
    CHECK(veil_agent_close(a) == VEIL_OK);
    veil_options_free(o);
  }

  TEST_CASE("load_config, then setters override it") {
    veil_test::temp_dir dir;
    const std::string cfg = R"({"policy_file":")" VEIL_SOURCE_DIR R"(/config/policy.json",
      "state_dir":")" + (dir.path / "from-config").string() +
                            R"(",
      "queue":{"capacity":7,"overflow":"drop_oldest"},"batch":{"max_records":3},
      "spool":{"in_memory":true},"consent":{"granted_by_default":["usage"]}})";
    veil_options_t* o = nullptr;
    REQUIRE(veil_options_new(&o) == VEIL_OK);
    CHECK(veil_options_load_config(o, "{\"queue\":{\"capacity\":\"x\"}}") == VEIL_E_CONFIG_INVALID);
    CHECK(std::string(veil_last_open_error()).find("$.queue.capacity") != std::string::npos);
    // An incomplete config is fine: the setters complete it.
    REQUIRE(veil_options_load_config(o, "{\"queue\":{\"capacity\":5}}") == VEIL_OK);
    REQUIRE(veil_options_load_config_n(o, cfg.data(), cfg.size()) == VEIL_OK);
    CHECK(veil_options_load_config_n(o, "/etc/x", 6) == VEIL_E_CONFIG_INVALID);  // not a path
    REQUIRE(veil_options_set_state_dir(o, (dir.path / "from-setter").c_str()) == VEIL_OK);
    REQUIRE(veil_options_set_queue_capacity(o, 9) == VEIL_OK);
    const char policy[] = R"({"schema":"veil-policy/1"})";
    REQUIRE(veil_options_set_policy_json(o, policy) == VEIL_OK);  // clears policy_file
    REQUIRE(veil_options_set_policy_file(o, VEIL_SOURCE_DIR "/config/policy.json") == VEIL_OK);
    veil_agent_t* a = nullptr;
    REQUIRE_MESSAGE(veil_agent_open(o, &a) == VEIL_OK, veil_last_open_error());
    char* s = nullptr;
    REQUIRE(veil_agent_stats_json(a, &s) == VEIL_OK);
    const std::string stats = s;
    veil_string_free(s);
    CHECK(stats.find("\"capacity\":9") != std::string::npos);  // the setter won
    int g = 0;
    CHECK(veil_agent_get_consent(a, "usage", &g) == VEIL_OK);
    CHECK(g == 1);  // from the config
    CHECK(veil_agent_close(a) == VEIL_OK);
    CHECK(std::filesystem::exists(dir.path / "from-setter"));
    CHECK_FALSE(std::filesystem::exists(dir.path / "from-config"));
    veil_options_free(o);
  }

  TEST_CASE("setters: values are checked, at the call or at open") {
    veil_test::temp_dir dir;
    veil_options_t* o = nullptr;
    REQUIRE(veil_options_new(&o) == VEIL_OK);
    REQUIRE(veil_options_set_policy_file(o, VEIL_SOURCE_DIR "/config/policy.json") == VEIL_OK);
    REQUIRE(veil_options_set_state_dir(o, (dir.path / "s").c_str()) == VEIL_OK);
    CHECK(veil_options_set_spki_pin(o, "abc") == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_options_set_spki_pin(o, std::string(64, 'a').c_str()) == VEIL_OK);
    CHECK(veil_options_set_spki_pin(o, "") == VEIL_OK);
    CHECK(veil_options_set_zstd_level(o, 0) == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_options_set_overflow(o, static_cast<veil_overflow_t>(7), 0) ==
          VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_options_set_log(o, nullptr, nullptr, static_cast<veil_log_level_t>(9)) ==
          VEIL_E_INVALID_ARGUMENT);
    veil_agent_t* a = nullptr;
    struct bad {
      veil_status_t (*set)(veil_options_t*);
      const char* names;
    };
    const bad cases[] = {
        {[](veil_options_t* x) {
           return veil_options_set_overflow(x, VEIL_OVERFLOW_BLOCK_FOR, 5000);
         },
         "queue.block_ms"},
        {[](veil_options_t* x) { return veil_options_set_spool_limits(x, 100, 1, 1); },
         "spool.max_bytes"},
        {[](veil_options_t* x) { return veil_options_set_spool_limits(x, 1 << 20, 1, 0); },
         "spool.max_retries"},
        {[](veil_options_t* x) { return veil_options_set_retry(x, 2000, 1000, 4); },
         "backoff_floor_ms"},
        {[](veil_options_t* x) { return veil_options_set_retry(x, 1000, 2000, 0); },
         "max_attempts_per_minute"},
        {[](veil_options_t* x) { return veil_options_set_timeouts(x, 0, 10); }, "timeouts"},
        {[](veil_options_t* x) { return veil_options_set_rights(x, 0, 10); }, "retention_days"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.names);
      veil_options_t* copy = nullptr;
      REQUIRE(veil_options_new(&copy) == VEIL_OK);
      REQUIRE(veil_options_set_policy_file(copy, VEIL_SOURCE_DIR "/config/policy.json") == VEIL_OK);
      REQUIRE(veil_options_set_state_dir(copy, (dir.path / "s").c_str()) == VEIL_OK);
      REQUIRE(c.set(copy) == VEIL_OK);
      CHECK(veil_agent_open(copy, &a) == VEIL_E_INVALID_ARGUMENT);
      CHECK(std::string(veil_last_open_error()).find(c.names) != std::string::npos);
      veil_options_free(copy);
    }
    // Every setter with sane values: the agent opens and says so in its stats.
    REQUIRE(veil_options_set_overflow(o, VEIL_OVERFLOW_DROP_OLDEST, 0) == VEIL_OK);
    REQUIRE(veil_options_set_spool_limits(o, 1 << 20, 24, 3) == VEIL_OK);
    REQUIRE(veil_options_set_spool_sync(o, 0) == VEIL_OK);
    REQUIRE(veil_options_set_spool_in_memory(o, 1) == VEIL_OK);
    REQUIRE(veil_options_set_retry(o, 500, 60000, 10) == VEIL_OK);
    REQUIRE(veil_options_set_timeouts(o, 2000, 5000) == VEIL_OK);
    REQUIRE(veil_options_set_rights(o, 7, 3000) == VEIL_OK);
    REQUIRE(veil_options_set_zstd_level(o, 3) == VEIL_OK);
    REQUIRE(veil_options_set_os_version(o, "14") == VEIL_OK);
    REQUIRE(veil_options_set_queue_capacity(o, 1) == VEIL_OK);
    REQUIRE(veil_agent_open(o, &a) == VEIL_OK);
    char* s = nullptr;
    REQUIRE(veil_agent_stats_json(a, &s) == VEIL_OK);
    CHECK(std::string(s).find("\"disk_bytes\":0") != std::string::npos);  // in memory
    veil_string_free(s);
    CHECK(veil_agent_close(a) == VEIL_OK);
    CHECK_FALSE(std::filesystem::exists(dir.path / "s" / "spool"));
    veil_options_free(o);
  }

  TEST_CASE("length-delimited text: NULs refused, JNI's modified UTF-8 becomes UTF-8") {
    veil_test::temp_dir dir;
    veil_options_t* o = nullptr;
    REQUIRE(veil_options_new(&o) == VEIL_OK);
    REQUIRE(veil_options_set_policy_file(o, VEIL_SOURCE_DIR "/config/policy.json") == VEIL_OK);
    REQUIRE(veil_options_set_state_dir(o, (dir.path / "s").c_str()) == VEIL_OK);
    REQUIRE(veil_options_grant_by_default(o, "usage") == VEIL_OK);
    veil_agent_t* a = nullptr;
    REQUIRE(veil_agent_open(o, &a) == VEIL_OK);
    veil_options_free(o);
    // Not NUL-terminated: the lengths say where each text ends.
    const char buf[] = "feature.usedXXXX{\"feature\":\"chat\"}YYYY";
    CHECK(veil_agent_record_json_n(a, buf, 12, buf + 16, 18) == VEIL_OK);
    // Embedded NULs (raw, or modified UTF-8's C0 80) are refused before anything is queued.
    const char nul_type[] = "feature\0used";
    CHECK(veil_agent_record_json_n(a, nul_type, sizeof nul_type - 1, "{}", 2) ==
          VEIL_E_INVALID_ARGUMENT);
    const char nul_attrs[] = "{\"feature\":\"a\0b\"}";
    CHECK(veil_agent_record_json_n(a, "feature.used", 12, nul_attrs, sizeof nul_attrs - 1) ==
          VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_agent_record_json(a, "feature.used", "{\"feature\":\"a\xC0\x80z\"}") ==
          VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_agent_set_consent_n(a, "usage\0", 6, 1) == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_agent_object_n(a, "us\0age", 6) == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_agent_breadcrumb_n(a, "a\0b", 3) == VEIL_E_INVALID_ARGUMENT);
    int g = 0;
    CHECK(veil_agent_get_consent_n(a, "usageZZ", 5, &g) == VEIL_OK);
    CHECK(g == 1);
    CHECK(veil_agent_record_json_n(a, nullptr, 0, "{}", 2) == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_agent_record_json_n(a, "t", 1, nullptr, 3) == VEIL_E_INVALID_ARGUMENT);
    // U+1F600 as GetStringUTFChars gives it: two 3-byte surrogates (CESU-8); a lone surrogate.
    const std::string cesu = "{\"feature\":\"chat \xED\xA0\xBD\xED\xB8\x80 ok\"}";
    CHECK(veil_agent_record_json_n(a, "feature.used", 12, cesu.data(), cesu.size()) == VEIL_OK);
    CHECK(veil_agent_record_json(a, "feature.used", "{\"feature\":\"lone \xED\xA0\xBD!\"}") ==
          VEIL_OK);
    REQUIRE(veil_agent_flush(a, 5000) == VEIL_OK);
    char* s = nullptr;
    REQUIRE(veil_agent_preview_json(a, 10, &s) == VEIL_OK);
    const std::string preview = s;
    veil_string_free(s);
    CHECK(preview.find("\"chat\"") != std::string::npos);
    CHECK(preview.find("chat \xF0\x9F\x98\x80 ok") != std::string::npos);  // real UTF-8 kept
    CHECK(preview.find("lone \xEF\xBF\xBD!") != std::string::npos);        // U+FFFD
    CHECK(preview.find("\xED\xA0") == std::string::npos);
    REQUIRE(veil_agent_stats_json(a, &s) == VEIL_OK);
    const std::string stats = s;
    veil_string_free(s);
    CHECK(stats.find("\"stored\":3") != std::string::npos);
    CHECK(stats.find("\"parse_error\":0") != std::string::npos);
    CHECK(veil_agent_close(a) == VEIL_OK);
  }

  TEST_CASE("the log callback gets levels and counts, never values") {
    veil_test::temp_dir dir;
    struct sink {
      std::mutex mu;
      std::vector<std::pair<veil_log_level_t, std::string>> lines;
    } logs;
    veil_options_t* o = nullptr;
    REQUIRE(veil_options_new(&o) == VEIL_OK);
    REQUIRE(veil_options_set_policy_file(o, VEIL_SOURCE_DIR "/config/policy.json") == VEIL_OK);
    REQUIRE(veil_options_set_log(
                o,
                [](void* ud, veil_log_level_t l, const char* m) {
                  auto* k = static_cast<sink*>(ud);
                  std::lock_guard lk(k->mu);
                  k->lines.emplace_back(l, m);
                },
                &logs, VEIL_LOG_DEBUG) == VEIL_OK);
    veil_agent_t* a = nullptr;
    CHECK(veil_agent_open(o, &a) == VEIL_E_INVALID_ARGUMENT);  // no state_dir: an error line
    REQUIRE(veil_options_set_state_dir(o, (dir.path / "s").c_str()) == VEIL_OK);
    REQUIRE(veil_options_grant_by_default(o, "usage") == VEIL_OK);
    REQUIRE(veil_agent_open(o, &a) == VEIL_OK);
    CHECK(veil_agent_record_json(a, "screen.viewed",
                                 R"({"screen":"dialer","email":"alice@example.com"})") == VEIL_OK);
    CHECK(veil_agent_flush(a, 5000) == VEIL_OK);
    CHECK(veil_agent_close(a) == VEIL_OK);
    // WARN and above only: a clean open and close say nothing.
    std::vector<veil_log_level_t> quiet;
    REQUIRE(veil_options_set_log(
                o,
                [](void* ud, veil_log_level_t l, const char*) {
                  static_cast<std::vector<veil_log_level_t>*>(ud)->push_back(l);
                },
                &quiet, VEIL_LOG_WARN) == VEIL_OK);
    REQUIRE(veil_agent_open(o, &a) == VEIL_OK);
    CHECK(veil_agent_close(a) == VEIL_OK);
    CHECK(quiet.empty());
    veil_options_free(o);
    std::lock_guard lk(logs.mu);
    REQUIRE(logs.lines.size() >= 3);
    CHECK(logs.lines[0].first == VEIL_LOG_ERROR);
    CHECK(logs.lines[0].second.find("state_dir") != std::string::npos);
    bool open_line = false, close_line = false;
    for (const auto& [l, m] : logs.lines) {
      CAPTURE(m);
      CHECK(m.find("alice") == std::string::npos);
      CHECK(m.find("dialer") == std::string::npos);
      if (l == VEIL_LOG_INFO && m.find("agent open: ") == 0 &&
          m.find("consent categories") != std::string::npos)
        open_line = true;
      if (l == VEIL_LOG_INFO && m == "agent closed") close_line = true;
    }
    CHECK(open_line);
    CHECK(close_line);
  }

  TEST_CASE("an endpoint without a transport: the built-in client, or a clear error without it") {
    veil_test::temp_dir dir;
    veil_options_t* o = nullptr;
    REQUIRE(veil_options_new(&o) == VEIL_OK);
    REQUIRE(veil_options_set_policy_file(o, VEIL_SOURCE_DIR "/config/policy.json") == VEIL_OK);
    REQUIRE(veil_options_set_state_dir(o, (dir.path / "s").c_str()) == VEIL_OK);
    REQUIRE(veil_options_set_endpoint(o, "http://127.0.0.1:9") == VEIL_OK);
    veil_agent_t* a = nullptr;
#ifdef VEIL_NO_HTTP_CLIENT
    CHECK(veil_agent_open(o, &a) == VEIL_E_INVALID_ARGUMENT);
    CHECK(std::string(veil_last_open_error()).find("VEIL_HTTP_CLIENT=OFF") != std::string::npos);
    CHECK(std::string(veil_last_open_error()).find("veil_options_set_transport") !=
          std::string::npos);
#else
    REQUIRE(veil_agent_open(o, &a) == VEIL_OK);
    char* s = nullptr;
    REQUIRE(veil_agent_stats_json(a, &s) == VEIL_OK);
    const std::string st = s;
    veil_string_free(s);
    const auto up = st.find("\"upload\":{");  // keys are sorted: look inside the object
    REQUIRE(up != std::string::npos);
    CHECK(st.find("\"enabled\":true", up) < st.find('}', up));
    CHECK(veil_agent_close(a) == VEIL_OK);
#endif
    veil_options_free(o);
  }
}
