// Crash capture (crash_handler.hpp). Everything reachable from on_signal() is async-signal-safe:
// stores to the mapped record, open/read/close, sigaction, raise, clock_gettime, and on Linux
// os::thread_name (prctl) and os::thread_id (gettid) from agent/platform/os.hpp; tgkill stays
// here: capturing the other threads' stacks is Linux/Android-only for now. No malloc, no locks, no
// stdio, no C++ exceptions. State shared with the handler lives in plain statics published by
// atomics before the handlers are installed.
#include "agent/crash/crash_handler.hpp"

#include <cxxabi.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>

#include "agent/crash/crash_record.hpp"
#include "agent/crash/elf_notes.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/platform/os.hpp"
#include "agent/policy/actions.hpp"

namespace veil::detail::crash {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
constexpr std::size_t kSignalCount = sizeof(kSignals) / sizeof(kSignals[0]);
constexpr std::size_t kAltStackBytes = 64 * 1024;
constexpr std::size_t kRegistry = 2 * max_threads;  // threads that can be asked for frames
// How long the crashing thread waits for the other threads' answers. A thread that has the
// dump signal blocked, or is stopped, does not answer; the record says "asked" for it.
constexpr long kDumpWaitNs = 250'000'000;

// One breadcrumb slot: seq is odd while a writer copies into it; the handler skips such a slot
// (whatever it holds is scrubbed text anyway, never raw).
struct slot {
  std::atomic<std::uint32_t> seq{0};
  char text[breadcrumb_bytes];
};

struct state {
  std::mutex mu;  // install/uninstall/refresh only; never taken by the handler
  std::atomic<record*> rec{nullptr};
  int fd = -1;
  std::filesystem::path path;
  struct sigaction previous[kSignalCount];
  std::terminate_handler previous_terminate = nullptr;
  scrub_fn scrub = nullptr;
  unsigned long long modules_adds = 0;  // dlpi_adds at the last module-map read
  slot ring[breadcrumb_slots];
  std::atomic<std::uint64_t> next{0};  // breadcrumbs ever added
  // Threads that called attach_thread() (tids; 0 = free), asked for their frames on a crash.
  std::atomic<long> threads[kRegistry] = {};
  // Their names (memory only): raw as last read and scrubbed, so the handler writes a name to
  // the record only when the thread still bears the name that was scrubbed (seq odd: updating).
  struct name_entry {
    std::atomic<std::uint32_t> seq{0};
    char raw[16];
    char clean[16];
  } names[kRegistry];
  std::atomic<bool> dumping[kRegistry] = {};  // threads[i] is inside on_dump()
  int dump_signo = 0;                         // <= 0: other threads are not asked
  struct sigaction previous_dump {};
};

state& st() {
  static state s;  // constructed on first install(), before any handler can run
  return s;
}
state* g_state = nullptr;  // what the handler reads (set once, never freed)

std::atomic<int> g_in_handler{0};
std::atomic<long> g_handler_tid{0};
std::atomic<bool> g_dump_active{false};  // a crashing thread is collecting the others' frames
std::atomic<int> g_in_dump{0};           // dump handlers running

// ---- async-signal-safe helpers ------------------------------------------------------------

void copy_str(char* dst, std::size_t cap, const char* src) noexcept {
  std::size_t i = 0;
  if (src)
    for (; i + 1 < cap && src[i]; ++i) dst[i] = src[i];
  dst[i] = '\0';
}

bool parse_hex(const char*& p, const char* end, std::uint64_t& v) noexcept {
  v = 0;
  const char* s = p;
  for (; p < end; ++p) {
    const char c = *p;
    unsigned d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else break;
    v = (v << 4) | d;
  }
  return p != s;
}

// Finds the readable mapping that holds `addr` in /proc/self/maps. open/read/close only; the
// buffer is the caller's (on its signal stack: several threads walk at once).
constexpr std::size_t kMapsBuf = 4096;
bool find_mapping(std::uint64_t addr, std::uint64_t& lo, std::uint64_t& hi, char* buf) noexcept {
  constexpr std::size_t kBuf = kMapsBuf;
  const int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool found = false;
  std::size_t have = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf + have, kBuf - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 && have == 0) break;
    if (n > 0) have += static_cast<std::size_t>(n);
    // Parse the complete lines in buf[0, have).
    std::size_t start = 0;
    for (std::size_t i = 0; i < have; ++i) {
      if (buf[i] != '\n') continue;
      const char* p = buf + start;
      const char* e = buf + i;
      std::uint64_t a = 0, b = 0;
      if (parse_hex(p, e, a) && p < e && *p == '-' && parse_hex(++p, e, b) && p + 2 < e &&
          p[1] == 'r' && addr >= a && addr < b) {
        lo = a;
        hi = b;
        found = true;
        break;
      }
      start = i + 1;
    }
    if (found) break;
    if (start == 0 && have == kBuf) break;  // a line longer than the buffer: give up
    std::memmove(buf, buf + start, have - start);
    have -= start;
    if (n <= 0) break;
  }
  ::close(fd);
  return found;
}

