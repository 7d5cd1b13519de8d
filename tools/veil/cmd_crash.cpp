// veil crash import: platform crash reports (Android tombstones, Apple .ips) into the agent's
// spool under the "crash" consent, or, with --dry-run, printed as they would leave the device.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "agent/core/event_parser.hpp"
#include "agent/core/time_util.hpp"
#include "agent/crash/crash_import.hpp"
#include "agent/crash/crash_scrub.hpp"
#include "agent/crypto/key_ring.hpp"
#include "agent/crypto/secure_key.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/engine.hpp"
#include "tools/veil/cli.hpp"
#include "veil/agent.hpp"

namespace veil::cli {
namespace {
using namespace veil::detail;

const char* crash_help =
    "usage: veil crash import FILE... --config AGENT.json\n"
    "       veil crash import FILE... --dry-run --policy POLICY.json\n"
    "\n"
    "Imports crash reports the platform wrote: Android tombstones (debuggerd text, with or\n"
    "without logcat prefixes) and Apple .ips reports (JSON, iOS 15 / macOS 12 and later).\n"
    "Only the signal, exception, scrubbed message, the crashing thread's frames (module name,\n"
    "offset, build id, function), OS and app version and thread name are kept; registers,\n"
    "memory, maps, open files, logs, other threads and device identifiers are not. Minidumps\n"
    "and legacy .crash text are refused.\n"
    "\n"
    "  --config FILE   the agent's config (state directory, policy, endpoint): the reports\n"
    "                  are queued as crash.report under the \"crash\" consent, which must be\n"
    "                  granted; the agent must not be running (the state directory is locked)\n"
    "  --dry-run       store nothing: print each report as the policy cleans it (JSONL)\n"
    "  --policy FILE   the policy for --dry-run\n"
    "Exit 0 when every file was imported, 1 when one was refused (each is named), 2 usage.\n";

// Reads FILE after checking its size, so a huge file is refused before it is read.
result<std::string> read_report(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return make_error(errc::not_found, "cannot open");
  if (static_cast<std::uint64_t>(st.st_size) > crash::max_import_bytes)
    return make_error(errc::limit_exceeded, std::to_string(st.st_size) + " bytes: the limit is " +
                                                std::to_string(crash::max_import_bytes));
  return read_file(path);
}

int dry_run(const args& a) {
  auto pol = load_policy(*a.get("policy"), "crash import");
  if (!pol) return exit_failure;
  auto key = secure_key::random();  // crash.report has no pseudonymized field: any key does
  if (!key) {
    std::fprintf(stderr, "veil crash import: %s\n", key.err().message.c_str());
    return exit_failure;
  }
  static_key_ring keys(std::move(*key));
  policy_engine engine(pol);
  event_parser parser;
  int rc = exit_ok;
  const auto now = std::chrono::system_clock::now();
  for (const auto& path : a.positional) {
    auto bytes = read_report(path);
    if (!bytes) {
      std::fprintf(stderr, "veil crash import: %s: %s\n", path.c_str(),
                   bytes.err().message.c_str());
      rc = exit_failure;
      continue;
    }
    auto r = crash::import_platform_report(*bytes, crash::scrub_text_noexcept, "");
    if (!r) {
      std::fprintf(stderr, "veil crash import: %s: %s\n", path.c_str(), r.err().message.c_str());
      rc = exit_failure;
      continue;
    }
    const std::int64_t ts = r->time_unix_ms.value_or(
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
    const std::string envelope = "{\"type\":\"crash.report\",\"ts\":\"" + format_rfc3339(ts) +
                                 "\",\"attrs\":" + r->attrs_json + "}";
    raw_event ev;
    parse_failure fail;
    std::string out;
    clean_stats st;
    if (!parser.parse(envelope, ev, fail) || !engine.clean(ev, keys, now, out, st)) {
      std::fprintf(stderr, "veil crash import: %s: the policy drops crash.report\n", path.c_str());
      rc = exit_failure;
      continue;
    }
    std::printf("%s\n", out.c_str());
  }
  return rc;
}

}  // namespace

int cmd_crash(int argc, char** argv) {
  args a;
  if (argc < 3 || std::string(argv[2]) != "import") {
    if (argc >= 3 && (std::string(argv[2]) == "--help" || std::string(argv[2]) == "help")) {
      std::fputs(crash_help, stdout);
      return exit_ok;
    }
    std::fprintf(stderr, "veil crash: the subcommand is 'import'\n%s", crash_help);
    return exit_usage;
  }
  if (auto e = parse_args(argc, argv, 3, {"config", "policy"}, {"help", "dry-run"}, a)) {
    std::fprintf(stderr, "veil crash import: %s\n%s", e->c_str(), crash_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::fputs(crash_help, stdout);
    return exit_ok;
  }
  if (a.positional.empty()) {
    std::fprintf(stderr, "veil crash import: no FILE given\n%s", crash_help);
    return exit_usage;
  }
  if (a.has("dry-run")) {
    if (!a.get("policy") || a.get("config")) {
      std::fprintf(stderr, "veil crash import: --dry-run needs --policy (and no --config)\n%s",
                   crash_help);
      return exit_usage;
    }
    return dry_run(a);
  }
  if (!a.get("config")) {
    std::fprintf(stderr, "veil crash import: --config is required (or --dry-run)\n%s", crash_help);
    return exit_usage;
  }
  failure why;
  auto agent = veil::agent::open_config(*a.get("config"), &why);
  if (!agent) {
    std::fprintf(stderr, "veil crash import: %s: %s\n", a.get("config")->c_str(),
                 why.message.c_str());
    return exit_failure;
  }
  int rc = exit_ok;
  for (const auto& path : a.positional) {
    auto bytes = read_report(path);
    if (!bytes) {
      std::fprintf(stderr, "veil crash import: %s: %s\n", path.c_str(),
                   bytes.err().message.c_str());
      rc = exit_failure;
      continue;
    }
    failure f;
    const status s = agent->import_crash_report(*bytes, &f);
    if (s != status::ok) {
      std::fprintf(stderr, "veil crash import: %s: %s\n", path.c_str(),
                   f.message.empty() ? to_string(s) : f.message.c_str());
      rc = exit_failure;
      if (s == status::not_consented) break;  // the same for every other file
      continue;
    }
    std::printf("%s: queued as crash.report\n", path.c_str());
  }
  if (agent->flush(std::chrono::seconds(10)) != status::ok)
    std::fprintf(stderr,
                 "veil crash import: not every report is stored or uploaded yet; the "
                 "rest goes at the next start\n");
  (void)agent->close();
  return rc;
}

}  // namespace veil::cli
