// Shared fixtures of the collector tests: records, the report data set with hand-computed
// expectations, a temp dir, and the sink contract run against every sink.
#pragma once

#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tools/collector/cleaned_record.hpp"
#include "tools/collector/sink.hpp"

namespace veil::collector::test {

inline std::filesystem::path temp_dir(const std::string& tag) {
  std::random_device rd;
  auto p = std::filesystem::temp_directory_path() /
           ("veil-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(p);
  return p;
}

struct temp_dir_guard {
  std::filesystem::path path;
  explicit temp_dir_guard(const std::string& tag) : path(temp_dir(tag)) {}
  ~temp_dir_guard() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// Install tokens shaped like keyed pseudonyms (16+ chars of [A-Za-z0-9_-]).
// Install tokens have the agent's pseudonym shape (32 lowercase hex): the collector checks it.
inline const std::string inst_a = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
inline const std::string inst_b = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
inline const std::string inst_c = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c";
inline const std::string inst_d = "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d";
inline const std::string inst_e = "0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e";

inline cleaned_record rec(std::string type, std::string install, std::string ts,
                          nlohmann::json attrs, std::string category = "usage") {
  return {std::move(type),    std::move(ts),    std::move(category),
          std::move(install), std::move(attrs), {}};
}

inline cleaned_record call(const std::string& inst, const std::string& country,
                           const std::string& codec, const std::string& net, double mos,
                           double jitter, double loss, const std::string& bucket) {
  return rec("call.ended", inst, "2026-11-29T10:00:00Z",
             {{"remote_country", country},
              {"codec", codec},
              {"network_type", net},
              {"mos", mos},
              {"jitter_ms", jitter},
              {"packet_loss_pct", loss},
              {"duration_bucket", bucket}},
             "call_quality");
}

// The report data set; expected numbers for k = 3 are in collector_report_test.cpp.
inline std::vector<cleaned_record> report_dataset() {
  std::vector<cleaned_record> v = {
      call(inst_a, "DE", "opus", "wifi", 4.0, 10, 0.5, "60-180"),
      call(inst_a, "DE", "opus", "wifi", 4.2, 20, 1.5, "60-180"),
      call(inst_b, "DE", "opus", "cellular", 3.8, 30, 2.0, "0-10"),
      call(inst_c, "DE", "g711", "wifi", 4.4, 5, 0.0, "60-180"),
      call(inst_d, "DE", "opus", "wifi", 4.0, 15, 1.0, "180-600"),
      call(inst_a, "FR", "g711", "cellular", 3.0, 40, 3.0, "3600+"),
      call(inst_b, "FR", "opus", "wifi", 4.1, 10, 0.0, "60-180"),
      call(inst_b, "FR", "opus", "wifi", 3.9, 12, 0.5, "10-30"),
      // No install token, no quality fields, no bucket: counts as an event, never towards k.
      rec("call.ended", "", "2026-11-29T11:00:00Z",
          {{"remote_country", "DE"}, {"codec", "opus"}, {"network_type", "wifi"}}, "call_quality"),
  };
  for (const auto* i : {&inst_a, &inst_b, &inst_c, &inst_c})
    v.push_back(rec("crash.report", *i, "2026-11-29T12:00:00Z",
                    {{"signal", "SIGSEGV"},
                     {"app_version", "5.6.12"},
                     {"top_frame", "voxline::sip::dialog::on_response"}},
                    "crash"));
  v.push_back(rec("crash.report", inst_d, "2026-11-29T12:00:00Z",
                  {{"signal", "SIGABRT"},
                   {"exception_type", "std::bad_alloc"},
                   {"app_version", "5.6.11"},
                   {"top_frame", "voxline::media::jitter_buffer::put"}},
                  "crash"));
  for (const auto* i : {&inst_a, &inst_b, &inst_c})
    v.push_back(rec("app.started", *i, "2026-11-30T08:00:00Z",
                    {{"app_version", "5.6.12"}, {"os_name", "Android"}}));
  v.push_back(rec("app.started", inst_d, "2026-11-30T08:00:00Z",
                  {{"app_version", "5.6.12"}, {"os_name", "iOS"}}));
  v.push_back(rec("app.started", inst_e, "2026-12-01T08:00:00Z",
                  {{"app_version", "5.6.11"}, {"os_name", "Android"}}));
  return v;
}

inline sys_time at(int y, unsigned m, unsigned d, int h = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{h};
}

// The behaviour every sink must have. `reopen` returns a fresh handle on the same storage
// (or the same object for a sink without persistence).
template <class Reopen>
void sink_contract(Reopen reopen) {
  const auto now = at(2026, 11, 30, 9);
  {
    auto s = reopen();
    REQUIRE(s);
    std::vector<cleaned_record> batch = {
        rec("app.started", inst_a, "2026-11-29T10:00:00Z",
            {{"app_version", "5.6.12"}, {"install_id", "pseudoAAAAAAAAAAAAAAAA"}}),
        rec("call.ended", inst_b, "2026-11-29T10:00:00Z",
            {{"codec", "opus"},
             {"call_id", "callBBBBBBBBBBBBBBBBBB"},
             {"mos", 4.5},
             {"srtp", true}},
            "call_quality"),
        rec("call.ended", inst_c, "2026-11-30T10:00:00Z", {{"codec", "opus"}, {"mos", 3.5}},
            "call_quality"),
    };
    std::vector<quarantined_record> q = {{"log.line", "pii:email"}};
    auto w = s->write_batch("batch-1", batch, q, now);
    REQUIRE_MESSAGE(w.ok(), (w.ok() ? "" : w.err().message));
    CHECK(*w == write_outcome::stored);
    auto n = s->count_events();
    REQUIRE(n.ok());
    CHECK(*n == 3);
    auto nq = s->count_quarantined();
    REQUIRE(nq.ok());
    CHECK(*nq == 1);

    // Same key again: duplicate, nothing stored.
    auto w2 = s->write_batch("batch-1", batch, q, now);
    REQUIRE(w2.ok());
    CHECK(*w2 == write_outcome::duplicate);
    CHECK(*s->count_events() == 3);
    CHECK(*s->count_quarantined() == 1);

    // Aggregate: group by codec with an average; the boolean key renders as "true".
    auto agg = s->aggregate({"call.ended", {"attrs.codec", "attrs.srtp"}, {"mos"}});
    REQUIRE(agg.ok());
    REQUIRE(agg->size() == 2);
    std::sort(agg->begin(), agg->end(),
              [](const auto& a, const auto& b) { return a.keys < b.keys; });
    CHECK((*agg)[0].keys == std::vector<std::string>{"opus", ""});
    CHECK((*agg)[0].installs == 1);
    REQUIRE((*agg)[0].averages.size() == 1);
    CHECK((*agg)[0].averages[0].value() == doctest::Approx(3.5));
    CHECK((*agg)[1].keys == std::vector<std::string>{"opus", "true"});
    CHECK(s->aggregate({"", {"attrs.x'--"}, {}}).ok() == false);  // names are validated
  }
  {
    // Idempotency survives a reopen.
    auto s = reopen();
    REQUIRE(s);
    auto w = s->write_batch(
        "batch-1", {rec("app.started", inst_a, "2026-11-29T10:00:00Z", nlohmann::json::object())},
        {}, now);
    REQUIRE(w.ok());
    CHECK(*w == write_outcome::duplicate);
    CHECK(*s->count_events() == 3);

    // Erasure by the install column only: a token in another install's pseudonym attribute
    // (call_id of inst_b's row) and unrelated tokens match nothing.
    auto e = s->erase_installs({inst_a, "callBBBBBBBBBBBBBBBBBB", "opus"}, now);
    REQUIRE_MESSAGE(e.ok(), (e.ok() ? "" : e.err().message));
    CHECK(e->total == 1);
    CHECK(e->by_category == std::map<std::string, std::uint64_t>{{"usage", 1}});
    CHECK(*s->count_events() == 2);
    auto e2 = s->erase_installs({"pseudoAAAAAAAAAAAAAAAA"}, now);
    REQUIRE(e2.ok());
    CHECK(e2->total == 0);

    // Retention by whole days: the 2026-11-29 rows go, the 2026-11-30 row stays.
    auto w3 = s->write_batch(
        "batch-2", {rec("log.line", inst_d, "2026-11-29T23:00:00Z", {{"level", "warn"}})}, {}, now);
    REQUIRE(w3.ok());
    CHECK(*s->count_events() == 3);
    auto x = s->expire(at(2026, 11, 30, 12));
    REQUIRE_MESSAGE(x.ok(), (x.ok() ? "" : x.err().message));
    CHECK(*x == 2);
    CHECK(*s->count_events() == 1);

    // A row claiming a later day than it arrived is kept under its day of arrival: the
    // retention job removes it with the other rows of 2026-11-30, whatever it claims.
    auto w4 = s->write_batch(
        "batch-3", {rec("log.line", inst_e, "2026-12-01T08:00:00Z", {{"level", "warn"}})}, {}, now);
    REQUIRE(w4.ok());
    CHECK(*s->count_events() == 2);
    auto x2 = s->expire(at(2026, 12, 1, 12));
    REQUIRE(x2.ok());
    CHECK(*x2 == 2);
    CHECK(*s->count_events() == 0);
  }
}

}  // namespace veil::collector::test
