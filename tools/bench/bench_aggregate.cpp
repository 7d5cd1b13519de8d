// veil_bench_aggregate: bytes uploaded per device per day for call quality, event mode against
// aggregate mode (issue 15, item 7). A simulated heavy user makes --calls calls a day (default
// 50) between 08:00 and 22:00 for --days days; each raw call.ended event is cleaned by the
// shipped policy (as the agent does), then
//   - event mode: OTLP logs through the real encoder and zstd with the shipped dictionary, once
//     as the agent's defaults send them (the 30 s batch age makes every call its own batch at
//     this rate) and once as one batch per day (the best event mode can do);
//   - aggregate mode: the cleaned events folded into hourly windows (codec x network_type x
//     remote_country: count, MOS, jitter and loss histograms, RTT sum), one OTLP metrics body
//     per window that saw calls, zstd with and without the dictionary.
// Bodies only (HTTP headers are the same per request in both modes and counted separately as
// requests per day). Deterministic (seeded); prints a table. Not a test.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/aggregate/aggregator.hpp"
#include "agent/core/event_parser.hpp"
#include "agent/crypto/key_ring.hpp"
#include "agent/crypto/random.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/engine.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_encoder.hpp"

using namespace veil::detail;
using nlohmann::json;

namespace {

aggregate::spec call_quality_profile() {
  aggregate::spec s;
  s.type = "call.ended";
  s.dimensions = {"codec", "network_type", "remote_country"};
  using k = aggregate::measure_spec::kind;
  s.measures = {{k::count, "", {}, "1"},
                {k::histogram, "mos", {1, 2, 3, 3.5, 4, 4.5}, "1"},
                {k::histogram, "jitter_ms", {5, 10, 20, 40, 80}, "ms"},
                {k::histogram, "packet_loss_pct", {0.5, 1, 2, 5, 10}, "%"},
                {k::sum, "rtt_ms", {}, "ms"}};
  return s;
}

std::string rfc3339(std::int64_t s) { return format_rfc3339_ns(s * 1'000'000'000LL); }

}  // namespace

int main(int argc, char** argv) {
  int calls = 50, days = 7, window_h = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--calls") calls = std::atoi(argv[i + 1]);
    else if (a == "--days") days = std::atoi(argv[i + 1]);
    else if (a == "--window-hours") window_h = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr,
                   "usage: veil_bench_aggregate [--calls N] [--days D] [--window-hours 1|24]\n");
      return 2;
    }
  }
  if (calls < 1 || days < 1 || window_h < 1 || 24 % window_h != 0) {
    std::fprintf(stderr,
                 "veil_bench_aggregate: --calls, --days >= 1; --window-hours must divide 24\n");
    return 2;
  }
  auto text = read_file(VEIL_SOURCE_DIR "/config/policy.json");
  auto dict = read_file(VEIL_SOURCE_DIR "/config/zstd.dict");
  if (!text || !dict) {
    std::fprintf(stderr, "veil_bench_aggregate: cannot read config/policy.json or zstd.dict\n");
    return 1;
  }
  policy_report rep;
  auto pol = compile_policy(*text, rep);
  if (!pol) {
    std::fprintf(stderr, "veil_bench_aggregate: %s\n", pol.err().message.c_str());
    return 1;
  }
  policy_engine engine(*pol);
  auto key = secure_key::random();
  auto codec_dict = batch_codec::create({}, *dict);
  auto codec_plain = batch_codec::create({}, {});
  if (!key || !codec_dict || !codec_plain) {
    std::fprintf(stderr, "veil_bench_aggregate: key or codec setup failed\n");
    return 1;
  }
  static_key_ring keys(std::move(*key));
  const otlp_encoder enc({"softphone", "5.6.12", "android"}, std::string(32, 'a'),
                         std::string(64, 'b'));
  auto rnd = seeded_random(2026);
  const char* codecs[] = {"opus", "opus", "opus", "PCMA", "G722"};
  const char* nets[] = {"wifi", "wifi", "lte", "5g"};
  const char* numbers[] = {"+4915123456789", "+4930123456", "+33612345678"};
  event_parser parser;
  aggregate::spec prof = call_quality_profile();
  prof.window = std::chrono::hours(window_h);

  std::uint64_t ev_default = 0, ev_daily = 0, agg_dict = 0, agg_plain = 0;
  std::uint64_t req_default = 0, req_daily = 0, req_agg = 0;
  const std::int64_t day0 = 1'796'601'600;  // 2026-12-07T00:00Z
  for (int d = 0; d < days; ++d) {
    std::vector<std::string> cleaned_day;
    std::map<std::int64_t, aggregate::window_state> windows;
    for (int c = 0; c < calls; ++c) {
      const std::int64_t t = day0 + d * 86400 + 8 * 3600 + rnd->uniform(14 * 3600);
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
      const std::string line =
          json{{"type", "call.ended"}, {"ts", rfc3339(t)}, {"attrs", attrs}}.dump();
      raw_event ev;
      parse_failure fail;
      std::string out;
      clean_stats st;
      if (!parser.parse(line, ev, fail) ||
          !engine.clean(ev, keys, sys_time(std::chrono::seconds(t)), out, st)) {
        std::fprintf(stderr, "veil_bench_aggregate: an event did not clean\n");
        return 1;
      }
      // Event mode, agent defaults: this call is its own batch.
      auto one = enc.encode(std::span<const std::string>(&out, 1));
      auto z = one ? codec_dict->compress(one->body) : veil::result<std::string>(one.err());
      if (!z) return 1;
      ev_default += z->size();
      ++req_default;
      // Aggregate mode: the cleaned event into its hour's window.
      const auto w = aggregate::window_start(sys_time(std::chrono::seconds(t)), prof.window);
      const auto ws =
          std::chrono::duration_cast<std::chrono::seconds>(w.time_since_epoch()).count();
      auto it = windows.try_emplace(ws, prof, w).first;
      it->second.add(json::parse(out));
      cleaned_day.push_back(std::move(out));
    }
    auto all = enc.encode(cleaned_day);
    auto z = all ? codec_dict->compress(all->body) : veil::result<std::string>(all.err());
    if (!z) return 1;
    ev_daily += z->size();
    ++req_daily;
    for (const auto& [s, w] : windows) {
      const std::string body = w.otlp_json(
          {{"service.name", "softphone"}, {"service.version", "5.6.12"}, {"os.name", "android"}},
          "0.9");
      auto zd = codec_dict->compress(body);
      auto zp = codec_plain->compress(body);
      if (!zd || !zp) return 1;
      agg_dict += zd->size();
      agg_plain += zp->size();
      ++req_agg;
    }
  }
  const double nd = days;
  std::printf(
      "veil_bench_aggregate: %d calls/day, %d days, %d h windows, call.ended only, zstd "
      "bodies\n",
      calls, days, window_h);
  std::printf("%-44s %12s %14s\n", "mode", "bytes/day", "requests/day");
  std::printf("%-44s %12.0f %14.1f\n", "event mode, agent defaults (batch per call)",
              ev_default / nd, req_default / nd);
  std::printf("%-44s %12.0f %14.1f\n", "event mode, one batch per day", ev_daily / nd,
              req_daily / nd);
  std::printf("%-44s %12.0f %14.1f\n", "aggregate mode, zstd+dict", agg_dict / nd, req_agg / nd);
  std::printf("%-44s %12.0f %14.1f\n", "aggregate mode, zstd", agg_plain / nd, req_agg / nd);
  std::printf("ratio event(defaults)/aggregate(dict): %.1fx; event(daily)/aggregate: %.1fx\n",
              static_cast<double>(ev_default) / static_cast<double>(agg_dict),
              static_cast<double>(ev_daily) / static_cast<double>(agg_dict));
  return 0;
}
