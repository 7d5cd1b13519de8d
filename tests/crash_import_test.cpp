// Import of platform crash reports (agent/crash/crash_import.hpp) on real tombstones and .ips
// reports from public sources and on invented softphone ones with planted personal data
// (tests/crash/fixtures/README.md says where each comes from). Every imported report must pass
// the policy, the collector's contract and its independent leak guard, name the crashing
// function, and hold none of the planted values.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agent/api/agent_access.hpp"
#include "agent/crash/crash_import.hpp"
#include "agent/crash/crash_scrub.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/policy.hpp"
#include "agent/upload/uploader.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_decoder.hpp"
#include "test_util.hpp"
#include "tools/collector/contract.hpp"
#include "tools/collector/leak_guard.hpp"
#include "veil/agent.hpp"

using namespace std::chrono_literals;
using veil::status;
using veil::detail::crash::import_platform_report;
using veil::detail::crash::scrub_text_noexcept;

namespace {

std::string fixture(const std::string& name) {
  auto r = veil::detail::read_file(VEIL_SOURCE_DIR "/tests/crash/fixtures/" + name);
  REQUIRE_MESSAGE(r, "fixture " << name);
  return *r;
}

nlohmann::json import_ok(const std::string& text, const std::string& app_version = "") {
  auto r = import_platform_report(text, scrub_text_noexcept, app_version);
  REQUIRE_MESSAGE(r, (r ? std::string() : r.err().message));
  return nlohmann::json::parse(r->attrs_json);
}

std::string import_error(const std::string& text) {
  auto r = import_platform_report(text, scrub_text_noexcept, "");
  REQUIRE_FALSE(r);
  return r.err().message;
}

// What the collector would say of the report: its contract, then its leak guard.
std::string collector_verdict(const nlohmann::json& attrs) {
  veil::detail::policy_report rep;
  auto text = veil::detail::read_file(VEIL_SOURCE_DIR "/config/policy.json");
  REQUIRE(text);
  auto pol = veil::detail::compile_policy(*text, rep);
  REQUIRE(pol);
  const veil::detail::contract c(std::move(*pol));
  if (auto v = c.check(std::string("crash.report"), "crash", attrs)) return "contract:" + *v;
  veil::collector::cleaned_record r;
  r.type = "crash.report";
  r.category = "crash";
  r.attrs = attrs;
  if (auto v = veil::collector::leak_guard().check(r)) return *v;
  return "";
}

void check_absent(const std::string& out, const std::vector<std::string>& values) {
  for (const auto& v : values) {
    CAPTURE(v);
    CHECK(out.find(v) == std::string::npos);
  }
}

}  // namespace

