// veil_bench_leak_guard: the collector's independent leak guard over cleaned events (veil scrub
// output, JSONL {"type","ts","category","attrs"}): false-quarantine rate on clean agent output
// (target <= 0.5 % of records, issue 11 item 5), flags by class, and throughput (records/s,
// one thread). --raw FILE also runs it over raw events (gen_events.py / make_events.py output)
// to show what it would catch if the agent's scanner were bypassed.
//   veil_bench_leak_guard --clean CLEAN.jsonl [--raw RAW.jsonl] [--max-rate 0.005] [--show N]
// Exit 1 when the clean rate is above --max-rate. --show prints the first N flagged clean
// records' reason and attrs (clean output: for tuning, never run on raw data in production).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/collector/leak_guard.hpp"

using namespace veil::collector;

namespace {

std::vector<cleaned_record> load(const std::string& path) {
  std::vector<cleaned_record> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("attrs")) continue;
    cleaned_record r;
    r.type = j.value("type", "");
    r.category = j.value("category", "");
    r.attrs = j["attrs"];
    out.push_back(std::move(r));
  }
  return out;
}

struct tally {
  std::size_t records = 0, flagged = 0;
  std::map<std::string, std::size_t> by_class;
  double seconds = 0;
};

tally run(const leak_guard& g, const std::vector<cleaned_record>& recs, std::size_t show) {
  tally t;
  t.records = recs.size();
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& r : recs)
    if (auto why = g.check(r)) {
      ++t.flagged;
      ++t.by_class[*why];
      if (show) {
        --show;
        std::printf("  flagged %s %s: %s\n", why->c_str(), r.type.c_str(), r.attrs.text().c_str());
      }
    }
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return t;
}

void print(const char* what, const tally& t) {
  std::printf(
      "%s: %zu records, %zu flagged (%.3f %%), %.0f records/s\n", what, t.records, t.flagged,
      t.records ? 100.0 * static_cast<double>(t.flagged) / static_cast<double>(t.records) : 0.0,
      static_cast<double>(t.records) / t.seconds);
  for (const auto& [k, n] : t.by_class) std::printf("  %-16s %zu\n", k.c_str(), n);
}

}  // namespace

int main(int argc, char** argv) {
  std::string clean, raw;
  double max_rate = 1.0;
  std::size_t show = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "veil_bench_leak_guard: %s needs a value\n", a.c_str());
      return 2;
    }
    const std::string v = argv[++i];
    if (a == "--clean") clean = v;
    else if (a == "--raw") raw = v;
    else if (a == "--max-rate") max_rate = std::stod(v);
    else if (a == "--show") show = std::stoul(v);
    else {
      std::fprintf(stderr, "veil_bench_leak_guard: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (clean.empty()) {
    std::fprintf(stderr,
                 "usage: veil_bench_leak_guard --clean CLEAN.jsonl [--raw RAW.jsonl] "
                 "[--max-rate R] [--show N]\n");
    return 2;
  }
  const leak_guard g;
  const auto recs = load(clean);
  if (recs.empty()) {
    std::fprintf(stderr, "veil_bench_leak_guard: no records in %s\n", clean.c_str());
    return 2;
  }
  const auto t = run(g, recs, show);
  print("clean", t);
  if (!raw.empty()) print("raw", run(g, load(raw), 0));
  const double rate = static_cast<double>(t.flagged) / static_cast<double>(t.records);
  if (rate > max_rate) {
    std::fprintf(stderr, "veil_bench_leak_guard: clean rate %.4f above %.4f\n", rate, max_rate);
    return 1;
  }
  return 0;
}
