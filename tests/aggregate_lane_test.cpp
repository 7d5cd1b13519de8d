// The aggregate lane end to end inside the process (issue 15): a policy that puts call.ended in
// "mode": "aggregate" makes the agent fold those events into hourly windows instead of the
// spool, seal a window once the (injected) clock passes its end, and upload it to /v1/metrics
// without any install identifier. Restart, kill -9, retries, consent and erasure are tested
// here with a memory uploader and a fake clock; the wire into real collectors is e2e.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

#include "agent/api/agent_access.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_decoder.hpp"
#include "test_util.hpp"
#include "veil/agent.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using veil::status;
using veil::detail::agent_access;
using veil::detail::memory_uploader;
using veil::detail::upload_batch;
using veil::detail::upload_response;
using veil::detail::upload_result;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The shipped policy with call.ended switched to aggregate mode (or left in event mode).
std::string write_policy(const veil_test::temp_dir& dir, bool aggregate) {
  json p = json::parse(read_all(VEIL_SOURCE_DIR "/config/policy.json"));
  if (aggregate) {
    p["events"]["call.ended"]["mode"] = "aggregate";
    p["events"]["call.ended"]["aggregate"] = {
        {"window_minutes", 60},
        {"dimensions", {"codec", "network_type", "remote_country"}},
        {"measures",
         {{"count", "count"},
          {"mos", {{"histogram", {1, 2, 3, 3.5, 4, 4.5}}}},
          {"jitter_ms", {{"histogram", {5, 10, 20, 40, 80}}, {"unit", "ms"}}}}}};
  }
  const auto path = dir.path / (aggregate ? "policy-agg.json" : "policy-ev.json");
  std::ofstream(path) << p.dump();
  return path.string();
}

veil::agent_options options(const veil_test::temp_dir& dir, bool aggregate = true) {
  veil::agent_options o;
  o.policy_file = write_policy(dir, aggregate);
  o.state_dir = (dir.path / "state").string();
  o.upload.dictionary_file = VEIL_SOURCE_DIR "/config/zstd.dict";
  o.batch.max_age = 1h;
  o.storage.sync_each_append = false;
  o.resource.service_name = "softphone";
  o.resource.app_version = "5.6.12";
  o.resource.os_name = "android";
  o.consent_granted_by_default = {"call_quality", "usage"};
  return o;
}

std::unique_ptr<veil::agent> open_or_die(veil::agent_options o, veil::detail::agent_hooks h) {
  veil::failure f;
  auto a = agent_access::open(std::move(o), std::move(h), &f);
  REQUIRE_MESSAGE(a, f.message);
  return a;
}

json stats(const veil::agent& a) { return json::parse(a.stats_json()); }

std::string call(const char* codec, const char* net, const char* number, double mos,
                 double jitter) {
  return json{{"call_id", "3f1c2a9e-1111-2222-3333-444455556666"},
              {"remote_number", number},
              {"codec", codec},
              {"network_type", net},
              {"duration_s", 75},
              {"mos", mos},
              {"jitter_ms", jitter},
              {"contact_name", "Alice Example"}}
      .dump();
}

std::string decompress(const upload_batch& b) {
  auto codec = veil::detail::batch_codec::create({}, read_all(VEIL_SOURCE_DIR "/config/zstd.dict"));
  REQUIRE(codec.ok());
  auto plain = codec->decompress(b.body);
  REQUIRE_MESSAGE(plain.ok(), plain.err().message);
  return *plain;
}

std::vector<upload_batch> on_path(const memory_uploader& up, const std::string& path) {
  std::vector<upload_batch> out;
  for (auto& b : up.batches())
    if ((b.path.empty() ? "/v1/logs" : b.path) == path) out.push_back(b);
  return out;
}

// Sum of a metric's points (count metric: asInt; histogram: count), over every batch.
std::uint64_t total(const std::vector<upload_batch>& batches, const std::string& metric) {
  std::uint64_t n = 0;
  for (const auto& b : batches) {
    const json doc = json::parse(decompress(b));
    for (const auto& rm : doc["resourceMetrics"])
      for (const auto& sm : rm["scopeMetrics"])
        for (const auto& m : sm["metrics"]) {
          if (m["name"] != metric) continue;
          const auto& pts =
              m.contains("sum") ? m["sum"]["dataPoints"] : m["histogram"]["dataPoints"];
          for (const auto& p : pts)
            n += std::stoull(p.contains("asInt") ? p["asInt"].get<std::string>()
                                                 : p["count"].get<std::string>());
        }
  }
  return n;
}

