// The C ABI from C++: argument checks, status texts, and the rule that no exception crosses it
// (a C host cannot catch one): with fault injection on, every entry point answers VEIL_E_INTERNAL.
#include <doctest/doctest.h>

#include <string>

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
      CHECK(std::string(veil_status_str(VEIL_OK)) == "internal error");
      veil_options_free(o);  // still frees: nothing to report
      veil_string_free(nullptr);
      CHECK(veil_agent_close(a) == VEIL_E_INTERNAL);  // and the agent is freed anyway
    }
  }
}