struct registers {
  std::uint64_t pc = 0, sp = 0, fp = 0, lr = 0;
};

void read_registers(const void* uctx, registers& r) noexcept {
  r = registers{};
  const auto* uc = static_cast<const ucontext_t*>(uctx);
  if (!uc) return;
#if defined(__x86_64__)
  r.pc = static_cast<std::uint64_t>(uc->uc_mcontext.gregs[REG_RIP]);
  r.sp = static_cast<std::uint64_t>(uc->uc_mcontext.gregs[REG_RSP]);
  r.fp = static_cast<std::uint64_t>(uc->uc_mcontext.gregs[REG_RBP]);
#elif defined(__aarch64__)
  r.pc = uc->uc_mcontext.pc;
  r.sp = uc->uc_mcontext.sp;
  r.fp = uc->uc_mcontext.regs[29];
  r.lr = uc->uc_mcontext.regs[30];
#else
  (void)uc;
#endif
}

// True if `ret` lies in a module's executable segment right after a call instruction, i.e.
// looks like a return address. The bytes read are inside that segment (mapped, readable).
bool looks_like_return(const record& r, std::uint64_t ret) noexcept {
  const std::uint32_t n = r.module_count < max_modules ? r.module_count : max_modules;
  for (std::uint32_t i = 0; i < n; ++i) {
    const raw_module& m = r.modules[i];
    if (ret < m.text_lo + 8 || ret >= m.text_hi) continue;
    const auto* b = reinterpret_cast<const unsigned char*>(ret);
#if defined(__x86_64__)
    if (b[-5] == 0xE8) return true;                            // call rel32
    if (b[-2] == 0xFF && (b[-1] & 0x38) == 0x10) return true;  // call *%reg
    if (b[-3] == 0xFF && (b[-2] & 0x38) == 0x10) return true;  // call *disp8(%reg)
    if (b[-6] == 0xFF && (b[-5] & 0x38) == 0x10) return true;  // call *disp32(...)
    if (b[-7] == 0xFF && (b[-6] & 0x38) == 0x10) return true;  // call *disp32(,sib)
    return false;
#elif defined(__aarch64__)
    std::uint32_t insn;
    std::memcpy(&insn, b - 4, 4);
    return (insn & 0xFC000000u) == 0x94000000u ||  // bl
           (insn & 0xFFFFFC1Fu) == 0xD63F0000u;    // blr
#else
    (void)b;
    return false;
#endif
  }
  return false;
}

// Where a walk writes: a fixed array in the record and its bounds.
struct frame_sink {
  std::uint64_t* frames;
  std::size_t cap;  // <= 64 (scanned is a bit set)
  std::size_t n = 0;
  std::uint64_t scanned = 0;
};

