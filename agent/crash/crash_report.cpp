// Raw crash record -> crash.report attributes (crash_report.hpp).
#include "agent/crash/crash_report.hpp"

#include <cxxabi.h>
#include <elf.h>
#include <link.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#if defined(VEIL_CRASH_SYMBOLIZE)
#include <boost/stacktrace/frame.hpp>
#endif

#include "agent/crash/crash_record.hpp"
#include "agent/crash/elf_notes.hpp"
#include "agent/platform/file_util.hpp"

namespace veil::detail::crash {
namespace {

std::string bounded(const char* s, std::size_t cap) { return std::string(s, ::strnlen(s, cap)); }

// Cuts to at most `cap` bytes without splitting a UTF-8 sequence.
std::string fit(std::string s, std::size_t cap) {
  if (s.size() <= cap) return s;
  std::size_t n = cap;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string hex_bytes(const std::uint8_t* p, std::size_t n) {
  static constexpr char d[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += d[p[i] >> 4];
    out += d[p[i] & 15];
  }
  return out;
}

std::string basename_of(std::string_view path) {
  const auto k = path.find_last_of("/\\");
  return std::string(k == std::string_view::npos ? path : path.substr(k + 1));
}

std::string demangle(const std::string& mangled) {
  int st = 0;
  std::unique_ptr<char, void (*)(void*)> d(
      abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &st), std::free);
  return (st == 0 && d) ? std::string(d.get()) : mangled;
}

// Modules of this process by build id, to map a recorded offset to an address here.
struct live_module {
  std::string build_id;
  std::uint64_t base;
};

std::vector<live_module> live_modules() {
  std::vector<live_module> out;
  ::dl_iterate_phdr(
      [](struct dl_phdr_info* info, std::size_t, void* arg) -> int {
        auto& v = *static_cast<std::vector<live_module>*>(arg);
        std::uint64_t lo = ~0ull;
        std::string id;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const auto& ph = info->dlpi_phdr[i];
          if (ph.p_type == PT_LOAD) lo = std::min<std::uint64_t>(lo, ph.p_vaddr);
          if (ph.p_type != PT_NOTE || !id.empty()) continue;
          std::uint8_t buf[max_build_id];
          const std::size_t n = read_build_id(*info, ph, buf, max_build_id);
          if (n) id = hex_bytes(buf, n);
        }
        if (!id.empty() && lo != ~0ull) v.push_back({id, info->dlpi_addr + lo});
        return 0;
      },
      &out);
  return out;
}

void symbolize(nlohmann::json& frame, const std::vector<live_module>& live,
               const std::string& build_id, std::uint64_t offset, bool is_return_address) {
#if defined(VEIL_CRASH_SYMBOLIZE)
  if (build_id.empty()) return;
  for (const auto& m : live) {
    if (m.build_id != build_id) continue;
    // A return address points after the call: look up the call itself.
    const std::uint64_t addr = m.base + offset - (is_return_address ? 1 : 0);
    boost::stacktrace::frame f(reinterpret_cast<const void*>(static_cast<std::uintptr_t>(addr)));
    std::string fn = f.name();
    if (!fn.empty()) frame["function"] = fit(std::move(fn), 256);  // the collector keeps 256 B
    std::string file = f.source_file();
    if (!file.empty()) {
      frame["file"] = file.substr(0, 1024);
      frame["line"] = f.source_line();
    }
    return;
  }
#else
  (void)frame, (void)live, (void)build_id, (void)offset, (void)is_return_address;
#endif
}

// A report is one OTLP log record, and the collector accepts at most 512 attribute values per
// record (nested ones included, counted as attribute_values() does): the top 24 frames (up to
// 8 values each) and the latest 40 breadcrumbs fit with the dozen scalar fields, and other
// threads (12 frames each, up to 5 values a frame) take what is left, in the order recorded.
constexpr std::uint32_t kReportFrames = 24;
constexpr std::uint32_t kReportBreadcrumbs = 40;
constexpr std::uint32_t kThreadFrames = 12;
constexpr std::size_t kAttributeBudget = 512 - 16;  // room for fields the policy adds

// Values as the OTLP decoder counts them: one per key of a kvlist and per array element.
std::size_t attribute_values(const nlohmann::json& j) {
  std::size_t n = 0;
  if (j.is_object())
    for (const auto& [k, v] : j.items()) n += 1 + attribute_values(v);
  else if (j.is_array())
    for (const auto& v : j) n += 1 + attribute_values(v);
  return n;
}

// Frame i of a walk (recorded absolute address) -> a crash.report frame object.
nlohmann::json make_frame(const record& r, std::uint64_t pc, bool is_return, bool scanned,
                          bool map_ok, const std::vector<live_module>& live, bool detail) {
  nlohmann::json f = nlohmann::json::object();
  const std::uint32_t nmod = std::min<std::uint32_t>(r.module_count, max_modules);
  const raw_module* m = nullptr;
  if (map_ok)
    for (std::uint32_t k = 0; k < nmod; ++k)
      if (pc >= r.modules[k].base && pc - r.modules[k].base < r.modules[k].size) {
        m = &r.modules[k];
        break;
      }
  if (!m) {
    f["module"] = "?";
    f["offset"] = hex(pc);
    return f;
  }
  const std::string id =
      hex_bytes(m->build_id, std::min<std::size_t>(m->build_id_len, max_build_id));
  f["module"] = basename_of(bounded(m->path, sizeof(m->path)));
  f["offset"] = hex(pc - m->base);
  if (!id.empty()) f["build_id"] = id;
  symbolize(f, live, id, pc - m->base, is_return);
  if (!detail) f.erase("file"), f.erase("line");
  if (scanned) f["trust"] = "scan";
  return f;
}

bool valid(const record& r) {
  return std::memcmp(r.magic, record_magic, sizeof(record_magic)) == 0 &&
         r.version == record_version && r.size == sizeof(record);
}

}  // namespace

