#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <string>

#include "agent/policy/context_terms.hpp"
#include "support_policy.hpp"

using veil::test::cleaner;
using json = nlohmann::json;

namespace {
std::string hex_digest(const EVP_MD* md, std::string_view s) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), d, &n, md, nullptr);
  static const char* hx = "0123456789abcdef";
  std::string o;
  for (unsigned i = 0; i < n; ++i) {
    o.push_back(hx[d[i] >> 4]);
    o.push_back(hx[d[i] & 15]);
  }
  return o;
}
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
std::string digits(std::string_view s) {
  std::string o;
  for (char c : s)
    if (c >= '0' && c <= '9') o.push_back(c);
  return o;
}
// Privacy negative check: raw, lower-cased, digits-only and unkeyed-hash forms absent.
void check_absent(const std::string& out, const std::string& raw) {
  CAPTURE(raw);
  CHECK(out.find(raw) == std::string::npos);
  CHECK(lower(out).find(lower(raw)) == std::string::npos);
  std::string d = digits(raw);
  if (d.size() >= 7) CHECK(digits(out).find(d) == std::string::npos);
  for (const EVP_MD* md : {EVP_md5(), EVP_sha1(), EVP_sha256(), EVP_sha512(), EVP_blake2b512()}) {
    std::string h = hex_digest(md, raw);
    CHECK(out.find(h.substr(0, 16)) == std::string::npos);
    CHECK(out.find(hex_digest(md, lower(raw)).substr(0, 16)) == std::string::npos);
  }
}
}  // namespace

