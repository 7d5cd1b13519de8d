// veil_bench_ingest: collector ingest rate. Starts veil-collector as a child process on
// 127.0.0.1:0 with a temporary SQLite database (and, when /usr/sbin/clickhouse-server exists, a
// second run into a clickhouse-server started on loopback with a temporary directory), then N
// uploader threads (default 2), each on one keep-alive HTTP/1.1 connection, POST /v1/logs batches
// of B cleaned events (default 100 and 1000) as OTLP JSON compressed with zstd and the shipped
// dictionary, prepared in advance (real encoder and codec), each with a unique Idempotency-Key.
// The rate is events accepted (200 responses, accepted + quarantined) per wall second from the
// first request to the last response. The database is counted afterwards for SQLite. The
// collector's CPU time (utime + stime from /proc/PID/stat) over each run is printed as CPU µs per
// event: on the shared 2-core machine it moves much less with load than the wall-clock rate.
// The collector's peak RSS (VmHWM) is printed after each sink's runs.
#include "tools/bench/bench_util.hpp"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/platform/file_util.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_encoder.hpp"
#include "agent/core/time_util.hpp"

extern char** environ;

using namespace veil::detail;
namespace fs = std::filesystem;

namespace {

using clk = std::chrono::steady_clock;

const char* usage =
    "usage: veil_bench_ingest --events CLEANED.jsonl [--batches 100,1000] [--events-per-run N] "
    "[--uploaders N]\n"
    "                         [--reps N] [--collector PATH] [--only sqlite|clickhouse] [--threads "
    "N]\n"
    "  --events FILE      cleaned events (veil scrub output); cycled as needed\n"
    "  --events-per-run N events sent per run (default 100000)\n"
    "  --uploaders N      concurrent connections (default 2)\n"
    "  --reps N           runs per batch size; best and median are printed (default 3)\n"
    "  --threads N        veil-collector --threads (default: the collector's default)\n";

struct proc {
  pid_t pid = -1;
  int port = 0;
};

void stop(proc& p) {
  if (p.pid > 0) {
    kill(p.pid, SIGTERM);
    int st = 0;
    waitpid(p.pid, &st, 0);
    p.pid = -1;
  }
}

proc start_collector(const std::string& bin, const std::string& url, const std::string& threads) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  proc c;
  c.pid = fork();
  if (c.pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    if (threads.empty())
      execl(bin.c_str(), bin.c_str(), "--db", url.c_str(), "--listen", "127.0.0.1:0",
            static_cast<char*>(nullptr));
    else
      execl(bin.c_str(), bin.c_str(), "--db", url.c_str(), "--listen", "127.0.0.1:0", "--threads",
            threads.c_str(), static_cast<char*>(nullptr));
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

int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool send_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads one response with Content-Length; returns the status (0 on error) and the body.
unsigned read_response(int fd, std::string& buf, std::string& body) {
  std::size_t hdr_end;
  char tmp[8192];
  while ((hdr_end = buf.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return 0;
    buf.append(tmp, static_cast<std::size_t>(n));
  }
  const std::string head = buf.substr(0, hdr_end);
  unsigned status = static_cast<unsigned>(std::atoi(head.c_str() + 9));
  std::size_t len = 0;
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (auto p = lower.find("content-length:"); p != std::string::npos)
    len = std::stoul(lower.substr(p + 15));
  while (buf.size() < hdr_end + 4 + len) {
    ssize_t n = recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return 0;
    buf.append(tmp, static_cast<std::size_t>(n));
  }
  body = buf.substr(hdr_end + 4, len);
  buf.erase(0, hdr_end + 4 + len);
  return status;
}

// utime + stime of a process in seconds (0 when /proc is unavailable).
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto p = stat.rfind(')');  // the command name may contain spaces
  if (p == std::string::npos) return 0;
  std::istringstream f(stat.substr(p + 2));
  std::string field;
  unsigned long long ut = 0, st = 0;
  for (int i = 3; i <= 15 && f >> field; ++i) {  // fields 14 and 15 (1-based): utime, stime
    if (i == 14) ut = std::stoull(field);
    if (i == 15) st = std::stoull(field);
  }
  return static_cast<double>(ut + st) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// A "Field:   N kB" line of /proc/PID/status, in KiB (0 when absent).
long long status_kib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) return std::atoll(line.c_str() + field.size() + 1);
  return 0;
}

struct run_stats {
  double seconds = 0, collector_cpu = 0;
  std::uint64_t events = 0, accepted = 0, quarantined = 0, failed_requests = 0;
  double rate() const { return static_cast<double>(accepted + quarantined) / seconds; }
  double cpu_us_per_event() const {
    return 1e6 * collector_cpu / static_cast<double>(accepted + quarantined);
  }
};

run_stats run(pid_t collector, int port, const std::vector<std::string>& bodies,
              std::size_t per_batch, std::size_t requests, unsigned uploaders,
              std::uint32_t dict_id, const std::string& key_prefix) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> accepted{0}, quarantined{0}, failed{0};
  const double cpu0 = cpu_seconds(collector);
  const auto t0 = clk::now();
  std::vector<std::thread> ts;
  for (unsigned u = 0; u < uploaders; ++u) {
    ts.emplace_back([&] {
      int fd = connect_to(port);
      std::string buf, body;
      for (std::size_t i; (i = next.fetch_add(1)) < requests;) {
        if (fd < 0) fd = connect_to(port);
        const std::string& b = bodies[i % bodies.size()];
        std::string req =
            "POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Encoding: zstd\r\nX-Veil-Zstd-Dict: " +
            std::to_string(dict_id) + "\r\nIdempotency-Key: " + key_prefix + std::to_string(i) +
            "\r\nContent-Length: " + std::to_string(b.size()) + "\r\n\r\n";
        const unsigned st = send_all(fd, req) && send_all(fd, b) ? read_response(fd, buf, body) : 0;
        if (st != 200) {
          ++failed;
          if (failed.load() < 5)
            std::fprintf(stderr, "request %zu: status %u %s\n", i, st, body.c_str());
          close(fd);
          fd = -1;
          buf.clear();
          continue;
        }
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (!j.is_discarded()) {
          accepted += j.value("accepted", 0ull);
          quarantined += j.value("quarantined", 0ull);
        }
      }
      if (fd >= 0) close(fd);
    });
  }
  for (auto& t : ts) t.join();
  run_stats s;
  s.seconds = std::chrono::duration<double>(clk::now() - t0).count();
  s.collector_cpu = cpu_seconds(collector) - cpu0;
  s.events = requests * per_batch;
  s.accepted = accepted;
  s.quarantined = quarantined;
  s.failed_requests = failed;
  return s;
}

