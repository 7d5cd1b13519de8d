// veil/agent.hpp: the agent, the one object a host application keeps. It cleans events on its
// own worker thread (parse -> policy -> consent gate -> encrypted spool -> batched upload).
// Threading: every member function may be called from any thread at the same time, except that
// no call may race with the destructor. record() never blocks on disk, network or a lock held
// across I/O. After close() every call returns status::closed (record() returns it too).
// Owns: the worker thread, the state directory's lock, the spool. Nothing throws out of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "veil/export.h"
#include "veil/options.hpp"

namespace veil {

namespace detail {
struct agent_access;
}

class VEIL_API agent {
 public:
  /// Opens an agent: compiles the policy, opens the key ring, consent store and spool under
  /// options.state_dir and starts the worker. On failure returns null and fills `why` (if given).
  static std::unique_ptr<agent> open(agent_options options, failure* why = nullptr) noexcept;
  /// Like open(), with the options read by load_config() from a file path or a JSON text.
  static std::unique_ptr<agent> open_config(std::string_view path_or_json,
                                            failure* why = nullptr) noexcept;

  /// Closes with options.shutdown_timeout (see close()).
  ~agent();
  agent(const agent&) = delete;
  agent& operator=(const agent&) = delete;

  /// Queues one raw event for cleaning. `attrs_json` is a JSON object (may be empty: "{}").
  /// The bytes are copied; nothing is parsed on the caller's thread. Returns status::ok when
  /// queued, status::queue_full when dropped by the overflow policy (counted), status::closed
  /// after close(). Malformed events are counted (parse_error, ...) later by the worker.
  status record(std::string_view type, std::string_view attrs_json) noexcept;
  /// Same, with the event's time (default: now).
  status record(std::string_view type, std::string_view attrs_json,
                std::chrono::system_clock::time_point ts) noexcept;
  /// Queues one raw envelope {"type","ts","attrs"} as JSON (a JSONL line, as `veil run` reads).
  status record_envelope(std::string_view envelope_json) noexcept;

  /// Grants or revokes a consent category (a name from the policy). Revoking purges the
  /// category's spooled records, leased ones included, before it returns. Durable on return.
  status set_consent(std::string_view category, bool granted) noexcept;
  /// Same, naming the API that made the change in the consent history ("cpp" above; the C ABI
  /// says "c_api", `veil consent` "cli", `veil run`'s socket "socket"). A revoke also ends an
  /// upload in flight that holds records of the category before it returns, so nothing of it
  /// reaches the collector afterwards.
  status set_consent(std::string_view category, bool granted, std::string_view via) noexcept;
  /// Objection (right to object): revokes like set_consent(category, false) and also keeps the
  /// category from being granted by a build default (consent_granted_by_default), now or after
  /// a policy update. Only an explicit grant lifts it.
  status object(std::string_view category, std::string_view via = "cpp") noexcept;
  /// Effective consent of `category` (false while under 16). status::not_found if unknown.
  status get_consent(std::string_view category, bool& granted) const noexcept;
  /// Consent state and history as JSON (docs/export-schema.md, "consent").
  std::string consent_json() const;
  /// Sets the age flag. true erases as erase() does (the flag itself is never sent) and keeps
  /// collection off until it is cleared and categories are granted again.
  status set_under_16(bool under_16) noexcept;

  /// Right of erasure (docs/erasure.md). Signs an erasure request for every install token of
  /// the retention window and stores it durably, then wipes everything local: spool, ledger,
  /// consent history (every category revoked and objected), pseudonym key, erasure secret,
  /// install id, pending crash record. The request goes to the collector in its own lane,
  /// retried with backoff, also after restarts, until acknowledged; until then nothing is
  /// collected. status::ok once queued (erasure_status_json() tells when it is done).
  status erase() noexcept;
  /// {"pending":bool,"installs":N,"receipts":[...]} (docs/export-schema.md, "erasure").
  std::string erasure_status_json() const;
  /// What the next uploads would send, per category, as JSON (docs/export-schema.md,
  /// "preview"): at most `max_records` cleaned records, oldest first.
  std::string preview_json(std::size_t max_records = 1000) const;
  /// Right of access and portability: one JSON document with everything the agent holds or
  /// has sent about this install (docs/export-schema.md), including the collector's answer to
  /// a signed access request per issued token when an endpoint is configured (within
  /// options.rights.collector_timeout; blocking, call it off the UI thread).
  std::string export_json();

