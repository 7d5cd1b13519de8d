// veil_bench_aggregate: bytes uploaded per device per day for call quality, event mode against
// aggregate mode (issue 15, item 7). A simulated heavy user makes --calls calls a day (default
// 50) between 08:00 and 22:00 for --days days. Every call goes through a real agent (record ->
// worker -> policy -> spool or aggregate window -> OTLP -> zstd with the shipped dictionary)
// with an injected clock and an uploader that keeps what it is given:
//   - event mode, shipped policy.json, agent defaults: the 30 s batch age makes every call its
//     own request at this rate (the agent flushes after each call here, as the timer would);
//   - event mode, one request a day (the best event mode can do: the batch age set to a day);
//   - aggregate mode, shipped policy-aggregate.json (or --policy FILE): the windows it seals.
// Counted: compressed bodies, and the HTTP/1.1 request head each upload carries (the header
// set http_uploader sends, with a 32-character API key and host collector.example.com:4318).
// The agent closes each connection after its request (http_uploader), so every request also
// costs a TCP + TLS handshake; that is printed as requests/day, not as bytes (it depends on the
// server's certificate chain). Deterministic (seeded). Prints a table. Not a test.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/api/agent_access.hpp"
#include "agent/crypto/random.hpp"
#include "agent/upload/uploader.hpp"
#include "veil/agent.hpp"

using namespace veil::detail;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct tally {
  std::uint64_t bodies = 0, heads = 0, requests = 0;
};

// The request head as Beast writes it for http_uploader's header set.
std::size_t head_bytes(const upload_batch& b) {
  const std::string path = b.path.empty() ? "/v1/logs" : b.path;
  std::size_t n = ("POST " + path + " HTTP/1.1\r\n").size();
  auto field = [&](std::string_view k, std::size_t v) { n += k.size() + 2 + v + 2; };
  field("Host", std::string_view("collector.example.com:4318").size());
  field("User-Agent", std::string_view("veil/0.1").size());
  field("Content-Type", std::string_view("application/json").size());
  field("Content-Encoding", b.content_encoding.size());
  field("Idempotency-Key", b.id.size());
  field("X-Veil-Policy", b.policy_hash.size());
  field("X-Veil-Zstd-Dict", 10);
  field("Authorization", std::string_view("Bearer ").size() + 32);
  field("Connection", std::string_view("close").size());
  field("Content-Length", std::to_string(b.body.size()).size());
  return n + 2;
}

struct call {
  std::chrono::system_clock::time_point t;
  std::string attrs;
};

std::vector<std::vector<call>> make_days(int calls, int days) {
  auto rnd = seeded_random(2026);
  const char* codecs[] = {"opus", "opus", "opus", "PCMA", "G722"};
  const char* nets[] = {"wifi", "wifi", "lte", "5g"};
  const char* numbers[] = {"+4915123456789", "+4930123456", "+33612345678"};
  const auto day0 = std::chrono::sys_days(std::chrono::year(2026) / 12 / 7);
  std::vector<std::vector<call>> out(static_cast<std::size_t>(days));
  for (int d = 0; d < days; ++d) {
    std::vector<std::int64_t> secs;
    for (int c = 0; c < calls; ++c) secs.push_back(8 * 3600 + rnd->uniform(14 * 3600));
    std::sort(secs.begin(), secs.end());
    for (int c = 0; c < calls; ++c) {
      const json attrs = {{"call_id", "a84b4c76e66710" + std::to_string(c) + "@pc33.example.com"},
                          {"direction", rnd->uniform(2) ? "outgoing" : "incoming"},
                          {"remote_number", numbers[rnd->uniform(3)]},
                          {"remote_display_name", "Alice Example"},
                          {"duration_s", 10 + rnd->uniform(900)},
                          {"codec", codecs[rnd->uniform(5)]},
                          {"transport", "tls"},
                          {"network_type", nets[rnd->uniform(4)]},
                          {"end_reason", "hangup"},
                          {"srtp", true},
                          {"mos", 2.5 + rnd->uniform(200) / 100.0},
                          {"jitter_ms", rnd->uniform(60)},
                          {"packet_loss_pct", rnd->uniform(50) / 10.0},
                          {"rtt_ms", 20 + rnd->uniform(200)},
                          {"local_ip", "192.168.1.20"},
                          {"public_ip", "203.0.113.7"}};
      out[static_cast<std::size_t>(d)].push_back(
          {day0 + std::chrono::days(d) + std::chrono::seconds(secs[static_cast<std::size_t>(c)]),
           attrs.dump()});
    }
  }
  return out;
}

