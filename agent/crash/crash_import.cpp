// Platform crash reports -> crash.report attributes (crash_import.hpp).
#include "agent/crash/crash_import.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include <simdjson.h>

#include "agent/core/simdjson_util.hpp"
#include "agent/core/time_util.hpp"
#include "agent/crash/crash_report.hpp"

namespace veil::detail::crash {
namespace {

// The same bounds as captured reports (crash_report.cpp): 24 frames fit the collector's 256
// attribute values per record; kept strings fit its 256-byte limit for kept fields.
constexpr std::size_t kFrames = 24;
constexpr std::size_t kKept = 256;
constexpr std::size_t kMessage = 4096;

// Cuts to at most `cap` bytes without splitting a UTF-8 sequence.
std::string fit(std::string s, std::size_t cap) {
  if (s.size() <= cap) return s;
  std::size_t n = cap;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string basename_of(std::string_view path) {
  const auto k = path.find_last_of("/\\");
  return std::string(k == std::string_view::npos ? path : path.substr(k + 1));
}

// A module as a crash.report names it: the file's basename, never its directory (app install
// directories carry random ids; a home directory carries the user's name). Anonymous mappings
// (JIT code, "<anonymous:7a3b000>", "[anon:...]") are "?".
std::string module_name(std::string_view path) {
  path = trim(path);
  if (path.empty() || path.front() == '<' || path.front() == '[') return "?";
  std::string b = basename_of(path);
  return b.empty() ? "?" : fit(std::move(b), 128);
}

std::string demangle(std::string name) {
  if (!starts_with(name, "_Z")) return name;
  int st = 0;
  std::unique_ptr<char, void (*)(void*)> d(abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &st),
                                           std::free);
  return (st == 0 && d) ? std::string(d.get()) : name;
}

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// "2023-09-23 09:12:30-0600", "2021-05-28 10:55:42.955335038+0800",
// "2025-01-27 13:00:07.00 -0500" -> Unix ms. nullopt for anything else.
std::optional<std::int64_t> platform_time(std::string_view s) {
  s = trim(s);
  if (s.size() < 19 || s[10] != ' ') return std::nullopt;
  std::string r(s.substr(0, 10));
  r += 'T';
  std::size_t i = 11;
  while (i < s.size() && (is_digit(s[i]) || s[i] == ':' || s[i] == '.')) r += s[i++];
  while (i < s.size() && s[i] == ' ') ++i;
  const std::string_view zone = s.substr(i);
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    r += zone.substr(0, 3);
    r += ':';
    r += zone.substr(3);
  } else if (zone.empty() || zone == "Z" || zone == "UTC") {
    r += 'Z';
  } else {
    return std::nullopt;
  }
  return parse_rfc3339_ms(r);
}

// A thread name is kept whole or not at all: one the scrubber had to change ("call
// alice.smith" -> "call <id>.smith") is no use to group crashes and may keep a piece of a name.
std::string thread_name(std::string_view raw, scrub_fn scrub) {
  const std::string in = fit(std::string(trim(raw)), kKept);
  if (in.empty()) return {};
  const std::string out = scrub(in);
  return out == in ? out : std::string("<id>");
}

// ---- Android tombstones -----------------------------------------------------------------

// A tombstone seen through logcat has a prefix per line: "A/DEBUG: ", "F DEBUG   : ",
// "12-06 10:00:00.123  1234  1234 F DEBUG   : ", "A/DEBUG(  123): ". Returns the line after it.
std::string_view strip_logcat(std::string_view line) {
  const auto k = line.find("DEBUG");
  if (k == std::string_view::npos || k > 48) return line;
  std::size_t i = k + 5;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i < line.size() && line[i] == '(') {
    const auto close = line.find(')', i);
    if (close == std::string_view::npos) return line;
    i = close + 1;
  }
  if (i + 1 < line.size() && line[i] == ':' && line[i + 1] == ' ') return line.substr(i + 2);
  if (i + 1 == line.size() && line[i] == ':') return {};
  return line;
}

