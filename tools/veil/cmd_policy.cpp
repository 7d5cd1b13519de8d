// veil policy check FILE: validates a policy; errors with their JSON path, warnings where the
// policy is looser than the catalog (docs/events.md).
#include <cstdio>

#include "agent/platform/file_util.hpp"
#include "agent/policy/policy.hpp"
#include "tools/veil/cli.hpp"

namespace veil::cli {

namespace {
const char* policy_help =
    "usage: veil policy check FILE [--strict]\n\n"
    "Validates a policy. Each error is printed with the JSON path of the mistake; warnings show "
    "where\n"
    "the policy keeps or weakens a field that the event catalog marks personal. Exit 0 when valid\n"
    "(1 with --strict if there are warnings), 1 when invalid, 2 on usage errors.\n";
}

std::shared_ptr<const detail::compiled_policy> load_policy(const std::string& path,
                                                           const char* cmd) {
  auto text = detail::read_file(path);
  if (!text) {
    std::fprintf(stderr, "veil %s: %s\n", cmd, text.err().message.c_str());
    return nullptr;
  }
  detail::policy_report rep;
  auto pol = detail::compile_policy(*text, rep);
  if (!pol) {
    for (const auto& e : rep.errors)
      std::fprintf(stderr, "veil %s: %s: %s: %s\n", cmd, path.c_str(), e.path.c_str(),
                   e.message.c_str());
    return nullptr;
  }
  return *pol;
}

int cmd_policy(int argc, char** argv) {
  args a;
  if (auto e = parse_args(argc, argv, 2, {}, {"strict", "help"}, a)) {
    std::fprintf(stderr, "veil policy: %s\n%s", e->c_str(), policy_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::fputs(policy_help, stdout);
    return exit_ok;
  }
  if (a.positional.size() != 2 || a.positional[0] != "check") {
    std::fprintf(stderr, "veil policy: expected 'check FILE'\n%s", policy_help);
    return exit_usage;
  }
  const std::string& file = a.positional[1];
  auto text = detail::read_file(file);
  if (!text) {
    std::fprintf(stderr, "veil policy: %s\n", text.err().message.c_str());
    return exit_failure;
  }
  detail::policy_report rep;
  auto pol = detail::compile_policy(*text, rep);
  for (auto& e : rep.errors)
    std::printf("%s: error: %s: %s\n", file.c_str(), e.path.c_str(), e.message.c_str());
  for (auto& w : rep.warnings)
    std::printf("%s: warning: %s: %s\n", file.c_str(), w.path.c_str(), w.message.c_str());
  if (!pol) {
    std::printf("%s: invalid (%zu errors, %zu warnings)\n", file.c_str(), rep.errors.size(),
                rep.warnings.size());
    return exit_failure;
  }
  std::printf(
      "%s: ok: policy '%s' version '%s' hash %s, %zu event types, %zu categories, %zu warnings\n",
      file.c_str(), (*pol)->name.c_str(), (*pol)->version.c_str(), (*pol)->hash.c_str(),
      (*pol)->events.size(), (*pol)->categories.size(), rep.warnings.size());
  return (a.has("strict") && !rep.warnings.empty()) ? exit_failure : exit_ok;
}

}  // namespace veil::cli
