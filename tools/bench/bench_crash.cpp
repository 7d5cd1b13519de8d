// Crash capture costs (docs/crash.md): the caller's latency of breadcrumb() on SIP-like log
// lines (scrubbed on the calling thread), and the bytes one crash costs on the wire (zstd,
// with the committed dictionary) after the next start. A forked child crashes with 64
// breadcrumbs in its ring; the parent is the next start, with an in-memory uploader.
// Usage: veil_bench_crash [--calls N]   (default 200000)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "agent/api/agent_access.hpp"
#include "veil/agent.hpp"

namespace {

using namespace std::chrono_literals;

const char* kLines[] = {
    "12:01:07.114 pjsua_call.c  Making call with acc #0 to sip:+4915123456789@sip.example.net",
    "INVITE sip:alice.smith@pbx.example.com SIP/2.0 via 203.0.113.77:5060 branch=z9hG4bK776asdhds",
    "12:01:07.310 tsx0x55d4 State changed from Calling to Proceeding, event=RX_MSG 100 Trying",
    "RTP stats: jitter 12 ms, loss 0.4 %, MOS 4.1, codec opus/48000/2",
    "REGISTER failed: 401 Unauthorized, retry in 30 s (user bob.jones, realm example.org)",
    "opened /home/alice/.local/share/softphone/history.db in 3 ms",
};

veil::agent_options options(const std::filesystem::path& state) {
  veil::agent_options o;
  o.policy_file = VEIL_SOURCE_DIR "/config/policy.json";
  o.upload.dictionary_file = VEIL_SOURCE_DIR "/config/zstd.dict";
  o.state_dir = state.string();
  o.storage.sync_each_append = false;
  o.batch.max_age = 1h;
  o.resource.app_version = "5.6.12";
  o.resource.os_name = "Linux";
  o.consent_granted_by_default = {"crash"};
  return o;
}

double pct(std::vector<double>& v, double p) {
  const auto k = static_cast<std::size_t>(p * (v.size() - 1));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t calls = 200000;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--calls") == 0) calls = std::strtoull(argv[i + 1], nullptr, 10);
  char tmpl[] = "/tmp/veil-bench-crash-XXXXXX";
  if (!::mkdtemp(tmpl)) return 1;
  const std::filesystem::path dir = tmpl;

  // 1. Bytes per crash: a child crashes, this process is its next start.
  const pid_t pid = ::fork();
  if (pid == 0) {
    auto a = veil::agent::open(options(dir / "crashed"));
    if (!a || a->install_crash_handler() != veil::status::ok) ::_exit(3);
    for (int i = 0; i < 64; ++i) (void)a->breadcrumb(kLines[i % 6]);
    ::raise(SIGSEGV);
    ::_exit(4);
  }
  int st = 0;
  ::waitpid(pid, &st, 0);
  if (!WIFSIGNALED(st)) {
    std::fprintf(stderr, "veil_bench_crash: child did not crash (status %d)\n", st);
    return 1;
  }
  std::size_t wire = 0, batches = 0;
  {
    auto up = std::make_shared<veil::detail::memory_uploader>();
    veil::failure f;
    auto a = veil::detail::agent_access::open(options(dir / "crashed"), {up, {}, {}, {}}, &f);
    if (!a || a->flush(10s) != veil::status::ok) {
      std::fprintf(stderr, "veil_bench_crash: next start: %s\n", f.message.c_str());
      return 1;
    }
    for (const auto& b : up->batches()) wire += b.body.size(), ++batches;
  }
  std::printf("crash.report on the wire: %zu bytes zstd in %zu batch(es), 64 breadcrumbs\n", wire,
              batches);

  // 2. breadcrumb() latency on the caller.
  auto a = veil::agent::open(options(dir / "live"));
  if (!a || a->install_crash_handler() != veil::status::ok) return 1;
  std::vector<double> us;
  us.reserve(calls);
  for (std::size_t i = 0; i < calls; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    (void)a->breadcrumb(kLines[i % 6]);
    const auto t1 = std::chrono::steady_clock::now();
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  const double p50 = pct(us, 0.50), p99 = pct(us, 0.99), p999 = pct(us, 0.999);
  std::printf("breadcrumb(): %zu calls, p50 %.2f us, p99 %.2f us, p99.9 %.2f us\n", calls, p50, p99,
              p999);
  a.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
