// The simdjson OTLP decoder against the nlohmann decoder it replaced (tests/support/
// otlp_reference_decoder.hpp): same events, same stored attrs text, same errors with the same
// paths, on hand-made edge cases and on mutated requests. Also pins the cases where simdjson
// and nlohmann::json::parse differ and the decoder makes them agree (BOM, NUL, integers beyond
// 64 bits, duplicate keys), and the contract check on attrs text.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/collector/contract.hpp"
#include "agent/wire/otlp_decoder.hpp"
#include "agent/wire/otlp_encoder.hpp"
#include "support/otlp_reference_decoder.hpp"
#include "support_policy.hpp"

using namespace veil::detail;
using nlohmann::json;

namespace {

const std::string rec_open = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[)";
const std::string rec_close = "]}]}]}";

std::string one_record(const std::string& attributes) {
  return rec_open + R"({"eventName":"x.y","timeUnixNano":"1795946400000000000","attributes":[)" +
         attributes + "]}" + rec_close;
}

// Decodes with both decoders; CHECKs that they agree. Returns the new decoder's result.
veil::result<otlp_logs> both(std::string_view body, const otlp_decode_limits& lim = {}) {
  auto ref = reference::reference_decode(body, lim);
  auto got = otlp_decoder{lim}.decode(body);
  auto recs = otlp_decoder{lim}.decode_records(body);
  CHECK(got.ok() == ref.ok());
  CHECK(recs.ok() == ref.ok());
  if (ref.ok() && got.ok() && recs.ok()) {
    REQUIRE(got->events.size() == ref->events.size());
    REQUIRE(recs->records.size() == ref->events.size());
    for (std::size_t i = 0; i < ref->events.size(); ++i) {
      CHECK_MESSAGE(got->events[i] == ref->events[i], got->events[i].dump()
                                                          << " vs " << ref->events[i].dump());
      // The text the sinks store is byte for byte what the old path stored (attrs.dump()).
      CHECK(recs->records[i].attrs_json == ref->events[i]["attrs"].dump());
    }
    CHECK(got->resource == ref->resource);
    CHECK(recs->resource_json == ref->resource.dump());
    const auto it = ref->resource.find("veil.install");
    const bool ref_install = it != ref->resource.end() && it->is_string();
    CHECK(recs->install.has_value() == ref_install);
    if (ref_install && recs->install) CHECK(*recs->install == it->get<std::string>());
  } else if (!ref.ok() && !got.ok() && !recs.ok()) {
    CHECK(got.err().code == ref.err().code);
    CHECK(got.err().message == ref.err().message);
    CHECK(recs.err().message == ref.err().message);
  }
  return recs;
}

}  // namespace