TEST_SUITE("policy") {
  TEST_CASE("call.ended is cleaned per the contract") {
    cleaner c;
    json out = c.clean(R"({"type":"call.ended","ts":"2026-11-29T10:15:07.123Z","attrs":{
      "call_id":"5f0c6d1e-1111-4a2b-9c3d-123456789abc","direction":"out",
      "remote_number":"+49 30 1234567","remote_uri":"sip:+4930123456@sip.example.net",
      "remote_display_name":"Alice Smith","contact_name":"Alice","duration_s":187,"codec":"opus",
      "transport":"TLS","network_type":"wifi","end_reason":"hangup","srtp":true,"mos":4.1,
      "jitter_ms":7.2,"packet_loss_pct":0.05,"rtt_ms":37,"local_ip":"192.168.1.34",
      "public_ip":"203.0.113.77","carrier":{"mcc":"262","mnc":"01","name":"Telekom.de","imsi":"262011234567890"},
      "geo":{"lat":52.520008,"lon":13.404954,"accuracy_m":12},"surprise":"x"}})");
    REQUIRE(out.is_object());
    CHECK(out["type"] == "call.ended");
    CHECK(out["ts"] == "2026-11-29T10:00:00Z");
    CHECK(out["category"] == "call_quality");
    json a = out["attrs"];
    CHECK(a["direction"] == "out");
    CHECK(a["remote_country"] == "DE");
    CHECK(a["remote_domain"] == "sip.example.net");
    CHECK(a["duration_bucket"] == "180-600");
    CHECK(a["codec"] == "opus");
    CHECK(a["srtp"] == true);
    CHECK(a["mos"] == 4.1);
    CHECK(a["rtt_ms"] == 37);
    CHECK(a["public_net"] == "203.0.113.0/24");
    CHECK(a["carrier"] ==
          json({{"mcc", "262"}, {"mnc", "01"}, {"name", "Telekom.de"}}));  // imsi denied
    CHECK(a["geo"] == json({{"lat", 52.5}, {"lon", 13.4}}));
    CHECK(a["call_id"].get<std::string>().size() == 32);
    for (const char* gone : {"remote_number", "remote_uri", "remote_display_name", "contact_name",
                             "duration_s", "local_ip", "public_ip", "surprise"})
      CHECK_FALSE(a.contains(gone));
    std::string s = out.dump();
    for (const char* pii :
         {"5f0c6d1e-1111-4a2b-9c3d-123456789abc", "+49 30 1234567", "4930123456", "Alice Smith",
          "192.168.1.34", "203.0.113.77", "262011234567890", "52.520008", "13.404954"})
      check_absent(s, pii);
    CHECK(c.stats.drops[veil::detail::drop_reason::field_denied] == 2);  // surprise, carrier.imsi
  }

  TEST_CASE("default deny: unknown types and unnamed fields") {
    cleaner c;
    CHECK(c.clean(R"({"type":"debug.dump","ts":1,"attrs":{"x":1}})").is_null());
    CHECK(c.stats.drops[veil::detail::drop_reason::unknown_type] == 1);
    json out = c.clean(
        R"({"type":"feature.used","ts":1,"attrs":{"feature":"chat","user":"bob","nested":{"a":1}}})");
    CHECK(out["attrs"] == json({{"feature", "chat"}}));
    // keep on an object without named sub-fields keeps nothing of it
    json out2 = c.clean(R"({"type":"screen.viewed","ts":1,"attrs":{"screen":{"name":"alice"}}})");
    CHECK(out2["attrs"] == json::object());
  }

  TEST_CASE("pseudonyms are keyed, stable within a key and unlinkable across keys") {
    cleaner a(veil::test::default_policy(), 0), b(veil::test::default_policy(), 7);
    const std::string ev =
        R"({"type":"app.started","ts":1,"attrs":{"install_id":"575abbbe-fec1-43e7-9f77-2f47033287af"}})";
    std::string t1 = a.clean(ev)["attrs"]["install_id"];
    std::string t2 = a.clean(ev)["attrs"]["install_id"];
    std::string t3 = b.clean(ev)["attrs"]["install_id"];
    CHECK(t1 == t2);
    CHECK(t1 != t3);
    CHECK(t1.size() == 32);
    check_absent(t1, "575abbbe-fec1-43e7-9f77-2f47033287af");
    // domain separation: the same value in call_id gives another token
    std::string t4 = a.clean(
        R"({"type":"call.ended","ts":1,"attrs":{"call_id":"575abbbe-fec1-43e7-9f77-2f47033287af"}})")
                         ["attrs"]["call_id"];
    CHECK(t4 != t1);
  }

  TEST_CASE("without a key the pseudonym field is dropped, never passed raw") {
    veil::detail::policy_engine eng(veil::test::default_policy());
    struct no_keys : veil::detail::key_ring {
      const veil::detail::secure_key* key_for(veil::detail::sys_time) const noexcept override {
        return nullptr;
      }
    } keys;
    veil::detail::event_parser p;
    veil::detail::raw_event ev;
    veil::detail::parse_failure f;
    REQUIRE(p.parse(
        R"({"type":"app.started","ts":1,"attrs":{"install_id":"abc-123","app_version":"5.6.12"}})",
        ev, f));
    std::string out;
    veil::detail::clean_stats st;
    REQUIRE(eng.clean(ev, keys, {}, out, st));
    CHECK(out.find("abc-123") == std::string::npos);
    CHECK(out.find("install_id") == std::string::npos);
    CHECK(st.drops[veil::detail::drop_reason::no_key] == 1);
  }

  TEST_CASE("numbers as strings, invalid values dropped and counted") {
    cleaner c;
    json a = c.clean(
        R"({"type":"call.ended","ts":1,"attrs":{"duration_s":"187","public_ip":"not-an-ip","remote_number":"call me","geo":{"lat":"52.52","lon":"13.40"}}})")
                 ["attrs"];
    CHECK(a["duration_bucket"] == "180-600");
    CHECK(a["geo"] == json({{"lat", 52.5}, {"lon", 13.4}}));
    CHECK_FALSE(a.contains("public_net"));
    CHECK_FALSE(a.contains("remote_country"));
    CHECK(c.stats.drops[veil::detail::drop_reason::invalid_value] == 2);
    json l = c.clean(
        R"({"type":"location.updated","ts":1,"attrs":{"lat":-33.86882,"lon":"151.20929","accuracy_m":25}})")
                 ["attrs"];
    CHECK(l["lat"] == -33.9);
    CHECK(l["lon"] == 151.2);
    CHECK(l["accuracy_m"] == 25);
    // Typed measures: a numeric string is cleaned into a number (the report averages it), a
    // non-number is dropped and counted, never kept as text.
    const auto before = c.stats.drops[veil::detail::drop_reason::invalid_value];
    json q = c.clean(
        R"({"type":"call.ended","ts":1,"attrs":{"jitter_ms":"64","mos":" 4.2","rtt_ms":"fast","packet_loss_pct":0.5}})")
                 ["attrs"];
    CHECK(q["jitter_ms"] == 64);
    CHECK(q["jitter_ms"].is_number());
    CHECK(q["mos"] == 4.2);
    CHECK(q["packet_loss_pct"] == 0.5);
    CHECK_FALSE(q.contains("rtt_ms"));
    CHECK(c.stats.drops[veil::detail::drop_reason::invalid_value] == before + 1);
  }

  TEST_CASE("sip_domain with a numeric user part yields the country when no number is given") {
    cleaner c;
    json a = c.clean(
        R"({"type":"call.ended","ts":1,"attrs":{"remote_uri":"sip:+14165550100@pbx.example.ca"}})")
                 ["attrs"];
    CHECK(a["remote_domain"] == "pbx.example.ca");
    CHECK(a["remote_country"] == "CA");
    // both present: one remote_country only
    std::string s = c.clean_text(
        R"({"type":"call.ended","ts":1,"attrs":{"remote_uri":"sip:+14165550100@h","remote_number":"+1 212 555 0100"}})");
    CHECK(s.find("remote_country") == s.rfind("remote_country"));
  }

  TEST_CASE("duplicate keys in input never produce duplicate output keys") {
    cleaner c;
    std::string s = c.clean_text(
        R"({"type":"feature.used","ts":1,"attrs":{"feature":"chat","feature":"video_call"}})");
    CHECK(s.find("\"feature\"") == s.rfind("\"feature\""));
  }

  TEST_CASE("arrays: frames keep named sub-fields, contacts are dropped whole") {
    cleaner c;
    json a = c.clean(R"({"type":"crash.report","ts":1,"attrs":{"signal":"SIGSEGV",
      "frames":[{"module":"libpjsua2.so","offset":"0x12574b","function":"f","line":12,"file":"/home/alice/src/a.c","vars":{"pw":"x"}}],
      "environment":{"HOME":"/home/alice","USER":"alice"},"memory_dump":"QUJD"}})")["attrs"];
    REQUIRE(a["frames"].is_array());
    json f = a["frames"][0];
    CHECK(f["module"] == "libpjsua2.so");
    CHECK(f["offset"] == "0x12574b");
    CHECK(f["line"] == 12);
    CHECK(f["file"].get<std::string>().find("alice") == std::string::npos);
    CHECK_FALSE(f.contains("vars"));
    CHECK_FALSE(a.contains("environment"));
    CHECK_FALSE(a.contains("memory_dump"));
    json s =
        c.clean(R"({"type":"contacts.synced","ts":1,"attrs":{"contact_count":412,"source":"google",
      "contacts":[{"name":"Bob Jones","numbers":["+44 20 7946 0958"],"emails":["bob@example.com"]}]}})")
            ["attrs"];
    CHECK(s == json({{"contact_count_bucket", "250-500"}, {"source", "google"}}));
  }

  TEST_CASE("every field the event catalog marks PII is absent in every form") {
    cleaner c;
    struct item {
      const char* event;
      std::vector<std::string> pii;
    };
    std::vector<item> items = {
        {R"({"type":"app.started","ts":1,"attrs":{"app_version":"5.6.12","username":"alice.smith","email":"Alice.Smith@example.com","license_key":"VXL5-R2HT-8M6V-247N-R462","device_id":"aaa2082a1ac6fb25","install_id":"575abbbe-fec1-43e7-9f77-2f47033287af"}})",
         {"alice.smith", "Alice.Smith@example.com", "VXL5-R2HT-8M6V-247N-R462", "aaa2082a1ac6fb25",
          "575abbbe-fec1-43e7-9f77-2f47033287af"}},
        {R"({"type":"account.registered","ts":1,"attrs":{"sip_uri":"sip:alice.smith@sip.example.net","username":"alice.smith","auth_username":"alice.smith","password":"Zebra1980?","display_name":"João Carvalho","registrar_ip":"198.51.100.23","local_ip":"192.168.1.34","public_ip":"203.0.113.77"}})",
         {"alice.smith", "Zebra1980?", "João Carvalho", "198.51.100.23", "192.168.1.34",
          "203.0.113.77"}},
        {R"({"type":"network.changed","ts":1,"attrs":{"network_type":"wifi","ssid":"FRITZ!Box 7590 XY","bssid":"f0:18:98:43:89:bf","gateway_mac":"18:e8:29:8d:b7:a2","imsi":"262011234567890","iccid":"8949020000123456789","imei":"358754091234567","msisdn":"+4915112345678","local_ip":"10.0.0.157","public_ip":"2a01:5a8:e32d:6c98:831:4203:ea86:20b9"}})",
         {"FRITZ!Box 7590 XY", "f0:18:98:43:89:bf", "18:e8:29:8d:b7:a2", "262011234567890",
          "8949020000123456789", "358754091234567", "+4915112345678", "10.0.0.157",
          "2a01:5a8:e32d:6c98:831:4203:ea86:20b9"}},
        {R"({"type":"rating.submitted","ts":1,"attrs":{"stars":2,"email":"bob@example.org"}})",
         {"bob@example.org"}},
        {R"({"type":"chat.message_sent","ts":1,"attrs":{"body":"meet me at 5","recipient":"sip:carol@example.com","length":12}})",
         {"meet me at 5", "sip:carol@example.com"}},
        {R"({"type":"update.checked","ts":1,"attrs":{"url":"https://u:p4ss@upd.example.com/check?uid=89a1a8a9&token=92ea1462ba46db9f","server_ip":"104.21.33.47"}})",
         {"p4ss", "89a1a8a9", "92ea1462ba46db9f", "104.21.33.47"}},
    };
    for (auto& it : items) {
      std::string out = c.clean_text(it.event);
      REQUIRE_FALSE(out.empty());
      for (auto& p : it.pii) check_absent(out, p);
    }
  }
}