  /// Captures crashes of this process (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP and
  /// std::terminate) into <state_dir>/crash/record; the next open() turns the record into a
  /// `crash.report` event under the `crash` consent and deletes it. Nothing personal is at rest:
  /// breadcrumbs are scrubbed when added, no stack memory, environment or registers other than
  /// PC/SP/FP/LR are kept. The previous handlers run after ours (the crash is re-raised).
  /// status::not_consented without `crash` consent; revoking it later uninstalls the handler
  /// and deletes the record at once. status::unavailable if another agent of this process has
  /// the handler. The handler lives until close() or the revoke. The calling thread gets an
  /// alternate signal stack; give other threads one with prepare_thread_for_crashes().
  status install_crash_handler() noexcept;
  /// Adds one log line to the ring of recent lines (64 x 255 bytes) copied into a crash record.
  /// The text is scrubbed (the `text` action and home paths) on the calling thread before it is
  /// stored. status::ok also when no handler is installed (then nothing is kept).
  status breadcrumb(std::string_view text) noexcept;
  /// Gives the calling thread an alternate signal stack, so a stack overflow on it is recorded.
  static void prepare_thread_for_crashes() noexcept;
  /// Imports a crash report the platform wrote: an Android tombstone (debuggerd text, also
  /// ApplicationExitInfo's trace for a native crash) or an Apple .ips report (JSON). Only the
  /// signal, exception, scrubbed abort message, the crashing thread's frames (module basename,
  /// offset, build id, function), OS and app version and the scrubbed thread name are kept;
  /// registers, memory, maps, open files, logs, other threads and device identifiers never
  /// leave the call. Queued as a `crash.report` under the `crash` consent, like a captured one.
  /// status::not_consented without `crash` consent (nothing is parsed or kept);
  /// status::invalid_argument for a minidump, a legacy text .crash or anything else, with
  /// `why` naming the problem and where (never the report's text).
  status import_crash_report(std::string_view contents, failure* why = nullptr) noexcept;

  /// Waits until every event queued before the call is cleaned and stored, and (with an
  /// endpoint) every stored record is uploaded, or until `timeout`. status::timeout then; the
  /// work goes on in the background.
  status flush(std::chrono::milliseconds timeout) noexcept;

  /// A host transport's answer to the exchange `id` (upload_options::transport): the HTTP status
  /// (0: no answer: network, TLS or timeout on the host's side), Retry-After in seconds (< 0:
  /// none) and the response body (kept for rights requests: erasure receipts, subject access).
  /// Any thread, also from inside the callback. status::not_found when no exchange with this
  /// id is waiting (unknown, already answered, timed out, cancelled, or no host transport);
  /// status::invalid_argument for a status outside 0..999.
  status transport_done(std::uint64_t id, int http_status, int retry_after_s,
                        std::string_view body = {}) noexcept;

  /// Counters as a JSON object: queue, pipeline drops by reason, spool, upload. Never personal
  /// data. Never throws: out of memory gives {"error":"oom"}.
  std::string stats_json() const noexcept;

  /// Stops accepting events, flushes within `timeout`, stops the worker. Records still queued
  /// at the deadline are lost (counted); stored ones stay in the spool for the next start.
  /// The in-flight HTTP exchange, if any, ends within upload_options' timeouts.
  status close(std::chrono::milliseconds timeout) noexcept;
  /// close() with options.shutdown_timeout.
  status close() noexcept;

 private:
  friend struct detail::agent_access;
  struct impl;
  explicit agent(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

}  // namespace veil