// A thread's frames, walked by the thread itself. Frame records {previous fp, return address}
// are followed where they hold up; between the current SP and the next frame record
// (frameless functions: leaf code, libc built without frame pointers) the stack is scanned
// for words that look like return addresses. Every read is inside the stack's mapping and
// above SP, so a corrupt stack ends the walk instead of faulting. `r` supplies the module map.
void walk_frames(const record& r, const registers& g, frame_sink& out, char* maps_buf) noexcept {
  std::size_t& n = out.n;
  const std::size_t cap = out.cap;
  if (g.pc && n < cap) out.frames[n++] = g.pc;
#if defined(__aarch64__)
  if (g.lr && n < cap) out.frames[n++] = g.lr;
#endif
  std::uint64_t lo = 0, hi = 0;
  std::uint64_t sp = g.sp;
  if (!sp) return;
  if (!find_mapping(sp, lo, hi, maps_buf)) {
    // A stack overflow leaves SP in the guard page: walk the mapping the frame pointer is in.
    if (!g.fp || !find_mapping(g.fp, lo, hi, maps_buf)) return;
    sp = lo;
  }
  constexpr std::uint64_t kScanBytes = 16 * 1024;
  std::uint64_t fp = g.fp;
  auto fp_ok = [&](std::uint64_t f) { return f >= sp && f >= lo && f + 16 <= hi && (f & 7) == 0; };
  while (n < cap) {
    const bool have_fp = fp_ok(fp);
    // Scan [sp, fp) (or a bounded window when there is no frame record) for return addresses.
    const std::uint64_t scan_end = have_fp ? fp : std::min(hi, sp + kScanBytes);
    bool scanned_one = false;
    for (std::uint64_t p = sp; p + 8 <= scan_end && n < cap; p += 8) {
      const std::uint64_t v = *reinterpret_cast<const std::uint64_t*>(p);
      if (v && (n == 0 || v != out.frames[n - 1]) && looks_like_return(r, v)) {
        out.scanned |= (1ull << n);
        out.frames[n++] = v;
        scanned_one = true;
        sp = p + 8;
        if (!have_fp) break;  // one at a time: a frame record may start above it
      }
    }
    if (have_fp) {
      if (n >= cap) break;
      const auto* f = reinterpret_cast<const std::uint64_t*>(fp);
      const std::uint64_t next = f[0], ret = f[1];
      if (ret && looks_like_return(r, ret)) out.frames[n++] = ret;
      sp = fp + 16;
      fp = next > fp ? next : 0;
      continue;
    }
    if (!scanned_one) break;
  }
}

bool same_str(const char* a, const char* b, std::size_t cap) noexcept {
  for (std::size_t i = 0; i < cap; ++i) {
    if (a[i] != b[i]) return false;
    if (a[i] == '\0') return true;
  }
  return true;
}

// The calling thread's name for the record: the scrubbed form of its current name when the
// registry holds it, "?" when it was renamed since (or is being updated), "" when the thread
// is not registered. Never the raw name: it can hold a user's account or a number.
void thread_name_for(const state& s, long tid, char* dst, std::size_t cap) noexcept {
  char cur[17] = {};
  os::thread_name(cur, sizeof(cur));
  for (std::size_t i = 0; i < kRegistry; ++i) {
    if (s.threads[i].load(std::memory_order_acquire) != tid) continue;
    const auto& e = s.names[i];
    const std::uint32_t q = e.seq.load(std::memory_order_acquire);
    char clean[16];
    const bool same = (q & 1u) == 0 && q != 0 && same_str(e.raw, cur, sizeof(e.raw));
    std::memcpy(clean, e.clean, sizeof(clean));
    clean[sizeof(clean) - 1] = '\0';
    const bool stable = e.seq.load(std::memory_order_acquire) == q;
    copy_str(dst, cap, same && stable ? clean : "?");
    return;
  }
  copy_str(dst, cap, "");
}

void copy_breadcrumbs(state& s, record& r) noexcept {
  const std::uint64_t end = s.next.load(std::memory_order_acquire);
  const std::uint64_t begin = end > breadcrumb_slots ? end - breadcrumb_slots : 0;
  std::uint32_t k = 0;
  for (std::uint64_t i = begin; i < end; ++i) {
    slot& sl = s.ring[i % breadcrumb_slots];
    const std::uint32_t q = sl.seq.load(std::memory_order_acquire);
    if (q & 1u) continue;  // being written: skipped
    std::memcpy(r.breadcrumbs[k].text, sl.text, breadcrumb_bytes);
    r.breadcrumbs[k].text[breadcrumb_bytes - 1] = '\0';
    if (sl.seq.load(std::memory_order_acquire) != q) continue;  // overwritten meanwhile
    if (r.breadcrumbs[k].text[0] == '\0') continue;             // claimed, not written yet
    ++k;
  }
  r.breadcrumb_count = k;
}