// "#04 pc 000000000027f7a8  /data/app/~~x==/lib/arm64/libfoo.so (foo::bar(int)+72) (BuildId: b6)"
bool parse_tombstone_frame(std::string_view line, nlohmann::json& f) {
  line = trim(line);
  if (line.size() < 4 || line[0] != '#' || !is_digit(line[1])) return false;
  std::size_t i = 1;
  while (i < line.size() && is_digit(line[i])) ++i;
  line = trim(line.substr(i));
  if (!starts_with(line, "pc ")) return false;
  line = trim(line.substr(3));
  if (starts_with(line, "0x")) line.remove_prefix(2);
  std::size_t h = 0;
  while (h < line.size() && is_hex(line[h])) ++h;
  if (h == 0 || h > 16) return false;
  const std::uint64_t pc = std::strtoull(std::string(line.substr(0, h)).c_str(), nullptr, 16);
  line = trim(line.substr(h));
  // The module runs to the first " (" group; groups are balanced parentheses.
  std::size_t m = line.find(" (");
  const std::string_view path = m == std::string_view::npos ? line : line.substr(0, m);
  f["module"] = module_name(path);
  f["offset"] = hex(pc);
  std::string_view rest = m == std::string_view::npos ? std::string_view{} : line.substr(m);
  while (!rest.empty()) {
    rest = trim(rest);
    if (rest.empty() || rest.front() != '(') break;
    int depth = 0;
    std::size_t j = 0;
    for (; j < rest.size(); ++j) {
      if (rest[j] == '(') ++depth;
      else if (rest[j] == ')' && --depth == 0) break;
    }
    if (j >= rest.size()) break;  // unbalanced: the rest is not a group
    std::string_view g = rest.substr(1, j - 1);
    rest.remove_prefix(j + 1);
    if (starts_with(g, "BuildId: ")) {
      std::string id(trim(g.substr(9)));
      if (!id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), is_hex)) {
        std::transform(id.begin(), id.end(), id.begin(), [](char c) {
          return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
        });
        f["build_id"] = id;
      }
    } else if (starts_with(g, "offset 0x")) {
      continue;  // where the module sits inside an APK: not needed to group or symbolize
    } else if (!g.empty()) {
      // "abort+164": the symbol without the offset into it.
      std::size_t plus = g.rfind('+');
      if (plus != std::string_view::npos && plus + 1 < g.size() &&
          std::all_of(g.begin() + static_cast<std::ptrdiff_t>(plus) + 1, g.end(), is_digit))
        g = g.substr(0, plus);
      if (!g.empty()) f["function"] = fit(demangle(std::string(g)), kKept);
    }
  }
  return true;
}

// "signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x000000000000000c"
struct tombstone_signal {
  std::string name, code, fault;
  int number = 0;
};
bool parse_signal_line(std::string_view line, tombstone_signal& s) {
  if (!starts_with(line, "signal ")) return false;
  line.remove_prefix(7);
  std::size_t i = 0;
  while (i < line.size() && is_digit(line[i])) ++i;
  if (i == 0 || i > 3) return false;
  s.number = std::atoi(std::string(line.substr(0, i)).c_str());
  line = line.substr(i);
  auto group = [](std::string_view& l) -> std::string {
    l = trim(l);
    if (l.empty() || l.front() != '(') return {};
    const auto close = l.find(')');
    if (close == std::string_view::npos) return {};
    std::string g(l.substr(1, close - 1));
    l.remove_prefix(close + 1);
    return g;
  };
  std::string name = group(line);
  if (!starts_with(name, "SIG") || name.size() > 16) name = signal_name(s.number);
  s.name = name;
  const auto code = line.find("code ");
  if (code != std::string_view::npos) {
    std::string_view c = line.substr(code + 5);
    std::size_t j = 0;
    while (j < c.size() && (is_digit(c[j]) || c[j] == '-')) ++j;
    std::string num(c.substr(0, j));
    c = c.substr(j);
    std::string label = group(c);
    if (label.size() > 32 || !std::all_of(label.begin(), label.end(), [](char ch) {
          return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
        }))
      label.clear();
    s.code = label.empty() ? num : num + " (" + label + ")";
  }
  const auto fa = line.find("fault addr ");
  if (fa != std::string_view::npos) {
    std::string_view a = trim(line.substr(fa + 11));
    std::size_t j = starts_with(a, "0x") ? 2 : 0;
    const std::size_t start = j;
    while (j < a.size() && is_hex(a[j])) ++j;
    if (start == 2 && j > 2 && j <= 18) s.fault = std::string(a.substr(0, j));
  }
  return true;
}

