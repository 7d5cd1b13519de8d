#include <doctest/doctest.h>

#include <string>

#include "agent/core/event_parser.hpp"
#include "agent/core/time_util.hpp"

using namespace veil::detail;

TEST_SUITE("core") {
  TEST_CASE("rfc3339 parse and format") {
    CHECK(parse_rfc3339_ms("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_rfc3339_ms("2026-11-29T10:15:07.123Z") == 1795947307123LL);
    CHECK(parse_rfc3339_ms("2026-11-29T12:15:07.123+02:00") == 1795947307123LL);
    CHECK(parse_rfc3339_ms("2026-11-29t10:15:07.123z") == 1795947307123LL);
    CHECK_FALSE(parse_rfc3339_ms("2026-11-29 10:15"));
    CHECK_FALSE(parse_rfc3339_ms("2026-02-30T00:00:00Z"));
    CHECK_FALSE(parse_rfc3339_ms("2026-11-29T25:00:00Z"));
    CHECK_FALSE(parse_rfc3339_ms("2026-11-29T10:15:07"));  // no zone
    CHECK_FALSE(parse_rfc3339_ms("2026-11-29T10:15:07Zjunk"));
    CHECK(format_rfc3339(coarsen_ms(1795947307123LL, ts_granularity::hour)) ==
          "2026-11-29T10:00:00Z");
    CHECK(format_rfc3339(coarsen_ms(1795947307123LL, ts_granularity::day)) ==
          "2026-11-29T00:00:00Z");
    CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  }

  TEST_CASE("event parser accepts the envelope forms") {
    event_parser p;
    raw_event ev;
    parse_failure f;
    SUBCASE("rfc3339") {
      REQUIRE(p.parse(R"({"type":"call.ended","ts":"2026-11-29T10:15:07.123Z","attrs":{"a":1}})",
                      ev, f));
      CHECK(ev.type == "call.ended");
      CHECK(ev.ts_ms == 1795947307123LL);
      CHECK(ev.has_attrs);
    }
    SUBCASE("epoch ms as number and as string") {
      REQUIRE(p.parse(R"({"type":"x.y","ts":1795947307123,"attrs":{}})", ev, f));
      CHECK(ev.ts_ms == 1795947307123LL);
      REQUIRE(p.parse(R"({"type":"x.y","ts":"1795947307123"})", ev, f));
      CHECK(ev.ts_ms == 1795947307123LL);
      CHECK_FALSE(ev.has_attrs);
    }
    SUBCASE("trailing CRLF and extra envelope keys are fine") {
      REQUIRE(p.parse("{\"type\":\"a.b\",\"ts\":1,\"attrs\":null,\"extra\":\"x\"}\r\n", ev, f));
      CHECK(ev.type == "a.b");
    }
  }

  TEST_CASE("event parser rejects bad input with a reason") {
    event_limits lim;
    lim.max_event_bytes = 4096;
    lim.max_depth = 4;
    lim.max_string_bytes = 64;
    lim.max_array_items = 8;
    event_parser p(lim);
    raw_event ev;
    parse_failure f;
    auto rejects = [&](std::string_view in, drop_reason r) {
      CAPTURE(in);
      CHECK_FALSE(p.parse(in, ev, f));
      CHECK(f.reason == r);
      CHECK_FALSE(f.message.empty());
    };
    rejects("{not json", drop_reason::parse_error);
    rejects("", drop_reason::parse_error);
    rejects("[1,2]", drop_reason::bad_envelope);
    rejects(R"({"ts":1,"attrs":{}})", drop_reason::bad_envelope);
    rejects(R"({"type":5,"ts":1})", drop_reason::bad_envelope);
    rejects(R"({"type":"a b","ts":1})", drop_reason::bad_envelope);
    rejects(R"({"type":"a.b"})", drop_reason::bad_envelope);
    rejects(R"({"type":"a.b","ts":"yesterday"})", drop_reason::bad_envelope);
    rejects(R"({"type":"a.b","ts":-5})", drop_reason::bad_envelope);
    rejects(R"({"type":"a.b","ts":true})", drop_reason::bad_envelope);
    rejects(R"({"type":"a.b","ts":1,"attrs":[1]})", drop_reason::bad_envelope);
    rejects("{\"type\":\"a.b\",\"ts\":1,\"attrs\":{\"x\":\"\xff\xfe\"}}",
            drop_reason::invalid_utf8);
    rejects(R"({"type":"a.b","ts":1,"attrs":{"a":{"b":{"c":{"d":{"e":{}}}}}}})",
            drop_reason::too_deep);
    rejects(R"({"type":"a.b","ts":1,"attrs":{"s":")" + std::string(65, 'x') + "\"}}",
            drop_reason::limit_exceeded);
    rejects(R"({"type":"a.b","ts":1,"attrs":{"a":[1,2,3,4,5,6,7,8,9]}})",
            drop_reason::limit_exceeded);
    rejects(std::string(5000, ' '), drop_reason::too_large);
    // messages never echo input values
    CHECK_FALSE(p.parse(R"({"type":"a.b","ts":"alice@example.com"})", ev, f));
    CHECK(f.message.find("alice") == std::string::npos);
    // the parser is reusable after a failure
    CHECK(p.parse(R"({"type":"a.b","ts":1,"attrs":{"a":[1,2]}})", ev, f));
  }

  TEST_CASE("parse_parts for the record() API") {
    event_parser p;
    raw_event ev;
    parse_failure f;
    REQUIRE(p.parse_parts("call.ended", 42, R"({"codec":"opus"})", ev, f));
    CHECK(ev.type == "call.ended");
    CHECK(ev.ts_ms == 42);
    CHECK(p.parse_parts("app.started", 1, "", ev, f));
    CHECK_FALSE(ev.has_attrs);
    CHECK_FALSE(p.parse_parts("bad type!", 1, "{}", ev, f));
    CHECK(f.reason == drop_reason::bad_envelope);
    CHECK_FALSE(p.parse_parts("a.b", 1, "[]", ev, f));
    CHECK_FALSE(p.parse_parts("a.b", 1, "{", ev, f));
    CHECK(f.reason == drop_reason::parse_error);
  }
}