// after_crash: a late answer to the dump signal must not end the process with that signal
// (its default action) instead of the crash's, so a default disposition becomes "ignore".
void restore_previous(state& s, bool after_crash) noexcept {
  for (std::size_t i = 0; i < kSignalCount; ++i) ::sigaction(kSignals[i], &s.previous[i], nullptr);
  if (s.dump_signo <= 0) return;
  struct sigaction d = s.previous_dump;
  if (after_crash && !(d.sa_flags & SA_SIGINFO) && d.sa_handler == SIG_DFL) d.sa_handler = SIG_IGN;
  ::sigaction(s.dump_signo, &d, nullptr);
}

std::uint32_t load_state(const raw_thread& t) noexcept {
  return __atomic_load_n(&t.state, __ATOMIC_ACQUIRE);
}
void store_state(raw_thread& t, thread_state v) noexcept {
  __atomic_store_n(&t.state, static_cast<std::uint32_t>(v), __ATOMIC_RELEASE);
}

long elapsed_ns(const struct timespec& a, const struct timespec& b) noexcept {
  return (b.tv_sec - a.tv_sec) * 1'000'000'000L + (b.tv_nsec - a.tv_nsec);
}

// The other registered threads' frames: each is sent the dump signal with tgkill and walks its
// own stack in on_dump(); the crashing thread waits for the answers, bounded by kDumpWaitNs
// (spinning on clock_gettime: sleeping calls are not all async-signal-safe).
void dump_other_threads(state& s, record& r, long self) noexcept {
  r.thread_count = 0;
  if (s.dump_signo <= 0) return;
  std::uint32_t n = 0;
  for (auto& slot_tid : s.threads) {
    const long t = slot_tid.load(std::memory_order_acquire);
    if (t == 0 || t == self) continue;
    if (n >= max_threads) break;
    raw_thread& rt = r.threads[n++];
    std::memset(&rt, 0, sizeof(rt));
    rt.tid = static_cast<std::int32_t>(t);
    store_state(rt, thread_state::asked);
  }
  r.thread_count = n;
  if (n == 0) return;
  g_dump_active.store(true, std::memory_order_release);
  const long pid = ::getpid();
  std::uint32_t waiting = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (::syscall(SYS_tgkill, pid, static_cast<long>(r.threads[i].tid), s.dump_signo) == 0)
      ++waiting;
    else store_state(r.threads[i], thread_state::unreachable);
  }
  struct timespec start {
  }, now{};
  ::clock_gettime(CLOCK_MONOTONIC, &start);
  while (waiting > 0) {
    std::uint32_t open = 0;
    for (std::uint32_t i = 0; i < n; ++i)
      if (load_state(r.threads[i]) == static_cast<std::uint32_t>(thread_state::asked)) ++open;
    if (open == 0) break;
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    if (elapsed_ns(start, now) > kDumpWaitNs) break;
  }
  g_dump_active.store(false, std::memory_order_release);
}

void chain(const struct sigaction& prev, int signo, siginfo_t* info, void* uctx) noexcept {
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) prev.sa_sigaction(signo, info, uctx);
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN && prev.sa_handler) {
    prev.sa_handler(signo);
  }
}