// The Android release from a build fingerprint
// "google/raven/raven:13/TP1A.221105.002/9080065:userdebug/dev-keys" -> "13". The rest of the
// fingerprint (model, build number) narrows the device down: not kept.
std::string android_release(std::string_view fp) {
  const auto colon = fp.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view v = fp.substr(colon + 1);
  v = v.substr(0, v.find('/'));
  if (v.empty() || v.size() > 16 || !std::all_of(v.begin(), v.end(), [](char c) {
        return is_digit(c) || c == '.' || (c >= 'A' && c <= 'Z');
      }))
    return {};
  // Major.minor.patch at most: "4.4.3.43.43.43" (an AOSP test build) reads as an IPv4 address.
  std::size_t dots = 0, i = 0;
  for (; i < v.size(); ++i)
    if (v[i] == '.' && ++dots == 3) break;
  return std::string(v.substr(0, i));
}

std::string_view quoted_value(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') return v.substr(1, v.size() - 2);
  return v;
}

result<imported_report> import_tombstone(const std::vector<std::string_view>& lines, scrub_fn scrub,
                                         std::string_view app_version) {
  nlohmann::json a = nlohmann::json::object();
  nlohmann::json frames = nlohmann::json::array();
  tombstone_signal sig;
  bool have_signal = false, in_backtrace = false, backtrace_done = false;
  std::string abort_msg, cause, thread, os_version;
  std::optional<std::int64_t> when;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string_view raw = trim(strip_logcat(lines[n]));
    // The crashing thread's section ends where the other threads' begin.
    if (starts_with(raw, "--- --- ---")) break;
    if (in_backtrace) {
      if (raw.empty()) continue;
      nlohmann::json f = nlohmann::json::object();
      if (parse_tombstone_frame(raw, f)) {
        if (frames.size() < kFrames) frames.push_back(std::move(f));
        continue;
      }
      in_backtrace = false;
      backtrace_done = true;
    }
    if (starts_with(raw, "Build fingerprint:")) {
      os_version = android_release(quoted_value(raw.substr(18)));
    } else if (starts_with(raw, "Timestamp:")) {
      when = platform_time(raw.substr(10));
    } else if (starts_with(raw, "pid:") && thread.empty()) {
      // "pid: 1700, tid: 1923, name: AsyncTask #1  >>> com.android.nfc:phoenix <<<"
      const auto k = raw.find("name: ");
      if (k != std::string_view::npos) {
        std::string_view t = raw.substr(k + 6);
        t = trim(t.substr(0, t.find(">>>")));
        thread = thread_name(t, scrub);
      }
    } else if (!have_signal && parse_signal_line(raw, sig)) {
      have_signal = true;
    } else if (starts_with(raw, "Abort message:") && abort_msg.empty()) {
      // The message is quoted and may span lines: up to the closing quote.
      std::string m(trim(raw.substr(14)));
      if (!m.empty() && m.front() == '\'') m.erase(0, 1);
      std::size_t extra = 0;
      while ((m.empty() || m.back() != '\'') && n + 1 < lines.size() && extra < 16 &&
             m.size() < kMessage) {
        m += '\n';
        m += trim(strip_logcat(lines[++n]));
        ++extra;
      }
      if (!m.empty() && m.back() == '\'') m.pop_back();
      abort_msg = fit(scrub(fit(std::move(m), kMessage)), kMessage);
    } else if (starts_with(raw, "Cause:") && cause.empty()) {
      cause = fit(scrub(trim(raw.substr(6))), 512);
    } else if (raw == "backtrace:" && !backtrace_done) {
      in_backtrace = true;
    }
  }
  if (!have_signal)
    return make_error(errc::invalid_argument,
                      "Android tombstone: no \"signal N (SIGxxx)\" line before the other "
                      "threads' section");
  if (frames.empty())
    return make_error(errc::invalid_argument,
                      "Android tombstone: no frames under \"backtrace:\" for the crashing thread");
  a["source"] = format_name(platform_format::android_tombstone);
  a["signal"] = sig.name;
  std::string message = sig.name;
  if (!sig.code.empty()) message += " code " + sig.code;
  if (!sig.fault.empty()) message += " at " + sig.fault;
  if (!cause.empty()) message = cause + " (" + message + ")";
  if (!abort_msg.empty()) message = abort_msg;
  a["message"] = fit(std::move(message), kMessage);
  if (auto t = top_frame(frames); !t.empty()) a["top_frame"] = std::move(t);
  a["frames"] = std::move(frames);
  a["breadcrumbs"] = nlohmann::json::array();
  if (!app_version.empty()) a["app_version"] = fit(std::string(app_version), 64);
  a["os_name"] = "Android";
  if (!os_version.empty()) a["os_version"] = os_version;
  if (!thread.empty()) a["thread"] = thread;
  imported_report out;
  out.format = platform_format::android_tombstone;
  out.attrs_json = a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.time_unix_ms = when;
  return out;
}

