// veil consent / preview / export / erase: the users' rights as commands for a support engineer
// (docs/cli.md, docs/erasure.md, docs/export-schema.md). Each works on the same state the
// library uses, in one of two ways:
//   --socket PATH   a running `veil run` daemon (also found as <state>/veil.sock with --state);
//   --config FILE [--state DIR]   no daemon: the command opens the agent on that state itself
//                   (the state directory is locked while a daemon or app has it open; then use
//                   the daemon's socket). consent and preview open it without uploading.
// Consent changes made here are recorded in the history as "via":"cli" ("socket" through a
// daemon). Output: human-readable by default, --json for the JSON the C ABI returns.
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tools/veil/cli.hpp"
#include "veil/agent.hpp"

namespace veil::cli {
namespace {

using nlohmann::json;

const char* target_help =
    "Where: --socket PATH (a running `veil run`), or --state DIR alone when a daemon listens on\n"
    "DIR/veil.sock, or --config FILE [--state DIR] to open the state directly (no daemon).\n";

const char* consent_help =
    "usage: veil consent show [--json] [WHERE]\n"
    "       veil consent grant|revoke|object CATEGORY|all [WHERE]\n"
    "       veil consent --socket PATH CATEGORY [on|off]   (older form)\n\n"
    "Shows the user's consent per category with the history of every change (when, category,\n"
    "granted/revoked/objected, by which API), or changes it. revoke purges what was kept under\n"
    "the category at once, also a batch being uploaded; object also keeps a build default from\n"
    "granting it again.\n";

const char* preview_help =
    "usage: veil preview [--json] [--max N] [WHERE]\n\n"
    "Prints what the next uploads would send, per consent category: the cleaned records as they\n"
    "are stored (at most N, default 1000), and the install token they go out under.\n";

const char* export_help =
    "usage: veil export [--out FILE] [WHERE]\n\n"
    "Writes one JSON document (docs/export-schema.md) with everything the agent holds or has sent\n"
    "about this install: consent state and history, pending cleaned records, the ledger of\n"
    "uploaded batches, the install tokens of the retention window, erasure receipts, and the\n"
    "collector's answer to a signed access request (the rows it stores for this install).\n"
    "--out FILE is written with mode 0600; default stdout.\n";

const char* erase_help =
    "usage: veil erase [--yes] [--wait SECONDS] [--json] [WHERE]\n\n"
    "Wipes all local data (spool, ledger, consent history, keys, install id) and sends a signed\n"
    "erasure request for every install token of the retention window. The request is kept and\n"
    "retried by the agent until the collector acknowledges it (also after restarts); this\n"
    "command waits up to --wait seconds (default 30) and prints the receipt. Needs --yes.\n";

struct target {
  std::optional<std::string> socket;
  std::unique_ptr<agent> local;
};

// Resolves WHERE; `upload` keeps the config's endpoint (export, erase), else it is cleared so
// that opening the state sends nothing as a side effect.
std::optional<target> open_target(const args& a, const char* cmd, bool upload, int& rc) {
  target t;
  if (auto s = a.get("socket")) {
    t.socket = *s;
    return t;
  }
  if (auto st = a.get("state"); st && !a.get("config")) {
    const auto sock = (std::filesystem::path(*st) / "veil.sock").string();
    if (request(sock, {{"op", "get_consent"}, {"category", ""}}, 2000)) {
      t.socket = sock;
      return t;
    }
    std::fprintf(stderr,
                 "veil %s: no daemon answers on %s; give --config FILE to open the state "
                 "directly\n",
                 cmd, sock.c_str());
    rc = exit_usage;
    return std::nullopt;
  }
  if (!a.get("config")) {
    std::fprintf(stderr, "veil %s: say where the state is\n%s", cmd, target_help);
    rc = exit_usage;
    return std::nullopt;
  }
  agent_options o;
  if (auto f = load_config(*a.get("config"), o)) {
    std::fprintf(stderr, "veil %s: %s\n", cmd, f->message.c_str());
    rc = exit_failure;
    return std::nullopt;
  }
  if (auto st = a.get("state")) o.state_dir = *st;
  if (!upload) o.upload.endpoint.clear();
  failure why;
  t.local = agent::open(o, &why);
  if (!t.local) {
    std::fprintf(stderr, "veil %s: %s%s\n", cmd, why.message.c_str(),
                 why.code == status::unavailable
                     ? " (the state is in use: talk to its daemon with --socket)"
                     : "");
    rc = exit_failure;
    return std::nullopt;
  }
  return t;
}

// One daemon request; prints the failure and returns nullopt.
std::optional<json> ask(const target& t, const char* cmd, const json& req, int timeout_ms) {
  auto r = request(*t.socket, req, timeout_ms);
  if (!r) {
    std::fprintf(stderr, "veil %s: no answer from %s\n", cmd, t.socket->c_str());
    return std::nullopt;
  }
  if (!r->value("ok", false)) {
    std::fprintf(stderr, "veil %s: %s\n", cmd, r->value("error", "failed").c_str());
    return std::nullopt;
  }
  return r;
}

std::string iso_time(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return b;
}

void print_consent(const json& c) {
  std::printf("%-24s %s\n", "CATEGORY", "CHOICE");
  for (const auto& [name, v] : c["categories"].items())
    std::printf("%-24s %s\n", name.c_str(),
                v.value("objected", false)  ? "objected"
                : v.value("granted", false) ? "granted"
                                            : "revoked");
  std::printf("under 16: %s\n", c.value("under_16", false) ? "yes (nothing is collected)" : "no");
  const auto& h = c["history"];
  std::printf("\nhistory (%zu changes, oldest first):\n", h.size());
  for (const auto& e : h) {
    const std::string cat = e.value("category", "");
    const char* what = e.value("objection", false) ? "objected"
                       : e.value("granted", false) ? (cat == "$under_16" ? "set" : "granted")
                                                   : (cat == "$under_16" ? "cleared" : "revoked");
    std::printf("  %s  %-24s %-8s via %s\n", iso_time(e.value("time_ms", std::int64_t{0})).c_str(),
                cat == "$under_16" ? "(under-16 flag)" : cat.c_str(), what,
                e.value("via", "unknown").c_str());
  }
}

}  // namespace

int cmd_consent(int argc, char** argv) {
  args a;
  if (auto e = parse_args(argc, argv, 2, {"socket", "state", "config"}, {"help", "json"}, a)) {
    std::fprintf(stderr, "veil consent: %s\n%s%s", e->c_str(), consent_help, target_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::printf("%s%s", consent_help, target_help);
    return exit_ok;
  }
  const auto& p = a.positional;
  const bool verb =
      !p.empty() && (p[0] == "show" || p[0] == "grant" || p[0] == "revoke" || p[0] == "object");
  // The older form: veil consent --socket PATH CATEGORY [on|off].
  if (!verb) {
    if (!a.get("socket") || p.empty() || p.size() > 2 ||
        (p.size() == 2 && p[1] != "on" && p[1] != "off")) {
      std::fprintf(stderr, "veil consent: need show|grant|revoke|object\n%s%s", consent_help,
                   target_help);
      return exit_usage;
    }
    json req = p.size() == 2
                   ? json{{"op", "consent"}, {"category", p[0]}, {"granted", p[1] == "on"}}
                   : json{{"op", "get_consent"}, {"category", p[0]}};
    target t;
    t.socket = *a.get("socket");
    auto r = ask(t, "consent", req, 5000);
    if (!r) return exit_failure;
    std::printf("%s %s\n", p[0].c_str(), (*r)["granted"].get<bool>() ? "on" : "off");
    return exit_ok;
  }
  if ((p[0] == "show") != (p.size() == 1) || p.size() > 2) {
    std::fprintf(stderr, "veil consent: %s\n%s",
                 p[0] == "show" ? "show takes no category" : "which category (or all)?",
                 consent_help);
    return exit_usage;
  }
  int rc = exit_ok;
  auto t = open_target(a, "consent", false, rc);
  if (!t) return rc;
  auto get_state = [&]() -> std::optional<json> {
    if (t->local) return json::parse(t->local->consent_json());
    auto r = ask(*t, "consent", {{"op", "consent_show"}}, 5000);
    if (!r) return std::nullopt;
    return (*r)["consent"];
  };
  auto state = get_state();
  if (!state) return exit_failure;
  if (p[0] != "show") {
    std::vector<std::string> cats;
    if (p[1] == "all") {
      for (const auto& [name, v] : (*state)["categories"].items()) cats.push_back(name);
    } else {
      cats.push_back(p[1]);
    }
    for (const auto& c : cats) {
      if (t->local) {
        status st = p[0] == "object" ? t->local->object(c, "cli")
                                     : t->local->set_consent(c, p[0] == "grant", "cli");
        if (st != status::ok) {
          std::fprintf(stderr, "veil consent: %s %s: %s\n", p[0].c_str(), c.c_str(),
                       st == status::not_found          ? "no such category in the policy"
                       : st == status::invalid_argument ? "not while the under-16 flag is set"
                                                        : to_string(st));
          return exit_failure;
        }
      } else {
        json req = p[0] == "object"
                       ? json{{"op", "object"}, {"category", c}}
                       : json{{"op", "consent"}, {"category", c}, {"granted", p[0] == "grant"}};
        if (!ask(*t, "consent", req, 60'000)) return exit_failure;
      }
    }
    state = get_state();
    if (!state) return exit_failure;
  }
  if (a.has("json")) std::printf("%s\n", state->dump(2).c_str());
  else print_consent(*state);
  return exit_ok;
}

int cmd_preview(int argc, char** argv) {
  args a;
  if (auto e =
          parse_args(argc, argv, 2, {"socket", "state", "config", "max"}, {"help", "json"}, a)) {
    std::fprintf(stderr, "veil preview: %s\n%s%s", e->c_str(), preview_help, target_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::printf("%s%s", preview_help, target_help);
    return exit_ok;
  }
  std::size_t max = 1000;
  if (auto m = a.get("max")) {
    try {
      max = std::stoul(*m);
    } catch (...) {
      max = 0;
    }
    if (max == 0 || max > 1'000'000) {
      std::fprintf(stderr, "veil preview: --max must be 1..1000000\n");
      return exit_usage;
    }
  }
  if (!a.positional.empty()) {
    std::fprintf(stderr, "veil preview: unexpected argument '%s'\n", a.positional[0].c_str());
    return exit_usage;
  }
  int rc = exit_ok;
  auto t = open_target(a, "preview", false, rc);
  if (!t) return rc;
  json pv;
  if (t->local) {
    pv = json::parse(t->local->preview_json(max));
  } else {
    auto r = ask(*t, "preview", {{"op", "preview"}, {"max_records", max}}, 30'000);
    if (!r) return exit_failure;
    pv = (*r)["preview"];
  }
  if (a.has("json")) {
    std::printf("%s\n", pv.dump(2).c_str());
    return exit_ok;
  }
  std::printf(
      "install token of the next upload: %s\n",
      pv.value("install", "").empty() ? "(none yet)" : pv["install"].get<std::string>().c_str());
  if (pv.value("erasure_pending", false))
    std::printf("an erasure request is pending: nothing else is sent until it is acknowledged\n");
  if (!pv.value("upload_enabled", false))
    std::printf("(no upload endpoint in this configuration: nothing is sent)\n");
  std::printf("stored records: %llu%s\n",
              static_cast<unsigned long long>(pv.value("stored_records", 0ull)),
              pv.value("truncated", false) ? " (showing the oldest)" : "");
  for (const auto& [cat, v] : pv["categories"].items()) {
    std::printf("\n[%s] %zu record(s)\n", cat.c_str(), v.value("records", std::size_t{0}));
    for (const auto& e : v["events"]) std::printf("  %s\n", e.dump().c_str());
  }
  return exit_ok;
}

int cmd_export(int argc, char** argv) {
  args a;
  if (auto e = parse_args(argc, argv, 2, {"socket", "state", "config", "out"}, {"help"}, a)) {
    std::fprintf(stderr, "veil export: %s\n%s%s", e->c_str(), export_help, target_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::printf("%s%s", export_help, target_help);
    return exit_ok;
  }
  if (!a.positional.empty()) {
    std::fprintf(stderr, "veil export: unexpected argument '%s'\n", a.positional[0].c_str());
    return exit_usage;
  }
  int rc = exit_ok;
  auto t = open_target(a, "export", true, rc);
  if (!t) return rc;
  json doc;
  if (t->local) {
    doc = json::parse(t->local->export_json());
  } else {
    auto r = ask(*t, "export", {{"op", "export"}}, 120'000);
    if (!r) return exit_failure;
    doc = (*r)["export"];
  }
  const std::string text = doc.dump(2) + "\n";
  if (auto out = a.get("out")) {
    // The export holds the user's own cleaned data: readable by the user only.
    const auto tmp = *out + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      if (!f) {
        std::fprintf(stderr, "veil export: cannot write %s\n", tmp.c_str());
        return exit_failure;
      }
      ::chmod(tmp.c_str(), 0600);
      f << text;
      if (!f.flush()) {
        std::fprintf(stderr, "veil export: cannot write %s\n", tmp.c_str());
        return exit_failure;
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, *out, ec);
    if (ec) {
      std::fprintf(stderr, "veil export: cannot rename to %s: %s\n", out->c_str(),
                   ec.message().c_str());
      return exit_failure;
    }
    const auto& col = doc["collector"];
    std::fprintf(stderr, "veil export: wrote %s (collector: %s)\n", out->c_str(),
                 col.value("status", "?").c_str());
  } else {
    std::fputs(text.c_str(), stdout);
  }
  return exit_ok;
}

int cmd_erase(int argc, char** argv) {
  args a;
  if (auto e = parse_args(argc, argv, 2, {"socket", "state", "config", "wait"},
                          {"help", "yes", "json"}, a)) {
    std::fprintf(stderr, "veil erase: %s\n%s%s", e->c_str(), erase_help, target_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::printf("%s%s", erase_help, target_help);
    return exit_ok;
  }
  if (!a.has("yes")) {
    std::fprintf(stderr, "veil erase: this deletes the install's data for good; add --yes\n");
    return exit_usage;
  }
  long wait_s = 30;
  if (auto w = a.get("wait")) {
    try {
      wait_s = std::stol(*w);
    } catch (...) {
      wait_s = -1;
    }
    if (wait_s < 0 || wait_s > 86'400) {
      std::fprintf(stderr, "veil erase: --wait must be 0..86400 seconds\n");
      return exit_usage;
    }
  }
  int rc = exit_ok;
  auto t = open_target(a, "erase", true, rc);
  if (!t) return rc;
  auto status_now = [&]() -> std::optional<json> {
    if (t->local) return json::parse(t->local->erasure_status_json());
    auto r = ask(*t, "erase", {{"op", "erasure_status"}}, 5000);
    if (!r) return std::nullopt;
    return (*r)["erasure"];
  };
  auto before = status_now();
  if (!before) return exit_failure;
  const std::size_t receipts_before = (*before)["receipts"].size();
  if (t->local) {
    if (auto st = t->local->erase(); st != status::ok) {
      std::fprintf(stderr, "veil erase: %s\n", to_string(st));
      return exit_failure;
    }
  } else if (!ask(*t, "erase", {{"op", "erase"}}, 60'000)) {
    return exit_failure;
  }
  std::fprintf(stderr, "veil erase: local data wiped; erasure request queued\n");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_s);
  std::optional<json> st;
  for (;;) {
    st = status_now();
    if (!st) return exit_failure;
    if (!st->value("pending", false) || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // waiting on another thread
  }
  if (a.has("json")) {
    std::printf("%s\n", st->dump(2).c_str());
  } else if (st->value("pending", false)) {
    std::printf(
        "erasure pending: %zu install token(s) wait for the collector; the agent retries "
        "until it answers (also after a restart)\n",
        st->value("installs", std::size_t{0}));
  } else {
    const auto& rs = (*st)["receipts"];
    if (rs.size() == receipts_before) {
      std::printf("nothing had been sent from this install: no erasure request was needed\n");
    }
    for (std::size_t i = receipts_before; i < rs.size(); ++i) {
      const auto& r = rs[i];
      std::printf("%s at %s: %zu install token(s), HTTP %d\n", r.value("status", "?").c_str(),
                  iso_time(r.value("time_ms", std::int64_t{0})).c_str(),
                  r.value("installs", std::size_t{0}), r.value("http_status", 0));
      if (r.contains("receipt") && r["receipt"].contains("rows_deleted"))
        for (const auto& [cat, n] : r["receipt"]["rows_deleted"].items())
          std::printf("  %-24s %s rows deleted\n", cat.c_str(), n.dump().c_str());
      if (r.contains("reason")) std::printf("  reason: %s\n", r["reason"].dump().c_str());
    }
  }
  // Refused (the collector did not accept the proof) is a failure the user must hear about.
  if (!st->value("pending", false) && !(*st)["receipts"].empty() &&
      (*st)["receipts"].back().value("status", "") == "refused" &&
      (*st)["receipts"].size() > receipts_before)
    return exit_failure;
  return exit_ok;
}

}  // namespace veil::cli
