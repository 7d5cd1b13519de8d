// The agent runtime end to end inside the process: record() -> worker -> spool -> upload, with
// instrumented doubles (memory_uploader, a gated uploader) and injected clocks: no sleeping, no
// mocks.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "agent/api/agent_access.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_decoder.hpp"
#include "test_util.hpp"
#include "veil/agent.hpp"

using namespace std::chrono_literals;
using veil::status;
using veil::detail::agent_access;
using veil::detail::agent_hooks;
using veil::detail::memory_uploader;
using veil::detail::upload_batch;
using veil::detail::upload_response;
using veil::detail::upload_result;

namespace {

std::string committed_dict() {
  std::ifstream in(VEIL_SOURCE_DIR "/config/zstd.dict", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

veil::agent_options base_options(const veil_test::temp_dir& dir) {
  veil::agent_options o;
  o.policy_file = VEIL_SOURCE_DIR "/config/policy.json";
  o.state_dir = (dir.path / "state").string();
  o.upload.dictionary_file = VEIL_SOURCE_DIR "/config/zstd.dict";
  o.batch.max_age = 1h;  // tests decide when to send (flush), not the age timer
  o.storage.sync_each_append = false;
  o.resource.service_name = "softphone";
  o.resource.app_version = "5.6.12";
  return o;
}

std::unique_ptr<veil::agent> open_or_die(veil::agent_options o, agent_hooks h = {}) {
  veil::failure f;
  auto a = agent_access::open(std::move(o), std::move(h), &f);
  REQUIRE_MESSAGE(a, f.message);
  return a;
}

// Every event the server got, decoded, plus the resource attributes of each batch.
struct received {
  std::vector<nlohmann::json> events;
  std::vector<nlohmann::json> resources;
};
received decode_all(const std::vector<upload_batch>& batches) {
  auto codec = veil::detail::batch_codec::create({}, committed_dict());
  REQUIRE(codec.ok());
  received r;
  for (const auto& b : batches) {
    auto plain = codec->decompress(b.body);
    REQUIRE_MESSAGE(plain.ok(), plain.err().message);
    auto d = veil::detail::otlp_decoder{}.decode(*plain);
    REQUIRE_MESSAGE(d.ok(), d.err().message);
    for (auto& e : d->events) r.events.push_back(e);
    r.resources.push_back(d->resource);
  }
  return r;
}

// Polls (1 ms steps) until `pred` holds or 10 s pass; the machine may be busy with builds.
template <class Pred>
bool wait_until(Pred pred) {
  for (int i = 0; i < 10000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return pred();
}

nlohmann::json stats(const veil::agent& a) { return nlohmann::json::parse(a.stats_json()); }

const char* call_attrs =
    R"({"call_id":"3f1c2a9e-1111-2222-3333-444455556666","direction":"out","remote_number":"+49 30 1234567",)"
    R"("duration_s":75,"codec":"opus","rtt_ms":42,"debug_email":"alice@example.com"})";
const char* feature_attrs = R"({"feature":"chat"})";

// An uploader that blocks in send() until released, then answers `answer`.
class gated_uploader final : public veil::detail::uploader {
 public:
  upload_response send(const upload_batch& b) noexcept override {
    std::unique_lock lk(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lk, [&] { return open_ || cancelled_; });
    if (!open_) {  // cancel(): the send ends without reaching the server, as http_uploader's does
      cancelled_ = false;
      ++cancels_;
      return {upload_result::retry_later, std::nullopt, 0, "cancelled"};
    }
    batches_.push_back(b);
    return answer_;
  }
  void cancel() noexcept override {
    std::lock_guard lk(mu_);
    if (entered_ > batches_.size() + cancels_) cancelled_ = true;  // only a send in flight
    cv_.notify_all();
  }
  std::size_t cancels() {
    std::lock_guard lk(mu_);
    return cancels_;
  }
  void wait_entered(std::size_t n) {
    std::unique_lock lk(mu_);
    REQUIRE(cv_.wait_for(lk, 5s, [&] { return entered_ >= n; }));
  }
  void open(upload_response r = {upload_result::ok, std::nullopt, 200, {}}) {
    std::lock_guard lk(mu_);
    open_ = true;
    answer_ = std::move(r);
    cv_.notify_all();
  }
  void set_answer(upload_response r) {
    std::lock_guard lk(mu_);
    answer_ = std::move(r);
  }
  std::vector<upload_batch> batches() {
    std::lock_guard lk(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  bool cancelled_ = false;
  std::size_t entered_ = 0;
  std::size_t cancels_ = 0;
  upload_response answer_{upload_result::ok, std::nullopt, 200, {}};
  std::vector<upload_batch> batches_;
};

}  // namespace

TEST_SUITE("agent") {
  TEST_CASE("options: validate and load_config") {
    veil::agent_options o;
    CHECK(o.validate().has_value());  // no policy, no state dir
    o.policy_file = "p.json";
    o.state_dir = "/tmp/x";
    CHECK_FALSE(o.validate().has_value());
    o.queue.capacity = 0;
    CHECK(o.validate()->code == status::invalid_argument);

    veil::agent_options c;
    auto f = veil::load_config(VEIL_SOURCE_DIR "/config/agent.json", c);
    CHECK_FALSE_MESSAGE(f.has_value(), (f ? f->message : ""));
    CHECK(c.policy_file == std::string(VEIL_SOURCE_DIR) + "/config/policy.json");
    CHECK(c.upload.dictionary_file == std::string(VEIL_SOURCE_DIR) + "/config/zstd.dict");
    CHECK(c.batch.max_records == 500);
    CHECK(c.consent_granted_by_default.empty());

    veil::agent_options d;
    f = veil::load_config(
        R"({"policy_file":"x.json","state_dir":"/tmp/s","upload":{"endpont":"x"}})", d);
    REQUIRE(f.has_value());
    CHECK(f->code == status::config_invalid);
    CHECK(f->message.find("$.upload.endpont: unknown key") != std::string::npos);
    f = veil::load_config(
        R"({"policy_file":"x.json","state_dir":"/tmp/s","queue":{"overflow":"drop_oldest","capacity":8}})",
        d);
    CHECK_FALSE(f.has_value());
    CHECK(d.queue.on_full == veil::overflow::drop_oldest);
    CHECK(d.queue.capacity == 8);
    f = veil::load_config("{not json", d);
    CHECK(f->code == status::config_invalid);
  }

  TEST_CASE("open fails with a message naming what is wrong") {
    veil_test::temp_dir dir;
    auto o = base_options(dir);
    o.policy_file = "/nonexistent/policy.json";
    veil::failure f;
    CHECK(veil::agent::open(o, &f) == nullptr);
    CHECK(f.code == status::policy_invalid);
    CHECK(f.message.find("/nonexistent/policy.json") != std::string::npos);
    // A second agent on the same state directory is refused (the spool is locked).
    auto a = open_or_die(base_options(dir));
    CHECK(veil::agent::open(base_options(dir), &f) == nullptr);
    CHECK(f.code == status::unavailable);
  }

  TEST_CASE("recorded events are cleaned, spooled, batched and uploaded") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<memory_uploader>();
    auto a = open_or_die(base_options(dir), {up, {}, {}, {}});
    REQUIRE(a->set_consent("call_quality", true) == status::ok);
    REQUIRE(a->set_consent("usage", true) == status::ok);
    for (int i = 0; i < 20; ++i) CHECK(a->record("call.ended", call_attrs) == status::ok);
    CHECK(a->record("feature.used", feature_attrs) == status::ok);
    CHECK(a->record("no.such.type", "{}") == status::ok);         // dropped by policy
    CHECK(a->record("feature.used", "{not json") == status::ok);  // dropped by the parser
    REQUIRE(a->flush(5s) == status::ok);
    auto got = decode_all(up->batches());
    REQUIRE(got.events.size() == 21);
    const std::string all = nlohmann::json(got.events).dump();
    CHECK(all.find("alice@example.com") == std::string::npos);
    CHECK(all.find("1234567") == std::string::npos);
    CHECK(all.find("3f1c2a9e") == std::string::npos);
    CHECK(got.events[0]["type"] == "call.ended");
    CHECK(got.events[0]["attrs"]["codec"] == "opus");
    // Resource: service attributes and a keyed pseudonym of the install id, never the raw id.
    const auto raw_id = veil_test::slurp(dir.path / "state" / "install_id");
    REQUIRE(raw_id.size() == 32);
    for (const auto& res : got.resources) {
      CHECK(res["service.name"] == "softphone");
      CHECK(res["service.version"] == "5.6.12");
      REQUIRE(res.contains("veil.install"));
      CHECK(res["veil.install"].get<std::string>().size() == 32);
      CHECK(res["veil.install"] != raw_id);
    }
    auto st = stats(*a);
    CHECK(st["drops"]["unknown_type"] == 1);
    CHECK(st["drops"]["parse_error"].get<int>() + st["drops"]["bad_envelope"].get<int>() == 1);
    CHECK(st["upload"]["records_sent"] == 21);
    CHECK(st["spool"]["live_records"] == 0);
    CHECK(a->close(2s) == status::ok);
    CHECK(a->record("feature.used", feature_attrs) == status::closed);
  }

  TEST_CASE("consent: not-consented events never reach the spool or the server") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<memory_uploader>();
    auto a = open_or_die(base_options(dir), {up, {}, {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    bool g = true;
    CHECK(a->get_consent("call_quality", g) == status::ok);
    CHECK_FALSE(g);
    CHECK(a->get_consent("nope", g) == status::not_found);
    CHECK(a->set_consent("nope", true) == status::not_found);
    CHECK(a->record("call.ended", call_attrs) == status::ok);
    CHECK(a->record("feature.used", feature_attrs) == status::ok);
    REQUIRE(a->flush(5s) == status::ok);
    auto got = decode_all(up->batches());
    REQUIRE(got.events.size() == 1);
    CHECK(got.events[0]["type"] == "feature.used");
    CHECK(stats(*a)["drops"]["not_consented"] == 1);
  }

  TEST_CASE("consent: revoking purges spooled records at once") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<memory_uploader>();
    auto o = base_options(dir);
    auto a = open_or_die(o, {up, {}, {}, {}});
    REQUIRE(a->flush(5s) == status::ok);  // past the worker's start-up send (see "under 16")
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->set_consent("call_quality", true) == status::ok);
    // Without an upload trigger the records stay in the spool (batch age 1 h, count 500).
    for (int i = 0; i < 5; ++i) REQUIRE(a->record("call.ended", call_attrs) == status::ok);
    REQUIRE(a->record("feature.used", feature_attrs) == status::ok);
    auto& pipe = agent_access::pipeline_of(*a);
    wait_until([&] { return pipe.live_records() >= 6; });
    REQUIRE_MESSAGE(pipe.live_records() == 6, a->stats_json());
    CHECK(up->calls() == 0);
    REQUIRE(a->set_consent("call_quality", false) == status::ok);
    CHECK(pipe.live_records() == 1);  // purged before set_consent returned
    REQUIRE(a->flush(5s) == status::ok);
    auto got = decode_all(up->batches());
    REQUIRE(got.events.size() == 1);
    CHECK(got.events[0]["type"] == "feature.used");
    CHECK(stats(*a)["spool"]["purged_not_consented"] == 5);
  }

  TEST_CASE("consent: a lease purged in flight is not acked as sent nor sent again") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<gated_uploader>();
    auto o = base_options(dir);
    o.upload.backoff_floor = 1ms;
    o.upload.backoff_cap = 2ms;
    o.upload.max_attempts_per_minute = 100;
    auto a = open_or_die(o, {up, {}, {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->set_consent("call_quality", true) == status::ok);
    for (int i = 0; i < 3; ++i) REQUIRE(a->record("call.ended", call_attrs) == status::ok);
    REQUIRE(a->record("feature.used", feature_attrs) == status::ok);
    CHECK(a->flush(1ms) == status::timeout);  // starts the upload; the uploader holds it
    up->wait_entered(1);
    // While the batch is in flight, the user revokes call_quality: its records leave the spool,
    // leased ones included, and the send in flight is cancelled before set_consent() returns,
    // so the batch holding them never reaches the server...
    REQUIRE(a->set_consent("call_quality", false) == status::ok);
    CHECK(up->cancels() == 1);
    auto& pipe = agent_access::pipeline_of(*a);
    CHECK(pipe.live_records() == 1);
    // ...and the retry carries only what is still consented.
    up->open({upload_result::ok, std::nullopt, 200, {}});
    REQUIRE(a->flush(5s) == status::ok);
    auto batches = up->batches();
    REQUIRE(batches.size() >= 1);
    auto later = decode_all(batches);
    REQUIRE(later.events.size() == 1);
    for (const auto& e : later.events) CHECK(e["type"] == "feature.used");
    auto st = stats(*a);
    CHECK(st["upload"]["records_sent"] == 1);  // the purged records are not counted as sent
    CHECK(st["spool"]["purged_not_consented"] == 3);
  }

  TEST_CASE("under 16: purges everything and collection stays off") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<memory_uploader>();
    auto a = open_or_die(base_options(dir), {up, {}, {}, {}});
    // The worker's start-up step sends whatever the spool holds; a record queued before it runs
    // would be uploaded (slow starts under ASan did that). An idle flush orders the record after
    // it, so the record stays spooled, nothing was ever sent, and there is nothing to erase
    // remotely (no erasure secret exists until a first upload).
    REQUIRE(a->flush(5s) == status::ok);
    REQUIRE(up->calls() == 0);
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->record("feature.used", feature_attrs) == status::ok);
    auto& pipe = agent_access::pipeline_of(*a);
    wait_until([&] { return pipe.live_records() >= 1; });
    REQUIRE(a->set_under_16(true) == status::ok);
    CHECK(pipe.live_records() == 0);
    CHECK(a->set_consent("usage", true) == status::invalid_argument);
    REQUIRE(a->record("feature.used", feature_attrs) == status::ok);
    REQUIRE(a->flush(5s) == status::ok);
    CHECK(up->batches().empty());
    CHECK(stats(*a)["drops"]["not_consented"] == 1);
    CHECK(stats(*a)["spool"]["erased"] == 1);
  }

  TEST_CASE("queue full: record() drops and counts without blocking") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<memory_uploader>();
    auto o = base_options(dir);
    o.queue.capacity = 1;
    o.storage.in_memory = true;
    auto a = open_or_die(o, {up, {}, {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    int ok = 0, full = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 5000; ++i) {
      auto s = a->record("feature.used", feature_attrs);
      REQUIRE((s == status::ok || s == status::queue_full));
      (s == status::ok ? ok : full)++;
    }
    CHECK(std::chrono::steady_clock::now() - t0 < 2s);
    REQUIRE(a->flush(5s) == status::ok);
    auto st = stats(*a);
    CHECK(st["queue"]["discarded"] == full);
    CHECK(st["drops"]["queue_full"] == full);
    CHECK(st["queue"]["accepted"] == ok);
    CHECK(st["pipeline"]["stored"] == ok);
    CHECK(ok + full == 5000);
    // 5000 record() calls into a queue of one outrun any worker that parses, scrubs and spools
    // each event; a run with no drop means the queue did not bound anything (the direct queue
    // tests in pipeline_event_queue_test.cpp cover each overflow policy deterministically).
    CHECK_MESSAGE(full > 0, "no drop observed with a queue of 1");
  }

  TEST_CASE("an event over the size limit is refused without being copied, and counted") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<memory_uploader>();
    auto a = open_or_die(base_options(dir), {up, {}, {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    const std::string huge = R"({"feature":")" + std::string(300 * 1024, 'x') + R"("})";
    CHECK(a->record("feature.used", huge) == status::invalid_argument);
    CHECK(a->record_envelope(R"({"type":"feature.used","ts":1,"attrs":)" + huge + "}") ==
          status::invalid_argument);
    CHECK(a->record("feature.used", feature_attrs) == status::ok);  // the agent goes on
    REQUIRE(a->flush(5s) == status::ok);
    auto st = stats(*a);
    CHECK(st["drops"]["too_large"] == 2);
    CHECK(st["pipeline"]["stored"] == 1);
  }

  TEST_CASE("flush honours its timeout while an upload hangs") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<gated_uploader>();
    auto a = open_or_die(base_options(dir), {up, {}, {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->record("feature.used", feature_attrs) == status::ok);
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(a->flush(100ms) == status::timeout);
    const auto took = std::chrono::steady_clock::now() - t0;
    CHECK(took >= 90ms);
    CHECK(took < 2s);
    up->open();
    CHECK(a->flush(5s) == status::ok);
    CHECK(up->batches().size() == 1);
  }

  TEST_CASE("retry: backoff schedule with an injected clock and RNG, no sleeping") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<memory_uploader>();
    up->fail_next(3, {upload_result::retry_later, std::nullopt, 503, "test"});
    veil_test::fake_steady_clock now;
    agent_hooks h{up, {}, now.fn(), [] { return 0.75; }};
    auto o = base_options(dir);
    o.upload.backoff_floor = 1h;  // real timers never fire during the test
    o.upload.backoff_cap = 16h;
    o.upload.max_attempts_per_minute = 100;
    auto a = open_or_die(o, h);
    auto& w = agent_access::worker_of(*a);
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->record("feature.used", feature_attrs) == status::ok);
    veil::detail::backoff_options bo;
    bo.floor = o.upload.backoff_floor;
    bo.cap = o.upload.backoff_cap;
    for (unsigned attempt = 1; attempt <= 3; ++attempt) {
      CAPTURE(attempt);
      CHECK(a->flush(50ms) == status::timeout);
      wait_until([&] { return w.consecutive_failures() >= attempt; });
      REQUIRE(w.consecutive_failures() == attempt);
      const auto want = veil::detail::full_jitter_delay(bo, attempt, 0.75);
      REQUIRE(w.next_retry_in());
      CHECK(*w.next_retry_in() == want);
      CHECK(up->calls() == attempt);
      // Not yet due: a flush does not hammer the server.
      now.advance(want - 1ms);
      CHECK(a->flush(20ms) == status::timeout);
      CHECK(up->calls() == attempt);
      now.advance(1ms);
    }
    CHECK(a->flush(5s) == status::ok);
    CHECK(up->calls() == 4);
    CHECK(up->batches().size() == 1);
    CHECK(w.consecutive_failures() == 0);
    CHECK(stats(*a)["upload"]["retries"] == 3);
  }

  TEST_CASE("server rejects a batch: dropped and counted; too large: split") {
    veil_test::temp_dir dir;
    auto up = std::make_shared<memory_uploader>();
    auto a = open_or_die(base_options(dir), {up, {}, {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    up->fail_next(1, {upload_result::rejected, std::nullopt, 400, "bad"});
    for (int i = 0; i < 3; ++i) REQUIRE(a->record("feature.used", feature_attrs) == status::ok);
    REQUIRE(a->flush(5s) == status::ok);
    auto st = stats(*a);
    CHECK(st["drops"]["rejected_by_server"] == 3);
    CHECK(up->batches().empty());
    up->fail_next(1, {upload_result::too_large, std::nullopt, 413, "big"});
    for (int i = 0; i < 4; ++i) REQUIRE(a->record("feature.used", feature_attrs) == status::ok);
    REQUIRE(a->flush(5s) == status::ok);
    auto got = decode_all(up->batches());
    CHECK(got.events.size() == 4);
    CHECK(up->batches().size() >= 2);
    CHECK(stats(*a)["upload"]["batches_split"] == 1);
  }

  TEST_CASE("no endpoint: flush means stored; records survive a restart") {
    veil_test::temp_dir dir;
    {
      auto a = open_or_die(base_options(dir));
      REQUIRE(a->set_consent("usage", true) == status::ok);
      REQUIRE(a->record("feature.used", feature_attrs) == status::ok);
      REQUIRE(a->flush(5s) == status::ok);
      CHECK(stats(*a)["spool"]["live_records"] == 1);
      CHECK(stats(*a)["upload"]["enabled"] == false);
    }
    auto up = std::make_shared<memory_uploader>();
    auto a = open_or_die(base_options(dir), {up, {}, {}, {}});
    REQUIRE(a->flush(5s) == status::ok);
    CHECK(decode_all(up->batches()).events.size() == 1);
  }
}