std::string top_frame(const nlohmann::json& frames) {
  static constexpr std::string_view machinery[] = {"abort",
                                                   "raise",
                                                   "tgkill",
                                                   "__pthread_kill",
                                                   "pthread_kill",
                                                   "__kill",
                                                   "kill",
                                                   "gsignal",
                                                   "__GI_raise",
                                                   "__GI_abort",
                                                   "__libc_android_abort",
                                                   "__fortify_fatal",
                                                   "__assert",
                                                   "__assert2",
                                                   "__assert_fail",
                                                   "__assert_rtn",
                                                   "__cxa_throw",
                                                   "__cxa_rethrow",
                                                   "std::terminate",
                                                   "std::__terminate",
                                                   "__cxxabiv1::",
                                                   "__gnu_cxx::__verbose_terminate_handler",
                                                   "objc_exception_throw",
                                                   "objc_exception_rethrow",
                                                   "__exceptionPreprocess",
                                                   "_objc_terminate",
                                                   "__abort_message",
                                                   "abort_message",
                                                   "demangling_terminate_handler",
                                                   "pthread_kill$VARIANT",
                                                   "__pthread_start",
                                                   "__start_thread"};
  if (!frames.is_array()) return {};
  for (const auto& f : frames) {
    if (!f.is_object()) continue;
    const auto fn = f.find("function");
    if (fn != f.end() && fn->is_string()) {
      const std::string& name = fn->get_ref<const std::string&>();
      bool skip = false;
      for (auto m : machinery)
        if (name.compare(0, m.size(), m) == 0 &&
            (name.size() == m.size() || name[m.size()] == '(' || m.back() == ':'))
          skip = true;
      // The handler's own frames (a captured crash starts inside veil's signal handler).
      if (name.rfind("veil::detail::crash::", 0) == 0) skip = true;
      if (skip) continue;
      return fit(name, 256);
    }
    const auto mod = f.find("module"), off = f.find("offset");
    if (mod != f.end() && mod->is_string() && off != f.end() && off->is_string()) {
      const std::string& m = mod->get_ref<const std::string&>();
      if (m == "?") continue;
      return fit(m + " +" + off->get<std::string>(), 256);  // "crasher64 +0x16e0"
    }
  }
  return {};
}

std::string signal_name(int signo) {
  switch (signo) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    case SIGTRAP: return "SIGTRAP";
    default: return "SIG" + std::to_string(signo);
  }
}

result<void> discard_pending(const std::filesystem::path& dir) {
  return wipe_file(dir / std::string(record_file));
}

