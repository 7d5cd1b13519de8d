// Crash capture (crash_handler.hpp). Everything reachable from on_signal() is async-signal-safe:
// stores to the mapped record, open/read/close, sigaction, raise, clock_gettime, prctl and
// syscall(SYS_gettid). No malloc, no locks, no stdio, no C++ exceptions. State shared with the
// handler lives in plain statics published by atomics before the handlers are installed.
#include "agent/crash/crash_handler.hpp"

#include <cxxabi.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>

#include "agent/crash/crash_record.hpp"
#include "agent/crash/elf_notes.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/actions.hpp"

namespace veil::detail::crash {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
constexpr std::size_t kSignalCount = sizeof(kSignals) / sizeof(kSignals[0]);
constexpr std::size_t kAltStackBytes = 64 * 1024;

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
};

state& st() {
  static state s;  // constructed on first install(), before any handler can run
  return s;
}
state* g_state = nullptr;  // what the handler reads (set once, never freed)

std::atomic<int> g_in_handler{0};
std::atomic<long> g_handler_tid{0};

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
// buffer is static (the handler runs once: g_in_handler guards it).
bool find_mapping(std::uint64_t addr, std::uint64_t& lo, std::uint64_t& hi) noexcept {
  static char buf[4096];
  const int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool found = false;
  std::size_t have = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf + have, sizeof(buf) - have);
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
    if (start == 0 && have == sizeof(buf)) break;  // a line longer than the buffer: give up
    std::memmove(buf, buf + start, have - start);
    have -= start;
    if (n <= 0) break;
  }
  ::close(fd);
  return found;
}

void read_registers(const void* uctx, record& r) noexcept {
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

// The crashing thread's frames. Frame records {previous fp, return address} are followed where
// they hold up; between the current SP and the next frame record (frameless functions: leaf
// code, libc built without frame pointers) the stack is scanned for words that look like
// return addresses. Every read is inside the stack's mapping and above SP, so a corrupt stack
// ends the walk instead of faulting.
void walk_frames(record& r) noexcept {
  std::size_t n = 0;
  r.scanned_frames = 0;
  if (r.pc) r.frames[n++] = r.pc;
#if defined(__aarch64__)
  if (r.lr && n < max_frames) r.frames[n++] = r.lr;
#endif
  std::uint64_t lo = 0, hi = 0;
  std::uint64_t sp = r.sp;
  if (!sp) {
    r.frame_count = static_cast<std::uint32_t>(n);
    return;
  }
  if (!find_mapping(sp, lo, hi)) {
    // A stack overflow leaves SP in the guard page: walk the mapping the frame pointer is in.
    if (!r.fp || !find_mapping(r.fp, lo, hi)) {
      r.frame_count = static_cast<std::uint32_t>(n);
      return;
    }
    sp = lo;
  }
  constexpr std::uint64_t kScanBytes = 16 * 1024;
  std::uint64_t fp = r.fp;
  auto fp_ok = [&](std::uint64_t f) { return f >= sp && f >= lo && f + 16 <= hi && (f & 7) == 0; };
  while (n < max_frames) {
    const bool have_fp = fp_ok(fp);
    // Scan [sp, fp) (or a bounded window when there is no frame record) for return addresses.
    const std::uint64_t scan_end = have_fp ? fp : std::min(hi, sp + kScanBytes);
    bool scanned_one = false;
    for (std::uint64_t p = sp; p + 8 <= scan_end && n < max_frames; p += 8) {
      const std::uint64_t v = *reinterpret_cast<const std::uint64_t*>(p);
      if (v && (n == 0 || v != r.frames[n - 1]) && looks_like_return(r, v)) {
        r.scanned_frames |= (1ull << n);
        r.frames[n++] = v;
        scanned_one = true;
        sp = p + 8;
        if (!have_fp) break;  // one at a time: a frame record may start above it
      }
    }
    if (have_fp) {
      if (n >= max_frames) break;
      const auto* f = reinterpret_cast<const std::uint64_t*>(fp);
      const std::uint64_t next = f[0], ret = f[1];
      if (ret && looks_like_return(r, ret)) r.frames[n++] = ret;
      sp = fp + 16;
      fp = next > fp ? next : 0;
      continue;
    }
    if (!scanned_one) break;
  }
  r.frame_count = static_cast<std::uint32_t>(n);
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

void restore_previous(state& s) noexcept {
  for (std::size_t i = 0; i < kSignalCount; ++i) ::sigaction(kSignals[i], &s.previous[i], nullptr);
}

extern "C" void on_signal(int signo, siginfo_t* info, void* uctx) {
  const int saved_errno = errno;
  const long tid = ::syscall(SYS_gettid);
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
    read_registers(uctx, *r);
    struct timespec ts {};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    r->time_unix_ms = static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
    char name[17] = {};
    ::prctl(PR_GET_NAME, name, 0, 0, 0);
    copy_str(r->thread_name, sizeof(r->thread_name), name);
    walk_frames(*r);
    copy_breadcrumbs(*s, *r);
    std::atomic_thread_fence(std::memory_order_release);
    r->state = static_cast<std::uint32_t>(record_state::complete);
  }
  if (s) restore_previous(*s);
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

}  // namespace

void attach_thread() noexcept {
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
  s.rec.store(r, std::memory_order_release);

  attach_thread();
  struct sigaction sa {};
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (int sig : kSignals) sigaddset(&sa.sa_mask, sig);
  for (std::size_t i = 0; i < kSignalCount; ++i) ::sigaction(kSignals[i], &sa, &s.previous[i]);
  s.previous_terminate = std::set_terminate(on_terminate);
  return {};
}

void uninstall_and_wipe() noexcept {
  state& s = st();
  std::lock_guard lk(s.mu);
  record* r = s.rec.load();
  if (!r) return;
  restore_previous(s);
  if (std::get_terminate() == on_terminate) std::set_terminate(s.previous_terminate);
  // A handler already running on another thread finishes with the record before we unmap it.
  while (g_in_handler.load(std::memory_order_acquire) != 0) ::sched_yield();
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
  } catch (...) {}
}

bool in_signal_handler() noexcept { return g_in_handler.load(std::memory_order_acquire) != 0; }

}  // namespace veil::detail::crash
