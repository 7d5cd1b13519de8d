// veil scrub: raw JSONL in, cleaned JSONL out (same order), summary on stderr.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "agent/core/event_parser.hpp"
#include "agent/core/time_util.hpp"
#include "agent/crypto/key_ring.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/engine.hpp"
#include "tools/veil/cli.hpp"

namespace veil::cli {
namespace {
using namespace veil::detail;

const char* scrub_help =
    "usage: veil scrub --policy FILE [--in FILE] [--out FILE] [--state-dir DIR] [--key-file FILE]\n"
    "                  [--now RFC3339] [--max-errors N] [--quiet]\n"
    "       veil scrub --text [--in FILE] [--out FILE] [--paragraphs] [--quiet]\n\n"
    "Reads raw events as JSONL (one {\"type\",\"ts\",\"attrs\"} object per line) and writes the "
    "cleaned\n"
    "events as JSONL in the same order. Events the policy does not know are dropped; malformed\n"
    "lines are reported on stderr by line number and reason (never their content) and skipped.\n"
    "With --text, scrubs a plain-text log (e.g. a SIP trace) line by line with the text action;\n"
    "a value replaced for where it stood on one line (an extension after `ext`, before `@`) is\n"
    "replaced on later lines too. --paragraphs treats blank lines as the ends of unrelated\n"
    "texts: what one text taught is forgotten there.\n\n"
    "  --policy FILE     policy JSON (see config/policy.json)\n"
    "  --in FILE         input (default: stdin)\n"
    "  --out FILE        output (default: stdout)\n"
    "  --state-dir DIR   where the pseudonym key lives (default: $VEIL_STATE_DIR or "
    "~/.local/state/veil)\n"
    "  --key-file FILE   use this fixed 32-byte key (raw or 64 hex chars) instead: tests, golden "
    "files\n"
    "  --now TIME        the instant used for key selection (default: the current time)\n"
    "  --max-errors N    print at most N line errors (default 20); all are counted\n"
    "  --quiet           no summary\n";

class line_reader {
 public:
  explicit line_reader(FILE* f) : f_(f) { buf_.reserve(1 << 20); }
  // Returns false at EOF. `line` is valid until the next call.
  bool next(std::string_view& line) {
    for (;;) {
      auto nl = std::memchr(buf_.data() + pos_, '\n', buf_.size() - pos_);
      if (nl) {
        std::size_t end = static_cast<const char*>(nl) - buf_.data();
        line = std::string_view(buf_.data() + pos_, end - pos_);
        pos_ = end + 1;
        return true;
      }
      if (eof_) {
        if (pos_ < buf_.size()) {
          line = std::string_view(buf_.data() + pos_, buf_.size() - pos_);
          pos_ = buf_.size();
          return true;
        }
        return false;
      }
      buf_.erase(0, pos_);
      pos_ = 0;
      std::size_t old = buf_.size();
      buf_.resize(old + (1 << 20));
      std::size_t n = std::fread(buf_.data() + old, 1, 1 << 20, f_);
      buf_.resize(old + n);
      if (n == 0) {
        if (std::ferror(f_)) error_ = true;
        eof_ = true;
      }
    }
  }
  bool error() const { return error_; }