// ---- Apple .ips -------------------------------------------------------------------------

std::string str_of(simdjson::dom::element e, const char* key) {
  simdjson::dom::element v;
  if (e[key].get(v) != simdjson::SUCCESS || !v.is_string()) return {};
  return std::string(sj::str(v));
}

// "iPhone OS 26.3.1 (23D8133)" -> {"iOS", "26.3.1"}; "macOS 15.1.1 (24B91)" -> {"macOS", ...}.
std::pair<std::string, std::string> apple_os(std::string_view s) {
  struct prefix {
    const char* text;
    const char* name;
  };
  static const prefix known[] = {{"iPhone OS ", "iOS"},     {"iOS ", "iOS"},
                                 {"iPadOS ", "iPadOS"},     {"macOS ", "macOS"},
                                 {"Mac OS X ", "macOS"},    {"watchOS ", "watchOS"},
                                 {"Watch OS ", "watchOS"},  {"tvOS ", "tvOS"},
                                 {"visionOS ", "visionOS"}, {"xrOS ", "visionOS"}};
  for (const auto& p : known) {
    if (!starts_with(s, p.text)) continue;
    std::string_view v = s.substr(std::strlen(p.text));
    std::size_t i = 0;
    while (i < v.size() && (is_digit(v[i]) || v[i] == '.')) ++i;
    return {p.name, std::string(v.substr(0, std::min<std::size_t>(i, 16)))};
  }
  return {"Apple", {}};
}

