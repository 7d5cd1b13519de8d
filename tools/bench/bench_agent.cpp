// veil_bench_agent: the host-facing cost of the agent. 4 paced producer threads call
// agent::record(type, attrs_json) at a fixed total rate (default 10k and 100k events/s), each
// call timed with steady_clock; the agent cleans, spools and uploads to a real veil-collector
// started as a child process on 127.0.0.1:0 with a temporary SQLite database. Reports record()
// latency percentiles, statuses (accepted / queue_full), the agent's own counters (stored,
// dropped by reason, uploaded) and the process RSS (VmRSS / VmHWM of /proc/self/status): before
// the agent is opened (baseline: the bench's own buffers are allocated and touched first), idle
// after opening, and the peak under load.
// Options come from config/agent.json (the shipped defaults) unless overridden on the command line.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "veil/agent.hpp"

namespace {

using clk = std::chrono::steady_clock;

const char* usage =
    "usage: veil_bench_agent [--events RAW.jsonl] [--rates 10000,100000] [--seconds S] [--threads "
    "N]\n"
    "                        [--config FILE] [--collector PATH | --no-upload] [--no-sync]\n"
    "                        [--attempts-per-minute N] [--batch N] [--queue N]\n"
    "  --events FILE   raw events (JSONL {type, ts, attrs}), e.g. tools/demo/make_events.py "
    "output;\n"
    "                  default: a few built-in raw events with personal data\n"
    "  --rates LIST    total events/s over all producers (default 10000,100000)\n"
    "  --seconds S     duration of each rate (default 5)\n"
    "  --config FILE   agent config (default config/agent.json of the source tree)\n"
    "  --collector P   veil-collector binary (default: the one built with this tree)\n"
    "  --no-sync       spool.sync_each_append = false (default: the config's value)\n"
    "  --attempts-per-minute N  upload.max_attempts_per_minute (default: the config's value)\n";

struct raw_event {
  std::string type, attrs;
};

std::vector<raw_event> builtin_events() {
  return {
      {"call.ended",
       R"({"call_id":"a1b2c3d4-0000-4000-8000-1234567890ab","remote_number":"+49 30 12345678","remote_uri":"sip:+4930123456@sip.example.net","direction":"out","duration_s":87,"codec":"opus","mos":4.2,"jitter_ms":3.1,"packet_loss_pct":0.2,"rtt_ms":31,"local_ip":"192.168.1.23","public_ip":"203.0.113.77","end_reason":"local_hangup"})"},
      {"log.line",
       R"({"level":"warn","component":"sip","message":"REGISTER sip:alice.smith@pbx.acme-voice.eu from 198.51.100.23:5060 failed: 401"})"},
      {"app.started",
       R"({"app_version":"5.6.12","build":"pro","os_name":"Linux","os_version":"6.1","device_model":"ThinkPad X1","locale":"de-DE","install_id":"a4f87e7d-b946-4949-889c-9c6d9a29ca99","username":"juergen.mueller"})"},
      {"screen.viewed", R"({"screen":"dialer","previous_screen":"contacts","duration_ms":1234})"},
      {"chat.message_sent",
       R"({"body":"call me on +44 20 7946 0958 or mail jo@example.com","recipient":"+491606255970","length":52,"has_attachment":false})"},
  };
}

std::vector<raw_event> load_events(const std::string& path) {
  std::vector<raw_event> v;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);) {
    auto j = nlohmann::json::parse(l, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("type") || !j["type"].is_string())
      continue;
    v.push_back({j["type"].get<std::string>(), j.value("attrs", nlohmann::json::object()).dump()});
  }
  return v;
}

struct mem {
  long rss_kb = 0, hwm_kb = 0, anon_kb = 0, file_kb = 0;
};
mem read_mem() {
  mem m;
  std::ifstream in("/proc/self/status");
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("VmRSS:", 0) == 0) m.rss_kb = std::stol(l.substr(6));
    if (l.rfind("VmHWM:", 0) == 0) m.hwm_kb = std::stol(l.substr(6));
    if (l.rfind("RssAnon:", 0) == 0) m.anon_kb = std::stol(l.substr(8));
    if (l.rfind("RssFile:", 0) == 0) m.file_kb = std::stol(l.substr(8));
  }
  return m;
}
double mib(long kb) { return static_cast<double>(kb) / 1024.0; }

struct child {
  pid_t pid = -1;
  int port = 0;
};