TEST_SUITE("policy") {
  TEST_CASE("context fields: a dropped display name is removed from the same event's free text") {
    cleaner c;
    json a = c.clean(
        R"({"type":"account.registered","ts":1,"attrs":{"display_name":"Kwame Mensah","username":"kmensah",
      "error_text":"account of Kwame Mensah (kmensah) locked; kwame retried; Mensahs and xkmensah unaffected"}})")
                 ["attrs"];
    std::string t = a["error_text"];
    // Default deny replaces the unknown words itself; the context flag adds nothing here but
    // must not break the text.
    CHECK(t == "account of <user> <user> (<id>) locked; <id> retried; Mensahs and <id> unaffected");
    // without the context flag nothing is learned
    auto p = veil::test::compile_or_die(
        R"({"categories":["usage"],"events":{"account.registered":{"category":"usage",
      "fields":{"display_name":"drop","error_text":"text"}}}})");
    cleaner plain(p);
    json b = plain.clean(
        R"({"type":"account.registered","ts":1,"attrs":{"display_name":"Kwame Mensah","error_text":"hi Kwame"}})")
                 ["attrs"];
    CHECK(b["error_text"] == "hi <user>");  // default deny, not the context
  }

  TEST_CASE("context terms ignore common words and short numbers") {
    veil::detail::context_terms t;
    t.add_value("Home Office");
    t.add_value("42");
    t.add_value("Zoë Ångström");
    std::string out;
    CHECK(t.redact("home office 42 Zoë called Ångström", out) == 2);
    CHECK(out == "home office 42 <user> called <user>");
  }
}
