// veil explain: the redaction diff of one raw event (or one text) under a policy, for the user
// or the privacy reviewer who supplied it (agent/policy/explain.hpp). Prints to stdout only.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "agent/crypto/key_ring.hpp"
#include "agent/crypto/secure_key.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/engine.hpp"
#include "agent/policy/explain.hpp"
#include "tools/veil/cli.hpp"

namespace veil::cli {
namespace {
using namespace veil::detail;
using nlohmann::json;

const char* explain_help =
    "usage: veil explain --policy FILE (--event JSON | --in FILE) [--json]\n"
    "       veil explain --text STRING [--json]\n\n"
    "Shows what the policy does to one raw event: for each field its action, the value before\n"
    "and after (or why it is dropped) and, for free text, each replaced token with its class.\n"
    "--in reads raw events as JSONL and explains each line. --text explains one free-text value\n"
    "as the `text` action scrubs it. The output holds the raw values you supplied: it goes to\n"
    "stdout only and is never stored or sent. Pseudonyms use a throwaway key, so they match\n"
    "nothing uploaded.\n\n"
    "  --policy FILE   policy JSON (see config/policy.json)\n"
    "  --event JSON    one raw event {\"type\",\"ts\",\"attrs\"}\n"
    "  --in FILE       raw events as JSONL ('-' for stdin)\n"
    "  --text STRING   one free-text value\n"
    "  --json          the report as JSON (one object per event; docs/cli.md)\n";

std::string show(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 160) s = s.substr(0, 157) + "...";
  return s;
}

void print_tokens(const json& toks) {
  for (const auto& t : toks) {
    const std::string cls = t["class"].get<std::string>();
    if (t["original"].is_null())
      std::printf("        %-7s (normalised text: span not shown) -> <%s>\n", cls.c_str(),
                  cls.c_str());
    else
      std::printf("        %-7s %s -> <%s>\n", cls.c_str(), show(t["original"]).c_str(),
                  cls.c_str());
  }
}

void print_event(const json& r) {
  if (r.contains("error")) {
    std::printf("error: %s\n", r["error"].get<std::string>().c_str());
    return;
  }
  if (r["dropped"].get<bool>()) {
    std::printf("event %s: dropped: %s\n", show(r["type"]).c_str(),
                r["reason"].get<std::string>().c_str());
    return;
  }
  std::printf("event %s -> category %s\n", r["type"].get<std::string>().c_str(),
              r["category"].get<std::string>().c_str());
  for (const auto& f : r["fields"]) {
    const std::string act = f["action"].is_null() ? "-" : f["action"].get<std::string>();
    const std::string res = f["result"].get<std::string>();
    std::printf("  %-28s %-13s %s\n", f["field"].get<std::string>().c_str(), act.c_str(),
                res.c_str());
    std::printf("      before: %s\n", show(f["before"]).c_str());
    if (f.contains("after")) {
      std::string as = f.contains("as") ? f["as"].get<std::string>() + " = " : "";
      std::printf("      after:  %s%s\n", as.c_str(), show(f["after"]).c_str());
    }
    if (f.contains("also"))
      for (auto it = f["also"].begin(); it != f["also"].end(); ++it)
        std::printf("      also:   %s = %s\n", it.key().c_str(), show(it.value()).c_str());
    if (f.contains("reason"))
      std::printf("      why:    %s\n", f["reason"].get<std::string>().c_str());
    if (f.contains("tokens")) print_tokens(f["tokens"]);
  }
  std::printf("  cleaned: %s\n",
              r["cleaned"].dump(-1, ' ', false, json::error_handler_t::replace).c_str());
}

}  // namespace

int cmd_explain(int argc, char** argv) {
  args a;
  if (auto e = parse_args(argc, argv, 2, {"policy", "event", "in", "text"}, {"json", "help"}, a)) {
    std::fprintf(stderr, "veil explain: %s\n%s", e->c_str(), explain_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::fputs(explain_help, stdout);
    return exit_ok;
  }
  const bool as_json = a.has("json");
  const int inputs = a.has("event") + a.has("in") + a.has("text");
  if (inputs != 1 || !a.positional.empty()) {
    std::fprintf(stderr, "veil explain: give exactly one of --event, --in, --text\n%s",
                 explain_help);
    return exit_usage;
  }
  if (auto t = a.get("text")) {
    text_scanner sc;
    const json r = explain_text(sc, *t);
    if (as_json) {
      std::printf("%s\n", r.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    } else {
      std::printf("before: %s\nafter:  %s\n", show(r["before"]).c_str(), show(r["after"]).c_str());
      print_tokens(r["tokens"]);
    }
    return exit_ok;
  }
  const auto policy_file = a.get("policy");
  if (!policy_file) {
    std::fprintf(stderr, "veil explain: --policy FILE is required with --event or --in\n");
    return exit_usage;
  }
  auto pol = load_policy(*policy_file, "explain");
  if (!pol) return exit_failure;
  policy_engine engine(pol);
  auto key = secure_key::random();
  if (!key) {
    std::fprintf(stderr, "veil explain: %s\n", key.err().message.c_str());
    return exit_failure;
  }
  static_key_ring keys(std::move(*key));
  const auto now = std::chrono::system_clock::now();
  int failed = 0;
  auto one = [&](std::string_view ev, const std::string& where) {
    json r = explain_event(engine, keys, now, ev);
    if (r.contains("error")) {
      ++failed;
      r["error"] = where + r["error"].get<std::string>();
    }
    if (as_json)
      std::printf("%s\n", r.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    else print_event(r);
  };
  if (auto ev = a.get("event")) {
    one(*ev, "");
  } else {
    std::string in = a.get("in").value_or("-");
    if (in == "-") in = "/dev/stdin";
    auto data = read_file(in);
    if (!data) {
      std::fprintf(stderr, "veil explain: %s\n", data.err().message.c_str());
      return exit_failure;
    }
    std::string_view rest = *data;
    std::size_t line = 0;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      std::string_view l = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
      ++line;
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
      if (!as_json && line > 1) std::printf("\n");
      one(l, "line " + std::to_string(line) + ": ");
    }
  }
  return failed ? exit_failure : exit_ok;
}

}  // namespace veil::cli