 private:
  FILE* f_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  bool error_ = false;
};

struct io_files {
  FILE* in = stdin;
  FILE* out = stdout;
  /// Writes `buf` once it holds 1 MiB (or always with `all`) and clears it.
  void drain(std::string& buf, bool all = false) {
    if (!all && buf.size() <= (1u << 20)) return;
    std::fwrite(buf.data(), 1, buf.size(), out);
    buf.clear();
  }
  /// Writes what is left and reports an input or output error; false on failure.
  bool finish(std::string& buf, const line_reader& rd) {
    drain(buf, true);
    if (std::fflush(out) != 0 || rd.error()) {
      std::fprintf(stderr, "veil scrub: i/o error: %s\n", std::strerror(errno));
      return false;
    }
    return true;
  }
  ~io_files() {
    if (in && in != stdin) std::fclose(in);
    if (out && out != stdout) std::fclose(out);
  }
};

bool open_io(const args& a, io_files& io) {
  if (auto p = a.get("in")) {
    io.in = std::fopen(p->c_str(), "rb");
    if (!io.in) {
      std::fprintf(stderr, "veil scrub: cannot open input %s: %s\n", p->c_str(),
                   std::strerror(errno));
      return false;
    }
  }
  if (auto p = a.get("out")) {
    io.out = std::fopen(p->c_str(), "wb");
    if (!io.out) {
      std::fprintf(stderr, "veil scrub: cannot open output %s: %s\n", p->c_str(),
                   std::strerror(errno));
      return false;
    }
  }
  return true;
}

void print_redactions(const redaction_counts& r) {
  std::fprintf(stderr, "  redactions:");
  bool any = false;
  for (std::size_t i = 0; i < token_class_count; ++i) {
    if (!r.by_class[i]) continue;
    std::fprintf(stderr, " %s %llu", std::string(token_class_names[i]).c_str(),
                 static_cast<unsigned long long>(r.by_class[i]));
    any = true;
  }
  std::fprintf(stderr, any ? "\n" : " none\n");
}

int scrub_text(const args& a) {
  io_files io;
  if (!open_io(a, io)) return exit_failure;
  text_scanner scanner;
  text_memory memory;
  const bool paragraphs = a.has("paragraphs");
  line_reader rd(io.in);
  std::string out;
  redaction_counts counts;
  std::uint64_t lines = 0;
  std::string_view line;
  while (rd.next(line)) {
    ++lines;
    bool cr = !line.empty() && line.back() == '\r';
    if (cr) line.remove_suffix(1);
    if (paragraphs && line.empty()) memory.clear();
    scanner.scrub(line, out, counts, memory);
    if (cr) out.push_back('\r');
    out.push_back('\n');
    io.drain(out);
  }
  if (!io.finish(out, rd)) return exit_failure;
  if (!a.has("quiet")) {
    std::fprintf(stderr, "veil scrub --text: %llu lines\n", static_cast<unsigned long long>(lines));
    print_redactions(counts);
  }
  return exit_ok;
}

result<std::unique_ptr<key_ring>> load_keys(const args& a, const compiled_policy& pol,
                                            sys_time now) {
  if (auto kf = a.get("key-file")) {
    auto data = read_file(*kf);
    if (!data) return std::move(data).err();
    std::string d = *data;
    while (!d.empty() && (d.back() == '\n' || d.back() == '\r' || d.back() == ' ')) d.pop_back();
    std::string bytes;
    if (d.size() == 64) {
      for (std::size_t i = 0; i < 64; i += 2) {
        auto hexv = [](char c) -> int {
          if (c >= '0' && c <= '9') return c - '0';
          if (c >= 'a' && c <= 'f') return c - 'a' + 10;
          if (c >= 'A' && c <= 'F') return c - 'A' + 10;
          return -1;
        };
        int h = hexv(d[i]), l = hexv(d[i + 1]);
        if (h < 0 || l < 0)
          return make_error(errc::invalid_argument, "key file " + *kf + ": not 64 hex characters");
        bytes.push_back(static_cast<char>(h * 16 + l));
      }
    } else if (d.size() == 32) {
      bytes = d;
    } else {
      return make_error(errc::invalid_argument,
                        "key file " + *kf + ": must hold 32 raw bytes or 64 hex characters");
    }
    auto k = secure_key::from_bytes(
        {reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
    if (!k) return std::move(k).err();
    return std::unique_ptr<key_ring>(new static_key_ring(std::move(*k)));
  }
  std::string dir = a.get("state-dir").value_or(default_state_dir());
  auto ring = file_key_ring::open({dir, pol.key_epoch}, now);
  if (!ring) return std::move(ring).err();
  return std::unique_ptr<key_ring>(std::move(*ring));
}

}  // namespace

int cmd_scrub(int argc, char** argv) {
  args a;
  if (auto e = parse_args(argc, argv, 2,
                          {"policy", "in", "out", "state-dir", "key-file", "now", "max-errors"},
                          {"text", "paragraphs", "quiet", "help"}, a)) {
    std::fprintf(stderr, "veil scrub: %s\n%s", e->c_str(), scrub_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::fputs(scrub_help, stdout);
    return exit_ok;
  }
  if (!a.positional.empty()) {
    std::fprintf(stderr, "veil scrub: unexpected argument '%s'\n%s", a.positional[0].c_str(),
                 scrub_help);
    return exit_usage;
  }
  if (a.has("text")) return scrub_text(a);
  auto policy_path = a.get("policy");
  if (!policy_path) {
    std::fprintf(stderr, "veil scrub: --policy FILE is required (or --text)\n%s", scrub_help);
    return exit_usage;
  }
  std::size_t max_errors = 20;
  if (auto m = a.get("max-errors")) {
    char* end = nullptr;
    unsigned long v = std::strtoul(m->c_str(), &end, 10);
    if (m->empty() || *end) {
      std::fprintf(stderr, "veil scrub: --max-errors needs a number, got '%s'\n", m->c_str());
      return exit_usage;
    }
    max_errors = v;
  }
  sys_time now = std::chrono::system_clock::now();
  if (auto t = a.get("now")) {
    auto ms = parse_rfc3339_ms(*t);
    if (!ms) {
      std::fprintf(stderr, "veil scrub: --now needs an RFC 3339 time, got '%s'\n", t->c_str());
      return exit_usage;
    }
    now = sys_time(std::chrono::milliseconds(*ms));
  }
  auto pol = load_policy(*policy_path, "scrub");
  if (!pol) return exit_failure;
  auto keys = load_keys(a, *pol, now);
  if (!keys) {
    std::fprintf(stderr, "veil scrub: %s\n", keys.err().message.c_str());
    return exit_failure;
  }
  io_files io;
  if (!open_io(a, io)) return exit_failure;

  policy_engine engine(pol);
  event_parser parser;
  clean_stats st;
  line_reader rd(io.in);
  std::string out;
  out.reserve(1 << 21);
  std::uint64_t line_no = 0, rejected = 0, blank = 0;
  std::string_view line;
  raw_event ev;
  parse_failure fail;
  while (rd.next(line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      ++blank;
      continue;
    }
    if (!parser.parse(line, ev, fail)) {
      ++rejected;
      st.drops.add(fail.reason);
      if (rejected <= max_errors)
        std::fprintf(stderr, "veil scrub: line %llu: rejected: %s\n",
                     static_cast<unsigned long long>(line_no), fail.message.c_str());
      continue;
    }
    std::size_t mark = out.size();
    if (engine.clean(ev, **keys, now, out, st)) out.push_back('\n');
    else out.resize(mark);
    io.drain(out);
  }
  if (!io.finish(out, rd)) return exit_failure;
  if (rejected > max_errors)
    std::fprintf(stderr, "veil scrub: ... %llu more rejected lines not shown\n",
                 static_cast<unsigned long long>(rejected - max_errors));
  if (!a.has("quiet")) {
    std::fprintf(stderr,
                 "veil scrub: %llu lines, %llu events in, %llu out, %llu dropped, %llu rejected\n",
                 static_cast<unsigned long long>(line_no - blank),
                 static_cast<unsigned long long>(st.events_in),
                 static_cast<unsigned long long>(st.events_out),
                 static_cast<unsigned long long>(st.events_in - st.events_out),
                 static_cast<unsigned long long>(rejected));
    auto section = [&](const char* title, std::size_t from, std::size_t to) {
      std::fprintf(stderr, "  %s:", title);
      bool any = false;
      for (std::size_t i = from; i < to; ++i) {
        if (!st.drops.by_reason[i]) continue;
        std::fprintf(stderr, " %s %llu", std::string(drop_reason_names[i]).c_str(),
                     static_cast<unsigned long long>(st.drops.by_reason[i]));
        any = true;
      }
      std::fprintf(stderr, any ? "\n" : " none\n");
    };
    section("rejected", 0, 6);
    section("events dropped", 6, 8);
    section("fields", 8, 12);
    print_redactions(st.redactions);
    if (st.guard_hits)
      std::fprintf(stderr,
                   "  guard: %llu kept strings still held personal tokens and were scrubbed\n",
                   static_cast<unsigned long long>(st.guard_hits));
  }
  return exit_ok;
}

}  // namespace veil::cli