// The dump signal: a crashing thread of this process asks for this thread's frames. Anything
// else that sends this signal goes to the handler that was there before ours.
extern "C" void on_dump(int signo, siginfo_t* info, void* uctx) {
  const int saved_errno = errno;
  g_in_dump.fetch_add(1, std::memory_order_acq_rel);
  state* s = g_state;
  record* r = s ? s->rec.load(std::memory_order_acquire) : nullptr;
  const bool ours = r && info && info->si_code == SI_TKILL && info->si_pid == ::getpid() &&
                    g_dump_active.load(std::memory_order_acquire);
  if (ours) {
    const long tid = os::thread_id();
    std::size_t me = kRegistry;
    for (std::size_t i = 0; i < kRegistry; ++i)
      if (s->threads[i].load(std::memory_order_acquire) == tid) me = i;
    if (me < kRegistry) s->dumping[me].store(true, std::memory_order_release);
    const std::uint32_t n = r->thread_count < max_threads ? r->thread_count : max_threads;
    for (std::uint32_t i = 0; i < n; ++i) {
      raw_thread& t = r->threads[i];
      if (t.tid != tid || load_state(t) != static_cast<std::uint32_t>(thread_state::asked))
        continue;
      registers g;
      read_registers(uctx, g);
      char maps_buf[kMapsBuf];
      frame_sink out{t.frames, thread_frames};
      walk_frames(*r, g, out, maps_buf);
      t.frame_count = static_cast<std::uint32_t>(out.n);
      t.scanned_frames = out.scanned;
      thread_name_for(*s, tid, t.name, sizeof(t.name));
      store_state(t, thread_state::done);
      break;
    }
    if (me < kRegistry) s->dumping[me].store(false, std::memory_order_release);
  } else if (s) {
    chain(s->previous_dump, signo, info, uctx);
  }
  g_in_dump.fetch_sub(1, std::memory_order_acq_rel);
  errno = saved_errno;
}

extern "C" void on_signal(int signo, siginfo_t* info, void* uctx) {
  const int saved_errno = errno;
  const long tid = os::thread_id();
  if (g_in_handler.fetch_add(1, std::memory_order_acq_rel) != 0) {
    if (g_handler_tid.load(std::memory_order_acquire) == tid) {
      // A fault inside the handler: end the process now, without hanging.
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      ::sigaction(signo, &dfl, nullptr);
      ::raise(signo);
      ::_exit(128 + signo);
    }
    // Another thread is recording a crash: its handler restores the previous handlers; this
    // fault then re-executes into them.
    errno = saved_errno;
    return;
  }
  g_handler_tid.store(tid, std::memory_order_release);
  state* s = g_state;
  record* r = s ? s->rec.load(std::memory_order_acquire) : nullptr;
  if (r) {
    r->state = static_cast<std::uint32_t>(record_state::writing);
    r->signo = signo;
    r->code = info ? info->si_code : 0;
    r->pid = static_cast<std::uint32_t>(::getpid());
    r->fault_address =
        info ? static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(info->si_addr)) : 0;
    registers g;
    read_registers(uctx, g);
    r->pc = g.pc, r->sp = g.sp, r->fp = g.fp, r->lr = g.lr;
    struct timespec ts {};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    r->time_unix_ms = static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
    thread_name_for(*s, tid, r->thread_name, sizeof(r->thread_name));
    char maps_buf[kMapsBuf];
    frame_sink out{r->frames, max_frames};
    walk_frames(*r, g, out, maps_buf);
    r->frame_count = static_cast<std::uint32_t>(out.n);
    r->scanned_frames = out.scanned;
    copy_breadcrumbs(*s, *r);
    dump_other_threads(*s, *r, tid);
    std::atomic_thread_fence(std::memory_order_release);
    r->state = static_cast<std::uint32_t>(record_state::complete);
  }
  if (s) restore_previous(*s, /*after_crash=*/true);
  // A signal sent by kill/raise/abort does not come back by returning: send it again (it is
  // blocked until we return, then goes to the previous handler). A fault re-executes.
  if (!info || info->si_code <= 0 || signo == SIGABRT) ::raise(signo);
  g_in_handler.store(0, std::memory_order_release);
  errno = saved_errno;
}

#if defined(__GLIBCXX__)
// libstdc++'s default terminate handler prints what() to stderr: the raw text would reach the
// host's log. We replace it by abort(); any other previous handler still runs.
bool is_verbose_default(std::terminate_handler h) noexcept {
  return h == __gnu_cxx::__verbose_terminate_handler;
}
#else
bool is_verbose_default(std::terminate_handler) noexcept { return false; }
#endif