// Answers retry_later while `failing`, and keeps every attempt (ids included).
class flaky_uploader final : public veil::detail::uploader {
 public:
  upload_response send(const upload_batch& b) noexcept override {
    std::lock_guard lk(mu_);
    attempts_.push_back(b);
    if (failing_) return {upload_result::retry_later, std::nullopt, 503, "unavailable"};
    return {upload_result::ok, std::nullopt, 200, {}};
  }
  void set_failing(bool f) {
    std::lock_guard lk(mu_);
    failing_ = f;
  }
  std::vector<upload_batch> attempts() {
    std::lock_guard lk(mu_);
    return attempts_;
  }

 private:
  std::mutex mu_;
  bool failing_ = true;
  std::vector<upload_batch> attempts_;
};

// 10:15 on a day in 2026: the hourly window is [10:00, 11:00).
std::chrono::system_clock::time_point morning() {
  return std::chrono::sys_days(std::chrono::year(2026) / 11 / 29) + 10h + 15min;
}

}  // namespace

TEST_SUITE("aggregate lane") {
  TEST_CASE("aggregate types fold into a window and leave as anonymous OTLP metrics") {
    veil_test::temp_dir dir;
    veil_test::basic_fake_clock<std::chrono::system_clock> clock(morning());
    auto up = std::make_shared<memory_uploader>();
    auto a = open_or_die(options(dir), {up, clock.fn(), {}, {}});
    for (int i = 0; i < 12; ++i)
      REQUIRE(a->record("call.ended", call("opus", "wifi", "+49 30 1234567", 4.2, 7)) ==
              status::ok);
    for (int i = 0; i < 8; ++i)
      REQUIRE(a->record("call.ended", call("g722", "lte", "+33 1 23 45 67 89", 3.1, 45)) ==
              status::ok);
    REQUIRE(a->record("feature.used", R"({"feature":"chat"})") == status::ok);
    REQUIRE(a->flush(5s) == status::ok);
    // The event-mode type went out as an event; the window is still open, nothing of it sent.
    CHECK(on_path(*up, "/v1/logs").size() == 1);
    CHECK(on_path(*up, "/v1/metrics").empty());
    auto st = stats(*a);
    CHECK(st["aggregate"]["events_folded"] == 20);
    CHECK(st["aggregate"]["open_events"] == 20);
    CHECK(st["pipeline"]["stored"] == 1);  // only feature.used entered the spool
    // The user's preview shows the open window as it would leave now.
    {
      const json pv = json::parse(a->preview_json());
      REQUIRE(pv["aggregates"].size() == 1);
      const auto& w = pv["aggregates"][0];
      CHECK(w["state"] == "open");
      CHECK(w["type"] == "call.ended");
      CHECK(w["events"] == 20);
      CHECK(w["metrics"].contains("resourceMetrics"));
      CHECK(pv.dump().find("Alice") == std::string::npos);
    }

    clock.advance(50min);  // 11:05: the 10:00 window has ended
    REQUIRE(a->flush(5s) == status::ok);
    const auto metrics = on_path(*up, "/v1/metrics");
    REQUIRE(metrics.size() == 1);
    CHECK(total(metrics, "call.ended.count") == 20);
    CHECK(total(metrics, "call.ended.mos") == 20);
    const std::string body = decompress(metrics[0]);
    // Anonymous: no install token, no erasure key, no per-event time, no raw values.
    CHECK(body.find("veil.install") == std::string::npos);
    CHECK(body.find("veil.erasure_key") == std::string::npos);
    CHECK(body.find("1234567") == std::string::npos);
    CHECK(body.find("Alice") == std::string::npos);
    const json doc = json::parse(body);
    const auto& res = doc["resourceMetrics"][0]["resource"]["attributes"];
    std::map<std::string, std::string> attrs;
    for (const auto& kv : res) attrs[kv["key"]] = kv["value"]["stringValue"];
    CHECK(attrs == std::map<std::string, std::string>{{"os.name", "android"},
                                                      {"service.name", "softphone"},
                                                      {"service.version", "5.6.12"}});
    const auto window_start =
        std::chrono::duration_cast<std::chrono::seconds>((morning() - 15min).time_since_epoch())
            .count();
    for (const auto& m : doc["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]) {
      const auto& pts = m.contains("sum") ? m["sum"]["dataPoints"] : m["histogram"]["dataPoints"];
      for (const auto& p : pts) {
        CHECK(p["startTimeUnixNano"] == std::to_string(window_start) + "000000000");
        CHECK(p["timeUnixNano"] == std::to_string(window_start + 3600) + "000000000");
        std::map<std::string, std::string> dims;
        for (const auto& kv : p["attributes"]) dims[kv["key"]] = kv["value"]["stringValue"];
        CHECK(dims.size() == 3);
        CHECK((dims["remote_country"] == "DE" || dims["remote_country"] == "FR"));
      }
    }
    st = stats(*a);
    CHECK(st["aggregate"]["windows_sent"] == 1);
    CHECK(st["aggregate"]["windows_waiting"] == 0);
    CHECK(st["upload"]["records_sent"] == 21);
    CHECK(a->close(2s) == status::ok);
  }

  TEST_CASE("aggregates equal the totals of event mode on the same events") {
    // The same 200 calls through an event-mode agent and an aggregate-mode agent: every cell's
    // count, MOS count and MOS sum in the metrics equal what the cleaned events add up to.
    const char* codecs[] = {"opus", "g722", "pcma"};
    const char* nets[] = {"wifi", "lte", "5g", "ethernet"};
    const char* numbers[] = {"+49 30 1234567", "+33 1 23 45 67 89", "+1 212 555 0100", "12345"};
    std::vector<std::string> calls;
    for (int i = 0; i < 200; ++i)
      calls.push_back(call(codecs[i % 3], nets[(i / 3) % 4], numbers[(i / 7) % 4],
                           1.0 + (i % 40) / 10.0, (i * 7) % 100));
    using cell_key = std::tuple<std::string, std::string, std::string>;
    std::map<cell_key, std::pair<std::uint64_t, double>> want, got;

    {
      veil_test::temp_dir dir;
      veil_test::basic_fake_clock<std::chrono::system_clock> clock(morning());
      auto up = std::make_shared<memory_uploader>();
      auto a = open_or_die(options(dir, false), {up, clock.fn(), {}, {}});
      for (const auto& c : calls) REQUIRE(a->record("call.ended", c) == status::ok);
      REQUIRE(a->flush(5s) == status::ok);
      for (const auto& b : up->batches()) {
        auto d = veil::detail::otlp_decoder{}.decode(decompress(b));
        REQUIRE(d.ok());
        for (const auto& e : d->events) {
          const auto& at = e["attrs"];
          auto& w = want[{at.value("codec", ""), at.value("network_type", ""),
                          at.value("remote_country", "")}];
          ++w.first;
          w.second += at["mos"].get<double>();
        }
      }
    }
    {
      veil_test::temp_dir dir;
      veil_test::basic_fake_clock<std::chrono::system_clock> clock(morning());
      auto up = std::make_shared<memory_uploader>();
      auto a = open_or_die(options(dir, true), {up, clock.fn(), {}, {}});
      for (const auto& c : calls) REQUIRE(a->record("call.ended", c) == status::ok);
      REQUIRE(a->flush(5s) == status::ok);
      clock.advance(1h);
      REQUIRE(a->flush(5s) == status::ok);
      for (const auto& b : on_path(*up, "/v1/metrics")) {
        const json doc = json::parse(decompress(b));
        for (const auto& m : doc["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]) {
          if (m["name"] != "call.ended.mos") continue;
          for (const auto& p : m["histogram"]["dataPoints"]) {
            std::map<std::string, std::string> d;
            for (const auto& kv : p["attributes"]) d[kv["key"]] = kv["value"]["stringValue"];
            auto& g = got[{d["codec"], d["network_type"], d["remote_country"]}];
            g.first += std::stoull(p["count"].get<std::string>());
            g.second += p["sum"].get<double>();
          }
        }
      }
    }
    REQUIRE(want.size() > 10);
    REQUIRE(got.size() == want.size());
    for (const auto& [k, w] : want) {
      INFO(std::get<0>(k) << "/" << std::get<1>(k) << "/" << std::get<2>(k));
      CHECK(got[k].first == w.first);
      CHECK(got[k].second == doctest::Approx(w.second));
    }
  }

  TEST_CASE("a restart continues the open window; nothing is counted twice") {
    veil_test::temp_dir dir;
    veil_test::basic_fake_clock<std::chrono::system_clock> clock(morning());
    auto up = std::make_shared<memory_uploader>();
    {
      auto a = open_or_die(options(dir), {up, clock.fn(), {}, {}});
      for (int i = 0; i < 5; ++i)
        REQUIRE(a->record("call.ended", call("opus", "wifi", "+4930123456", 4, 5)) == status::ok);
      REQUIRE(a->close(2s) == status::ok);
    }
    // The state on disk is encrypted: no dimension value is readable in it.
    const auto state = veil_test::slurp(dir.path / "state" / "aggregates");
    REQUIRE(!state.empty());
    CHECK(state.find("opus") == std::string::npos);
    CHECK(veil_test::file_mode(dir.path / "state" / "aggregates") == 0600);
    clock.advance(10min);
    {
      auto a = open_or_die(options(dir), {up, clock.fn(), {}, {}});
      CHECK(stats(*a)["aggregate"]["open_events"] == 5);
      for (int i = 0; i < 3; ++i)
        REQUIRE(a->record("call.ended", call("opus", "wifi", "+4930123456", 4, 5)) == status::ok);
      REQUIRE(a->flush(5s) == status::ok);
      CHECK(on_path(*up, "/v1/metrics").empty());
      clock.advance(1h);
      REQUIRE(a->flush(5s) == status::ok);
      REQUIRE(a->close(2s) == status::ok);
    }
    CHECK(total(on_path(*up, "/v1/metrics"), "call.ended.count") == 8);
    {
      // Sent and acknowledged: a third start has nothing left to send.
      auto a = open_or_die(options(dir), {up, clock.fn(), {}, {}});
      REQUIRE(a->flush(5s) == status::ok);
      CHECK(on_path(*up, "/v1/metrics").size() == 1);
      CHECK(stats(*a)["aggregate"]["open_events"] == 0);
    }
  }

  TEST_CASE("a window that failed to send keeps its Idempotency-Key across a restart") {
    veil_test::temp_dir dir;
    veil_test::basic_fake_clock<std::chrono::system_clock> clock(morning());
    veil_test::fake_steady_clock steady;
    auto up = std::make_shared<flaky_uploader>();
    {
      auto a = open_or_die(options(dir), {up, clock.fn(), steady.fn(), [] { return 0.5; }});
      for (int i = 0; i < 4; ++i)
        REQUIRE(a->record("call.ended", call("opus", "wifi", "+4930123456", 4, 5)) == status::ok);
      REQUIRE(a->flush(5s) == status::ok);
      clock.advance(1h);
      CHECK(a->flush(300ms) == status::timeout);  // the send fails: the window waits
      CHECK(stats(*a)["aggregate"]["windows_waiting"] == 1);
      (void)a->close(200ms);
    }
    auto tries = up->attempts();
    REQUIRE(tries.size() >= 1);
    const std::string id = tries[0].id;
    CHECK(id.size() == 32);
    up->set_failing(false);
    {
      auto a = open_or_die(options(dir), {up, clock.fn(), steady.fn(), [] { return 0.5; }});
      REQUIRE(a->flush(5s) == status::ok);
      CHECK(stats(*a)["aggregate"]["windows_waiting"] == 0);
    }
    tries = up->attempts();
    REQUIRE(tries.size() >= 2);
    for (const auto& t : tries) {
      CHECK(t.path == "/v1/metrics");
      CHECK(t.id == id);  // one window, one key: the collector keeps it once
    }
    CHECK(total({tries.back()}, "call.ended.count") == 4);
  }

  TEST_CASE("kill -9 mid-window loses nothing that flush() reported kept") {
    veil_test::temp_dir dir;
    const auto opts = options(dir);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // The child opens its own agent (threads start after fork), keeps 7 calls, waits for
      // them to be durable and dies without closing.
      veil::failure f;
      veil_test::basic_fake_clock<std::chrono::system_clock> clock(morning());
      auto a = agent_access::open(opts, {nullptr, clock.fn(), {}, {}}, &f);
      if (!a) ::_exit(3);
      for (int i = 0; i < 7; ++i)
        if (a->record("call.ended", call("opus", "lte", "+4930123456", 3, 5)) != status::ok)
          ::_exit(4);
      if (a->flush(5s) != status::ok) ::_exit(5);
      ::kill(::getpid(), SIGKILL);
      ::_exit(6);
    }
    int ws = 0;
    REQUIRE(::waitpid(child, &ws, 0) == child);
    REQUIRE_MESSAGE(WIFSIGNALED(ws), "child exit code " << WEXITSTATUS(ws));
    CHECK(WTERMSIG(ws) == SIGKILL);
    veil_test::basic_fake_clock<std::chrono::system_clock> clock(morning() + 5min);
    auto up = std::make_shared<memory_uploader>();
    auto a = open_or_die(opts, {up, clock.fn(), {}, {}});
    CHECK(stats(*a)["aggregate"]["open_events"] == 7);
    clock.advance(1h);
    REQUIRE(a->flush(5s) == status::ok);
    CHECK(total(on_path(*up, "/v1/metrics"), "call.ended.count") == 7);
  }

  TEST_CASE("revoking consent purges open and sealed windows; erase purges everything") {
    veil_test::temp_dir dir;
    veil_test::basic_fake_clock<std::chrono::system_clock> clock(morning());
    veil_test::fake_steady_clock steady;
    auto up = std::make_shared<memory_uploader>();
    up->fail_next(100, {upload_result::retry_later, std::nullopt, 503, "unavailable"});
    auto a = open_or_die(options(dir), {up, clock.fn(), steady.fn(), [] { return 0.5; }});
    for (int i = 0; i < 3; ++i)
      REQUIRE(a->record("call.ended", call("opus", "wifi", "+4930123456", 4, 5)) == status::ok);
    REQUIRE(a->flush(5s) == status::ok);
    clock.advance(1h);  // the 10:00 window seals (its send keeps failing) ...
    (void)a->flush(200ms);
    for (int i = 0; i < 2; ++i)  // ... and the 11:00 one opens
      REQUIRE(a->record("call.ended", call("opus", "wifi", "+4930123456", 4, 5)) == status::ok);
    (void)a->flush(200ms);
    auto st = stats(*a);
    CHECK(st["aggregate"]["windows_waiting"] == 1);
    CHECK(st["aggregate"]["open_events"] == 2);
    REQUIRE(a->set_consent("call_quality", false) == status::ok);
    st = stats(*a);
    CHECK(st["aggregate"]["windows_waiting"] == 0);
    CHECK(st["aggregate"]["open_events"] == 0);
    // Without consent nothing folds.
    REQUIRE(a->record("call.ended", call("opus", "wifi", "+4930123456", 4, 5)) == status::ok);
    (void)a->flush(200ms);
    st = stats(*a);
    CHECK(st["aggregate"]["open_events"] == 0);
    CHECK(st["drops"]["not_consented"] == 1);

    REQUIRE(a->set_consent("call_quality", true) == status::ok);
    REQUIRE(a->record("call.ended", call("opus", "wifi", "+4930123456", 4, 5)) == status::ok);
    (void)a->flush(200ms);
    CHECK(stats(*a)["aggregate"]["open_events"] == 1);
    REQUIRE(a->erase() == status::ok);
    CHECK(stats(*a)["aggregate"]["open_events"] == 0);
    CHECK_FALSE(std::filesystem::exists(dir.path / "state" / "aggregates"));
    CHECK(on_path(*up, "/v1/metrics").empty());
  }

  TEST_CASE("events older than the spool's max age are refused as too_old") {
    veil_test::temp_dir dir;
    veil_test::basic_fake_clock<std::chrono::system_clock> clock(morning());
    auto up = std::make_shared<memory_uploader>();
    auto o = options(dir);
    o.storage.max_age = 48h;
    auto a = open_or_die(o, {up, clock.fn(), {}, {}});
    const auto c = call("opus", "wifi", "+4930123456", 4, 5);
    REQUIRE(a->record("call.ended", c, morning() - 72h) == status::ok);
    REQUIRE(a->record("call.ended", c, morning() - 30h) == status::ok);  // an older window
    REQUIRE(a->record("call.ended", c, morning() + 30h) == status::ok);  // future: counts now
    REQUIRE(a->flush(5s) == status::ok);
    auto st = stats(*a);
    CHECK(st["drops"]["too_old"] == 1);
    // The past window ended long ago: sealed and sent at once; the current one stays open.
    CHECK(total(on_path(*up, "/v1/metrics"), "call.ended.count") == 1);
    CHECK(st["aggregate"]["open_events"] == 1);
  }
}
