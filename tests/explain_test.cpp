// `veil explain`'s redaction diff (agent/policy/explain.hpp): field actions read back from the
// real engine, and free-text tokens aligned back onto the raw text.
#include <doctest/doctest.h>

#include "agent/crypto/key_ring.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/explain.hpp"

using namespace veil::detail;
using nlohmann::json;

namespace {

std::shared_ptr<const compiled_policy> shipped_policy() {
  auto text = read_file(VEIL_SOURCE_DIR "/config/policy.json");
  REQUIRE(text);
  policy_report rep;
  auto pol = compile_policy(*text, rep);
  REQUIRE(pol);
  return *pol;
}

static_key_ring test_keys() {
  std::array<unsigned char, 32> k{};
  k.fill(7);
  auto key = secure_key::from_bytes(k);
  REQUIRE(key);
  return static_key_ring(std::move(*key));
}

const json* field(const json& rep, const std::string& name) {
  for (const auto& f : rep["fields"])
    if (f["field"] == name) return &f;
  return nullptr;
}

}  // namespace

TEST_SUITE("explain") {
  TEST_CASE("redaction_diff: each placeholder gets the original span it replaced") {
    text_scanner sc;
    const std::string before = "call from 192.168.1.20 to bob@example.org failed";
    const std::string after = sc.scrub(before);
    auto ch = redaction_diff(sc, before, after);
    REQUIRE(ch.size() == 2);
    CHECK(ch[0].cls == token_class::ip);
    CHECK(ch[0].original == "192.168.1.20");
    CHECK(ch[1].cls == token_class::email);
    CHECK(ch[1].original == "bob@example.org");
  }

  TEST_CASE("redaction_diff: ambiguous literals are resolved by what the scanner calls a span") {
    text_scanner sc;
    // " " occurs inside the phone number too: leftmost or rightmost matching both split it
    // wrongly; the scanner's own verdict on each candidate span picks the right split.
    auto ch =
        redaction_diff(sc, "ring bob@example.org +1 555 123 4567 x", "ring <email> <phone> x");
    REQUIRE(ch.size() == 2);
    CHECK(ch[0].original == "bob@example.org");
    CHECK(ch[1].original == "+1 555 123 4567");
    // Adjacent placeholders with nothing between them.
    ch = redaction_diff(sc, "x 10.0.0.1bob@example.org y", "x <ip><email> y");
    REQUIRE(ch.size() == 2);
    CHECK(ch[0].original.size() + ch[1].original.size() ==
          std::string("10.0.0.1bob@example.org").size());
  }

  TEST_CASE("redaction_diff: kept placeholders are not changes; normalised text is unaligned") {
    text_scanner sc;
    CHECK(redaction_diff(sc, "tag=<id> ok", "tag=<id> ok").empty());
    CHECK(redaction_diff(sc, "no tokens here", "no tokens here").empty());
    // Full-width digits are normalised before scanning; the text around the token is not
    // touched, so the span is the raw one.
    const std::string fw_ip = "\xEF\xBC\x91\xEF\xBC\x99\xEF\xBC\x92.168.1.20";
    std::string before = "call " + fw_ip + " now";
    std::string after = sc.scrub(before);
    REQUIRE(after == "call <ip> now");
    auto ch = redaction_diff(sc, before, after);
    REQUIRE(ch.size() == 1);
    CHECK(ch[0].aligned);
    CHECK(ch[0].original == fw_ip);
    // Where normalising changed the literal text too, the classes are known, spans are not.
    before = "\xEF\xBC\x91 call " + fw_ip;
    after = sc.scrub(before);
    REQUIRE(after.find("<ip>") != std::string::npos);
    REQUIRE(after.rfind("\xEF\xBC\x91", 0) != 0);
    ch = redaction_diff(sc, before, after);
    REQUIRE(!ch.empty());
    CHECK(ch.back().cls == token_class::ip);
    CHECK_FALSE(ch.back().aligned);
    CHECK(ch.back().original.empty());
    // Any bytes: never throws, never invents a span outside the text.
    for (std::string junk :
         {std::string("<ip"), std::string("<ip><ip>"), std::string("\xff<ip>")}) {
      auto c = redaction_diff(sc, "a", junk);
      for (const auto& t : c) CHECK(t.original.size() <= 1);
    }
  }

  TEST_CASE("explain_event: every field's action, before and after, and why drops happen") {
    policy_engine engine(shipped_policy());
    auto keys = test_keys();
    const auto rep =
        explain_event(engine, keys, std::chrono::system_clock::now(),
                      R"({"type":"account.registered","ts":"2026-12-07T09:00:00Z","attrs":{
          "username":"bmiller77","sip_uri":"sip:bmiller77@pbx.example.com",
          "registrar_ip":"203.0.113.9","status_code":403,"made_up":"x",
          "error_text":"REGISTER for bmiller77 from 10.1.2.3:5060 failed"}})");
    REQUIRE_MESSAGE(!rep.contains("error"), rep.dump());
    CHECK(rep["category"] == "usage");
    CHECK(rep["dropped"] == false);
    const json* f = field(rep, "attrs.username");
    REQUIRE(f);
    CHECK((*f)["action"] == "drop");
    CHECK((*f)["result"] == "dropped");
    CHECK((*f)["reason"].get<std::string>().find("text") != std::string::npos);  // context
    f = field(rep, "attrs.made_up");
    REQUIRE(f);
    CHECK((*f)["action"].is_null());
    CHECK((*f)["reason"].get<std::string>().find("default deny") != std::string::npos);
    f = field(rep, "attrs.registrar_ip");
    REQUIRE(f);
    CHECK((*f)["as"] == "registrar_net");
    CHECK((*f)["after"] == "203.0.113.0/24");
    CHECK((*f)["result"] == "changed");
    f = field(rep, "attrs.status_code");
    REQUIRE(f);
    CHECK((*f)["result"] == "kept");
    f = field(rep, "attrs.error_text");
    REQUIRE(f);
    REQUIRE(f->contains("tokens"));
    const auto& toks = (*f)["tokens"];
    REQUIRE(toks.size() == 2);
    CHECK(toks[0]["original"] == "bmiller77");  // the context field's value, found in the text
    CHECK(toks[1]["class"] == "ip");
    CHECK(toks[1]["original"] == "10.1.2.3");
    // The report's cleaned event is what the engine uploads: no raw value in it.
    const std::string cleaned = rep["cleaned"].dump();
    for (const char* raw : {"bmiller77", "10.1.2.3", "203.0.113.9", "made_up"})
      CHECK_MESSAGE(cleaned.find(raw) == std::string::npos, raw);
    CHECK(rep["redactions"]["ip"] == 1);
  }

  TEST_CASE("explain_event: nested fields, unknown types and malformed input") {
    policy_engine engine(shipped_policy());
    auto keys = test_keys();
    const auto now = std::chrono::system_clock::now();
    auto rep = explain_event(engine, keys, now,
                             R"({"type":"call.ended","ts":1765098000000,"attrs":{
                               "carrier":{"mcc":"262","name":"Telekom","imsi":"262011234567890"}}})");
    REQUIRE_MESSAGE(!rep.contains("error"), rep.dump());
    const json* f = field(rep, "attrs.carrier.mcc");
    REQUIRE(f);
    CHECK((*f)["result"] == "kept");
    f = field(rep, "attrs.carrier.imsi");
    REQUIRE(f);
    CHECK((*f)["result"] == "dropped");

    rep = explain_event(engine, keys, now, R"({"type":"secret.event","ts":1,"attrs":{"a":1}})");
    CHECK(rep["dropped"] == true);
    CHECK(rep["category"].is_null());
    CHECK(rep["drops"]["unknown_type"] == 1);

    rep = explain_event(engine, keys, now, R"({"type":"call.ended","ts":)");
    REQUIRE(rep.contains("error"));
    CHECK(rep["error"].get<std::string>().find("malformed") != std::string::npos);
  }
}