TEST_SUITE("upload") {
  TEST_CASE("otlp decoder: attrs are written as canonical JSON text") {
    auto r = both(one_record(
        R"({"key":"zeta","value":{"intValue":"7"}},{"key":"alpha","value":{"doubleValue":87}},)"
        R"({"key":"mid","value":{"kvlistValue":{"values":[{"key":"b","value":{"boolValue":false}},{"key":"a","value":null}]}}},)"
        R"({"key":"arr","value":{"arrayValue":{"values":[{"doubleValue":4.1},{"stringValue":"q\"\\\n\u0001\u007f"},{}]}}},)"
        R"({"key":"veil.category","value":{"stringValue":"usage"}},{"key":"event.name","value":{"stringValue":"ignored"}})"));
    REQUIRE(r.ok());
    REQUIRE(r->records.size() == 1);
    const auto& rec = r->records[0];
    CHECK(rec.type == "x.y");  // eventName wins over the attribute
    CHECK(rec.category == "usage");
    CHECK(rec.has_category);
    CHECK(rec.time_ns == 1795946400000000000LL);
    CHECK(rec.attrs_json ==
          "{\"alpha\":87.0,\"arr\":[4.1,\"q\\\"\\\\\\n\\u0001\x7f\",null],\"mid\":{\"a\":null,"
          "\"b\":false},\"zeta\":7}");
  }

  TEST_CASE("otlp decoder: unicode escapes, invalid UTF-8 and control characters") {
    auto r = both(one_record(R"({"key":"s","value":{"stringValue":"\u00e9\ud83d\ude00\/"}})"));
    REQUIRE(r.ok());
    CHECK(r->records[0].attrs_json ==
          "{\"s\":\"\xC3\xA9\xF0\x9F\x98\x80/\"}");  // stored as UTF-8, '/' unescaped
    for (const std::string bad_string :
         {R"(\ud800)", R"(\udc00x)", R"(\ud800\u0041)", "\xC0\xAF", "\xED\xA0\x80", "a\x01"}) {
      auto e = both(one_record(R"({"key":"s","value":{"stringValue":")" + bad_string + R"("}})"));
      REQUIRE_FALSE(e.ok());
      CHECK(e.err().message == "request: not valid JSON");
    }
    // A NUL escape is a character like any other; it is written back escaped.
    auto z = both(one_record(R"({"key":"s","value":{"stringValue":"a\u0000b"}})"));
    REQUIRE(z.ok());
    CHECK(z->records[0].attrs_json == R"({"s":"a\u0000b"})");
  }

  TEST_CASE("otlp decoder: numbers at and beyond 64 bits") {
    auto r = both(one_record(
        R"({"key":"a","value":{"intValue":9223372036854775807}},{"key":"b","value":{"intValue":"-9223372036854775808"}},)"
        R"({"key":"c","value":{"doubleValue":100000000000000000000}},{"key":"d","value":{"doubleValue":-0.0}},)"
        R"({"key":"e","value":{"doubleValue":1e-7}},{"key":"f","value":{"intValue":-0}},{"key":"g","value":{"doubleValue":1E2}})"));
    REQUIRE(r.ok());
    // A JavaScript exporter writes 1e20 as 100000000000000000000: still a double.
    CHECK(
        r->records[0].attrs_json ==
        R"({"a":9223372036854775807,"b":-9223372036854775808,"c":1e+20,"d":-0.0,"e":1e-07,"f":0,"g":100.0})");
    const char* not_int64[] = {"9223372036854775808",
                               "18446744073709551616",
                               "99999999999999999999",
                               "-9223372036854775809",
                               "1.0",
                               "1e3",
                               "\"1.0\"",
                               "\"+1\"",
                               "\" 1\"",
                               "\"\"",
                               "true"};
    for (const char* v : not_int64) {
      CAPTURE(v);
      auto e = both(one_record(std::string(R"({"key":"k","value":{"intValue":)") + v + "}}"));
      REQUIRE_FALSE(e.ok());
      CHECK(e.err().message.find("attributes[0].value: intValue is not a 64-bit integer") !=
            std::string::npos);
    }
    for (const char* v :
         {"1e999", "-1e400", "123456789012345678901234567890e300"}) {  // overflow to infinity
      auto e = both(one_record(std::string(R"({"key":"k","value":{"doubleValue":)") + v + "}}"));
      REQUIRE_FALSE(e.ok());
      CHECK(e.err().message == "request: not valid JSON");
    }
    // Big integers inside strings are left alone; the widening only touches number tokens.
    auto s = both(one_record(
        R"({"key":"k","value":{"stringValue":"100000000000000000000"}},{"key":"n","value":{"doubleValue":100000000000000000000}})"));
    REQUIRE(s.ok());
    CHECK(s->records[0].attrs_json == R"({"k":"100000000000000000000","n":1e+20})");
    // timeUnixNano as a number beyond int64, and a leading zero, are refused as before.
    (void)both(rec_open + R"({"eventName":"x","timeUnixNano":99999999999999999999})" + rec_close);
    (void)both(rec_open + R"({"eventName":"x","timeUnixNano":0123})" + rec_close);
  }

  TEST_CASE("otlp decoder: duplicate keys keep the last value, as nlohmann's parser did") {
    auto r = both(one_record(
        R"({"key":"k","value":{"stringValue":"first"}},{"key":"k","value":{"stringValue":"second"}},)"
        R"({"key":"a","key":"b","value":{"intValue":1},"value":{"intValue":2}},)"
        R"({"key":"s","value":{"stringValue":"x","stringValue":"y"}},)"
        R"({"key":"veil.category","value":{"stringValue":"a"}},{"key":"veil.category","value":{"intValue":3}})"));
    REQUIRE(r.ok());
    CHECK(r->records[0].attrs_json == R"({"b":2,"k":"second","s":"y"})");
    CHECK_FALSE(r->records[0].has_category);  // the last veil.category is not a string
    // Envelope keys too: the second resourceLogs array wins.
    auto e = both(
        R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"eventName":"a","timeUnixNano":"1"}]}]}],)"
        R"("resourceLogs":[{"resource":{"attributes":[{"key":"veil.install","value":{"stringValue":"i1"}}]},)"
        R"("scopeLogs":[{"logRecords":[{"eventName":"b","eventName":"c","timeUnixNano":"2","timeUnixNano":"3"}]}]}]})");
    REQUIRE(e.ok());
    REQUIRE(e->records.size() == 1);
    CHECK(e->records[0].type == "c");
    CHECK(e->records[0].time_ns == 3);
    CHECK(e->install == std::optional<std::string>("i1"));
    // Two different fields in one AnyValue stay an error.
    auto two = both(
        one_record(R"({"key":"s","value":{"stringValue":"x","intValue":"1","stringValue":"y"}})"));
    REQUIRE_FALSE(two.ok());
    CHECK(two.err().message.find("exactly one field") != std::string::npos);
  }

  TEST_CASE("otlp decoder: BOM, NUL and trailing bytes as nlohmann::json::parse treated them") {
    const std::string body = rec_open + R"({"eventName":"x","timeUnixNano":"1"})" + rec_close;
    CHECK(both("\xEF\xBB\xBF" + body).ok());               // a UTF-8 BOM is skipped
    CHECK_FALSE(both("\xEF\xBB" + body).ok());             // half a BOM is not
    CHECK(both(body + std::string("\0garbage", 8)).ok());  // a NUL ends the input
    CHECK_FALSE(both(body.substr(0, 20) + std::string("\0", 1) + body.substr(20)).ok());
    CHECK_FALSE(both(body + " x").ok());
    CHECK_FALSE(both(body + body).ok());
    CHECK(both(" \r\n\t" + body + "\n").ok());
  }

  TEST_CASE("otlp decoder: resource attributes merge across resourceLogs, later wins") {
    auto r = both(
        R"({"resourceLogs":[)"
        R"({"resource":{"attributes":[{"key":"veil.install","value":{"stringValue":"first"}},{"key":"a","value":{"intValue":1}}]}},)"
        R"({"resource":{"attributes":[{"key":"b","value":{"boolValue":true}}]},"scopeLogs":[{"logRecords":[{"eventName":"x","timeUnixNano":"1"}]}]},)"
        R"({"resource":{"attributes":[{"key":"a","value":{"stringValue":"z"}}]}}]})");
    REQUIRE(r.ok());
    CHECK(r->resource_json == R"({"a":"z","b":true,"veil.install":"first"})");
    CHECK(r->install == std::optional<std::string>("first"));
    auto n = both(
        R"({"resourceLogs":[{"resource":{"attributes":[{"key":"veil.install","value":{"stringValue":"first"}}]}},)"
        R"({"resource":{"attributes":[{"key":"veil.install","value":{"intValue":5}}]}}]})");
    REQUIRE(n.ok());
    CHECK_FALSE(n->install.has_value());  // the merged value is not a string
  }

  TEST_CASE("otlp decoder: errors carry the same JSON paths") {
    const std::string nested = one_record(
        R"({"key":"ok","value":{"stringValue":"x"}},{"key":"m","value":{"kvlistValue":{"values":[{"key":"a","value":{"arrayValue":{"values":[{"intValue":"1"},{"boolValue":"no"}]}}}]}}})");
    auto e = both(nested);
    REQUIRE_FALSE(e.ok());
    CHECK(e.err().message ==
          "resourceLogs[0].scopeLogs[0].logRecords[0].attributes[1].value.kvlistValue.values[0]."
          "value.arrayValue.values[1]: "
          "boolValue is not a boolean");
    otlp_decode_limits small;
    small.max_attributes = 3;
    (void)both(
        one_record(
            R"({"key":"a","value":{"arrayValue":{"values":[{"intValue":1},{"intValue":2},{"intValue":3}]}}})"),
        small);
    (void)both(
        one_record(
            R"({"key":"a","value":{"kvlistValue":{"values":[{"key":"b"},{"key":"c"},{"key":"d"}]}}})"),
        small);
    (void)both(rec_open + R"(1,{"eventName":"x","timeUnixNano":"1"})" + rec_close);
    (void)both(R"({"resourceLogs":[{"scopeLogs":{}}]})");
    (void)both(R"({"resourceLogs":[{"scopeLogs":[7]}]})");
    (void)both(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":"x"}]}]})");
    (void)both(R"({"resourceLogs":[{"resource":{"attributes":{}}}]})");
    (void)both(R"({"resourceLogs":[{"resource":[],"scopeLogs":[]}]})");
    (void)both(one_record(R"({"key":"k","value":{"kvlistValue":{"values":{}}}})"));
    (void)both(one_record(R"({"key":"k","value":{"kvlistValue":[]}})"));
    (void)both(one_record(R"({"key":"k","value":{"arrayValue":{"values":3}}})"));
    (void)both(one_record(R"({"key":"k","value":{"bytesValue":3}})"));
    (void)both(one_record(R"({"key":"k","value":[]})"));
    (void)both(one_record(R"({"key":"event.name","value":{"intValue":1}})"));
  }

  TEST_CASE("otlp decoder: nesting at the depth limit, valid or not, as the pre-scan decided") {
    // decode_records leaves the depth limit of a valid request to simdjson (a parser allocated
    // with depth P accepts P brackets when the innermost is empty, P-1 otherwise) and falls back
    // to the bracket pre-scan on any parse failure. Pin both boundaries against the reference:
    // every nesting from max_depth-3 to max_depth+2, empty or not innermost, arrays and AnyValue
    // objects, valid and followed by a syntax error, with a NUL cut and with a big integer.
    int refused = 0, passed = 0;
    for (std::size_t max : {std::size_t{16}, std::size_t{64}}) {
      otlp_decode_limits lim;
      lim.max_depth = max;
      // The envelope of one_record() and the attribute's {"key":..,"value":{"x": take 10 brackets,
      // the value below `extra`: 10 + extra runs from max-3 to max+2.
      for (std::size_t extra = max - 13; extra <= max - 8; ++extra) {
        for (int kind = 0; kind < 4; ++kind) {
          std::string v;
          if (kind == 0) v = "[]";
          else if (kind == 1) v = "[1]";
          else if (kind == 2) v = "{}";
          else v = R"({"a":1})";
          std::string open, close;
          for (std::size_t i = 1; i < extra; ++i) {
            open += "[";
            close += "]";
          }
          const std::string deep_value = open + v + close;
          const std::string attr = R"({"key":"k","value":{"x":)" + deep_value + "}}";
          CAPTURE(max);
          CAPTURE(extra);
          CAPTURE(kind);
          auto r = both(one_record(attr), lim);
          if (!r.ok() && r.err().code == veil::errc::limit_exceeded) ++refused;
          else ++passed;
          (void)both(one_record(attr) + ",", lim);  // syntax error after the deep part
          (void)both(one_record(attr) + std::string(1, '\0') + "[[[[", lim);
          (void)both(
              one_record(R"({"key":"n","value":{"intValue":100000000000000000000}},)" + attr), lim);
        }
      }
      // Exactly at the limit through AnyValue nesting: values arrays two brackets apart.
      for (std::size_t n = 0; n < 20; ++n) {
        std::string any = R"({"kvlistValue":{"values":[]}})";
        for (std::size_t i = 0; i < n; ++i) any = R"({"arrayValue":{"values":[)" + any + "]}}";
        CAPTURE(n);
        (void)both(one_record(R"({"key":"a","value":)" + any + "}"), lim);
      }
    }
    // Per limit: nesting max+1 and max+2 refused in all four kinds, max-3 .. max accepted in all
    // four (at max the non-empty kinds take the fallback parser), as the bracket pre-scan decided.
    CHECK(refused == 2 * 2 * 4);
    CHECK(passed == 2 * 4 * 4);
  }

  TEST_CASE("otlp decoder: mutated requests decode exactly as with the nlohmann decoder") {
    std::vector<std::string> lines = {
        R"({"type":"call.ended","ts":"2026-11-29T10:00:00Z","category":"call_quality","attrs":{"codec":"opus","srtp":true,"mos":4.23,"rtt_ms":55,"neg":-7,"big":9223372036854775807,"nested":{"a":[1,"x",{"b":null}],"c":{}},"empty":[],"u":"\u00e9\"\\"}})",
        R"({"type":"app.started","ts":"2026-11-29T10:00:01.25Z","category":"usage","attrs":{"z":1,"a":2.5e-8}})",
    };
    const auto valid =
        otlp_encoder({"softphone", "5.6.12", "linux"}, "Vx3kQ9pL0aTz7bWc2RmN5yHf8JdG1sKe4uIo6qPvXw")
            .encode(lines);
    REQUIRE(valid.ok());
    const std::string seeds[] = {
        valid->body,
        one_record(
            R"({"key":"k","value":{"stringValue":"a"}},{"key":"k","value":{"doubleValue":100000000000000000000}})")};
    static const char alphabet[] = "{}[]\",:0123456789-.eE\\ abtrufnl\x00\xc3\xa9";
    unsigned x = 4242;
    auto next = [&x] { return x = x * 1103515245u + 12345u, x >> 8; };
    std::size_t ok = 0, failed = 0;
    for (int i = 0; i < 4000; ++i) {
      std::string m = seeds[i % 2];
      const int edits = 1 + static_cast<int>(next() % 3);
      for (int e = 0; e < edits; ++e) {
        const std::size_t pos = next() % m.size();
        switch (next() % 5) {
          case 0: m[pos] = alphabet[next() % (sizeof alphabet - 1)]; break;
          case 1: m.erase(pos, 1 + next() % 8); break;
          case 2: m.insert(pos, 1, alphabet[next() % (sizeof alphabet - 1)]); break;
          case 3:
            m.insert(pos, m.substr(next() % m.size(), 1 + next() % 40));
            break;  // duplicate a span
          default: m.insert(pos, "9999999999999999999"); break;
        }
        if (m.empty()) m = "{";
      }
      auto r = both(m);
      (r.ok() ? ok : failed)++;
    }
    MESSAGE("mutations: " << ok << " decoded, " << failed << " rejected");
    CHECK(ok > 100);
    CHECK(failed > 100);
  }
}

