// veil_bench_scrub: single-thread throughput of the two hot paths, measured in memory.
//  1. events: JSONL in -> JSONL out through the code path of `veil scrub` (event_parser +
//     policy_engine::clean with a fixed key, output buffered and written to /dev/null in
//     1 MB chunks); also parse alone, to show how the time splits.
//  2. text: text_scanner::scrub line by line over a generated SIP-trace-like log (pjsip and
//     reSIProcate lines, INVITE/REGISTER with SDP), as `veil scrub --text` does.
// Each figure is the best of --reps runs; wall and thread-CPU time are both reported because
// the build machine is shared (CPU time is what the code costs, wall time what you'd see).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/core/event_parser.hpp"
#include "agent/crypto/key_ring.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/engine.hpp"

using namespace veil::detail;

namespace {

const char* usage =
    "usage: veil_bench_scrub [--events FILE] [--count N] [--policy FILE] [--text-mb N] [--reps N]\n"
    "                        [--only events|text] [--write-text FILE]\n"
    "  --events FILE  raw JSONL (e.g. from tools/demo/make_events.py); cycled to --count lines\n"
    "                 (default: events synthesized from built-in templates)\n"
    "  --count N      events per run (default 100000)\n"
    "  --policy FILE  default: config/policy.json of the source tree\n"
    "  --text-mb N    size of the generated SIP log in MB (default 64)\n"
    "  --reps N       runs per figure, the best is reported (default 3)\n"
    "  --write-text FILE  also write the generated SIP log there (e.g. for veil scrub --text)\n";

struct timer {
  std::chrono::steady_clock::time_point w0 = std::chrono::steady_clock::now();
  double c0 = cpu();
  static double cpu() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  double wall() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  }
  double cpu_s() const { return cpu() - c0; }
};

struct best {
  double wall = 1e300, cpu = 1e300;
  void add(const timer& t) {
    wall = std::min(wall, t.wall());
    cpu = std::min(cpu, t.cpu_s());
  }
};

// xorshift64*: deterministic, fast, good enough for test data.
struct rng {
  std::uint64_t s;
  explicit rng(std::uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  std::uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545F4914F6CDD1Dull;
  }
  unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }
  template <class T, std::size_t N>
  const T& pick(const T (&a)[N]) {
    return a[below(N)];
  }
};

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char buf[4096];
  va_list ap;
  va_start(ap, f);
  int n = std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return std::string(buf, static_cast<std::size_t>(std::min(n, static_cast<int>(sizeof buf) - 1)));
}

std::string ipv4(rng& r) {
  return fmt("%u.%u.%u.%u", 1 + r.below(223), r.below(256), r.below(256), 1 + r.below(254));
}
std::string e164(rng& r) {
  static const char* cc[] = {"49", "1", "44", "33", "359", "34", "39"};
  return fmt("+%s%09" PRIu64, cc[r.below(7)], static_cast<std::uint64_t>(r.next() % 1000000000u));
}
std::string hexid(rng& r, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back("0123456789abcdef"[r.below(16)]);
  return s;
}

