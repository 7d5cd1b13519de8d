// The agent against the scriptable HTTP(S) server: real http_uploader, TLS verified with the
// test CA, a retry after a 503. One of the Beast TUs of the tests.
#include <utility>  // before asio (Boost 1.74 + GCC 12)

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "agent/wire/otlp_decoder.hpp"
#include "support/test_http_server.hpp"
#include "test_util.hpp"
#include "veil/agent.hpp"

using namespace std::chrono_literals;
using veil::status;

namespace {
std::string committed_dict() {
  std::ifstream in(VEIL_SOURCE_DIR "/config/zstd.dict", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
veil::agent_options http_options(const veil_test::temp_dir& dir, const std::string& url) {
  veil::agent_options o;
  o.policy_file = VEIL_SOURCE_DIR "/config/policy.json";
  o.state_dir = (dir.path / "state").string();
  o.upload.endpoint = url;
  o.upload.dictionary_file = VEIL_SOURCE_DIR "/config/zstd.dict";
  o.upload.connect_timeout = 2s;
  o.upload.io_timeout = 2s;
  o.upload.backoff_floor = 10ms;
  o.upload.backoff_cap = 20ms;
  o.upload.max_attempts_per_minute = 100;
  o.batch.max_age = 1h;
  o.storage.sync_each_append = false;
  o.consent_granted_by_default = {"usage"};
  return o;
}
}  // namespace

TEST_SUITE("agent") {
  TEST_CASE("https: batches reach the server, verified with the test CA; a 503 is retried") {
    auto pki = veil::test::make_test_pki("agent");
    veil::test::test_http_server srv(pki.get(), committed_dict());
    srv.push(veil::test::scripted_reply::status_only(503));
    veil_test::temp_dir dir;
    auto o = http_options(dir, srv.url());
    o.upload.ca_file = pki->ca_cert;
    o.upload.api_key = "secret-key";
    veil::failure f;
    auto a = veil::agent::open(o, &f);
    REQUIRE_MESSAGE(a, f.message);
    for (int i = 0; i < 3; ++i)
      REQUIRE(a->record("feature.used", R"({"feature":"chat"})") == status::ok);
    REQUIRE(a->flush(10s) == status::ok);
    auto reqs = srv.requests();
    REQUIRE(reqs.size() == 2);  // the 503, then the retry
    CHECK(reqs[0].header("idempotency-key").size() == 32);
    CHECK(reqs[0].header("idempotency-key") ==
          reqs[1].header("idempotency-key"));  // same batch, same id
    CHECK(reqs[1].header("authorization") == "Bearer secret-key");
    CHECK(reqs[1].header("content-encoding") == "zstd");
    REQUIRE_MESSAGE(reqs[1].decode_error.empty(), reqs[1].decode_error);
    auto d = veil::detail::otlp_decoder{}.decode(reqs[1].decoded);
    REQUIRE(d.ok());
    CHECK(d->events.size() == 3);
    CHECK(srv.tls_failures() == 0);
  }

  TEST_CASE("https: a server the CA does not vouch for gets nothing") {
    auto pki = veil::test::make_test_pki("agent_other");
    veil::test::test_http_server srv(pki.get(), committed_dict());
    veil_test::temp_dir dir;
    auto o = http_options(dir, srv.url());  // system roots only: the test CA is not trusted
    o.upload.backoff_floor = 5s;            // one attempt within the test
    o.upload.backoff_cap = 10s;
    auto a = veil::agent::open(o);
    REQUIRE(a);
    REQUIRE(a->record("feature.used", R"({"feature":"chat"})") == status::ok);
    CHECK(a->flush(300ms) == status::timeout);
    CHECK(srv.requests().empty());
    CHECK(srv.tls_failures() >= 1);
    CHECK(a->close(100ms) == status::timeout);  // still unsent: it stays in the spool
  }
}
