#include <doctest/doctest.h>

#include <chrono>

#include "agent/upload/http_status.hpp"

using namespace veil::detail;
using namespace std::chrono_literals;

TEST_SUITE("upload") {
  TEST_CASE("http policy: endpoint parsing") {
    auto a = parse_endpoint("https://collector.example.com");
    REQUIRE(a.ok());
    CHECK(a->tls);
    CHECK(a->host == "collector.example.com");
    CHECK(a->port == 443);
    CHECK(a->target == "/v1/logs");
    CHECK(a->host_header == "collector.example.com");
    auto b = parse_endpoint("http://127.0.0.1:4318/otlp/");
    REQUIRE(b.ok());
    CHECK_FALSE(b->tls);
    CHECK(b->port == 4318);
    CHECK(b->target == "/otlp/v1/logs");
    CHECK(b->host_header == "127.0.0.1:4318");
    auto c = parse_endpoint("https://[::1]:8443");
    REQUIRE(c.ok());
    CHECK(c->host == "::1");
    CHECK(c->host_header == "[::1]:8443");
    CHECK_FALSE(parse_endpoint("ftp://x").ok());
    CHECK_FALSE(parse_endpoint("https://user:pw@x").ok());
    CHECK_FALSE(parse_endpoint("https://x:0").ok());
    CHECK_FALSE(parse_endpoint("https://x:70000").ok());
    CHECK_FALSE(parse_endpoint("https://x/p?q=1").ok());
    CHECK_FALSE(parse_endpoint("https://").ok());
  }

  TEST_CASE("http policy: status mapping") {
    const auto now = std::chrono::system_clock::now();
    auto cls = [&](int s) { return classify_http_status(s, "", "", now).result; };
    for (int s : {200, 202, 204}) CHECK(cls(s) == upload_result::ok);
    for (int s : {408, 429, 500, 502, 503, 504, 301, 307})
      CHECK(cls(s) == upload_result::retry_later);
    for (int s : {400, 401, 403, 404, 415, 422}) CHECK(cls(s) == upload_result::rejected);
    CHECK(cls(413) == upload_result::too_large);
    auto r = classify_http_status(429, "Too Many Requests", "17", now);
    CHECK(r.retry_after == 17s);
    CHECK(r.reason == "http 429 Too Many Requests");
    CHECK_FALSE(
        classify_http_status(400, "", "17", now).retry_after);  // only meaningful when retrying
  }
}