// Events in the envelope of docs/events.md, used when no --events file is given.
std::string synth_event(rng& r, std::uint64_t i) {
  std::string ts = fmt("\"2026-11-30T%02u:%02u:%02u.%03uZ\"", r.below(24), r.below(60), r.below(60),
                       r.below(1000));
  switch (i % 6) {
    case 0:
      return fmt(
          "{\"type\":\"call.ended\",\"ts\":%s,\"attrs\":{\"call_id\":\"%s@%s\",\"remote_number\":"
          "\"%s\","
          "\"direction\":\"outgoing\",\"duration_s\":%u,\"codec\":\"opus\",\"mos\":4.%u,\"jitter_"
          "ms\":%u,"
          "\"packet_loss_pct\":0.%u,\"public_ip\":\"%s\",\"end_reason\":\"486 Busy Here\"}}",
          ts.c_str(), hexid(r, 16).c_str(), ipv4(r).c_str(), e164(r).c_str(), r.below(4000),
          r.below(10), r.below(80), r.below(10), ipv4(r).c_str());
    case 1:
      return fmt(
          "{\"type\":\"account.registered\",\"ts\":%s,\"attrs\":{\"provider_domain\":\"sip.example."
          "net\","
          "\"sip_uri\":\"sip:%s@sip.example.net\",\"username\":\"alice%u\",\"password\":\"pw%s\","
          "\"transport\":\"udp\",\"registrar_ip\":\"%s\",\"public_ip\":\"%s\",\"status_code\":401,"
          "\"error_text\":\"401 Unauthorized from %s for alice%u@example.com\"}}",
          ts.c_str(), e164(r).c_str(), r.below(999), hexid(r, 8).c_str(), ipv4(r).c_str(),
          ipv4(r).c_str(), ipv4(r).c_str(), r.below(999));
    case 2:
      return fmt(
          "{\"type\":\"app.started\",\"ts\":%s,\"attrs\":{\"app_version\":\"5.6.%u\",\"build\":"
          "\"biz\","
          "\"os_name\":\"macOS\",\"os_version\":\"15.%u\",\"device_model\":\"Mac14,2\",\"locale\":"
          "\"en-US\","
          "\"install_id\":\"%s\",\"email\":\"bob%u@example.org\"}}",
          ts.c_str(), r.below(20), r.below(4), hexid(r, 32).c_str(), r.below(999));
    case 3:
      return fmt(
          "{\"type\":\"screen.viewed\",\"ts\":%s,\"attrs\":{\"screen\":\"dialpad\",\"previous_"
          "screen\":"
          "\"contacts\",\"duration_ms\":%u}}",
          ts.c_str(), r.below(100000));
    case 4:
      return fmt(
          "{\"type\":\"crash.report\",\"ts\":%s,\"attrs\":{\"signal\":\"SIGSEGV\",\"message\":"
          "\"SIGSEGV at "
          "0x%s in pjsip_dlg_inc_lock() while handling INVITE from "
          "sip:%s@%s\",\"breadcrumbs\":[\"call to "
          "%s\",\"REGISTER 200 OK\",\"network wifi -> "
          "lte\"],\"frames\":[{\"file\":\"/home/alice/src/pjsip/"
          "sip_dialog.c\",\"line\":%u,\"function\":\"pjsip_dlg_inc_lock\"}]}}",
          ts.c_str(), hexid(r, 16).c_str(), e164(r).c_str(), ipv4(r).c_str(), e164(r).c_str(),
          r.below(3000));
    default:
      return fmt("{\"type\":\"feature.used\",\"ts\":%" PRIu64
                 ",\"attrs\":{\"feature\":\"call_transfer\"}}",
                 std::uint64_t{1795947307000} + i);
  }
}

