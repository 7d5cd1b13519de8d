// The veil CLI: one binary, subcommands dispatched from one table. Each command is
// `int cmd_x(const args&)`; data to stdout, diagnostics to stderr; exit 0 ok, 1 failure, 2 usage.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace veil::detail {
struct compiled_policy;
}

namespace veil::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

struct args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // --name value, or --flag -> ""
  bool has(const std::string& k) const { return options.count(k) != 0; }
  std::optional<std::string> get(const std::string& k) const {
    auto it = options.find(k);
    if (it == options.end()) return std::nullopt;
    return it->second;
  }
};

/// Parses argv after the subcommand. `flags` lists options that take no value. Unknown options
/// are an error unless listed in `valued` or `flags`; the message names the option.
std::optional<std::string> parse_args(int argc, char** argv, int first,
                                      const std::vector<std::string>& valued,
                                      const std::vector<std::string>& flags, args& out);

/// Reads and compiles the policy at `path` (cmd_policy.cpp). On failure prints the reason, or
/// each error with its JSON path, to stderr as "veil CMD: ..." and returns nullptr.
std::shared_ptr<const detail::compiled_policy> load_policy(const std::string& path,
                                                           const char* cmd);

int cmd_scrub(int argc, char** argv);
int cmd_policy(int argc, char** argv);
int cmd_report(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_stats(int argc, char** argv);
int cmd_consent(int argc, char** argv);
int cmd_crash(int argc, char** argv);
int cmd_preview(int argc, char** argv);
int cmd_export(int argc, char** argv);
int cmd_erase(int argc, char** argv);
int cmd_explain(int argc, char** argv);

/// One control request to a running `veil run` on its Unix socket, one JSON line back
/// (cmd_run.cpp). nullopt when nobody answers within timeout_ms.
std::optional<nlohmann::json> request(const std::string& socket_path, const nlohmann::json& req,
                                      int timeout_ms = 5000);

/// Default state directory: $VEIL_STATE_DIR, else $XDG_STATE_HOME/veil, else ~/.local/state/veil.
std::string default_state_dir();

}  // namespace veil::cli
