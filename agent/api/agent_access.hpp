// agent_access: the seams of veil::agent that tests and tools inside the tree may use
// (injected uploader, clocks, RNG; the worker and pipeline behind an agent). Not installed.
// Same threading rules as the agent itself.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/pipeline/pipeline.hpp"
#include "agent/pipeline/worker.hpp"
#include "veil/agent.hpp"

namespace veil::detail {

struct agent_hooks {
  std::shared_ptr<uploader> upload;  ///< replaces the HTTP uploader (even without an endpoint)
  clock_fn clock;                    ///< wall clock: key epochs, default event time
  steady_clock_fn steady;            ///< retry pacing
  unit_rng_fn rng;                   ///< backoff jitter
};

struct agent_access {
  static std::unique_ptr<agent> open(agent_options o, agent_hooks h,
                                     failure* why = nullptr) noexcept;
  static worker& worker_of(agent& a);
  static pipeline& pipeline_of(agent& a);
  static status enqueue(agent& a, queued_event&& e) noexcept;
  static std::unique_ptr<agent::impl> build(agent_options o, agent_hooks h, failure& why);
  /// At open: queues the previous process's crash record as a crash.report (crash consent).
  static void take_crash_report(agent::impl& im);
  /// export(): the collector's answer to a signed GET /v1/subject per token (all pages).
  static nlohmann::json subject_access(agent& a, const std::vector<ledger_token>& tokens);
  /// stats_json() without its catch-all.
  static std::string stats(const agent& a);
  /// Host transport (agent_transport.cpp): the sender's and export's host_uploader over one
  /// host_transport kept in `im`. A failure names the option.
  static std::optional<failure> make_host_uploaders(agent::impl& im, const agent_options& o,
                                                    pipeline_parts& parts);
  /// One line for the log after open: counts and modes only.
  static std::string open_summary(agent& a);
};

/// Formats nothing and calls nothing below o.min_log_level or without o.log; never throws.
void log_message(const agent_options& o, log_level level, const std::string& message) noexcept;

/// Test hook for the C ABI (no exception may cross it): while true, every veil_* entry point throws
/// inside its try block, so a test can check that each one answers VEIL_E_INTERNAL.
extern std::atomic<bool> c_api_fault_injection;

}  // namespace veil::detail
