// The crashing side of tests/crash_capture_test.cpp: opens an agent on a state directory,
// installs the crash handler, records breadcrumbs full of planted personal data and then
// crashes in the way argv[2] names. malloc, free, calloc, realloc, pthread_mutex_lock and
// dl_iterate_phdr are interposed: called while the crash handler runs (none of them is
// async-signal-safe) they print "UNSAFE <name>" and exit 97, so the test fails.
// Usage: veil_crash_child STATE_DIR MODE CONSENT(on|off)
//   MODE: null | abort | throw | overflow | thread | during_breadcrumb | none, or
//   report: the next start of the same program (symbols are read from the modules loaded in
//   the process, so it must be the program that crashed): opens the agent with an in-memory
//   uploader, flushes and prints every uploaded event as one JSON line, then "stats <json>".
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "agent/api/agent_access.hpp"
#include "agent/crash/crash_handler.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_decoder.hpp"
#include "agent/platform/file_util.hpp"
#include "veil/agent.hpp"

extern "C" {
void* __libc_malloc(size_t);
void __libc_free(void*);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
}

namespace {

[[noreturn]] void unsafe(const char* what) {
  const char pre[] = "UNSAFE ";
  (void)!::write(2, pre, sizeof(pre) - 1);
  (void)!::write(2, what, std::strlen(what));
  (void)!::write(2, "\n", 1);
  ::_exit(97);
}

void check(const char* what) {
  if (veil::detail::crash::in_signal_handler()) unsafe(what);
}

using mutex_lock_fn = int (*)(pthread_mutex_t*);
using iterate_fn = int (*)(int (*)(struct dl_phdr_info*, size_t, void*), void*);
std::atomic<mutex_lock_fn> real_mutex_lock{nullptr};
std::atomic<iterate_fn> real_iterate{nullptr};

}  // namespace

extern "C" {
void* malloc(size_t n) {
  check("malloc");
  return __libc_malloc(n);
}
void free(void* p) {
  check("free");
  __libc_free(p);
}
void* calloc(size_t a, size_t b) {
  check("calloc");
  return __libc_calloc(a, b);
}
void* realloc(void* p, size_t n) {
  check("realloc");
  return __libc_realloc(p, n);
}
int pthread_mutex_lock(pthread_mutex_t* m) {
  check("pthread_mutex_lock");
  auto f = real_mutex_lock.load();
  if (!f) {
    // dlsym may itself lock: until it answers, use the trylock spin (no interposition).
    while (pthread_mutex_trylock(m) != 0) sched_yield();
    return 0;
  }
  return f(m);
}
int dl_iterate_phdr(int (*cb)(struct dl_phdr_info*, size_t, void*), void* data) {
  check("dl_iterate_phdr");
  return real_iterate.load()(cb, data);
}
}

// Named so the test can find them in the report's top frames.
// Read from a volatile global, so the compiler cannot prove the store is to null (it would
// otherwise drop the call as undefined behaviour).
int* volatile g_null = nullptr;
extern "C" __attribute__((noinline)) void veil_test_crash_null_deref() { *g_null = 42; }

volatile int g_stop_depth = -1;  // never reached: the stack overflows first
extern "C" __attribute__((noinline)) int veil_test_recurse(int depth) {
  volatile char pad[512];
  pad[0] = static_cast<char>(depth);
  if (depth == g_stop_depth) return 0;
  return veil_test_recurse(depth + 1) + pad[0];
}

// Another thread, idle while the crash happens: its frames must be in the report. Named after
// an account, as hosts do, so the raw record must not hold its name either.
extern "C" __attribute__((noinline)) void veil_test_idle_wait(std::atomic<bool>* ready) {
  veil::agent::prepare_thread_for_crashes();
  ready->store(true);
  for (;;) ::pause();
}

extern "C" __attribute__((noinline)) void veil_test_throw() {
  throw std::runtime_error(
      "lookup failed for alice.smith@example.org at +49 151 23456789 from 203.0.113.77");
}

