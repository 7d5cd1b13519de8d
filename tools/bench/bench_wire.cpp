// veil_bench_wire: bytes on the wire per event for upload batches of cleaned events, through
// the real OTLP encoder (agent/upload/otlp_encoder) and batch codec (zstd with and without the
// shipped dictionary, gzip via zlib). The byte counts are deterministic; the compression time per
// batch (thread CPU time, best of 3 passes) is printed beside them as the device-side cost.
// Input: cleaned JSONL ({"type","ts","category","attrs"} per line), e.g. `veil scrub` output or
// an event generator's cleaned output (e.g. the optional external
// corpus generator's --ideal). The file is cut into consecutive batches of N events.
// --train-out also trains a dictionary on OTLP requests of --train-batch events taken from
// --train FILE (a different file than --events, so the figures are not measured on the training
// set) and reports the figures with it.
#include "tools/bench/bench_util.hpp"
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <span>
#include <optional>
#include <string>
#include <vector>

#include "agent/platform/file_util.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_encoder.hpp"

using namespace veil::detail;

namespace {

const char* usage =
    "usage: veil_bench_wire --events CLEANED.jsonl [--dict FILE] [--batches 100,1000] "
    "[--max-events N]\n"
    "                       [--train CLEANED.jsonl --train-out FILE [--train-batch N] [--dict-size "
    "BYTES]]\n"
    "  --events FILE    cleaned events, one JSON object per line (veil scrub output)\n"
    "  --dict FILE      zstd dictionary (default: config/zstd.dict of the source tree)\n"
    "  --batches LIST   batch sizes (default 100,1000)\n"
    "  --max-events N   use at most N events per batch size (default 20000)\n"
    "  --train FILE     train a dictionary on OTLP requests of --train-batch (default 100) events\n"
    "  --dict-size B    dictionary capacity (default 16384); --train-out writes it\n";

std::vector<std::string> otlp_batches(const otlp_encoder& enc,
                                      const std::vector<std::string>& events, std::size_t n,
                                      std::size_t max_events) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i + n <= events.size() && i + n <= max_events; i += n) {
    std::span<const std::string> chunk(events.data() + i, n);
    auto p = enc.encode(chunk);
    if (p.ok() && p->records == n) out.push_back(std::move(p->body));
  }
  return out;
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct column {
  std::string name;
  std::function<std::size_t(const std::string&)> size;
};

}  // namespace

