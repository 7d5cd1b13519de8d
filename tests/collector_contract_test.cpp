#include <doctest/doctest.h>

#include "tools/collector/contract.hpp"
#include "support_policy.hpp"

using veil::detail::contract;
using json = nlohmann::json;

TEST_SUITE("policy") {
  TEST_CASE("cleaned events meet the contract they were cleaned by") {
    veil::test::cleaner c;
    contract k(veil::test::default_policy());
    const char* raws[] = {
        R"({"type":"call.ended","ts":1,"attrs":{"call_id":"x-1","direction":"in","remote_number":"+49 30 1234567","remote_uri":"sip:+14165550100@h.example","duration_s":5,"public_ip":"2001:db8:1:2::1","carrier":{"mcc":"262","mnc":"01","name":"T"},"geo":{"lat":52.52,"lon":13.4},"mos":4.1}})",
        R"({"type":"update.checked","ts":1,"attrs":{"url":"https://u:p@upd.example.com/check?token=1","server_ip":"104.21.33.47","result":"ok"}})",
        R"J({"type":"log.line","ts":1,"attrs":{"level":"warn","message":"INVITE sip:bob@example.com from 198.51.100.7:5060 (486 Busy Here)"}})J",
        R"({"type":"crash.report","ts":1,"attrs":{"signal":"SIGSEGV","frames":[{"module":"m","line":3,"file":"/home/ann/a.c"}],"breadcrumbs":["call +44 20 7946 0958","ok"]}})",
        R"({"type":"location.updated","ts":1,"attrs":{"lat":48.137154,"lon":11.576124,"accuracy_m":5}})",
        R"({"type":"contacts.synced","ts":1,"attrs":{"contact_count":"3","source":"device"}})",
        // A SIP trace: its cleaned form keeps placeholders in header positions ("Call-ID: <id>"),
        // which the scanner "replaces" with themselves; that must not count as personal data.
        R"J({"type":"log.line","ts":1,"attrs":{"level":"warn","message":"INVITE sip:+4930123456@sip.example.net SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.7:5060;rport;branch=z9hG4bK1a2b3c4d5e\r\nFrom: \"Ann Lee\" <sip:ann.lee@sip.example.net>;tag=9f8e7d6c\r\nContact: <sip:ann.lee@203.0.113.9:5060;ob>;+sip.instance=\"<urn:uuid:0a1b2c3d-1c2d-4e5f-8a9b-0123456789ab>\"\r\nCall-ID: 0123456789abcdef@192.168.1.7\r\nAuthorization: Digest username=\"ann.lee\", realm=\"sip.example.net\", nonce=\"0011223344556677\", uri=\"sip:sip.example.net\", response=\"00112233445566778899aabbccddeeff\", algorithm=MD5\r\n"}})J",
    };
    for (const char* raw : raws) {
      json out = c.clean(raw);
      REQUIRE(out.is_object());
      CAPTURE(out.dump());
      CHECK(k.check(out["type"].get<std::string>(), out["category"].get<std::string>(),
                    out["attrs"]) == std::nullopt);
    }
  }

  TEST_CASE("the contract names each kind of violation, never the value") {
    contract k(veil::test::default_policy());
    auto v = [&](const char* type, const char* cat, const char* attrs) {
      return k.check(type, cat, json::parse(attrs)).value_or("ok");
    };
    CHECK(v("debug.dump", "usage", "{}") == "type:unknown");
    CHECK(v("call.ended", "usage", "{}") == "category:mismatch");
    CHECK(v("call.ended", "call_quality", R"({"remote_number":"+4930123"})") == "field:unexpected");
    CHECK(v("call.ended", "call_quality", R"({"local_ip":"10.0.0.1"})") ==
          "field:unexpected");  // dropped by policy
    CHECK(v("call.ended", "call_quality",
            R"({"call_id":"5f0c6d1e-1111-4a2b-9c3d-123456789abc"})") == "shape:pseudonym");
    CHECK(v("call.ended", "call_quality", R"({"public_net":"203.0.113.77/24"})") ==
          "shape:network");
    CHECK(v("call.ended", "call_quality", R"({"public_net":"203.0.113.77"})") == "shape:network");
    CHECK(v("call.ended", "call_quality", R"({"remote_country":"Germany"})") == "shape:country");
    CHECK(v("call.ended", "call_quality", R"({"duration_bucket":"187"})") == "shape:bucket");
    CHECK(v("call.ended", "call_quality", R"({"geo":{"lat":52.520008,"lon":13.4}})") ==
          "shape:geo");
    CHECK(v("call.ended", "call_quality",
            R"({"carrier":{"mcc":"262","imsi":"262011234567890"}})") == "field:unexpected");
    CHECK(v("call.ended", "call_quality", R"({"remote_domain":"alice@h"})") == "shape:domain");
    CHECK(v("update.checked", "diagnostics", R"({"url":"https://h/p?token=1"})") == "shape:url");
    CHECK(v("log.line", "diagnostics", R"({"message":"mail alice@example.com"})") == "pii:email");
    CHECK(v("app.started", "usage", R"({"device_model":"call +49 30 1234567"})") == "pii:phone");
    CHECK(
        v("call.ended", "call_quality",
          R"({"duration_bucket":"180-600","remote_country":"DE","public_net":"2001:db8:1::/48"})") ==
        "ok");
    CHECK(k.pseudonym_fields("call.ended") == std::vector<std::string>{"call_id"});
  }
}