// One message of a SIP stack's debug log.
void sip_log_chunk(rng& r, std::string& out) {
  std::string ip = ipv4(r), me = fmt("192.168.%u.%u", r.below(256), 1 + r.below(254)),
              num = e164(r);
  std::string tag = hexid(r, 10), branch = "z9hG4bKPj" + hexid(r, 24),
              callid = hexid(r, 8) + "-" + hexid(r, 4) + "-" + hexid(r, 12);
  unsigned h = r.below(24), m = r.below(60), s = r.below(60), ms = r.below(1000),
           cseq = r.below(60000);
  switch (r.below(5)) {
    case 0:  // pjsip INVITE with SDP
      out +=
          fmt("%02u:%02u:%02u.%03u  pjsua_core.c  .TX 1034 bytes Request msg INVITE/cseq=%u "
              "(tdta0x7f%s) to UDP %s:5060:\n"
              "INVITE sip:%s@sip.example.net;user=phone SIP/2.0\n"
              "Via: SIP/2.0/UDP %s:5060;rport;branch=%s\nMax-Forwards: 70\n"
              "From: \"Alice Meyer\" <sip:alice@sip.example.net>;tag=%s\n"
              "To: <sip:%s@sip.example.net;user=phone>\nContact: <sip:alice@%s:5060;ob>\n"
              "Call-ID: %s\nCSeq: %u INVITE\nAllow: PRACK, INVITE, ACK, BYE, CANCEL, UPDATE, INFO, "
              "SUBSCRIBE, NOTIFY, REFER, MESSAGE, OPTIONS\n"
              "User-Agent: Voxline 5.6.12\nContent-Type: application/sdp\nContent-Length: 245\n\n"
              "v=0\no=- 3912345678 3912345678 IN IP4 %s\ns=pjmedia\nc=IN IP4 %s\nt=0 0\n"
              "m=audio 4000 RTP/AVP 96 0 8 101\na=rtpmap:96 opus/48000/2\na=rtpmap:101 "
              "telephone-event/8000\n"
              "a=fmtp:101 0-16\na=sendrecv\n--end msg--\n",
              h, m, s, ms, cseq, hexid(r, 6).c_str(), ip.c_str(), num.c_str(), me.c_str(),
              branch.c_str(), tag.c_str(), num.c_str(), me.c_str(), callid.c_str(), cseq,
              me.c_str(), me.c_str());
      break;
    case 1:  // reSIProcate REGISTER + 401
      out += fmt(
          "2026-11-30 %02u:%02u:%02u.%03u | DEBUG | RESIP:TRANSPORT | 140234 | "
          "UdpTransport.cxx:312 | "
          "Transmitting to [ V4 %s:5060 UDP target domain=sip.example.org ] via [ V4 %s:5062 UDP "
          "]\n"
          "REGISTER sip:sip.example.org SIP/2.0\nVia: SIP/2.0/UDP "
          "%s:5062;branch=z9hG4bK-524287-1---%s;rport\n"
          "From: <sip:%s@sip.example.org>;tag=%s\nTo: <sip:%s@sip.example.org>\n"
          "Contact: <sip:%s@%s:5062;transport=UDP>\nCall-ID: %s\nCSeq: %u REGISTER\nExpires: 3600\n"
          "Content-Length: 0\n\n"
          "2026-11-30 %02u:%02u:%02u.%03u | DEBUG | RESIP:TRANSACTION | 140234 | "
          "TransactionState.cxx:2034 | "
          "Received SIP/2.0 401 Unauthorized\nWWW-Authenticate: Digest realm=\"sip.example.org\", "
          "nonce=\"%s\", "
          "algorithm=MD5, qop=\"auth\"\n",
          h, m, s, ms, ip.c_str(), me.c_str(), me.c_str(), hexid(r, 16).c_str(), num.c_str(),
          tag.c_str(), num.c_str(), num.c_str(), me.c_str(), callid.c_str(), cseq, h, m, s,
          (ms + 7) % 1000, hexid(r, 24).c_str());
      break;
    default:  // the bulk of a real log: state changes, media stats, timers, no personal data
      for (int k = 0; k < 6; ++k) {
        static const char* lines[] = {
            "pjsua_call.c  Call %u state changed to CONFIRMED",
            "pjsua_media.c  .Call %u: updating media..",
            "pjmedia_stream.c  !Stream %u: jitter buffer size=%u ms, burst=3 (delay=60 ms)",
            "sip_endpoint.c  .Processing incoming message: Response msg 200/INVITE/cseq=%u",
            "pjsua_acc.c  ..Acc %u: Registration sent",
            "ice_strans.c  ...Candidate %u added: srflx, 0x%x",
            "os_core_unix.c  !pjlib 2.13 for POSIX initialized (thread %u, stack %u)",
            "sip_transaction.c  .tsx0x%x Timer F fired after 32000 ms, state Trying",
        };
        out += fmt("%02u:%02u:%02u.%03u  ", h, m, s, (ms + static_cast<unsigned>(k)) % 1000);
        out += fmt(r.pick(lines), r.below(64), r.below(100000));
        out.push_back('\n');
      }
      break;
  }
}