result<std::optional<pending_report>> take_pending(const std::filesystem::path& dir,
                                                   scrub_fn scrub) {
  const auto path = dir / std::string(record_file);
  auto bytes = read_file(path);
  if (!bytes) {
    if (bytes.err().code == errc::not_found) return std::optional<pending_report>{};
    (void)wipe_file(path);
    return std::move(bytes).err();
  }
  // Copy out, then wipe before anything else can fail: the record never outlives this call.
  auto rec = std::make_unique<record>();
  const bool sized = bytes->size() == sizeof(record);
  if (sized) std::memcpy(rec.get(), bytes->data(), sizeof(record));
  std::fill(bytes->begin(), bytes->end(), '\0');
  if (auto w = wipe_file(path); !w) return std::move(w).err();
  if (!sized || !valid(*rec))
    return make_error(errc::corrupt, "crash record " + path.string() + ": not a version-" +
                                         std::to_string(record_version) +
                                         " Veil crash record (deleted)");
  const record& r = *rec;
  if (r.state != static_cast<std::uint32_t>(record_state::complete))
    return std::optional<pending_report>{};  // armed (no crash) or torn by a second fault

  auto clean = [&](const char* s, std::size_t cap) { return scrub(bounded(s, cap)); };
  nlohmann::json a = nlohmann::json::object();
  a["source"] = "captured";
  a["signal"] = signal_name(r.signo);
  const std::string type = bounded(r.exception_type, sizeof(r.exception_type));
  if (!type.empty()) a["exception_type"] = demangle(type).substr(0, 256);
  std::string message =
      signal_name(r.signo) + " code " + std::to_string(r.code) + " at " + hex(r.fault_address);
  const std::string what = clean(r.exception_what, sizeof(r.exception_what));
  if (!what.empty()) message = what;
  a["message"] = message;
  a["app_version"] = bounded(r.app_version, sizeof(r.app_version));
  a["os_name"] = bounded(r.os_name, sizeof(r.os_name));
  a["os_version"] = bounded(r.os_version, sizeof(r.os_version));
  a["thread"] = clean(r.thread_name, sizeof(r.thread_name));

  const bool map_ok = (r.modules_seq & 1u) == 0;
  const auto live = live_modules();
  nlohmann::json frames = nlohmann::json::array();
  const std::uint32_t nf =
      std::min<std::uint32_t>({r.frame_count, std::uint32_t(max_frames), kReportFrames});
  for (std::uint32_t i = 0; i < nf; ++i)
    frames.push_back(make_frame(r, r.frames[i], i > 0, i < 64 && ((r.scanned_frames >> i) & 1u),
                                map_ok, live, /*detail=*/true));
  if (auto t = top_frame(frames); !t.empty()) a["top_frame"] = std::move(t);
  a["frames"] = std::move(frames);
  nlohmann::json crumbs = nlohmann::json::array();
  const std::uint32_t nb = std::min<std::uint32_t>(r.breadcrumb_count, breadcrumb_slots);
  for (std::uint32_t i = nb > kReportBreadcrumbs ? nb - kReportBreadcrumbs : 0; i < nb; ++i) {
    std::string t = clean(r.breadcrumbs[i].text, breadcrumb_bytes);
    if (!t.empty()) crumbs.push_back(std::move(t));
  }
  a["breadcrumbs"] = std::move(crumbs);

  // The other threads that answered, while the record's attribute budget lasts. A thread name
  // the scrubber had to change is replaced whole (as for imported reports).
  nlohmann::json threads = nlohmann::json::array();
  std::size_t used = attribute_values(a) + 1;  // + the "threads" key
  std::uint32_t unanswered = 0;
  const std::uint32_t nt = std::min<std::uint32_t>(r.thread_count, max_threads);
  for (std::uint32_t i = 0; i < nt; ++i) {
    const raw_thread& t = r.threads[i];
    if (t.state != static_cast<std::uint32_t>(thread_state::done)) {
      if (t.state == static_cast<std::uint32_t>(thread_state::asked)) ++unanswered;
      continue;  // unreachable: the thread had ended
    }
    nlohmann::json th = nlohmann::json::object();
    const std::string raw_name = bounded(t.name, sizeof(t.name));
    std::string name = clean(t.name, sizeof(t.name));
    th["name"] = name == raw_name ? name : std::string("<id>");
    nlohmann::json tf = nlohmann::json::array();
    const std::uint32_t k =
        std::min<std::uint32_t>({t.frame_count, std::uint32_t(thread_frames), kThreadFrames});
    for (std::uint32_t j = 0; j < k; ++j)
      tf.push_back(make_frame(r, t.frames[j], j > 0, (t.scanned_frames >> j) & 1u, map_ok, live,
                              /*detail=*/false));
    th["frames"] = std::move(tf);
    // Drop frames from the bottom until the thread fits; a thread with none left is not sent.
    while (used + 1 + attribute_values(th) > kAttributeBudget && !th["frames"].empty())
      th["frames"].erase(th["frames"].size() - 1);
    if (th["frames"].empty()) break;
    used += 1 + attribute_values(th);
    threads.push_back(std::move(th));
  }
  if (!threads.empty()) a["threads"] = std::move(threads);
  if (unanswered > 0) a["threads_unanswered_count"] = unanswered;
  pending_report out;
  out.attrs_json = a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.time_unix_ms = r.time_unix_ms;
  return std::optional<pending_report>{std::move(out)};
}

}  // namespace veil::detail::crash