TEST_SUITE("crash import") {
  TEST_CASE("AOSP arm64 tombstone: signal, frames, Android release; registers dropped") {
    const auto a = import_ok(fixture("aosp-arm64-abort.tombstone"), "5.6.12");
    CHECK(a["source"] == "tombstone");
    CHECK(a["signal"] == "SIGABRT");
    CHECK(a["message"] == "SIGABRT code -6 (SI_TKILL)");
    CHECK(a["os_name"] == "Android");
    CHECK(a["os_version"] == "4.4.3");    // "4.4.3.43.43.43" would read as an IP
    CHECK(a["app_version"] == "5.6.12");  // tombstones name none: the host's
    REQUIRE(a["frames"].size() == 8);
    CHECK(a["frames"][0]["module"] == "libc.so");
    CHECK(a["frames"][0]["offset"] == "0x588e0");
    CHECK(a["frames"][0]["function"] == "tgkill");
    CHECK(a["frames"][4]["module"] == "crasher64");
    CHECK_FALSE(a["frames"][4].contains("function"));
    CHECK(a["frames"][6]["function"] == "__pthread_start(void*)");
    CHECK(a["top_frame"] == "crasher64 +0x16e0");  // abort, raise, kill are machinery
    check_absent(a.dump(), {"2f2f2f2f", "559dc73040", "enh06302258", "generic_arm64"});
    CHECK(collector_verdict(a) == "");
  }

  TEST_CASE("modern tombstone: abort message, BuildId, time, thread; APK paths cut to names") {
    const auto a = import_ok(fixture("flutter-arm64-fortify.tombstone"));
    CHECK(a["signal"] == "SIGABRT");
    CHECK(a["message"].get<std::string>().find("FORTIFY: pthread_mutex_lock called on a "
                                               "destroyed mutex") == 0);
    CHECK(a["os_version"] == "S");
    CHECK(a["thread"] == "1.ui");
    REQUIRE(a["frames"].size() == 10);
    CHECK(a["frames"][0]["function"] == "abort");
    CHECK(a["frames"][0]["build_id"] == "8b16fe3e93f719689cd94a44cb4bcce4");
    CHECK(a["frames"][4]["module"] == "libLabSound_d.so");
    CHECK(a["frames"][7]["function"] == "ma_device_init");
    CHECK(a["frames"][9]["module"] == "?");  // an anonymous (JIT) mapping
    CHECK(a["top_frame"] == "HandleUsingDestroyedMutex(pthread_mutex_t*, char const*)");
    CHECK_FALSE(a.contains("app_version"));
    check_absent(a.dump(), {"Qx1b2c3d4e5f6g7h8i9j0k", "AbCdEfGhIjKlMnOp", "/data/app",
                            "SPP1.210122", "coral", "10278", "788ba04a10"});
    auto r =
        import_platform_report(fixture("flutter-arm64-fortify.tombstone"), scrub_text_noexcept, "");
    REQUIRE(r);
    REQUIRE(r->time_unix_ms);
    CHECK(*r->time_unix_ms == 1622170542955);  // 2021-05-28T02:55:42.955Z
    CHECK(collector_verdict(a) == "");
  }

  TEST_CASE("tombstone with a header block, a multi-line abort message and other threads") {
    const auto a = import_ok(fixture("chrome-arm-sigtrap.tombstone"));
    CHECK(a["signal"] == "SIGTRAP");
    // Thread names are free text to the scanner: default deny may replace a code name too
    // ("Chrome_IOThread" -> "<user>"); what it keeps is never personal.
    CHECK(a.contains("thread"));
    CHECK(a["message"].get<std::string>().find("GPU process") != std::string::npos);
    CHECK(a["message"].get<std::string>().find("usable. Goodbye.") != std::string::npos);
    REQUIRE(a["frames"].size() == 1);  // the crashing thread's only; not the main thread's
    CHECK(a["frames"][0]["module"] == "base.apk");
    CHECK(a["frames"][0]["offset"] == "0x556e2e8");
    check_absent(a.dump(),
                 {"JSttoNyJ9Ny0autYiZmEJg", "__epoll_pwait", "shared_relro", "e476c420", "wphs1"});
    CHECK(collector_verdict(a) == "");
  }

  TEST_CASE("softphone tombstone through logcat: planted personal data never comes through") {
    const auto a = import_ok(fixture("softphone-sigsegv-logcat.tombstone"), "5.6.12");
    CHECK(a["signal"] == "SIGSEGV");
    CHECK(a["os_version"] == "14");
    CHECK(a["thread"] == "<id>");  // "call alice.smith": changed by the scrubber, so not kept
    REQUIRE(a["frames"].size() == 4);
    CHECK(a["frames"][0]["function"] ==
          "voxline::sip::dialog::on_response(voxline::sip::message const&)");
    CHECK(a["frames"][1]["function"] ==
          "voxline::sip::transaction::receive(voxline::sip::message const&)");  // demangled
    CHECK(a["frames"][0]["module"] == "libvoxcore.so");
    CHECK(a["top_frame"] == "voxline::sip::dialog::on_response(voxline::sip::message const&)");
    const std::string msg = a["message"];
    CHECK(msg.find("INVITE") != std::string::npos);
    CHECK(msg.find("488") != std::string::npos);
    check_absent(a.dump(),
                 {"alice.smith", "4915123456789", "pbx.example.com", "203.0.113.77", "example.org",
                  "6629fae49393a053", "192.168.1.20", "bob.jones", "23456789", "recording",
                  "contacts-", "a52q", "A525FXXU6EXB1", "k3J9x2", "libbob"});
    CHECK(collector_verdict(a) == "");
  }

  TEST_CASE("macOS .ips (monerod): exception, frames with UUIDs, OS; keys and paths dropped") {
    const auto a = import_ok(fixture("monerod-macos-sigbus.ips"));
    CHECK(a["source"] == "ips");
    CHECK(a["signal"] == "SIGBUS");
    CHECK(a["exception_type"] == "EXC_BAD_ACCESS");
    CHECK(a["os_name"] == "macOS");
    CHECK(a["os_version"] == "15.1.1");
    CHECK(a["thread"] == "com.apple.main-thread");
    REQUIRE(a["frames"].size() == 11);
    CHECK(a["frames"][0]["function"] == "mdb_page_search_root");
    CHECK(a["frames"][0]["module"] == "monerod");
    CHECK(a["frames"][0]["build_id"] == "bcce924bc2933748b8e5b03dc014f5a6");
    CHECK(a["frames"][0]["offset"] == "0x8434e1");
    CHECK(a["frames"][10]["module"] == "dyld");
    CHECK(a["message"].get<std::string>().find("crashed on child side of fork") !=
          std::string::npos);
    check_absent(a.dump(), {"7AE97A48", "DFA4211C", "D350432D", "MacBookPro16", "R6LK4Q3MJT",
                            "/Users", "A4F21F7F", "fb469fe4"});
    CHECK(collector_verdict(a) == "");
  }

  TEST_CASE("iOS .ips (SoloQuest): faultingThread picks thread 10; device ids dropped") {
    const auto a = import_ok(fixture("soloquest-ios-sigsegv.ips"));
    CHECK(a["os_name"] == "iOS");
    CHECK(a["os_version"] == "26.3.1");
    CHECK(a["app_version"] == "1.0.0");
    CHECK(a.contains("thread"));
    REQUIRE(a["frames"].size() == 5);
    CHECK(a["frames"][0]["module"] == "hermes");
    CHECK(a["frames"][0]["function"].get<std::string>().find(
              "hermes::vm::DictPropertyMap::findOrAdd") == 0);
    CHECK(a["frames"][3]["function"].get<std::string>().rfind("std::", 0) == 0);  // demangled
    CHECK(a["frames"][3]["function"].get<std::string>().size() <= 256);
    CHECK(a["message"].get<std::string>().find("KERN_INVALID_ADDRESS") != std::string::npos);
    check_absent(a.dump(), {"F233B26D", "1f8c2278cc55e8a7", "9F4D42D9", "9551A5DF", "iPhone18",
                            "3080438B", "6759914132", "mach_msg2_trap"});
    CHECK(collector_verdict(a) == "");
  }

  TEST_CASE("softphone .ips: the exception's own backtrace, scrubbed reason and source path") {
    const auto a = import_ok(fixture("softphone-macos-nsexception.ips"));
    CHECK(a["exception_type"] == "EXC_CRASH");
    CHECK(a["app_version"] == "5.6.12");
    REQUIRE(a["frames"].size() == 3);
    CHECK(a["frames"][2]["function"] == "-[VXCallController placeCallTo:]");
    CHECK(a["frames"][2]["line"] == 218);
    CHECK(a["frames"][2]["file"] == "VXCallController.m");  // the build machine's dirs dropped
    CHECK(a["top_frame"] == "-[VXCallController placeCallTo:]");
    CHECK(a["message"].get<std::string>().find("NSInvalidArgumentException") != std::string::npos);
    check_absent(a.dump(),
                 {"4915123456789", "alice.smith", "example.org", "bob.jones", "pbx.example.com",
                  "203.0.113.77", "C28F189C", "7507F017", "MacBookAir10"});
    CHECK(collector_verdict(a) == "");
  }

  TEST_CASE("refused inputs say what they are and never echo the report") {
    CHECK(import_error(std::string("MDMP\x93\xa7\0\0", 8) + "alice@example.org").find("minidump") !=
          std::string::npos);
    CHECK(import_error("\x7f"
                       "ELF\x02\x01\x01")
              .find("core dump") != std::string::npos);
    const std::string legacy =
        "Incident Identifier: E44AD7C2-4F93-47A8-A1D7-CB619425EFB1\n"
        "CrashReporter Key:   5f34f05ff9130504d107ebb1aadfe546e55af43c\n";
    const auto l = import_error(legacy);
    CHECK(l.find("legacy text crash report") != std::string::npos);
    CHECK(l.find("line 1") != std::string::npos);
    CHECK(l.find("5f34f05f") == std::string::npos);
    const auto g = import_error("hello alice@example.org, call +4915123456789\n");
    CHECK(g.find("not a crash report") != std::string::npos);
    CHECK(g.find("alice") == std::string::npos);
    CHECK(import_error("{\"bug_type\":\"298\",\"os_version\":\"iPhone OS 17.0\"}\n{}\n")
              .find("bug_type 298 is not a crash report") != std::string::npos);
    CHECK(import_error("{\"bug_type\":\"309\"}\n{\"exception\": {\"type\": \"EXC_")
              .find("not a JSON object") != std::string::npos);
    CHECK(import_error("{\"bug_type\":\"309\"}\n{\"exception\":{\"type\":\"EXC_CRASH\"}}\n")
              .find("no frames") != std::string::npos);
    CHECK(import_error("signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0\n")
              .find("no frames") != std::string::npos);
    auto big = import_platform_report(std::string(veil::detail::crash::max_import_bytes + 1, ' '),
                                      scrub_text_noexcept, "");
    REQUIRE_FALSE(big);
    CHECK(big.err().code == veil::errc::limit_exceeded);
  }

  TEST_CASE("every truncation and a byte flip of each fixture: an answer, never a crash") {
    for (const char* name :
         {"flutter-arm64-fortify.tombstone", "softphone-sigsegv-logcat.tombstone",
          "soloquest-ios-sigsegv.ips", "softphone-macos-nsexception.ips"}) {
      const std::string f = fixture(name);
      std::size_t ok = 0, refused = 0;
      for (std::size_t cut = 0; cut < f.size(); cut += 37) {
        std::string t = f.substr(0, cut);
        if (cut < t.size()) t[cut / 2] = static_cast<char>(t[cut / 2] ^ 0x5a);
        auto r = import_platform_report(t, scrub_text_noexcept, "");
        if (r) {
          ++ok;
          CHECK(nlohmann::json::accept(r->attrs_json));
        } else {
          ++refused;
          CHECK_FALSE(r.err().message.empty());
        }
      }
      CAPTURE(name);
      CHECK(refused > 0);
      CHECK(ok + refused > 10);
    }
  }

  TEST_CASE("agent: import is consent-gated and queues a crash.report the policy keeps") {
    veil_test::temp_dir dir;
    veil::agent_options o;
    o.policy_file = VEIL_SOURCE_DIR "/config/policy.json";
    o.state_dir = (dir.path / "state").string();
    o.storage.sync_each_append = false;
    o.resource.app_version = "5.6.12";
    o.upload.dictionary_file = VEIL_SOURCE_DIR "/config/zstd.dict";
    auto up = std::make_shared<veil::detail::memory_uploader>();
    veil::failure f;
    auto a = veil::detail::agent_access::open(o, {up, {}, {}, {}}, &f);
    REQUIRE_MESSAGE(a, f.message);
    const std::string tomb = fixture("softphone-sigsegv-logcat.tombstone");
    veil::failure why;
    CHECK(a->import_crash_report(tomb, &why) == status::not_consented);
    CHECK(why.message.find("not consented") != std::string::npos);
    REQUIRE(a->set_consent("crash", true) == status::ok);
    CHECK(a->import_crash_report("MDMP....", &why) == status::invalid_argument);
    CHECK(why.message.find("minidump") != std::string::npos);
    REQUIRE(a->import_crash_report(tomb, &why) == status::ok);
    REQUIRE(a->import_crash_report(fixture("soloquest-ios-sigsegv.ips")) == status::ok);
    REQUIRE(a->flush(10s) == status::ok);
    const auto st = nlohmann::json::parse(a->stats_json())["crash"];
    CHECK(st["reports_imported"] == 2);
    CHECK(st["imports_rejected"] == 1);
    CHECK(st["reports_not_consented"] == 1);
    auto dict = veil::detail::read_file(o.upload.dictionary_file);
    REQUIRE(dict);
    auto codec = veil::detail::batch_codec::create({}, *dict);
    REQUIRE(codec);
    std::vector<nlohmann::json> events;
    for (const auto& b : up->batches()) {
      auto plain = codec->decompress(b.body);
      REQUIRE(plain);
      auto d = veil::detail::otlp_decoder{}.decode(*plain);
      REQUIRE(d);
      for (auto& e : d->events) events.push_back(e);
    }
    REQUIRE(events.size() == 2);
    std::vector<std::string> sources;
    for (const auto& e : events) {
      CHECK(e["type"] == "crash.report");
      sources.push_back(e["attrs"]["source"]);
      CHECK(collector_verdict(e["attrs"]) == "");
    }
    CHECK(std::count(sources.begin(), sources.end(), "tombstone") == 1);
    CHECK(std::count(sources.begin(), sources.end(), "ips") == 1);
    const std::string all = events[0].dump() + events[1].dump();
    check_absent(all, {"alice.smith", "4915123456789", "203.0.113.77", "F233B26D"});
  }
}