int main(int argc, char** argv) {
  real_iterate.store(reinterpret_cast<iterate_fn>(dlsym(RTLD_NEXT, "dl_iterate_phdr")));
  real_mutex_lock.store(reinterpret_cast<mutex_lock_fn>(dlsym(RTLD_NEXT, "pthread_mutex_lock")));
  if (argc != 4) {
    std::fprintf(stderr, "usage: veil_crash_child STATE_DIR MODE on|off\n");
    return 2;
  }
  const std::string mode = argv[2];
  veil::agent_options o;
  o.policy_file = VEIL_SOURCE_DIR "/config/policy.json";
  o.state_dir = argv[1];
  o.storage.sync_each_append = false;
  o.resource.app_version = "9.9.9";
  o.resource.os_name = "Linux";
  o.resource.os_version = "test";
  veil::failure f;
  if (mode == "report") {
    using namespace std::chrono_literals;
    auto up = std::make_shared<veil::detail::memory_uploader>();
    o.upload.dictionary_file = VEIL_SOURCE_DIR "/config/zstd.dict";
    auto a = veil::detail::agent_access::open(o, {up, {}, {}, {}}, &f);
    if (!a) {
      std::fprintf(stderr, "open: %s\n", f.message.c_str());
      return 3;
    }
    if (a->flush(10s) != veil::status::ok) return 6;
    auto dict = veil::detail::read_file(o.upload.dictionary_file);
    if (!dict) return 7;
    auto codec = veil::detail::batch_codec::create({}, *dict);
    if (!codec) return 7;
    for (const auto& b : up->batches()) {
      auto plain = codec->decompress(b.body);
      if (!plain) return 8;
      auto d = veil::detail::otlp_decoder{}.decode(*plain);
      if (!d) {
        std::fprintf(stderr, "decode: %s\n", d.err().message.c_str());
        return 8;
      }
      for (auto& e : d->events) std::printf("%s\n", e.dump().c_str());
    }
    std::printf("stats %s\n", a->stats_json().c_str());
    return 0;
  }
  auto a = veil::agent::open(o, &f);
  if (!a) {
    std::fprintf(stderr, "open: %s\n", f.message.c_str());
    return 3;
  }
  if (a->set_consent("crash", std::string(argv[3]) == "on") != veil::status::ok) return 4;
  const veil::status s = a->install_crash_handler();
  std::printf("install: %s\n", veil::to_string(s));
  std::fflush(stdout);
  const char* planted[] = {
      "INVITE sip:alice.smith@pbx.example.com from 203.0.113.77:5060",
      "dialing +49 151 23456789 for bob.jones@example.org",
      "opened /home/alice/.config/softphone/log.txt",
      "REGISTER failed: Authorization: Digest username=\"alice\", response=\"6629fae49393a053\"",
  };
  for (int round = 0; round < 20; ++round)
    for (const char* t : planted) (void)a->breadcrumb(t);
  std::atomic<bool> idle_ready{false};
  std::thread idle([&] {
    pthread_setname_np(pthread_self(), "alice.smith");
    veil_test_idle_wait(&idle_ready);
  });
  idle.detach();
  while (!idle_ready.load()) std::this_thread::yield();
  if (mode == "null") {
    // A thread that blocks every signal cannot answer: the report counts it, the crash still
    // completes (the wait is bounded).
    std::atomic<bool> deaf_ready{false};
    std::thread deaf([&] {
      sigset_t all;
      sigfillset(&all);
      pthread_sigmask(SIG_BLOCK, &all, nullptr);
      veil::agent::prepare_thread_for_crashes();
      deaf_ready.store(true);
      for (;;) ::pause();
    });
    deaf.detach();
    while (!deaf_ready.load()) std::this_thread::yield();
  }
  (void)a->breadcrumb("idle thread up");

  if (mode == "null") veil_test_crash_null_deref();
  if (mode == "abort") std::abort();
  if (mode == "throw") veil_test_throw();
  if (mode == "overflow") return veil_test_recurse(0);
  if (mode == "thread") {
    std::thread t([] {
      veil::agent::prepare_thread_for_crashes();
      veil_test_crash_null_deref();
    });
    t.join();
  }
  if (mode == "during_breadcrumb") {
    std::atomic<unsigned long> written{0};
    std::thread t([&] {
      for (;;) {
        (void)a->breadcrumb(planted[written.load() % 4]);
        written.fetch_add(1);
      }
    });
    while (written.load() < 10000) std::this_thread::yield();
    pthread_kill(t.native_handle(), SIGSEGV);  // lands in or next to a breadcrumb write
    t.join();
  }
  if (mode == "none") {
    (void)a->close();
    return 0;
  }
  return 5;  // not reached for a crashing mode
}
