// veil-collector: parse flags, open the sink, run the server until SIGTERM/SIGINT.
// Data goes to stdout ("listening on HOST:PORT"), diagnostics to stderr. Exit 0 ok, 1 failure, 2
// usage.
#include <signal.h>

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "tools/collector/record_guard.hpp"
#include "tools/collector/request_handler.hpp"
#include "tools/collector/retention.hpp"
#include "tools/collector/server.hpp"
#include "tools/collector/sink.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/policy.hpp"
#include "tools/collector/batch_decoder.hpp"

namespace {

constexpr const char* usage =
    "usage: veil-collector --db URL [--listen HOST:PORT] [--api-keys FILE]\n"
    "         [--tls-cert PEM --tls-key PEM] [--max-body BYTES] [--max-decompressed BYTES]\n"
    "         [--max-header BYTES] [--read-timeout-ms MS] [--idle-timeout-ms MS]\n"
    "         [--max-connections N] [--max-connections-per-client N] [--memory-budget BYTES]\n"
    "         [--threads N] [--install-rate N] [--install-burst N] [--install-bytes-rate BYTES]\n"
    "         [--key-rate N] [--key-burst N]\n"
    "         [--policy FILE] [--zstd-dict FILE] [--retention-days N]\n"
    "  URL: sqlite:///path/to.db | clickhouse://host:port/db\n"
    "  --policy: the policy whose cleaned-data contract records must meet (default "
    "<prefix>/share/veil/policy.json)\n"
    "  --retention-days: delete stored events, and install-key bindings and tombstones, older "
    "than\n"
    "    N days, at start and hourly (default 396, 13 months)\n"
    "  --zstd-dict: the agents' zstd dictionary (default <prefix>/share/veil/zstd.dict; 'none' for "
    "none)\n"
    "  --memory-budget: in-flight request memory; requests beyond it wait or get 503\n"
    "  quotas (token buckets, 429 + Retry-After; 0 = off): --install-rate N --install-burst N\n"
    "    (requests/s per install, default 5 and 60), --install-bytes-rate BYTES (default 1 "
    "MiB/s),\n"
    "    --key-rate N --key-burst N (per ingest key, default 20000 and 40000)\n"
    "  defaults: --listen 127.0.0.1:8080, body 8 MiB, decompressed 32 MiB, header 16 KiB,\n"
    "            read timeout 10000 ms, idle timeout 5000 ms, 256 connections, 16 per client\n"
    "            (IPv4 address or IPv6 /64), memory budget 256 MiB, 2 worker threads\n";

// A flag's number, checked against the range its meaning allows (never truncated or wrapped:
// the value is parsed as 64 bits, then checked, then converted). The error says which flag,
// what it got and what it accepts.
template <class T>
std::string to_num(const std::string& flag, const std::string& s, T& out, std::uint64_t lo,
                   std::uint64_t hi) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec == std::errc::invalid_argument || p != s.data() + s.size())
    return flag + " needs a whole number, got '" + s.substr(0, 32) + "'";
  if (ec == std::errc::result_out_of_range || v < lo || v > hi)
    return flag + " must be in " + std::to_string(lo) + " .. " + std::to_string(hi) + ", got " +
           s.substr(0, 32);
  out = static_cast<T>(v);
  return {};
}

