// veil_bench_collector_stages: thread CPU time per event of each stage of the collector's
// request path, one thread, no HTTP: OTLP decoding (the previous nlohmann decoder, kept as the
// tests' reference model, against the simdjson decoder), the batch decoder's conversion to
// cleaned_record, the policy guard (contract check on the attrs text, and on nlohmann trees as
// before), and the SQLite sink's write_batch with three index sets. Bodies are built in advance
// from cleaned events with the real encoder (uncompressed). CPU time is what the code costs on a
// shared machine; the sink's wall time is printed too (it includes waiting for the CPU).
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "agent/platform/file_util.hpp"
#include "tools/collector/contract.hpp"
#include "agent/policy/policy.hpp"
#include "tests/support/otlp_reference_decoder.hpp"
#include "tools/bench/bench_util.hpp"
#include "tools/collector/batch_decoder.hpp"
#include "tools/collector/record_guard.hpp"
#include "tools/collector/sink.hpp"

using namespace veil::detail;
using namespace veil::collector;

namespace {
double thread_cpu() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}
}  // namespace

int main(int argc, char** argv) {
  std::string events_path;
  std::size_t batch = 100, total = 100000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--events") events_path = argv[i + 1];
    else if (a == "--batch") batch = std::stoul(argv[i + 1]);
    else if (a == "--count") total = std::stoul(argv[i + 1]);
  }
  if (events_path.empty() || batch == 0) {
    std::fputs(
        "usage: veil_bench_collector_stages --events CLEANED.jsonl [--batch 100] [--count "
        "100000]\n",
        stderr);
    return 2;
  }
  const auto lines = veil::bench::read_lines(events_path);
  auto text = read_file(VEIL_SOURCE_DIR "/config/policy.json");
  if (lines.empty() || !text) return 1;
  policy_report rep;
  auto policy = compile_policy(*text, rep);
  if (!policy) return 1;
  const otlp_encoder enc({"softphone", "5.6.12", "linux"},
                         "Vx3kQ9pL0aTz7bWc2RmN5yHf8JdG1sKe4uIo6qPvXw");
  std::vector<std::string> bodies;
  for (std::size_t off = 0; off + batch <= total; off += batch) {
    std::vector<std::string> chunk;
    for (std::size_t k = 0; k < batch; ++k) chunk.push_back(lines[(off + k) % lines.size()]);
    auto p = enc.encode(chunk);
    if (!p) return 1;
    bodies.push_back(std::move(p->body));
  }
  const double n = static_cast<double>(bodies.size() * batch);
  auto per_event = [&](double t0) { return (thread_cpu() - t0) / n * 1e6; };
  std::printf("%zu events in %zu requests of %zu\n", bodies.size() * batch, bodies.size(), batch);

  std::size_t seen = 0;
  double t = thread_cpu();
  for (const auto& b : bodies) seen += reference::reference_decode(b)->events.size();
  std::printf("decode, previous nlohmann decoder:   %6.2f us/event\n", per_event(t));
  t = thread_cpu();
  for (const auto& b : bodies) seen += otlp_decoder{}.decode_records(b)->records.size();
  std::printf("decode, simdjson decode_records:     %6.2f us/event\n", per_event(t));
  auto dec = make_batch_decoder(16u << 20);
  if (!dec) return 1;
  std::vector<std::vector<cleaned_record>> recs;
  t = thread_cpu();
  for (const auto& b : bodies) recs.push_back(*(*dec)(b, "identity", ""));
  std::printf("batch decoder -> cleaned_record:     %6.2f us/event\n", per_event(t));

  auto guard = make_policy_guard(*policy);
  std::size_t quarantined = 0;
  t = thread_cpu();
  for (const auto& v : recs)
    for (const auto& r : v) quarantined += guard(r).has_value();
  std::printf("policy guard, check_json on text:    %6.2f us/event (%zu quarantined)\n",
              per_event(t), quarantined);
  const contract con(*policy);
  std::vector<nlohmann::json> trees;
  for (const auto& v : recs)
    for (const auto& r : v) trees.push_back(r.attrs.tree());
  std::size_t i = 0;
  t = thread_cpu();
  for (const auto& v : recs)
    for (const auto& r : v) quarantined += con.check(r.type, r.category, trees[i++]).has_value();
  std::printf("contract check on nlohmann trees:    %6.2f us/event\n", per_event(t));

  const auto dir =
      std::filesystem::temp_directory_path() / ("veil_bench_stages." + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const char* names[] = {"(type,day) [shipped]", "(type,day),(day),(install) [before]",
                         "(type,day),(install)"};
  for (int variant = 0; variant < 3; ++variant) {
    const auto path = (dir / ("v" + std::to_string(variant) + ".db")).string();
    auto s = open_sink("sqlite://" + path);
    if (!s) return 1;
    if (variant > 0) {  // a second connection changes the index set; the sink re-prepares
      sqlite3* db = nullptr;
      sqlite3_open(path.c_str(), &db);
      if (variant == 1)
        sqlite3_exec(db, "CREATE INDEX events_day ON events(day)", nullptr, nullptr, nullptr);
      sqlite3_exec(db, "CREATE INDEX events_install ON events(install)", nullptr, nullptr, nullptr);
      sqlite3_close(db);
    }
    std::size_t k = 0;
    const auto w0 = std::chrono::steady_clock::now();
    t = thread_cpu();
    for (const auto& v : recs)
      if (!(*s)->write_batch("k" + std::to_string(k++), v, {}, std::chrono::system_clock::now()))
        return 1;
    const double cpu = per_event(t);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count() / n * 1e6;
    std::printf("sqlite write_batch, %-36s %6.2f us/event CPU, %6.2f wall\n", names[variant], cpu,
                wall);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return seen == 0;
}