TEST_SUITE("policy") {
  TEST_CASE("contract: check_json on attrs text agrees with check on the tree") {
    contract k(veil::test::default_policy());
    const std::pair<const char*, const char*> cases[] = {
        {"call.ended", R"({"remote_number":"+4930123"})"},
        {"call.ended", R"({"call_id":"5f0c6d1e-1111-4a2b-9c3d-123456789abc"})"},
        {"call.ended",
         R"({"call_id":"0123456789abcdef0123456789abcdef","public_net":"203.0.113.0/24"})"},
        {"call.ended", R"({"public_net":"203.0.113.77"})"},
        {"call.ended", R"({"remote_country":"Germany"})"},
        {"call.ended", R"({"duration_bucket":"187"})"},
        {"call.ended",
         R"({"duration_bucket":"180-600","remote_country":"DE","public_net":"2001:db8:1::/48"})"},
        {"call.ended", R"({"geo":{"lat":52.520008,"lon":13.4}})"},
        {"call.ended", R"({"geo":{"lat":52.52,"lon":13.4}})"},
        {"call.ended", R"({"geo":{"lat":52.52,"lon":13.4,"x":1}})"},
        {"call.ended", R"({"geo":{"lat":"52.52","lon":13.4}})"},
        {"call.ended", R"({"carrier":{"mcc":"262","imsi":"262011234567890"}})"},
        {"call.ended", R"({"carrier":{"mcc":"262","mnc":["01",2]}})"},
        {"call.ended", R"({"remote_domain":"alice@h"})"},
        {"call.ended", R"({"mos":4.1,"mos_x":1})"},
        {"call.ended", R"({"mos":[4.1,"x"]})"},
        {"update.checked", R"({"url":"https://h/p?token=1"})"},
        {"update.checked", R"({"url":"https://u@h/p"})"},
        {"log.line", R"({"message":"mail alice@example.com"})"},
        {"log.line", R"({"message":"fine","level":7})"},
        {"app.started", R"({"device_model":"call +49 30 1234567"})"},
        {"crash.report",
         R"({"signal":"SIGSEGV","frames":[{"module":"m","line":3,"file":"/home/<user>/a.c"}],"breadcrumbs":["ok"]})"},
        {"location.updated", R"({"lat":48.14,"lon":11.58,"accuracy_m":5})"},
        {"location.updated", R"({"lat":48.137154})"},
        {"contacts.synced", R"({"contact_count":"3","source":true})"},
    };
    for (const auto& [type, attrs] : cases) {
      CAPTURE(attrs);
      const json tree = json::parse(attrs);
      const auto cat = veil::test::default_policy()->find(type)->category;
      CHECK(k.check_json(type, cat, tree.dump()) == k.check(type, cat, tree));
      CHECK(k.check_json(type, cat, attrs) == k.check(type, cat, tree));
    }
    CHECK(k.check_json("call.ended", "call_quality", "[1]") == "attrs:not_object");
    CHECK(k.check_json("call.ended", "call_quality", "{") == "attrs:not_object");
    CHECK(k.check_json("debug.dump", "usage", "{") == "type:unknown");
    CHECK(k.check_json("call.ended", "usage", "{}") == "category:mismatch");
  }
}