// The first line of an .ips file is a JSON header; the report is the JSON after it.
result<imported_report> import_ips(std::string_view bytes, scrub_fn scrub,
                                   std::string_view app_version) {
  const auto nl = bytes.find('\n');
  if (nl == std::string_view::npos)
    return make_error(errc::invalid_argument,
                      "Apple .ips: one line only; a crash report has a JSON header line and a "
                      "JSON body");
  simdjson::dom::parser hp, bp;
  simdjson::dom::element header, body;
  if (hp.parse(bytes.data(), nl).get(header) != simdjson::SUCCESS || !header.is_object())
    return make_error(errc::invalid_argument,
                      "Apple .ips: line 1 (the header) is not a JSON object");
  const std::string bug = str_of(header, "bug_type");
  if (bug != "309")
    return make_error(errc::invalid_argument,
                      "Apple .ips: bug_type " +
                          (bug.empty() ? std::string("missing") : fit(bug, 8)) +
                          " is not a crash report (309); jetsam, hang and other diagnostic "
                          "reports are not imported");
  const std::string_view rest = bytes.substr(nl + 1);
  if (auto err = bp.parse(rest.data(), rest.size()).get(body);
      err != simdjson::SUCCESS || !body.is_object())
    return make_error(
        errc::invalid_argument,
        std::string("Apple .ips: the report after line 1 is not a JSON object (") +
            (err != simdjson::SUCCESS ? simdjson::error_message(err) : "not an object") + ")");
  nlohmann::json a = nlohmann::json::object();
  a["source"] = format_name(platform_format::apple_ips);
  simdjson::dom::element exc;
  std::string type, signal, subtype;
  if (body["exception"].get(exc) == simdjson::SUCCESS && exc.is_object()) {
    type = str_of(exc, "type");
    signal = str_of(exc, "signal");
    subtype = str_of(exc, "subtype");
  }
  auto code_word = [](const std::string& s) {
    return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
  };
  if (!code_word(type) && !code_word(signal))
    return make_error(errc::invalid_argument,
                      "Apple .ips: no exception type or signal (\"exception\": {\"type\", "
                      "\"signal\"})");
  if (code_word(signal)) a["signal"] = signal;
  if (code_word(type)) a["exception_type"] = type;
  std::string message = code_word(type) ? type : signal;
  if (code_word(type) && code_word(signal)) message += " (" + signal + ")";
  if (!subtype.empty()) message += " " + std::string(trim(subtype));
  // Application Specific Information: what the runtime said as it ended the process ("***
  // Terminating app due to uncaught exception ... reason: ..."): free text, scrubbed.
  simdjson::dom::element asi;
  if (body["asi"].get(asi) == simdjson::SUCCESS && asi.is_object()) {
    std::size_t taken = 0;
    for (auto kv : sj::obj(asi)) {
      if (!kv.value.is_array()) continue;
      for (auto line : sj::arr(kv.value))
        if (line.is_string() && taken < 8 && message.size() < kMessage) {
          message += "\n";
          message += sj::str(line);
          ++taken;
        }
    }
  }
  a["message"] = fit(scrub(fit(std::move(message), kMessage)), kMessage);

  // Binary images: index -> {basename, build id (the Mach-O UUID, without dashes)}.
  struct image {
    std::string name, build_id;
  };
  std::vector<image> images;
  simdjson::dom::element used;
  if (body["usedImages"].get(used) == simdjson::SUCCESS && used.is_array()) {
    for (auto im : sj::arr(used)) {
      image x;
      if (im.is_object()) {
        std::string name = str_of(im, "name");
        x.name = module_name(name.empty() ? str_of(im, "path") : name);
        std::string id = str_of(im, "uuid");
        id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
        std::transform(id.begin(), id.end(), id.begin(), [](char c) {
          return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
        });
        if (id.size() == 32 && std::all_of(id.begin(), id.end(), is_hex) &&
            id != std::string(32, '0'))
          x.build_id = id;
      }
      images.push_back(std::move(x));
      if (images.size() >= 4096) break;
    }
  }
  // The crashing thread: faultingThread, else the one marked "triggered". An uncaught
  // Objective-C/Swift exception's own backtrace (lastExceptionBacktrace) says more than the
  // abort it ended in: it is used when present.
  simdjson::dom::element threads, crashed, frames_src;
  bool have_thread = false;
  if (body["threads"].get(threads) == simdjson::SUCCESS && threads.is_array()) {
    std::int64_t want = -1;
    simdjson::dom::element ft;
    if (body["faultingThread"].get(ft) == simdjson::SUCCESS && ft.is_int64()) want = sj::i64(ft);
    std::int64_t idx = 0;
    for (auto t : sj::arr(threads)) {
      bool trig = false;
      simdjson::dom::element tr;
      if (t.is_object() && t["triggered"].get(tr) == simdjson::SUCCESS && tr.is_bool())
        trig = sj::boolean(tr);
      if (t.is_object() && (idx == want || (want < 0 && trig))) {
        crashed = t;
        have_thread = true;
        break;
      }
      ++idx;
    }
  }
  bool have_frames = false;
  if (body["lastExceptionBacktrace"].get(frames_src) == simdjson::SUCCESS &&
      frames_src.is_array() && sj::arr(frames_src).size() > 0)
    have_frames = true;
  else if (have_thread && crashed["frames"].get(frames_src) == simdjson::SUCCESS &&
           frames_src.is_array())
    have_frames = true;
  nlohmann::json frames = nlohmann::json::array();
  if (have_frames) {
    for (auto fr : sj::arr(frames_src)) {
      if (frames.size() >= kFrames) break;
      if (!fr.is_object()) continue;
      nlohmann::json f = nlohmann::json::object();
      simdjson::dom::element v;
      std::int64_t ii = -1;
      if (fr["imageIndex"].get(v) == simdjson::SUCCESS && v.is_int64()) ii = sj::i64(v);
      if (ii >= 0 && static_cast<std::size_t>(ii) < images.size()) {
        const auto& im = images[static_cast<std::size_t>(ii)];
        f["module"] = im.name.empty() ? "?" : im.name;
        if (!im.build_id.empty()) f["build_id"] = im.build_id;
      } else {
        f["module"] = "?";
      }
      std::uint64_t off = 0;
      if (fr["imageOffset"].get(v) == simdjson::SUCCESS && (v.is_uint64() || v.is_int64()))
        off = v.is_uint64() ? sj::u64(v) : static_cast<std::uint64_t>(sj::i64(v));
      f["offset"] = hex(off);
      const std::string sym = str_of(fr, "symbol");
      if (!sym.empty()) f["function"] = fit(demangle(sym), kKept);
      const std::string file = str_of(fr, "sourceFile");
      if (!file.empty()) {
        // The build machine's directories (home, checkout) are not needed: the file's name.
        f["file"] = fit(basename_of(file), 256);
        if (fr["sourceLine"].get(v) == simdjson::SUCCESS && v.is_int64() && sj::i64(v) >= 0 &&
            sj::i64(v) < 10'000'000)
          f["line"] = sj::i64(v);
      }
      frames.push_back(std::move(f));
    }
  }
  if (frames.empty())
    return make_error(errc::invalid_argument,
                      "Apple .ips: no frames for the crashing thread (faultingThread / "
                      "\"triggered\" in \"threads\")");
  if (auto t = top_frame(frames); !t.empty()) a["top_frame"] = std::move(t);
  a["frames"] = std::move(frames);
  a["breadcrumbs"] = nlohmann::json::array();
  std::string version = str_of(header, "app_version");
  if (version.empty()) version = std::string(app_version);
  if (!version.empty()) a["app_version"] = fit(std::move(version), 64);
  auto [os_name, os_version] = apple_os(str_of(header, "os_version"));
  a["os_name"] = os_name;
  if (!os_version.empty()) a["os_version"] = os_version;
  if (have_thread) {
    std::string t = str_of(crashed, "name");
    if (t.empty()) t = str_of(crashed, "queue");
    if (!t.empty()) a["thread"] = thread_name(t, scrub);
  }
  imported_report out;
  out.format = platform_format::apple_ips;
  out.attrs_json = a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string ts = str_of(header, "timestamp");
  if (ts.empty()) ts = str_of(body, "captureTime");
  out.time_unix_ms = platform_time(ts);
  return out;
}

}  // namespace