long long sqlite_count(const std::string& path) {
  sqlite3* db = nullptr;
  long long n = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

bool ping_clickhouse(int port) {
  int fd = connect_to(port);
  if (fd < 0) return false;
  std::string buf, body;
  bool ok = send_all(fd, "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") &&
            read_response(fd, buf, body) == 200;
  close(fd);
  return ok;
}

// clickhouse-server on loopback with a temporary directory (as
// tests/collector_clickhouse_test.cpp).
proc start_clickhouse(const fs::path& dir) {
  const char* bin = "/usr/sbin/clickhouse-server";
  proc p;
  p.port = free_port();
  const int tcp_port = free_port();
  const auto d = dir.string();
  fs::create_directories(dir / "log");
  std::ofstream(dir / "config.xml")
      << "<yandex>\n<logger><level>warning</level><log>" << d << "/log/server.log</log><errorlog>"
      << d
      << "/log/server.err.log</errorlog><size>10M</size><count>1</count></logger>\n"
         "<listen_host>127.0.0.1</listen_host><http_port>"
      << p.port << "</http_port><tcp_port>" << tcp_port << "</tcp_port>\n<path>" << d
      << "/data/</path><tmp_path>" << d << "/data/tmp/</tmp_path>\n<user_files_path>" << d
      << "/data/user_files/</user_files_path><format_schema_path>" << d
      << "/data/format_schemas/</format_schema_path>\n"
         "<users_config>users.xml</users_config><default_profile>default</"
         "default_profile><default_database>default</default_database>\n"
         "<mark_cache_size>268435456</mark_cache_size><uncompressed_cache_size>268435456</"
         "uncompressed_cache_size>\n"
         "<max_concurrent_queries>20</max_concurrent_queries><timezone>UTC</timezone>\n</yandex>\n";
  std::ofstream(dir / "users.xml")
      << "<yandex><profiles><default><max_memory_usage>2000000000</max_memory_usage>"
         "</default></profiles><users><default><password></password><networks><ip>127.0.0.1</"
         "ip><ip>::1</ip></networks>"
         "<profile>default</profile><quota>default</quota></default></"
         "users><quotas><default><interval>"
         "<duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</"
         "result_rows>"
         "<read_rows>0</read_rows><execution_time>0</execution_time></interval></default></"
         "quotas></yandex>\n";
  std::string cfg = "--config-file=" + (dir / "config.xml").string();
  std::vector<char*> argv = {const_cast<char*>(bin), cfg.data(), nullptr};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  const auto out = (dir / "log" / "stdout.log").string();
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  if (posix_spawn(&p.pid, bin, &fa, nullptr, argv.data(), environ) != 0) p.pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  bool ready = false;
  for (int i = 0; p.pid > 0 && i < 400 && !ready; ++i) {
    ready = ping_clickhouse(p.port);
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!ready) stop(p);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  std::string events_path, collector = VEIL_COLLECTOR_BIN, only, threads;
  std::vector<std::size_t> sizes{100, 1000};
  std::size_t per_run = 100000;
  unsigned uploaders = 2, reps = 3;
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
    else if (a == "--events-per-run") per_run = std::stoul(next());
    else if (a == "--uploaders") uploaders = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--reps") reps = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--collector") collector = next();
    else if (a == "--only") only = next();
    else if (a == "--threads") threads = next();
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
  std::vector<std::string> events = veil::bench::read_lines(events_path);
  // Dated now: the collector quarantines records outside [now - retention, now + 1 day].
  {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    for (auto& e : events) {
      auto j = nlohmann::json::parse(e, nullptr, false);
      if (j.is_discarded() || !j.is_object()) continue;
      j["ts"] = veil::detail::format_rfc3339(now_ms - now_ms % 3'600'000);
      e = j.dump();
    }
  }
  auto dict = read_file(VEIL_SOURCE_DIR "/config/zstd.dict");
  if (events.empty() || !dict) {
    std::fprintf(stderr, "veil_bench_ingest: no events or no config/zstd.dict\n");
    return 1;
  }
  auto codec = batch_codec::create({}, *dict);
  if (!codec) return 1;

  const auto tmp = fs::temp_directory_path() / ("veil_bench_ingest." + std::to_string(getpid()));
  fs::create_directories(tmp);
  struct target {
    std::string name;
    std::string url;
    proc backend;
  };
  std::vector<target> targets;
  if (only.empty() || only == "sqlite")
    targets.push_back({"sqlite", "sqlite://" + (tmp / "ingest.db").string(), {}});
  if ((only.empty() || only == "clickhouse") && fs::exists("/usr/sbin/clickhouse-server")) {
    auto ch = start_clickhouse(tmp / "clickhouse");
    if (ch.pid > 0)
      targets.push_back(
          {"clickhouse", "clickhouse://127.0.0.1:" + std::to_string(ch.port) + "/veil_bench", ch});
    else std::fprintf(stderr, "veil_bench_ingest: clickhouse-server did not start; skipped\n");
  }

  std::printf("events: %s (%zu lines); %u uploaders; %zu events per run; zstd-3 + dictionary %u\n",
              events_path.c_str(), events.size(), uploaders, per_run, codec->dict_id());
  for (auto& t : targets) {
    auto col = start_collector(collector, t.url, threads);
    if (col.port == 0) {
      std::fprintf(stderr, "veil_bench_ingest: could not start %s\n", collector.c_str());
      return 1;
    }
    for (std::size_t n : sizes) {
      // Distinct bodies (up to 200 per size), cycled; each request gets its own key anyway.
      std::vector<std::string> bodies;
      std::size_t wire = 0;
      for (std::size_t off = 0; bodies.size() < 200 && bodies.size() * n < per_run; off += n) {
        std::vector<std::string> chunk;
        for (std::size_t k = 0; k < n; ++k) chunk.push_back(events[(off + k) % events.size()]);
        // Each body from its own device (an install token of the agent's shape), as in a real
        // fleet: the per-install quota then applies as it would in production.
        char install[33];
        std::snprintf(install, sizeof install, "%032zx", bodies.size() + 1000 * n);
        const otlp_encoder enc({"softphone", "5.6.12", "linux"}, install);
        auto p = enc.encode(chunk);
        if (!p) return 1;
        bodies.push_back(*codec->compress(p->body));
        wire += bodies.back().size();
      }
      const std::size_t requests = per_run / n;
      std::vector<double> rates, cpus;
      run_stats last;
      for (unsigned r = 0; r < reps; ++r) {
        last = run(col.pid, col.port, bodies, n, requests, uploaders, codec->dict_id(),
                   t.name + "-" + std::to_string(n) + "-" + std::to_string(r) + "-");
        rates.push_back(last.rate());
        cpus.push_back(last.cpu_us_per_event());
        std::printf(
            "  %-10s batch %4zu rep %u: %.0f events/s, collector CPU %.2f us/event (%.2f s; "
            "accepted %llu, "
            "quarantined %llu, failed requests %llu)\n",
            t.name.c_str(), n, r, last.rate(), last.cpu_us_per_event(), last.seconds,
            static_cast<unsigned long long>(last.accepted),
            static_cast<unsigned long long>(last.quarantined),
            static_cast<unsigned long long>(last.failed_requests));
        std::fflush(stdout);
      }
      std::sort(rates.begin(), rates.end());
      std::sort(cpus.begin(), cpus.end());
      std::printf(
          "%-10s batch %4zu: best %.0f events/s, median %.0f events/s; collector CPU best %.2f, "
          "median %.2f "
          "us/event (= %.0f events per CPU-second) (%u runs; %.1f wire B/event)\n",
          t.name.c_str(), n, rates.back(), rates[rates.size() / 2], cpus.front(),
          cpus[cpus.size() / 2], 1e6 / cpus[cpus.size() / 2], reps,
          static_cast<double>(wire) / static_cast<double>(bodies.size() * n));
      std::fflush(stdout);
    }
    // The collector's peak resident memory over all runs of this sink (its memory budget
    // bounds the in-flight part; the rest is the fixed overhead: README "Collector memory").
    std::printf("%-10s collector peak RSS (VmHWM) %.1f MiB\n", t.name.c_str(),
                static_cast<double>(status_kib(col.pid, "VmHWM")) / 1024.0);
    stop(col);
    if (t.name == "sqlite")
      std::printf("sqlite: %lld rows in events\n", sqlite_count((tmp / "ingest.db").string()));
    stop(t.backend);
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return 0;
}
