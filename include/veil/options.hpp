// veil/options.hpp: the agent's options as plain structs with defaults and one validate(), the
// public status codes, and the config-file loader. Value types only: no threads, no I/O except
// load_config(), which reads one file. Nothing here throws except std::bad_alloc.
// Only the standard library is included : no Boost, sodium or zstd, so hosts build against
// our headers alone and our internals can change without breaking them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "veil/export.h"

namespace veil {

class agent;

/// Outcome codes of the public API. Same values as veil_status_t in veil.h; pinned: appended,
/// never renumbered.
enum class status : int {
  ok = 0,
  invalid_argument = -1,  ///< a null pointer, bad option value or malformed JSON argument
  policy_invalid = -2,    ///< the policy does not compile
  io_error = -3,          ///< state directory, spool, key or consent file
  not_found = -4,         ///< e.g. a consent category the policy does not define
  unavailable = -5,       ///< the state directory is in use by another agent
  timeout = -6,           ///< flush/close did not finish in time
  queue_full = -7,        ///< record() dropped the event (counted as queue_full)
  closed = -8,            ///< the agent is shut down
  internal = -9,          ///< a bug: an unexpected exception or state
  config_invalid = -10,   ///< a config file/string does not parse or has an unknown key
  no_memory = -11,
  not_consented = -12,  ///< the category's consent is not granted (e.g. crash capture)
};

/// Short English text for a status ("ok", "invalid argument", ...). Never null.
VEIL_API const char* to_string(status s) noexcept;

/// What went wrong, with a human message that names the file, key or option (never event data).
struct failure {
  status code = status::internal;
  std::string message;
};

/// What record() does when the queue is full: an explicit choice, never a silent bool. Each policy
/// has its own counter.
enum class overflow {
  block_for,    ///< wait up to queue_options::block_for for room, then drop the new event
  drop_oldest,  ///< make room by dropping the oldest queued event (counted as overrun)
  drop_newest,  ///< drop the new event (counted as discarded); the default: never waits
};

struct queue_options {
  std::size_t capacity = 4096;  ///< events held between record() and the worker; 1..1'000'000
  overflow on_full = overflow::drop_newest;
  std::chrono::milliseconds block_for{5};  ///< only for overflow::block_for; at most 1000 ms
};

/// A batch is sent when it reaches max_records or max_bytes, or when its oldest record is
/// max_age old, whichever comes first.
struct batch_options {
  std::size_t max_records = 500;
  std::size_t max_bytes = 512 * 1024;  ///< of cleaned JSON before compression
  std::chrono::milliseconds max_age{30'000};
};

/// One HTTP exchange handed to a host transport (upload_options::transport). Every view is
/// borrowed for the callback only: copy what the exchange needs before returning.
struct transport_request {
  std::uint64_t id = 0;     ///< answer with agent::transport_done(id, ...)
  std::string_view method;  ///< "POST" or "GET" (subject access)
  std::string_view url;     ///< absolute: the endpoint's base + "/v1/logs", "/v1/erasure", ...
  /// Content-Type, Content-Encoding, Idempotency-Key, X-Veil-Policy, ... in sending order.
  /// Host and Content-Length are the transport's to set.
  std::span<const std::pair<std::string, std::string>> headers;
  std::string_view body;  ///< empty for GET
};

/// A host transport (docs/agent.md, "Host transport"): called on the agent's sender thread (or
/// export's calling thread) for every exchange, never before open() has returned the agent it
/// is given, never after close(). It starts the request and returns; the answer comes later,
/// from any thread (or from inside the callback), through agent::transport_done(). Backoff,
/// splitting, leases and idempotency stay in the agent. Must not throw (an exception counts as
/// a network failure) and must not close the agent.
using transport_fn = std::function<void(agent&, const transport_request&)>;

/// Severity of a log message (same values as veil_log_level_t).
enum class log_level : int { debug = 0, info = 1, warn = 2, error = 3 };
/// Receives the agent's log messages: counts, sizes, statuses and file names, never event
/// content. Called from the agent's threads and the opening thread; must not call the agent.
using log_fn = std::function<void(log_level, std::string_view message)>;

struct upload_options {
  std::string endpoint;  ///< "https://collector.example:4318"; empty: store only, never upload
  /// Set: the host does the HTTP exchanges (the endpoint is still the requests' base URL, and
  /// ca_file/spki_pin are the host's business). Empty: the built-in HTTP client.
  transport_fn transport;
  std::string api_key;          ///< sent as "Authorization: Bearer"; never logged
  std::string ca_file;          ///< PEM trust store; empty: the system roots
  std::string spki_pin;         ///< optional 64 hex chars: SHA-256 of the server's public key
  std::string dictionary_file;  ///< zstd dictionary (config/zstd.dict); empty: plain zstd
  int zstd_level = 9;  ///< with the shipped dictionary ~0.5x the bytes of gzip -6 at similar CPU
                       ///< (docs/performance.md)
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds io_timeout{30'000};
  std::chrono::milliseconds backoff_floor{1'000};
  std::chrono::milliseconds backoff_cap{300'000};
  std::size_t max_attempts_per_minute = 4;
};

/// The on-disk spool of cleaned, encrypted records (see docs/agent.md, "Durability").
struct storage_options {
  std::uint64_t max_bytes = 20ull << 20;  ///< oldest records are evicted past this
  std::chrono::hours max_age{168};        ///< older records are dropped
  std::uint32_t max_retries = 10;         ///< failed sends before a record is dropped
  bool sync_each_append = true;           ///< fdatasync every record (power-loss safe)
  bool in_memory = false;                 ///< keep the spool in memory (tests, dry runs)
};

/// Users' rights (docs/erasure.md): how long the agent remembers the install tokens it issued
/// and the batches it uploaded, so that export and erasure reach what left the device.
struct rights_options {
  std::chrono::hours retention{30 * 24};  ///< tokens and ledger entries older than this go
  /// export(): budget for the collector's answers (GET /v1/subject), all pages together.
  std::chrono::milliseconds collector_timeout{15'000};
};

/// Resource attributes of every batch. Nothing here may identify a user.
struct resource_options {
  std::string service_name = "veil";
  std::string app_version;
  std::string os_name;
  std::string os_version;  ///< crash reports only
};

struct agent_options {
  std::string policy_file;  ///< policy JSON file; or
  std::string policy_json;  ///< the policy text itself (exactly one of the two)
  std::string state_dir;    ///< keys, consent, spool, install id; created 0700. Required.
  resource_options resource;
  queue_options queue;
  batch_options batch;
  upload_options upload;
  storage_options storage;
  rights_options rights;
  /// Categories granted until the user decides (per build). Opt-in: empty.
  std::vector<std::string> consent_granted_by_default;
  std::chrono::milliseconds shutdown_timeout{2'000};  ///< flush budget of close()/~agent
  log_fn log;                                         ///< empty: no logging
  log_level min_log_level = log_level::info;          ///< messages below this are not formatted

  /// nullopt when the options are usable; otherwise the first problem found.
  VEIL_API std::optional<failure> validate() const;
};

/// Reads agent options from a config file path, or from a JSON text (when the argument starts
/// with '{'). Relative paths inside a file resolve against the file's directory; inside a JSON
/// text, against the current directory. Unknown keys are an error (keys starting with '_' are
/// comments). Keys: see config/agent.json and docs/agent.md.
VEIL_API std::optional<failure> load_config(std::string_view path_or_json, agent_options& out);

}  // namespace veil