enum class flush_mode { per_call, per_day };

// One agent over all days; returns what it uploaded, or nullopt (the reason printed).
std::optional<tally> run(const std::string& policy, flush_mode fm,
                         const std::vector<std::vector<call>>& days) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("veil-bench-aggregate-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto now =
      std::make_shared<std::atomic<std::chrono::system_clock::time_point>>(days.front().front().t);
  auto up = std::make_shared<memory_uploader>();
  tally t;
  {
    veil::agent_options o;
    o.policy_file = policy;
    o.state_dir = dir.string();
    o.upload.dictionary_file = VEIL_SOURCE_DIR "/config/zstd.dict";
    o.batch.max_age = 24h;  // the bench decides when a batch goes (flush_mode)
    o.storage.sync_each_append = false;
    o.resource = {"softphone", "5.6.12", "android", "14"};
    o.consent_granted_by_default = {"call_quality"};
    veil::failure f;
    auto a = agent_access::open(o, {up, [now] { return now->load(); }, {}, {}}, &f);
    if (!a) {
      std::fprintf(stderr, "veil_bench_aggregate: %s\n", f.message.c_str());
      return std::nullopt;
    }
    for (const auto& day : days) {
      for (const auto& c : day) {
        now->store(c.t);
        if (a->record("call.ended", c.attrs, c.t) != veil::status::ok) return std::nullopt;
        if (fm == flush_mode::per_call) (void)a->flush(5s);
      }
      if (fm == flush_mode::per_day) {
        now->store(std::chrono::floor<std::chrono::days>(day.back().t) + 23h + 59min);
        (void)a->flush(5s);
      }
    }
    // After the last day: every window has ended.
    now->store(std::chrono::floor<std::chrono::days>(days.back().back().t) + 48h);
    (void)a->flush(5s);
    (void)a->close(5s);
  }
  std::filesystem::remove_all(dir);
  for (const auto& b : up->batches()) {
    t.bodies += b.body.size();
    t.heads += head_bytes(b);
    ++t.requests;
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int calls = 50, days = 7;
  std::string agg_policy = VEIL_SOURCE_DIR "/config/policy-aggregate.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--calls") calls = std::atoi(argv[i + 1]);
    else if (a == "--days") days = std::atoi(argv[i + 1]);
    else if (a == "--policy") agg_policy = argv[i + 1];
    else {
      std::fprintf(
          stderr, "usage: veil_bench_aggregate [--calls N] [--days D] [--policy aggregate.json]\n");
      return 2;
    }
  }
  if (calls < 1 || days < 1) {
    std::fprintf(stderr, "veil_bench_aggregate: --calls and --days must be >= 1\n");
    return 2;
  }
  const auto plan = make_days(calls, days);
  const std::string ev_policy = VEIL_SOURCE_DIR "/config/policy.json";
  auto ev_default = run(ev_policy, flush_mode::per_call, plan);
  auto ev_daily = run(ev_policy, flush_mode::per_day, plan);
  auto agg = run(agg_policy, flush_mode::per_call, plan);
  if (!ev_default || !ev_daily || !agg) return 1;

  const double nd = days;
  std::printf("veil_bench_aggregate: %d calls/day, %d days, call.ended only; aggregate policy %s\n",
              calls, days, std::filesystem::path(agg_policy).filename().c_str());
  std::printf("%-46s %12s %12s %14s\n", "mode", "body B/day", "+heads B/day", "requests/day");
  auto row = [&](const char* name, const tally& t) {
    std::printf("%-46s %12.0f %12.0f %14.1f\n", name, t.bodies / nd, (t.bodies + t.heads) / nd,
                t.requests / nd);
  };
  row("event mode, agent defaults (request per call)", *ev_default);
  row("event mode, one request per day", *ev_daily);
  row("aggregate mode (shipped profile)", *agg);
  auto ratio = [](const tally& a, const tally& b) {
    return static_cast<double>(a.bodies + a.heads) / static_cast<double>(b.bodies + b.heads);
  };
  std::printf(
      "ratio with heads: event(defaults)/aggregate %.1fx, event(daily)/aggregate %.1fx; "
      "bodies only: %.1fx, %.1fx\n",
      ratio(*ev_default, *agg), ratio(*ev_daily, *agg),
      static_cast<double>(ev_default->bodies) / static_cast<double>(agg->bodies),
      static_cast<double>(ev_daily->bodies) / static_cast<double>(agg->bodies));
  return 0;
}
