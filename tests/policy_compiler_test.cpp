#include <doctest/doctest.h>

#include <string>

#include "agent/policy/policy.hpp"
#include "support_policy.hpp"

using namespace veil::detail;

namespace {
bool has_issue(const std::vector<policy_issue>& v, std::string_view path, std::string_view words) {
  for (auto& i : v)
    if (i.path == path && i.message.find(words) != std::string::npos) return true;
  return false;
}
}  // namespace

TEST_SUITE("policy") {
  TEST_CASE("the shipped default policy compiles without warnings") {
    policy_report rep;
    auto p = compile_policy(*read_file(std::string(VEIL_SOURCE_DIR) + "/config/policy.json"), rep);
    REQUIRE(p.ok());
    CHECK(rep.errors.empty());
    CHECK(rep.warnings.empty());
    CHECK((*p)->events.size() == 13);
    CHECK((*p)->categories.size() == 5);
    CHECK((*p)->hash.size() == 32);
    const event_rule* r = (*p)->find("call.ended");
    REQUIRE(r);
    CHECK(r->category == "call_quality");
    CHECK(r->fields.find("duration_s")->out_name == "duration_bucket");
    CHECK((*p)->find("nope") == nullptr);
  }

  TEST_CASE("every error is reported with its JSON path") {
    policy_report rep;
    auto p = compile_policy(R"({
      "categories": ["usage", "usage"],
      "timestamp": "fortnight",
      "bogus": 1,
      "events": {
        "a.b": {"category": "nope", "fields": {
          "x": "explode",
          "y": {"action": "bucket"},
          "z": {"action": "keep", "bounds": [1]},
          "w": {"action": "bucket", "bounds": [10, 5]},
          "v": {"action": "phone_country", "region": "germany"},
          "u": 7,
          "t": {"action": "text", "as": "x2"},
          "s": {"action": "keep", "as": "x2"}
        }},
        "c.d": []
      }
    })",
                            rep);
    REQUIRE_FALSE(p.ok());
    CHECK(p.err().code == veil::errc::policy_invalid);
    CHECK(has_issue(rep.errors, "$.categories[1]", "duplicate"));
    CHECK(has_issue(rep.errors, "$.timestamp.granularity", "must be one of"));
    CHECK(has_issue(rep.errors, "$.bogus", "unknown key"));
    CHECK(has_issue(rep.errors, "$.events['a.b'].category", "not in $.categories"));
    CHECK(has_issue(rep.errors, "$.events['a.b'].fields['x']", "unknown action 'explode'"));
    CHECK(has_issue(rep.errors, "$.events['a.b'].fields['y']", "bucket needs"));
    CHECK(has_issue(rep.errors, "$.events['a.b'].fields['z'].bounds", "only bucket"));
    CHECK(has_issue(rep.errors, "$.events['a.b'].fields['w'].bounds[1]", "increase"));
    CHECK(has_issue(rep.errors, "$.events['a.b'].fields['v'].region", "ISO 3166"));
    CHECK(has_issue(rep.errors, "$.events['a.b'].fields['u']", "action name"));
    CHECK(has_issue(rep.errors, "$.events['a.b'].fields['t']", "produced by two fields"));
    CHECK(has_issue(rep.errors, "$.events['c.d']", "must be an object"));
  }

  TEST_CASE("not JSON, not an object, no categories") {
    policy_report rep;
    CHECK_FALSE(compile_policy("{", rep).ok());
    CHECK(has_issue(rep.errors, "$", "not valid JSON"));
    policy_report rep2;
    CHECK_FALSE(compile_policy("[]", rep2).ok());
    policy_report rep3;
    CHECK_FALSE(compile_policy(R"({"events":{}})", rep3).ok());
    CHECK(has_issue(rep3.errors, "$.categories", "non-empty"));
  }

  TEST_CASE("warnings where the policy is looser than the event catalog") {
    policy_report rep;
    auto p = compile_policy(R"({
      "categories": ["usage", "call_quality"],
      "timestamp": "second",
      "keep_guard": false,
      "events": {
        "app.started": {"category": "usage", "fields": {"email": "keep", "install_id": "keep"}},
        "call.ended": {"category": "call_quality", "fields": {"remote_number": "text", "geo": "drop"}},
        "custom.thing": {"category": "usage", "fields": {"phone_number": "keep"}}
      }
    })",
                            rep);
    REQUIRE(p.ok());
    CHECK(has_issue(rep.warnings, "$.events['app.started'].fields['email']", "personal"));
    CHECK(has_issue(rep.warnings, "$.events['app.started'].fields['install_id']", "pseudonym"));
    CHECK(
        has_issue(rep.warnings, "$.events['call.ended'].fields['remote_number']", "phone_country"));
    CHECK(has_issue(rep.warnings, "$.events['custom.thing'].fields['phone_number']",
                    "suggests personal"));
    CHECK(has_issue(rep.warnings, "$.timestamp.granularity", "re-identification"));
    CHECK(has_issue(rep.warnings, "$.keep_guard", "not scanned"));
    CHECK_FALSE(has_issue(rep.warnings, "$.events['call.ended'].fields['geo']",
                          ""));  // drop is stricter: fine
  }

  TEST_CASE("dotted and [] paths compile to nested rules") {
    auto p = veil::test::compile_or_die(R"({
      "categories": ["crash"],
      "events": {"crash.report": {"category": "crash", "fields": {
        "frames[].file": "path", "frames[].line": "keep", "carrier.mcc": "keep"}}}
    })");
    const auto* r = p->find("crash.report");
    REQUIRE(r);
    const field_rule* frames = r->fields.find("frames");
    REQUIRE(frames);
    REQUIRE(frames->children);
    CHECK(frames->children->find("file")->act == action::path);
    CHECK(frames->children->find("line")->act == action::keep);
    CHECK(r->fields.find("carrier")->children->find("mcc"));
  }
}