[[noreturn]] void on_terminate() noexcept {
  state* s = g_state;
  record* r = s ? s->rec.load(std::memory_order_acquire) : nullptr;
  if (r) {
    if (const std::type_info* t = abi::__cxa_current_exception_type())
      copy_str(r->exception_type, sizeof(r->exception_type), t->name());
    try {
      if (auto e = std::current_exception()) std::rethrow_exception(e);
    } catch (const std::exception& e) {
      // Not a signal handler: the scrubber may allocate. Only scrubbed text reaches the record.
      if (s->scrub) {
        const std::string w = s->scrub(std::string_view(e.what()).substr(0, 4096));
        copy_str(r->exception_what, sizeof(r->exception_what), w.c_str());
      }
    } catch (...) {}
  }
  if (s && s->previous_terminate && !is_verbose_default(s->previous_terminate))
    s->previous_terminate();
  std::abort();
}

// ---- module map (not in the handler) -------------------------------------------------------

struct module_scan {
  record* r;
  std::uint32_t count = 0;
  unsigned long long adds = 0;
  bool first = true;
};

std::string self_exe() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("main");
}

int on_module(struct dl_phdr_info* info, std::size_t, void* arg) {
  auto& scan = *static_cast<module_scan*>(arg);
  if (scan.first) {
    scan.adds = info->dlpi_adds + info->dlpi_subs * 1000003ull;
    scan.first = false;
  }
  if (scan.count >= max_modules) return 0;
  std::uint64_t lo = ~0ull, hi = 0;
  raw_module m{};
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD) {
      lo = std::min<std::uint64_t>(lo, ph.p_vaddr);
      hi = std::max<std::uint64_t>(hi, ph.p_vaddr + ph.p_memsz);
      if ((ph.p_flags & PF_X) && m.text_hi == 0) {
        m.text_lo = info->dlpi_addr + ph.p_vaddr;
        m.text_hi = m.text_lo + ph.p_memsz;
      }
    } else if (ph.p_type == PT_NOTE && m.build_id_len == 0) {
      m.build_id_len =
          static_cast<std::uint8_t>(read_build_id(*info, ph, m.build_id, max_build_id));
    }
  }
  if (hi <= lo) return 0;
  m.base = info->dlpi_addr + lo;
  m.size = hi - lo;
  std::string raw = (info->dlpi_name && *info->dlpi_name) ? info->dlpi_name : std::string();
  if (raw.empty() && scan.count == 0) raw = self_exe();
  if (raw.empty()) raw = "[vdso]";
  std::string path;
  scrub_path_users(raw, path);  // /home/<user>/… never reaches the record
  copy_str(m.path, sizeof(m.path), path.c_str());
  scan.r->modules[scan.count++] = m;
  return 0;
}

unsigned long long current_adds() {
  unsigned long long adds = 0;
  ::dl_iterate_phdr(
      [](struct dl_phdr_info* info, std::size_t, void* arg) -> int {
        *static_cast<unsigned long long*>(arg) = info->dlpi_adds + info->dlpi_subs * 1000003ull;
        return 1;
      },
      &adds);
  return adds;
}

void read_modules(state& s, record& r) {
  r.modules_seq += 1;  // odd: a crash now may see a torn map (the next start says so)
  std::atomic_thread_fence(std::memory_order_release);
  module_scan scan{&r};
  ::dl_iterate_phdr(on_module, &scan);
  r.module_count = scan.count;
  s.modules_adds = scan.adds;
  std::atomic_thread_fence(std::memory_order_release);
  r.modules_seq += 1;
}

struct alt_stack {
  void* mem = nullptr;
  ~alt_stack() {
    if (!mem) return;
    stack_t ss{};
    ss.ss_flags = SS_DISABLE;
    ::sigaltstack(&ss, nullptr);
    ::munmap(mem, kAltStackBytes);
  }
};
thread_local alt_stack t_alt;

// This thread's entry in the registry, removed when the thread ends.
struct registration {
  int slot = -1;
  ~registration() {
    if (slot >= 0) st().threads[slot].store(0, std::memory_order_release);
  }
};
thread_local registration t_reg;

void register_thread() noexcept {
  if (t_reg.slot >= 0) return;
  const long tid = os::thread_id();
  state& s = st();
  for (std::size_t i = 0; i < kRegistry; ++i) {
    long free_slot = 0;
    if (s.threads[i].compare_exchange_strong(free_slot, tid, std::memory_order_acq_rel)) {
      t_reg.slot = static_cast<int>(i);
      return;
    }
  }
}

