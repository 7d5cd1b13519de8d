#include <cstdio>
#include <cstring>
#include <string_view>

#include "tools/veil/cli.hpp"

namespace veil::cli {

std::optional<std::string> parse_args(int argc, char** argv, int first,
                                      const std::vector<std::string>& valued,
                                      const std::vector<std::string>& flags, args& out) {
  auto listed = [](const std::vector<std::string>& v, const std::string& s) {
    for (auto& x : v)
      if (x == s) return true;
    return false;
  };
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2), val;
      bool inline_val = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        val = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_val = true;
      }
      if (listed(flags, name)) {
        if (inline_val) return "option --" + name + " takes no value";
        out.options[name] = "";
      } else if (listed(valued, name)) {
        if (!inline_val) {
          if (i + 1 >= argc) return "option --" + name + " needs a value";
          val = argv[++i];
        }
        out.options[name] = val;
      } else {
        return "unknown option --" + name;
      }
    } else if (a == "-h") {
      out.options["help"] = "";
    } else {
      out.positional.push_back(a);
    }
  }
  return std::nullopt;
}

std::string default_state_dir() {
  if (const char* d = std::getenv("VEIL_STATE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return std::string(x) + "/veil";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/state/veil";
  return ".veil-state";
}

}  // namespace veil::cli

namespace {
struct command {
  const char* name;
  int (*fn)(int, char**);
  const char* summary;
};
const command commands[] = {
    {"scrub", veil::cli::cmd_scrub,
     "clean raw JSONL events (or a text log with --text) per a policy"},
    {"policy", veil::cli::cmd_policy,
     "policy check FILE: validate a policy and warn where it is looser than the event catalog"},
    {"report", veil::cli::cmd_report,
     "k-anonymous statistics over a collector database (text, CSV, JSON, HTML)"},
    {"run", veil::cli::cmd_run,
     "run the agent as a daemon reading JSONL events from a Unix socket"},
    {"stats", veil::cli::cmd_stats, "print the counters of a running `veil run`"},
    {"consent", veil::cli::cmd_consent,
     "consent show|grant|revoke|object CATEGORY|all: the user's choices and their history"},
    {"explain", veil::cli::cmd_explain,
     "the redaction diff of one raw event or text: each field's action, before and after"},
    {"preview", veil::cli::cmd_preview, "what the next uploads would send, per category"},
    {"export", veil::cli::cmd_export,
     "everything held or sent about this install, as one JSON document (portability)"},
    {"erase", veil::cli::cmd_erase,
     "wipe local data and erase what the collector stored for this install"},
    {"crash", veil::cli::cmd_crash,
     "crash import FILE...: Android tombstones and Apple .ips reports, cleaned, as crash.report"},
};

void usage(FILE* f) {
  std::fprintf(f, "usage: veil <command> [options]\n\ncommands:\n");
  for (const auto& c : commands) std::fprintf(f, "  %-8s %s\n", c.name, c.summary);
  std::fprintf(
      f, "\n'veil <command> --help' describes a command. Exit codes: 0 ok, 1 failure, 2 usage.\n");
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return veil::cli::exit_usage;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(stdout);
    return veil::cli::exit_ok;
  }
  for (const auto& c : commands)
    if (name == c.name) return c.fn(argc, argv);
  std::fprintf(stderr, "veil: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return veil::cli::exit_usage;
}