// The shipped defaults (policy.json, zstd.dict) live in <prefix>/share/veil beside the installed
// binary's <prefix>/bin; a build tree has a copy in <build>/share/veil beside the binary. The
// compiled-in install directory is the last resort, so an installed collector never reads the
// source tree and a relocated prefix still finds its own files.
std::string default_config_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const auto& dir : {exe.parent_path() / "share" / "veil",
                            exe.parent_path().parent_path() / "share" / "veil"}) {
      if (std::filesystem::exists(dir / "policy.json", ec)) return dir.string();
    }
  }
  return VEIL_INSTALL_DATADIR;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace veil::collector;
  server_options so;
  so.listen = "127.0.0.1:8080";
  std::string db, keys_file;
  const std::string config_dir = default_config_dir();
  std::string policy_file = config_dir + "/policy.json", dict_file = config_dir + "/zstd.dict";
  std::size_t max_decompressed = std::size_t{32} << 20;
  unsigned retention_days = default_retention_days;
  handler_options ho;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << usage;
      return 0;
    }
    if (i + 1 >= args.size()) {
      std::cerr << "veil-collector: " << a << " needs a value (or is unknown)\n" << usage;
      return 2;
    }
    const auto& v = args[++i];
    std::string err;
    std::uint64_t ms = 0;
    constexpr std::uint64_t KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;
    constexpr std::uint64_t hour_ms = 3'600'000;
    if (a == "--listen") so.listen = v;
    else if (a == "--db") db = v;
    else if (a == "--api-keys") keys_file = v;
    else if (a == "--policy") policy_file = v;
    else if (a == "--zstd-dict") dict_file = v;
    else if (a == "--tls-cert") so.tls_cert = v;
    else if (a == "--tls-key") so.tls_key = v;
    else if (a == "--max-body") err = to_num(a, v, so.max_body, 1, GiB);
    else if (a == "--max-decompressed") err = to_num(a, v, max_decompressed, 1, 4 * GiB);
    else if (a == "--max-header") err = to_num(a, v, so.max_header, KiB, MiB);
    else if (a == "--max-connections") err = to_num(a, v, so.max_connections, 1, 1'000'000);
    else if (a == "--max-connections-per-client")
      err = to_num(a, v, so.max_connections_per_client, 1, 1'000'000);
    else if (a == "--memory-budget") err = to_num(a, v, so.memory_budget, 16 * MiB, 1024 * GiB);
    else if (a == "--threads") err = to_num(a, v, so.worker_threads, 1, 256);
    else if (a == "--retention-days") err = to_num(a, v, retention_days, 1, 36'500);
    else if (a == "--install-rate" || a == "--install-burst" || a == "--key-rate" ||
             a == "--key-burst") {
      // Requests per second and bucket size; 0 turns the quota off.
      unsigned long long n = 0;
      err = to_num(a, v, n, 0, 10'000'000);
      rate_limit& l = a.rfind("--install", 0) == 0 ? ho.install_requests : ho.key_requests;
      (a.find("burst") != std::string::npos ? l.burst : l.rate) = static_cast<double>(n);
    } else if (a == "--install-bytes-rate") {
      unsigned long long n = 0;
      err = to_num(a, v, n, 0, 1ull << 40);
      ho.install_bytes.rate = static_cast<double>(n);
      ho.install_bytes.burst = std::max(ho.install_bytes.burst, static_cast<double>(n));
    } else if (a == "--read-timeout-ms" || a == "--idle-timeout-ms") {
      err = to_num(a, v, ms, 1, hour_ms);
      (a == "--read-timeout-ms" ? so.read_timeout : so.idle_timeout) =
          std::chrono::milliseconds(ms);
    } else {
      std::cerr << "veil-collector: unknown flag " << a << '\n' << usage;
      return 2;
    }
    if (!err.empty()) {
      std::cerr << "veil-collector: " << err << '\n';
      return 2;
    }
  }
  if (db.empty()) {
    std::cerr << "veil-collector: --db is required\n" << usage;
    return 2;
  }
  if (auto v = so.validate(); !v) {
    std::cerr << "veil-collector: " << v.err().message << '\n';
    return 2;
  }
  // A request of max_decompressed bytes holds them plus its parse (about 3x more) at once.
  if (max_decompressed > so.memory_budget / 4) {
    std::cerr << "veil-collector: --max-decompressed " << max_decompressed
              << " does not fit the memory budget (at most --memory-budget / 4 = "
              << so.memory_budget / 4 << ")\n";
    return 2;
  }
  api_keys keys;
  if (!keys_file.empty()) {
    auto k = api_keys::load(keys_file);
    if (!k) {
      std::cerr << "veil-collector: " << k.err().message << '\n';
      return 1;
    }
    keys = std::move(*k);
  }
  auto policy_text = veil::detail::read_file(policy_file);
  if (!policy_text) {
    std::cerr << "veil-collector: " << policy_text.err().message << '\n';
    return 1;
  }
  veil::detail::policy_report rep;
  auto policy = veil::detail::compile_policy(*policy_text, rep);
  if (!policy) {
    for (auto& e : rep.errors)
      std::cerr << "veil-collector: " << policy_file << ": " << e.path << ": " << e.message << '\n';
    return 1;
  }
  std::string dict;
  if (dict_file != "none") {
    auto d = veil::detail::read_file(dict_file);
    if (!d) {
      std::cerr << "veil-collector: " << d.err().message << '\n';
      return 1;
    }
    dict = std::move(*d);
  }
  auto decoder = make_batch_decoder(max_decompressed, dict);
  if (!decoder) {
    std::cerr << "veil-collector: " << dict_file << ": " << decoder.err().message << '\n';
    return 1;
  }
  metrics_limits ml;
  ml.max_bytes = max_decompressed;
  auto metrics_decoder = make_metrics_decoder(ml, dict);
  if (!metrics_decoder) {
    std::cerr << "veil-collector: " << dict_file << ": " << metrics_decoder.err().message << '\n';
    return 1;
  }
  ho.decode_metrics = std::move(*metrics_decoder);
  auto s = open_sink(db);
  if (!s) {
    std::cerr << "veil-collector: " << s.err().message << '\n';
    return 1;
  }

  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  collector_metrics metrics;
  ho.retention = std::chrono::hours(24) * retention_days;
  request_handler handler(**s, std::move(*decoder), make_policy_guard(*policy), std::move(keys),
                          metrics, ho);
  server srv(so, handler);
  if (auto r = srv.start(); !r) {
    std::cerr << "veil-collector: " << r.err().message << '\n';
    return 1;
  }
  auto host = so.listen.substr(0, so.listen.rfind(':'));
  std::cout << "listening on " << host << ':' << srv.port() << std::endl;

  // Retention: data is kept only as long as needed (ClickHouse 18.16 has no TTL, so the sink
  // drops whole day partitions). The thread sleeps on a condition variable, so stop is prompt.
  std::mutex ret_mu;
  std::condition_variable ret_cv;
  bool ret_stop = false;
  retention expiry(**s, std::chrono::hours(24) * retention_days);
  std::thread retention_thread([&] {
    std::unique_lock lk(ret_mu);
    do {
      lk.unlock();
      auto n = expiry.run_once();
      if (!n) std::cerr << "veil-collector: retention: " << n.err().message << '\n';
      else if (*n) std::cerr << "veil-collector: retention: deleted " << *n << " expired rows\n";
      lk.lock();
    } while (!ret_cv.wait_for(lk, std::chrono::hours(1), [&] { return ret_stop; }));
  });

  int sig = 0;
  sigwait(&set, &sig);
  {
    std::lock_guard lk(ret_mu);
    ret_stop = true;
  }
  ret_cv.notify_all();
  retention_thread.join();
  std::cerr << "veil-collector: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << ", shutting down\n";
  srv.stop();
  s->reset();  // close the sink after the last request finished
  return 0;
}
