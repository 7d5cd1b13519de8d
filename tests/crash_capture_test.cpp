// Crash capture end to end: tests/crash/crash_child.cpp crashes in a child process in each way;
// the raw record it leaves is scanned for the planted personal values; the next start (an
// agent opened here on the same state directory, with an in-memory uploader) must upload one
// crash.report naming the crashing function and holding none of them. Runs only in builds
// without sanitizers: ASan and TSan own the fatal signals and malloc (the child interposes
// malloc to prove the handler never calls it), so there the suite says it skipped.
#include <doctest/doctest.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agent/api/agent_access.hpp"
#include "agent/crash/crash_handler.hpp"
#include "agent/crash/crash_record.hpp"
#include "agent/crash/crash_report.hpp"
#include "support_policy.hpp"
#include "test_util.hpp"
#include "tools/collector/record_guard.hpp"
#include "veil/agent.hpp"

extern char** environ;

using namespace std::chrono_literals;
using veil::status;
using veil::detail::agent_access;
using veil::detail::memory_uploader;

namespace {

#if defined(VEIL_CRASH_CHILD)
constexpr bool kCrashTests = true;
#else
#define VEIL_CRASH_CHILD ""
constexpr bool kCrashTests = false;
#endif

// Everything the child plants, and the pieces of it that must never appear anywhere.
const std::vector<std::string> kPlanted = {
    "alice.smith", "pbx.example.com", "203.0.113.77", "23456789",
    "bob.jones",   "example.org",     "/home/alice",  "6629fae49393a053",
};

struct child_result {
  int status = 0;
  std::string out, err;
};

child_result run_child(const std::filesystem::path& state, const std::string& mode,
                       const std::string& consent, const std::filesystem::path& logs) {
  const std::string out = (logs / "out.txt").string(), err = (logs / "err.txt").string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string bin = VEIL_CRASH_CHILD, s = state.string();
  std::vector<char*> argv = {bin.data(), s.data(), const_cast<char*>(mode.c_str()),
                             const_cast<char*>(consent.c_str()), nullptr};
  pid_t pid = -1;
  child_result r;
  const int rc = posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE_MESSAGE(rc == 0, "posix_spawn " << bin);
  REQUIRE(waitpid(pid, &r.status, 0) == pid);
  r.out = veil_test::slurp(out);
  r.err = veil_test::slurp(err);
  return r;
}

veil::agent_options options_for(const std::filesystem::path& state) {
  veil::agent_options o;
  o.policy_file = VEIL_SOURCE_DIR "/config/policy.json";
  o.state_dir = state.string();
  o.batch.max_age = 1h;
  o.storage.sync_each_append = false;
  o.resource.app_version = "9.9.9";
  return o;
}

// The next start of the crashed program (the child in "report" mode): every uploaded event.
std::vector<nlohmann::json> next_start(const std::filesystem::path& state, std::string* stats,
                                       const std::filesystem::path& logs) {
  const auto r = run_child(state, "report", "on", logs);
  REQUIRE_MESSAGE(WIFEXITED(r.status), r.err);
  REQUIRE_MESSAGE(WEXITSTATUS(r.status) == 0,
                  "report exit " << WEXITSTATUS(r.status) << ": " << r.err);
  std::vector<nlohmann::json> events;
  std::size_t at = 0;
  while (at < r.out.size()) {
    auto nl = r.out.find('\n', at);
    if (nl == std::string::npos) nl = r.out.size();
    const std::string line = r.out.substr(at, nl - at);
    at = nl + 1;
    if (line.rfind("stats ", 0) == 0) {
      if (stats) *stats = line.substr(6);
    } else if (line.rfind("install:", 0) != 0 && !line.empty()) {
      events.push_back(nlohmann::json::parse(line));
    }
  }
  return events;
}

void check_clean(const std::string& what, const std::string& text) {
  for (const auto& p : kPlanted) {
    CAPTURE(what);
    CAPTURE(p);
    CHECK(text.find(p) == std::string::npos);
  }
}

bool names_function(const nlohmann::json& frames, const std::string& fn, std::size_t top) {
  for (std::size_t i = 0; i < frames.size() && i < top; ++i)
    if (frames[i].value("function", "").find(fn) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_SUITE("crash") {
  TEST_CASE("each kind of crash: raw record holds nothing personal, next start uploads a report") {
    if (!kCrashTests) {
      MESSAGE("skipped: sanitizer build (the sanitizer owns fatal signals and malloc)");
      return;
    }
    struct kind {
      std::string mode;
      int signo;
      std::string top_function;  // must be among the first frames ("" = not checked)
    };
    const kind kinds[] = {
        {"null", SIGSEGV, "veil_test_crash_null_deref"},
        {"abort", SIGABRT, "main"},
        {"throw", SIGABRT, "veil_test_throw"},
        {"overflow", SIGSEGV, "veil_test_recurse"},
        {"thread", SIGSEGV, "veil_test_crash_null_deref"},
        {"during_breadcrumb", SIGSEGV, ""},
    };
    for (const auto& k : kinds) {
      CAPTURE(k.mode);
      veil_test::temp_dir dir;
      const auto state = dir.path / "state";
      const auto r = run_child(state, k.mode, "on", dir.path);
      CHECK(r.out.find("install: ok") != std::string::npos);
      CHECK_MESSAGE(r.err.find("UNSAFE") == std::string::npos, r.err);
      REQUIRE_MESSAGE(WIFSIGNALED(r.status),
                      "child exit " << WEXITSTATUS(r.status) << ": " << r.err);
      CHECK(WTERMSIG(r.status) == k.signo);
      check_clean("child stderr", r.err);
      const auto raw_path = state / "crash" / "record";
      REQUIRE(std::filesystem::exists(raw_path));
      const std::string raw = veil_test::slurp(raw_path);
      CHECK(raw.size() == sizeof(veil::detail::crash::record));
      check_clean("raw record", raw);
      CHECK(raw.find("<sip>") != std::string::npos);  // breadcrumbs were kept, scrubbed

      std::string stats;
      const auto events = next_start(state, &stats, dir.path);
      CHECK_FALSE(std::filesystem::exists(raw_path));  // deleted once read
      REQUIRE(events.size() == 1);
      const auto& e = events[0];
      CHECK(e["type"] == "crash.report");
      check_clean("uploaded report", e.dump());
      const auto& at = e["attrs"];
      CHECK(at["signal"] == veil::detail::crash::signal_name(k.signo));
      CHECK(at["app_version"] == "9.9.9");
      REQUIRE(at["frames"].is_array());
      CHECK(at["frames"].size() >= 2);
      CHECK(at["frames"][0].contains("build_id"));
      if (!k.top_function.empty())
        CHECK_MESSAGE(names_function(at["frames"], k.top_function, 12), at["frames"].dump());
      CHECK(at["source"] == "captured");
      // The group key: a null dereference is grouped by the function that faulted.
      if (k.mode == "null" || k.mode == "thread")
        CHECK_MESSAGE(at.value("top_frame", "").find("veil_test_crash_null_deref") == 0,
                      at.value("top_frame", ""));
      REQUIRE(at["breadcrumbs"].is_array());
      CHECK(at["breadcrumbs"].size() >= 10);
      // The other threads: the idle one (renamed after an account: its name is replaced) and,
      // for a crash on a second thread, the main thread waiting in join().
      REQUIRE_MESSAGE(at.contains("threads"), at.dump());
      bool idle_seen = false, main_seen = false;
      for (const auto& t : at["threads"]) {
        REQUIRE(t["frames"].is_array());
        CHECK(t["frames"].size() >= 1);
        if (names_function(t["frames"], "veil_test_idle_wait", 12)) {
          idle_seen = true;
          CHECK(t["name"] == "<id>");
        }
        if (names_function(t["frames"], "main", 12)) main_seen = true;
      }
      CHECK_MESSAGE(idle_seen, at["threads"].dump());
      if (k.mode == "thread") CHECK_MESSAGE(main_seen, at["threads"].dump());
      if (k.mode == "null") CHECK(at.value("threads_unanswered_count", 0) == 1);
      else CHECK_FALSE(at.contains("threads_unanswered_count"));
      // The collector stores the report as it is: the contract and the independent leak
      // guard accept a captured report with its threads.
      {
        static const auto guard = veil::collector::make_policy_guard(veil::test::default_policy());
        veil::collector::cleaned_record rec;
        rec.type = "crash.report";
        rec.category = "crash";
        rec.attrs = at;
        const auto why = guard(rec);
        CHECK_MESSAGE(!why, *why);
      }
      if (k.mode == "throw") {
        CHECK(at["exception_type"] == "std::runtime_error");
        CHECK(at["message"].get<std::string>().find("lookup failed") != std::string::npos);
      }
      CHECK(nlohmann::json::parse(stats)["crash"]["reports_queued"] == 1);
    }
  }

  TEST_CASE("without crash consent: no handler, no record, nothing uploaded") {
    if (!kCrashTests) {
      MESSAGE("skipped: sanitizer build");
      return;
    }
    veil_test::temp_dir dir;
    const auto state = dir.path / "state";
    const auto r = run_child(state, "null", "off", dir.path);
    CHECK(r.out.find("install: not consented") != std::string::npos);
    REQUIRE(WIFSIGNALED(r.status));
    CHECK(WTERMSIG(r.status) == SIGSEGV);
    CHECK_FALSE(std::filesystem::exists(state / "crash" / "record"));
    CHECK(next_start(state, nullptr, dir.path).empty());
  }

  TEST_CASE("consent revoked between the crash and the next start: record deleted unread") {
    if (!kCrashTests) {
      MESSAGE("skipped: sanitizer build");
      return;
    }
    veil_test::temp_dir dir;
    const auto state = dir.path / "state";
    const auto r = run_child(state, "null", "on", dir.path);
    REQUIRE(WIFSIGNALED(r.status));
    REQUIRE(std::filesystem::exists(state / "crash" / "record"));
    {
      // The user revokes at the next start, before the agent sends anything: the record goes.
      // (Consent is read from the state directory; revoke it there with a short-lived agent
      // that is opened first: it converts the record and must drop it as not consented.)
      auto up = std::make_shared<memory_uploader>();
      auto o = options_for(state);
      veil::failure f;
      // Revoke through the consent store of a first agent without an uploader...
      auto a = agent_access::open(o, {up, {}, {}, {}}, &f);
      REQUIRE_MESSAGE(a, f.message);
      REQUIRE(a->set_consent("crash", false) == status::ok);  // purges the queued report
      REQUIRE(a->flush(10s) == status::ok);
      CHECK(up->batches().empty());
    }
    CHECK_FALSE(std::filesystem::exists(state / "crash" / "record"));
    CHECK(next_start(state, nullptr, dir.path).empty());
  }

  TEST_CASE("revoking crash consent after start-up uninstalls the handler and wipes the record") {
    veil_test::temp_dir dir;
    const auto state = dir.path / "state";
    auto up = std::make_shared<memory_uploader>();
    veil::failure f;
    auto a = agent_access::open(options_for(state), {up, {}, {}, {}}, &f);
    REQUIRE_MESSAGE(a, f.message);
    CHECK(a->install_crash_handler() == status::not_consented);
    REQUIRE(a->set_consent("crash", true) == status::ok);
    REQUIRE(a->install_crash_handler() == status::ok);
    CHECK(veil::detail::crash::installed());
    CHECK(a->breadcrumb("call from +49 151 23456789") == status::ok);
    CHECK(std::filesystem::exists(state / "crash" / "record"));
    const auto st = nlohmann::json::parse(a->stats_json())["crash"];
    CHECK(st["handler_installed"] == true);
    CHECK(st["breadcrumbs"] == 1);
    CHECK(st["breadcrumb_redactions"].get<int>() >= 1);
    REQUIRE(a->set_consent("crash", false) == status::ok);
    CHECK_FALSE(veil::detail::crash::installed());
    CHECK_FALSE(std::filesystem::exists(state / "crash" / "record"));
    CHECK(a->breadcrumb("kept nowhere") == status::ok);  // no handler: nothing kept
    CHECK(nlohmann::json::parse(a->stats_json())["crash"]["breadcrumbs"] == 1);
  }

  TEST_CASE("a second agent cannot take the process's handler; close releases it") {
    veil_test::temp_dir d1, d2;
    auto o1 = options_for(d1.path / "s"), o2 = options_for(d2.path / "s");
    o1.consent_granted_by_default = o2.consent_granted_by_default = {"crash"};
    veil::failure f;
    auto a = agent_access::open(o1, {std::make_shared<memory_uploader>(), {}, {}, {}}, &f);
    auto b = agent_access::open(o2, {std::make_shared<memory_uploader>(), {}, {}, {}}, &f);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(a->install_crash_handler() == status::ok);
    CHECK(b->install_crash_handler() == status::unavailable);
    // b does not own the handler: its breadcrumbs are not kept (nor put into a's ring).
    CHECK(b->breadcrumb("from b") == status::ok);
    CHECK(nlohmann::json::parse(b->stats_json())["crash"]["breadcrumbs"] == 0);
    CHECK(a->breadcrumb("from a") == status::ok);
    CHECK(nlohmann::json::parse(a->stats_json())["crash"]["breadcrumbs"] == 1);
    CHECK(a->close() == status::ok);
    CHECK_FALSE(veil::detail::crash::installed());
    CHECK_FALSE(std::filesystem::exists(d1.path / "s" / "crash" / "record"));
    CHECK(b->install_crash_handler() == status::ok);
    CHECK(b->close() == status::ok);
  }

  TEST_CASE("a module loaded after install joins the module map on refresh") {
    veil_test::temp_dir dir;
    veil::failure f;
    auto o = options_for(dir.path / "s");
    o.consent_granted_by_default = {"crash"};
    auto a = agent_access::open(o, {std::make_shared<memory_uploader>(), {}, {}, {}}, &f);
    REQUIRE_MESSAGE(a, f.message);
    REQUIRE(a->install_crash_handler() == status::ok);
    const auto path = dir.path / "s" / "crash" / "record";
    auto modules = [&] {
      const std::string raw = veil_test::slurp(path);
      REQUIRE(raw.size() == sizeof(veil::detail::crash::record));
      std::uint32_t n = 0;
      std::memcpy(&n, raw.data() + offsetof(veil::detail::crash::record, module_count), sizeof n);
      return n;
    };
    const auto before = modules();
    CHECK(before > 3);  // the program, libc, libstdc++, ...
    veil::detail::crash::refresh_modules();
    CHECK(modules() == before);  // nothing loaded: the map is not rewritten
    // libutil.so.1 is a stub library every glibc system has and nothing here links.
    void* h = ::dlopen("libutil.so.1", RTLD_NOW | RTLD_LOCAL);
    REQUIRE(h);
    veil::detail::crash::refresh_modules();
    CHECK(modules() == before + 1);
    ::dlclose(h);
    CHECK(a->close() == status::ok);
  }

  TEST_CASE("a record that is not ours is wiped and reported, never parsed") {
    veil_test::temp_dir dir;
    const auto cdir = dir.path / "crash";
    std::filesystem::create_directories(cdir);
    { std::ofstream(cdir / "record") << "MDMP not a veil record, user alice@example.com"; }
    auto r = veil::detail::crash::take_pending(
        cdir, [](std::string_view s) noexcept { return std::string(s); });
    CHECK_FALSE(r.ok());
    CHECK(r.err().message.find("not a version-2 Veil crash record") != std::string::npos);
    CHECK(r.err().message.find("alice") == std::string::npos);
    CHECK_FALSE(std::filesystem::exists(cdir / "record"));
    // Absent: nothing pending, no error.
    auto none = veil::detail::crash::take_pending(
        cdir, [](std::string_view s) noexcept { return std::string(s); });
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
  }
}