child start_collector(const std::string& bin, const std::string& db) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  child c;
  c.pid = fork();
  if (c.pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    const std::string url = "sqlite://" + db;
    execl(bin.c_str(), bin.c_str(), "--db", url.c_str(), "--listen", "127.0.0.1:0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  char ch;
  while (read(fds[0], &ch, 1) == 1 && ch != '\n') line += ch;
  close(fds[0]);
  if (auto p = line.rfind(':'); line.rfind("listening on ", 0) == 0 && p != std::string::npos)
    c.port = std::stoi(line.substr(p + 1));
  return c;
}

struct run_result {
  double rate = 0;
  std::vector<std::int64_t> lat_ns;  // all calls
  std::uint64_t ok = 0, full = 0, other = 0;
  double seconds = 0;
  mem peak;
};

}  // namespace

int main(int argc, char** argv) {
  std::string events_path, config = VEIL_SOURCE_DIR "/config/agent.json",
                           collector = VEIL_COLLECTOR_BIN;
  std::vector<double> rates{10000, 100000};
  double seconds = 5;
  unsigned threads = 4;
  bool upload = true, no_sync = false;
  long attempts = -1, batch = -1, queue = -1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fputs(usage, stderr);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--events") events_path = next();
    else if (a == "--seconds") seconds = std::stod(next());
    else if (a == "--threads") threads = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--config") config = next();
    else if (a == "--collector") collector = next();
    else if (a == "--no-upload") upload = false;
    else if (a == "--no-sync") no_sync = true;
    else if (a == "--attempts-per-minute") attempts = std::stol(next());
    else if (a == "--batch") batch = std::stol(next());
    else if (a == "--queue") queue = std::stol(next());
    else if (a == "--rates") {
      rates.clear();
      std::string l = next();
      for (std::size_t p = 0; p <= l.size();) {
        auto q = l.find(',', p);
        if (q == std::string::npos) q = l.size();
        rates.push_back(std::stod(l.substr(p, q - p)));
        p = q + 1;
      }
    } else {
      std::fputs(usage, a == "-h" || a == "--help" ? stdout : stderr);
      return a == "-h" || a == "--help" ? 0 : 2;
    }
  }
  const auto events = events_path.empty() ? builtin_events() : load_events(events_path);
  if (events.empty()) {
    std::fprintf(stderr, "veil_bench_agent: no events\n");
    return 1;
  }

  const auto tmp =
      std::filesystem::temp_directory_path() / ("veil_bench_agent." + std::to_string(getpid()));
  std::filesystem::create_directories(tmp);
  child col;
  if (upload) {
    col = start_collector(collector, (tmp / "collector.db").string());
    if (col.port == 0) {
      std::fprintf(stderr, "veil_bench_agent: could not start %s\n", collector.c_str());
      return 1;
    }
  }

  veil::agent_options o;
  if (auto f = veil::load_config(config, o)) {
    std::fprintf(stderr, "veil_bench_agent: %s: %s\n", config.c_str(), f->message.c_str());
    return 1;
  }
  o.state_dir = (tmp / "state").string();
  if (upload) o.upload.endpoint = "http://127.0.0.1:" + std::to_string(col.port);
  if (no_sync) o.storage.sync_each_append = false;
  if (attempts > 0) o.upload.max_attempts_per_minute = static_cast<std::size_t>(attempts);
  if (batch > 0) o.batch.max_records = static_cast<std::size_t>(batch);
  if (queue > 0) o.queue.capacity = static_cast<std::size_t>(queue);
  o.consent_granted_by_default = {"usage", "call_quality", "crash", "diagnostics", "location"};

  // The bench's own buffers, allocated and touched before the baseline.
  std::vector<run_result> results(rates.size());
  for (std::size_t r = 0; r < rates.size(); ++r) {
    results[r].rate = rates[r];
    results[r].lat_ns.assign(static_cast<std::size_t>(rates[r] * seconds * 1.05) + 1024, 0);
  }
  const mem baseline = read_mem();

  veil::failure why;
  auto ag = veil::agent::open(o, &why);
  if (!ag) {
    std::fprintf(stderr, "veil_bench_agent: open: %s\n", why.message.c_str());
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const mem idle = read_mem();

  for (auto& res : results) {
    std::atomic<bool> done{false};
    std::atomic<long> peak_rss{0};
    std::thread sampler([&] {
      while (!done.load()) {
        long r = read_mem().rss_kb;
        if (r > peak_rss.load()) peak_rss = r;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    const auto per_thread = static_cast<std::size_t>(res.rate * seconds) / threads;
    const auto interval = std::chrono::nanoseconds(static_cast<long>(1e9 * threads / res.rate));
    std::vector<std::thread> producers;
    std::vector<std::array<std::uint64_t, 3>> counts(threads, {0, 0, 0});
    const auto t0 = clk::now() + std::chrono::milliseconds(10);
    for (unsigned t = 0; t < threads; ++t) {
      producers.emplace_back([&, t] {
        std::int64_t* lat = res.lat_ns.data() + t * per_thread;
        // Producers are offset by a fraction of the interval so they do not fire in lockstep.
        auto due = t0 + interval * t / threads;
        for (std::size_t i = 0; i < per_thread; ++i, due += interval) {
          if (clk::now() < due) std::this_thread::sleep_until(due);
          const auto& e = events[(i * threads + t) % events.size()];
          const auto a = clk::now();
          const auto s = ag->record(e.type, e.attrs);
          const auto b = clk::now();
          lat[i] = std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
          ++counts[t][s == veil::status::ok ? 0 : s == veil::status::queue_full ? 1 : 2];
        }
      });
    }
    for (auto& p : producers) p.join();
    res.seconds = std::chrono::duration<double>(clk::now() - t0).count();
    done = true;
    sampler.join();
    res.lat_ns.resize(per_thread * threads);
    for (auto& c : counts) res.ok += c[0], res.full += c[1], res.other += c[2];
    res.peak = read_mem();
    res.peak.rss_kb = std::max(res.peak.rss_kb, peak_rss.load());
    std::sort(res.lat_ns.begin(), res.lat_ns.end());
    auto pct = [&](double p) {
      return static_cast<double>(res.lat_ns[std::min(
                 res.lat_ns.size() - 1,
                 static_cast<std::size_t>(p * static_cast<double>(res.lat_ns.size())))]) /
             1000.0;
    };
    std::printf(
        "rate %.0f/s x %.1f s (%u threads, achieved %.0f/s): record() p50 %.2f us, p99 %.2f us, "
        "p99.9 %.2f us, "
        "max %.1f us; ok %llu, queue_full %llu, other %llu; RSS peak %.1f MiB (agent +%.1f MiB "
        "over baseline)\n",
        res.rate, seconds, threads, static_cast<double>(res.lat_ns.size()) / res.seconds, pct(0.50),
        pct(0.99), pct(0.999), static_cast<double>(res.lat_ns.back()) / 1000.0,
        static_cast<unsigned long long>(res.ok), static_cast<unsigned long long>(res.full),
        static_cast<unsigned long long>(res.other), mib(res.peak.rss_kb),
        mib(res.peak.rss_kb - baseline.rss_kb));
    std::fflush(stdout);
    // Let the worker drain what this rate queued before the next one.
    (void)ag->flush(std::chrono::seconds(upload ? 20 : 5));
  }
  const mem end = read_mem();
  std::printf(
      "RSS split (anonymous / file-backed): baseline %.1f / %.1f MiB, idle %.1f / %.1f MiB, after "
      "the runs %.1f / %.1f MiB\n",
      mib(baseline.anon_kb), mib(baseline.file_kb), mib(idle.anon_kb), mib(idle.file_kb),
      mib(end.anon_kb), mib(end.file_kb));
  std::printf(
      "RSS: baseline (bench buffers, no agent) %.1f MiB; idle agent %.1f MiB (+%.1f); VmHWM %.1f "
      "MiB (+%.1f)\n",
      mib(baseline.rss_kb), mib(idle.rss_kb), mib(idle.rss_kb - baseline.rss_kb), mib(end.hwm_kb),
      mib(end.hwm_kb - baseline.rss_kb));
  std::printf(
      "config: %s%s, sync_each_append %d, max_attempts_per_minute %zu, batch %zu, queue %zu%s\n",
      config.c_str(), upload ? " + local veil-collector (SQLite)" : " (no upload)",
      o.storage.sync_each_append ? 1 : 0, o.upload.max_attempts_per_minute, o.batch.max_records,
      o.queue.capacity, events_path.empty() ? ", built-in events" : "");
  std::printf("agent stats after flush: %s\n", ag->stats_json().c_str());
  (void)ag->close(std::chrono::seconds(2));
  ag.reset();
  if (col.pid > 0) {
    kill(col.pid, SIGTERM);
    int st = 0;
    waitpid(col.pid, &st, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  return 0;
}