// Reads every registered thread's name (/proc/self/task/<tid>/comm) and stores it with its
// scrubbed form; a name the scrubber changes is kept as "<id>" (a partial scrub such as
// "call <id>.smith" would still say too much). Under s.mu, not in a handler.
void refresh_names(state& s) noexcept {
  if (!s.scrub) return;
  for (std::size_t i = 0; i < kRegistry; ++i) {
    const long tid = s.threads[i].load(std::memory_order_acquire);
    if (tid == 0) continue;
    char path[64];
    std::snprintf(path, sizeof(path), "/proc/self/task/%ld/comm", tid);
    char raw[17] = {};
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    const ssize_t n = ::read(fd, raw, 16);
    ::close(fd);
    if (n <= 0) continue;
    std::size_t len = static_cast<std::size_t>(n);
    while (len > 0 && (raw[len - 1] == '\n' || raw[len - 1] == '\0')) --len;
    raw[len] = '\0';
    std::string clean;
    try {
      clean = s.scrub(std::string_view(raw, len));
    } catch (...) {
      continue;
    }
    if (clean != std::string_view(raw, len)) clean = "<id>";
    auto& e = s.names[i];
    e.seq.fetch_add(1, std::memory_order_acq_rel);  // odd: updating
    copy_str(e.raw, sizeof(e.raw), raw);
    copy_str(e.clean, sizeof(e.clean), clean.c_str());
    e.seq.fetch_add(1, std::memory_order_release);
  }
}

// A forked child has only the thread that forked: the others' tids are not its threads.
void on_fork_child() {
  state& s = st();
  for (auto& t : s.threads) t.store(0, std::memory_order_relaxed);
  if (t_reg.slot >= 0) s.threads[t_reg.slot].store(os::thread_id(), std::memory_order_release);
}

}  // namespace

void attach_thread() noexcept {
  register_thread();
  if (st().rec.load(std::memory_order_acquire)) {
    state& s = st();
    std::lock_guard lk(s.mu);
    refresh_names(s);
  }
  if (t_alt.mem) return;
  stack_t cur{};
  if (::sigaltstack(nullptr, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) && cur.ss_size >= 16384)
    return;  // the host (or a sanitizer) already gave this thread one
  void* m =
      ::mmap(nullptr, kAltStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return;
  stack_t ss{};
  ss.ss_sp = m;
  ss.ss_size = kAltStackBytes;
  if (::sigaltstack(&ss, nullptr) != 0) {
    ::munmap(m, kAltStackBytes);
    return;
  }
  t_alt.mem = m;
}

result<void> install(const install_options& o) {
  if (!o.scrub) return make_error(errc::invalid_argument, "crash handler: no scrubber");
  state& s = st();
  std::lock_guard lk(s.mu);
  if (s.rec.load()) return make_error(errc::unavailable, "crash handler: already installed");
  if (auto r = make_dirs(o.dir); !r) return std::move(r).err();
  const auto path = o.dir / std::string(record_file);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return make_error(errc::io_error,
                      "crash record " + path.string() + ": " + std::strerror(errno));
  if (::ftruncate(fd, 0) != 0 || ::ftruncate(fd, sizeof(record)) != 0) {
    const int e = errno;
    ::close(fd);
    return make_error(errc::io_error, "crash record " + path.string() + ": " + std::strerror(e));
  }
  void* m = ::mmap(nullptr, sizeof(record), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) {
    const int e = errno;
    ::close(fd);
    return make_error(errc::io_error,
                      "crash record " + path.string() + ": mmap: " + std::strerror(e));
  }
  auto* r = static_cast<record*>(m);
  std::memset(r, 0, sizeof(record));
  std::memcpy(r->magic, record_magic, sizeof(record_magic));
  r->version = record_version;
  r->size = sizeof(record);
  r->state = static_cast<std::uint32_t>(record_state::armed);
  copy_str(r->app_version, sizeof(r->app_version), o.app_version.c_str());
  copy_str(r->os_name, sizeof(r->os_name), o.os_name.c_str());
  copy_str(r->os_version, sizeof(r->os_version), o.os_version.c_str());
  read_modules(s, *r);

  s.fd = fd;
  s.path = path;
  s.scrub = o.scrub;
  s.next.store(0);
  for (auto& sl : s.ring) {
    sl.seq.store(0);
    sl.text[0] = '\0';
  }
  g_state = &s;
  static std::once_flag fork_hook;
  std::call_once(fork_hook, [] { ::pthread_atfork(nullptr, nullptr, on_fork_child); });
  attach_thread();  // registers this thread (names are read below, under s.mu)
  refresh_names(s);
  s.rec.store(r, std::memory_order_release);

  s.dump_signo = o.thread_dump_signal == 0 ? SIGRTMIN + 5 : o.thread_dump_signal;
  if (s.dump_signo > SIGRTMAX) s.dump_signo = -1;
  struct sigaction sa {};
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (int sig : kSignals) sigaddset(&sa.sa_mask, sig);
  if (s.dump_signo > 0) {
    sigaddset(&sa.sa_mask, s.dump_signo);
    struct sigaction da {};
    da.sa_sigaction = on_dump;
    da.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&da.sa_mask);
    if (::sigaction(s.dump_signo, &da, &s.previous_dump) != 0) s.dump_signo = -1;
  }
  for (std::size_t i = 0; i < kSignalCount; ++i) ::sigaction(kSignals[i], &sa, &s.previous[i]);
  s.previous_terminate = std::set_terminate(on_terminate);
  return {};
}