void print_counts(const redaction_counts& c) {
  for (std::size_t i = 0; i < token_class_count; ++i)
    if (c.by_class[i])
      std::printf(" %s=%" PRIu64, std::string(token_class_names[i]).c_str(), c.by_class[i]);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string events_file, write_text,
      policy_file = std::string(VEIL_SOURCE_DIR) + "/config/policy.json", only;
  std::size_t count = 100000, text_mb = 64;
  int reps = 3;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto val = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n%s", argv[i], usage);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--events") events_file = val();
    else if (a == "--count") count = std::strtoull(val(), nullptr, 10);
    else if (a == "--policy") policy_file = val();
    else if (a == "--text-mb") text_mb = std::strtoull(val(), nullptr, 10);
    else if (a == "--reps") reps = std::max(1, std::atoi(val()));
    else if (a == "--only") only = val();
    else if (a == "--write-text") write_text = val();
    else if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "unknown argument %s\n%s", argv[i], usage);
      return 2;
    }
  }
  FILE* sink = std::fopen("/dev/null", "wb");
  if (!sink) return 1;

  if (only.empty() || only == "events") {
    auto text = read_file(policy_file);
    if (!text) {
      std::fprintf(stderr, "%s\n", text.err().message.c_str());
      return 1;
    }
    policy_report rep;
    auto pol = compile_policy(*text, rep);
    if (!pol) {
      std::fprintf(stderr, "policy %s does not compile\n", policy_file.c_str());
      return 1;
    }
    unsigned char kb[32];
    for (int i = 0; i < 32; ++i) kb[i] = static_cast<unsigned char>(i);
    auto key = secure_key::from_bytes(kb);
    if (!key) return 1;
    static_key_ring keys(std::move(*key));

    // All input lines in one buffer, as the line reader of `veil scrub` sees them.
    std::vector<std::string> source;
    if (!events_file.empty()) {
      auto data = read_file(events_file);
      if (!data) {
        std::fprintf(stderr, "%s\n", data.err().message.c_str());
        return 1;
      }
      std::string_view d = *data;
      while (!d.empty()) {
        auto nl = d.find('\n');
        std::string_view l = d.substr(0, nl);
        if (!l.empty()) source.emplace_back(l);
        if (nl == std::string_view::npos) break;
        d.remove_prefix(nl + 1);
      }
    } else {
      rng r(42);
      for (std::size_t i = 0; i < std::min<std::size_t>(count, 20000); ++i)
        source.push_back(synth_event(r, i));
    }
    if (source.empty()) {
      std::fprintf(stderr, "no events\n");
      return 1;
    }
    std::string input;
    std::vector<std::string_view> lines;
    for (std::size_t i = 0; i < count; ++i) (input += source[i % source.size()]) += '\n';
    for (std::size_t pos = 0; pos < input.size();) {
      std::size_t nl = input.find('\n', pos);
      lines.emplace_back(input.data() + pos, nl - pos);
      pos = nl + 1;
    }
    double in_mb = static_cast<double>(input.size()) / 1e6;
    std::printf("events: %zu lines (%zu distinct, %s), %.1f MB, avg %.0f B/event\n", lines.size(),
                source.size(), events_file.empty() ? "synthesized" : events_file.c_str(), in_mb,
                static_cast<double>(input.size()) / static_cast<double>(lines.size()));

    policy_engine engine(*pol);
    event_parser parser;
    sys_time now = sys_time(std::chrono::seconds(1795947307));
    raw_event ev;
    parse_failure fail;

    best parse_t, full_t;
    std::uint64_t parsed = 0, out_events = 0, out_bytes = 0;
    clean_stats st;
    for (int rep_i = 0; rep_i < reps; ++rep_i) {
      timer t;
      parsed = 0;
      for (auto l : lines) parsed += parser.parse(l, ev, fail);
      parse_t.add(t);
    }
    for (int rep_i = 0; rep_i < reps; ++rep_i) {
      std::string out;
      out.reserve(1 << 21);
      st = clean_stats{};
      out_bytes = 0;
      timer t;
      for (auto line : lines) {  // the loop of cmd_scrub.cpp
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        if (!parser.parse(line, ev, fail)) {
          st.drops.add(fail.reason);
          continue;
        }
        std::size_t mark = out.size();
        if (engine.clean(ev, keys, now, out, st)) out.push_back('\n');
        else out.resize(mark);
        if (out.size() > (1 << 20)) {
          std::fwrite(out.data(), 1, out.size(), sink);
          out_bytes += out.size();
          out.clear();
        }
      }
      std::fwrite(out.data(), 1, out.size(), sink);
      out_bytes += out.size();
      full_t.add(t);
      out_events = st.events_out;
    }
    double n = static_cast<double>(lines.size());
    std::printf(
        "  parse only     : %9.0f events/s %7.1f MB/s (cpu)   %9.0f events/s (wall)   %" PRIu64
        " parsed\n",
        n / parse_t.cpu, in_mb / parse_t.cpu, n / parse_t.wall, parsed);
    std::printf(
        "  parse + clean  : %9.0f events/s %7.1f MB/s (cpu)   %9.0f events/s %7.1f MB/s (wall)\n",
        n / full_t.cpu, in_mb / full_t.cpu, n / full_t.wall, in_mb / full_t.wall);
    std::printf("  parse share of the JSON->JSON time: %.0f%% (cpu)\n",
                100.0 * parse_t.cpu / full_t.cpu);
    std::printf("  out: %" PRIu64 " events, %.1f MB; redactions:", out_events,
                static_cast<double>(out_bytes) / 1e6);
    print_counts(st.redactions);
  }

  if (only.empty() || only == "text") {
    std::string log;
    log.reserve(text_mb * 1000000 + 8192);
    rng r(7);
    while (log.size() < text_mb * 1000000) sip_log_chunk(r, log);
    if (!write_text.empty()) {
      FILE* f = std::fopen(write_text.c_str(), "wb");
      if (!f || std::fwrite(log.data(), 1, log.size(), f) != log.size() || std::fclose(f) != 0) {
        std::fprintf(stderr, "cannot write %s\n", write_text.c_str());
        return 1;
      }
    }
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos < log.size();) {
      std::size_t nl = log.find('\n', pos);
      if (nl == std::string::npos) nl = log.size();
      lines.emplace_back(log.data() + pos, nl - pos);
      pos = nl + 1;
    }
    text_scanner scanner;
    best t_best;
    redaction_counts counts;
    for (int rep_i = 0; rep_i < reps; ++rep_i) {
      std::string out;
      out.reserve(1 << 21);
      counts = redaction_counts{};
      timer t;
      for (auto line : lines) {  // the loop of `veil scrub --text`
        scanner.scrub(line, out, counts);
        out.push_back('\n');
        if (out.size() > (1 << 20)) {
          std::fwrite(out.data(), 1, out.size(), sink);
          out.clear();
        }
      }
      std::fwrite(out.data(), 1, out.size(), sink);
      t_best.add(t);
    }
    double mb = static_cast<double>(log.size()) / 1e6;
    std::printf("text: SIP-trace log %.1f MB, %zu lines\n", mb, lines.size());
    std::printf("  scanner        : %7.1f MB/s (cpu)   %7.1f MB/s (wall)\n", mb / t_best.cpu,
                mb / t_best.wall);
    std::printf("  redactions:");
    print_counts(counts);
  }
  std::fclose(sink);
  return 0;
}