const char* format_name(platform_format f) noexcept {
  return f == platform_format::apple_ips ? "ips" : "tombstone";
}

result<imported_report> import_platform_report(std::string_view bytes, scrub_fn scrub,
                                               std::string_view app_version) {
  if (bytes.size() > max_import_bytes)
    return make_error(errc::limit_exceeded, "crash report of " + std::to_string(bytes.size()) +
                                                " bytes: the limit is " +
                                                std::to_string(max_import_bytes) + " bytes");
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), "MDMP", 4) == 0)
    return make_error(errc::invalid_argument,
                      "minidump: Veil does not import minidumps (they hold stack memory and "
                      "registers, which cannot be cleaned of personal data); import the Android "
                      "tombstone or the Apple .ips report instead");
  if (bytes.size() >= 4 && std::memcmp(bytes.data(),
                                       "\x7f"
                                       "ELF",
                                       4) == 0)
    return make_error(errc::invalid_argument,
                      "core dump: Veil does not import core files (process memory)");
  std::size_t start = 0;
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xEF\xBB\xBF", 3) == 0) start = 3;
  while (start < bytes.size() && (bytes[start] == ' ' || bytes[start] == '\n' ||
                                  bytes[start] == '\r' || bytes[start] == '\t'))
    ++start;
  const std::string_view b = bytes.substr(start);
  if (!b.empty() && b.front() == '{') return import_ips(b, scrub, app_version);

  std::vector<std::string_view> lines;
  for (std::size_t i = 0; i <= b.size();) {
    std::size_t e = b.find('\n', i);
    if (e == std::string_view::npos) e = b.size();
    lines.push_back(b.substr(i, e - i));
    i = e + 1;
  }
  bool tombstone = false;
  for (std::size_t n = 0; n < lines.size() && n < 200; ++n) {
    const std::string_view l = trim(strip_logcat(lines[n]));
    if (starts_with(l, "Incident Identifier:") || starts_with(l, "Exception Type:"))
      return make_error(errc::invalid_argument,
                        "line " + std::to_string(n + 1) +
                            ": a legacy text crash report (.crash); import the JSON .ips file "
                            "the device wrote (iOS 15, macOS 12 and later)");
    if (starts_with(l, "*** *** ***") || starts_with(l, "Build fingerprint:") ||
        starts_with(l, "signal ")) {
      tombstone = true;
      break;
    }
  }
  if (!tombstone)
    return make_error(errc::invalid_argument,
                      "not a crash report Veil imports: neither an Android tombstone (\"*** *** "
                      "***\", \"Build fingerprint:\" or \"signal N\" in the first 200 lines) nor "
                      "an Apple .ips report (a JSON header line)");
  return import_tombstone(lines, scrub, app_version);
}

}  // namespace veil::detail::crash