void uninstall_and_wipe() noexcept {
  state& s = st();
  std::lock_guard lk(s.mu);
  record* r = s.rec.load();
  if (!r) return;
  restore_previous(s, /*after_crash=*/false);
  if (std::get_terminate() == on_terminate) std::set_terminate(s.previous_terminate);
  // A handler already running on another thread finishes with the record before we unmap it.
  while (g_in_handler.load(std::memory_order_acquire) != 0 ||
         g_in_dump.load(std::memory_order_acquire) != 0)
    ::sched_yield();
  s.rec.store(nullptr, std::memory_order_release);
  std::memset(r, 0, sizeof(record));
  ::munmap(r, sizeof(record));
  ::close(s.fd);
  s.fd = -1;
  (void)wipe_file(s.path);
  for (auto& sl : s.ring) {
    sl.seq.fetch_add(2);
    std::memset(sl.text, 0, sizeof(sl.text));
  }
  s.next.store(0);
}

bool installed() noexcept { return st().rec.load(std::memory_order_acquire) != nullptr; }

void add_breadcrumb(std::string_view text) noexcept {
  state& s = st();
  if (!s.rec.load(std::memory_order_acquire)) return;
  // Truncate on a UTF-8 boundary: never start a code point we cannot finish.
  std::size_t n = std::min(text.size(), breadcrumb_bytes - 1);
  if (n < text.size())
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  // Claim a slot first, so concurrent writers take different ones (unless 64 apart).
  const std::uint64_t i = s.next.fetch_add(1, std::memory_order_acq_rel);
  slot& sl = s.ring[i % breadcrumb_slots];
  sl.seq.fetch_add(1, std::memory_order_acq_rel);  // odd: being written
  std::memcpy(sl.text, text.data(), n);
  sl.text[n] = '\0';
  sl.seq.fetch_add(1, std::memory_order_release);  // even: complete
}

void refresh_modules() noexcept {
  state& s = st();
  std::lock_guard lk(s.mu);
  record* r = s.rec.load();
  if (!r) return;
  try {
    if (current_adds() != s.modules_adds) read_modules(s, *r);
    refresh_names(s);
  } catch (...) {}
}

bool in_signal_handler() noexcept {
  const long tid = os::thread_id();
  if (g_in_handler.load(std::memory_order_acquire) != 0 &&
      g_handler_tid.load(std::memory_order_acquire) == tid)
    return true;
  const state& s = st();
  for (std::size_t i = 0; i < kRegistry; ++i)
    if (s.threads[i].load(std::memory_order_acquire) == tid &&
        s.dumping[i].load(std::memory_order_acquire))
      return true;
  return false;
}

}  // namespace veil::detail::crash