int main(int argc, char** argv) {
  std::string events_path, dict_path = VEIL_SOURCE_DIR "/config/zstd.dict", train_path, train_out;
  std::vector<std::size_t> sizes{100, 1000};
  std::size_t max_events = 20000, train_batch = 100, dict_size = 16384;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n%s", a.c_str(), usage);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--events") events_path = next();
    else if (a == "--dict") dict_path = next();
    else if (a == "--max-events") max_events = std::stoul(next());
    else if (a == "--train") train_path = next();
    else if (a == "--train-out") train_out = next();
    else if (a == "--train-batch") train_batch = std::stoul(next());
    else if (a == "--dict-size") dict_size = std::stoul(next());
    else if (a == "--batches") sizes = veil::bench::parse_sizes(next());
    else {
      std::fputs(usage, a == "-h" || a == "--help" ? stdout : stderr);
      return a == "-h" || a == "--help" ? 0 : 2;
    }
  }
  if (events_path.empty()) {
    std::fputs(usage, stderr);
    return 2;
  }
  const auto events = veil::bench::read_lines(events_path);
  if (events.empty()) {
    std::fprintf(stderr, "veil_bench_wire: no events in %s\n", events_path.c_str());
    return 1;
  }
  // The agent's resource: service, version, os and a 43-char install pseudonym.
  const otlp_encoder enc({"softphone", "5.6.12", "linux"},
                         "Vx3kQ9pL0aTz7bWc2RmN5yHf8JdG1sKe4uIo6qPvXw");

  auto dict = read_file(dict_path);
  if (!dict) {
    std::fprintf(stderr, "veil_bench_wire: %s: %s\n", dict_path.c_str(),
                 dict.err().message.c_str());
    return 1;
  }
  std::optional<std::string> trained;
  if (!train_path.empty()) {
    const auto train = veil::bench::read_lines(train_path);
    auto samples = otlp_batches(enc, train, train_batch, train.size());
    auto d = train_dictionary(samples, dict_size);
    if (!d) {
      std::fprintf(stderr, "veil_bench_wire: train: %s\n", d.err().message.c_str());
      return 1;
    }
    trained = std::move(*d);
    if (!train_out.empty()) {
      std::ofstream out(train_out, std::ios::binary | std::ios::trunc);
      out.write(trained->data(), static_cast<std::streamsize>(trained->size()));
      if (!out) return 1;
    }
    std::printf("trained dictionary: %zu bytes on %zu OTLP requests of %zu events (%s)\n",
                trained->size(), samples.size(), train_batch, train_path.c_str());
  }

  auto mk = [](int level, std::string_view d) {
    codec_options o;
    o.level = level;
    auto c = batch_codec::create(o, d);
    if (!c) {
      std::fprintf(stderr, "veil_bench_wire: codec: %s\n", c.err().message.c_str());
      std::exit(1);
    }
    return std::make_shared<batch_codec>(std::move(*c));
  };
  auto z3 = mk(3, {}), z19 = mk(19, {}), zd3 = mk(3, *dict), zd9 = mk(9, *dict),
       zd19 = mk(19, *dict);
  std::printf("events: %zu cleaned lines from %s; dictionary %s: %zu bytes, id %u\n", events.size(),
              events_path.c_str(), dict_path.c_str(), dict->size(), zd3->dict_id());
  std::vector<column> cols{
      {"otlp-json", [](const std::string& b) { return b.size(); }},
      {"gzip-6", [](const std::string& b) { return gzip_compress(b, 6)->size(); }},
      {"zstd-3", [&](const std::string& b) { return z3->compress(b)->size(); }},
      {"zstd-19", [&](const std::string& b) { return z19->compress(b)->size(); }},
      {"zstd-3+dict", [&](const std::string& b) { return zd3->compress(b)->size(); }},
      {"zstd-9+dict", [&](const std::string& b) { return zd9->compress(b)->size(); }},
      {"zstd-19+dict", [&](const std::string& b) { return zd19->compress(b)->size(); }},
  };
  if (trained) {
    auto t3 = mk(3, *trained), t9 = mk(9, *trained), t19 = mk(19, *trained);
    cols.push_back({"zstd-3+new", [t3](const std::string& b) { return t3->compress(b)->size(); }});
    cols.push_back({"zstd-9+new", [t9](const std::string& b) { return t9->compress(b)->size(); }});
    cols.push_back(
        {"zstd-19+new", [t19](const std::string& b) { return t19->compress(b)->size(); }});
  }

  std::printf("\n%-6s %-8s", "batch", "batches");
  for (const auto& c : cols) std::printf(" %13s", c.name.c_str());
  std::printf("   (bytes per event)\n");
  for (std::size_t n : sizes) {
    const auto batches = otlp_batches(enc, events, n, max_events);
    if (batches.empty()) continue;
    const double ev = static_cast<double>(batches.size() * n);
    std::printf("%-6zu %-8zu", n, batches.size());
    std::vector<double> per, us;
    for (const auto& c : cols) {
      std::size_t total = 0;
      double best = 1e300;
      for (int pass = 0; pass < 3; ++pass) {
        total = 0;
        const double t0 = cpu_seconds();
        for (const auto& b : batches) total += c.size(b);
        best = std::min(best, cpu_seconds() - t0);
      }
      per.push_back(static_cast<double>(total) / ev);
      us.push_back(best * 1e6 / static_cast<double>(batches.size()));
      std::printf(" %13.1f", per.back());
    }
    std::printf("\n%-15s", "  x gzip-6");
    for (double p : per) std::printf(" %13.2f", p / per[1]);
    std::printf("\n%-15s", "  us/batch");
    us[0] = 0;
    for (double u : us) std::printf(" %13.0f", u);
    std::printf("\n");
  }
  return 0;
}
