/* veil.h: the C ABI of the Veil telemetry anonymizer agent (pure C, opaque handles only).
 * Threading: an agent handle may be used from any number of threads at once, except that
 * veil_agent_close() must not race with any other call on the same handle. An options handle
 * is not thread-safe. No call throws or aborts; every fallible call returns a veil_status_t.
 * Ownership is stated per pointer: "borrowed" (only read during the call), "takes ownership",
 * or "valid until ...". Strings are NUL-terminated UTF-8 (see "Text from Java and Swift" below
 * for the length-delimited *_n variants and JNI's modified UTF-8). Nullability: pointers are
 * marked VEIL_NONNULL or VEIL_NULLABLE (clang's _Nonnull/_Nullable, so Swift imports them as
 * non-optional or optional); a NULL where VEIL_NONNULL is marked is still refused with
 * VEIL_E_INVALID_ARGUMENT, never dereferenced.
 *
 * Text from Java and Swift: every text argument (event type and attributes, consent
 * category, breadcrumb, policy or config JSON) is UTF-8. The agent also accepts JNI's
 * "modified UTF-8" as GetStringUTFChars()/GetStringUTFRegion() produce it: a character outside
 * the Basic Multilingual Plane (an emoji) arrives as two 3-byte surrogates (CESU-8, e.g.
 * ED A0 BD ED B8 80 for U+1F600) and is converted to its 4-byte UTF-8 form (F0 9F 98 80) before
 * anything else sees it, so it is kept, not dropped as invalid UTF-8. A surrogate without its
 * pair becomes U+FFFD. NUL is never part of a text: an embedded NUL byte in a *_n argument, or
 * the modified-UTF-8 NUL (C0 80), is refused with VEIL_E_INVALID_ARGUMENT. Paths are bytes
 * for the file system and are not converted. Swift's String.withCString and
 * String.utf8CString give UTF-8 already. */
#ifndef VEIL_VEIL_H
#define VEIL_VEIL_H

#include <stddef.h>
#include <stdint.h>

#include "veil/export.h"
#include "veil/version.h"

#if defined(__GNUC__) || defined(__clang__)
#define VEIL_NODISCARD __attribute__((warn_unused_result))
#else
#define VEIL_NODISCARD
#endif

#if defined(__clang__) && defined(__has_feature)
#if __has_feature(nullability)
#define VEIL_NONNULL _Nonnull
#define VEIL_NULLABLE _Nullable
#endif
#endif
#ifndef VEIL_NONNULL
#define VEIL_NONNULL
#define VEIL_NULLABLE
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. Pinned: values are appended and never renumbered. */
typedef enum veil_status_e {
  VEIL_OK = 0,
  VEIL_E_INVALID_ARGUMENT = -1, /**< null pointer, bad option value, malformed JSON argument */
  VEIL_E_POLICY_INVALID = -2,   /**< the policy does not compile */
  VEIL_E_IO = -3,               /**< state directory, spool, key or consent file */
  VEIL_E_NOT_FOUND = -4,        /**< e.g. a consent category the policy does not define */
  VEIL_E_UNAVAILABLE = -5,      /**< the state directory is used by another agent */
  VEIL_E_TIMEOUT = -6,          /**< flush/close did not finish in time */
  VEIL_E_QUEUE_FULL = -7,       /**< the event was dropped (counted as queue_full) */
  VEIL_E_CLOSED = -8,           /**< the agent is shut down */
  VEIL_E_INTERNAL = -9,         /**< a bug: an unexpected exception or state */
  VEIL_E_CONFIG_INVALID = -10,  /**< config file/JSON does not parse or has an unknown key */
  VEIL_E_NO_MEMORY = -11,
  VEIL_E_NOT_CONSENTED = -12 /**< the category's consent is not granted (crash capture) */
} veil_status_t;

typedef struct veil_agent_s veil_agent_t;
typedef struct veil_options_s veil_options_t;

/** Short English text for a status. Static storage; never NULL. */
VEIL_API const char* VEIL_NONNULL veil_status_str(veil_status_t status);
/** The library's version ("0.1.0"), which is VEIL_VERSION_STRING of the headers it was built
 *  with (veil/version.h): compare them to catch a header/library mismatch. Static storage. */
VEIL_API const char* VEIL_NONNULL veil_version(void);
/** The reason the last veil_agent_open()/veil_agent_open_config() on this thread failed, naming
 *  the file, key or option (never event data); "" after one that succeeded or before any.
 *  Thread-local storage, valid until the next open on this thread. */
VEIL_API const char* VEIL_NONNULL veil_last_open_error(void);

/* ---- options ----------------------------------------------------------------------------- */

/** Creates options with the defaults of veil/options.hpp. *out receives a handle the caller
 *  owns: free it with veil_options_free() (veil_agent_open() does not take it). */
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_new(veil_options_t* VEIL_NULLABLE* VEIL_NONNULL out);
/** Frees options (NULL is fine). Takes ownership of `options`. */
VEIL_API void veil_options_free(veil_options_t* VEIL_NULLABLE options);
/** Reads a config file (path) or JSON text (starting with '{') into `options`, as
 *  veil_agent_open_config() does, without requiring it to be complete: setters called afterwards
 *  override what it set (call it first). Keys absent from the config keep their value.
 *  VEIL_E_CONFIG_INVALID for JSON that does not parse, an unknown key or a wrong type;
 *  VEIL_E_IO for an unreadable file; the reason is in veil_last_open_error(). Both borrowed. */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_load_config(
    veil_options_t* VEIL_NONNULL options, const char* VEIL_NONNULL path_or_json);
/** The same for a JSON text of `len` bytes (not NUL-terminated; no NUL inside). */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_load_config_n(
    veil_options_t* VEIL_NONNULL options, const char* VEIL_NONNULL json, size_t len);
/* Setters: `options` and the string are borrowed for the call (the string is copied). Values
 * are checked when the agent opens (veil_last_open_error() names the option), except where a
 * setter says otherwise. */
/** Setting the policy file clears a policy JSON set before, and the other way round. */
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_policy_file(veil_options_t* VEIL_NONNULL options, const char* VEIL_NULLABLE path);
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_policy_json(veil_options_t* VEIL_NONNULL options, const char* VEIL_NULLABLE json);
/** The policy text as `len` bytes (not NUL-terminated; no NUL inside). */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_policy_json_n(
    veil_options_t* VEIL_NONNULL options, const char* VEIL_NONNULL json, size_t len);
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_state_dir(veil_options_t* VEIL_NONNULL options, const char* VEIL_NULLABLE dir);
/** Collector base URL ("https://host:4318"); NULL or "" stores only and never uploads. */
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_endpoint(veil_options_t* VEIL_NONNULL options, const char* VEIL_NULLABLE url);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_api_key(veil_options_t* VEIL_NONNULL options,
                                                               const char* VEIL_NULLABLE key);
/** PEM trust store for HTTPS; NULL or "": the system roots. */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_ca_file(veil_options_t* VEIL_NONNULL options,
                                                               const char* VEIL_NULLABLE path);
/** SPKI pin of the collector's key for the built-in HTTPS client: 64 hex characters (SHA-256 of
 *  the leaf's SubjectPublicKeyInfo); NULL or "": no pin. Checked here: VEIL_E_INVALID_ARGUMENT
 *  for anything else. A host transport pins in the host's own client. */
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_spki_pin(veil_options_t* VEIL_NONNULL options, const char* VEIL_NULLABLE hex);
/** zstd dictionary file for batches (config/zstd.dict); NULL or "": plain zstd. */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_dictionary_file(
    veil_options_t* VEIL_NONNULL options, const char* VEIL_NULLABLE path);
/** zstd level 1..19 (default 9). */
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_zstd_level(veil_options_t* VEIL_NONNULL options, int level);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_service(veil_options_t* VEIL_NONNULL options,
                                                               const char* VEIL_NONNULL name,
                                                               const char* VEIL_NULLABLE version,
                                                               const char* VEIL_NULLABLE os);
/** OS version for crash reports only (NULL or "": none). */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_os_version(
    veil_options_t* VEIL_NONNULL options, const char* VEIL_NULLABLE version);
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_queue_capacity(veil_options_t* VEIL_NONNULL options, size_t capacity);
/** What veil_agent_record_json() does when the queue is full. Pinned values. */
typedef enum veil_overflow_e {
  VEIL_OVERFLOW_DROP_NEWEST = 0, /**< the default: the new event is dropped, never waits */
  VEIL_OVERFLOW_DROP_OLDEST = 1, /**< the oldest queued event makes room */
  VEIL_OVERFLOW_BLOCK_FOR = 2    /**< wait up to block_ms (at most 1000) for room, then drop */
} veil_overflow_t;
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_overflow(
    veil_options_t* VEIL_NONNULL options, veil_overflow_t policy, uint32_t block_ms);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_batch(veil_options_t* VEIL_NONNULL options,
                                                             size_t max_records, size_t max_bytes,
                                                             uint32_t max_age_ms);
/** Spool bounds: bytes on disk (oldest evicted past it; default 20 MiB), age in hours (168),
 *  failed sends before a record is dropped (1..255, default 10). */
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_spool_limits(veil_options_t* VEIL_NONNULL options, uint64_t max_bytes,
                              uint32_t max_age_hours, uint32_t max_retries);
/** Nonzero (the default): one fdatasync per group of appended records (power-loss safe). */
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_spool_sync(veil_options_t* VEIL_NONNULL options, int sync_each_append);
/** Nonzero: keep the spool in memory (tests, dry runs); nothing survives a restart. */
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_spool_in_memory(veil_options_t* VEIL_NONNULL options, int in_memory);
/** Retry pacing: full jitter between floor and cap (defaults 1000 and 300000 ms), at most
 *  max_attempts_per_minute attempts (4); Retry-After is honoured. */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_retry(veil_options_t* VEIL_NONNULL options,
                                                             uint32_t backoff_floor_ms,
                                                             uint32_t backoff_cap_ms,
                                                             uint32_t max_attempts_per_minute);
/** Per exchange: connect (10000 ms) and each of TLS handshake, write, read (30000 ms). A host
 *  transport's answer is awaited for connect_ms + io_ms. */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_timeouts(
    veil_options_t* VEIL_NONNULL options, uint32_t connect_ms, uint32_t io_ms);
/** Users' rights: how long issued tokens and uploaded batches are remembered (days, default
 *  30) and export's budget for the collector's answers (ms, default 15000). */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_rights(veil_options_t* VEIL_NONNULL options,
                                                              uint32_t retention_days,
                                                              uint32_t collector_timeout_ms);
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_shutdown_timeout(veil_options_t* VEIL_NONNULL options, uint32_t timeout_ms);
/** Grants `category` until the user decides (a per-build default; opt-in builds never call it). */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_grant_by_default(
    veil_options_t* VEIL_NONNULL options, const char* VEIL_NONNULL category);

/** Log levels. Pinned values. */
typedef enum veil_log_level_e {
  VEIL_LOG_DEBUG = 0, /**< every upload's outcome */
  VEIL_LOG_INFO = 1,  /**< open, close */
  VEIL_LOG_WARN = 2,  /**< an upload to retry or dropped by the server, a flush that timed out */
  VEIL_LOG_ERROR = 3  /**< open failed */
} veil_log_level_t;
/** Receives one log line (NUL-terminated UTF-8, borrowed for the call): counts, sizes, HTTP
 *  statuses, option and file names, never event content, keys or tokens. Called on the agent's
 *  threads and the thread that opens or closes it; must return quickly and must not call
 *  veil_agent_* on the agent. */
typedef void (*veil_log_fn)(void* VEIL_NULLABLE userdata, veil_log_level_t level,
                            const char* VEIL_NONNULL message);
/** Logs messages at `min_level` and above to `fn` (NULL: no logging). `userdata` is passed back
 *  as is (the caller keeps it alive until veil_agent_close() of every agent opened with it). */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_log(veil_options_t* VEIL_NONNULL options,
                                                           veil_log_fn VEIL_NULLABLE fn,
                                                           void* VEIL_NULLABLE userdata,
                                                           veil_log_level_t min_level);

/** A host transport: the host app does the HTTP exchange (URLSession, OkHttp, ...) and the agent
 *  keeps backoff, batch splitting, leases and idempotency (docs/c-api.md, "Host transport").
 *  Called on the agent's sender thread, or on the thread in veil_agent_export_json(), once per
 *  exchange, never before veil_agent_open() has the handle ready (`agent` is that handle) and
 *  never after veil_agent_close() returns. Everything but `userdata` and `agent` is borrowed for
 *  the call: copy the method ("POST"/"GET"), the absolute URL (the endpoint's base + "/v1/logs",
 *  "/v1/metrics", "/v1/erasure", "/v1/subject"), the `header_count` headers (names and values,
 *  sent as given; Host and Content-Length are the client's own) and the body (empty for GET).
 *  The host must answer every request once with veil_agent_transport_done() or _done_body(),
 *  from inside the callback or later from any thread; an answer that takes longer than the
 *  configured connect + io timeouts is too late (the agent retries the batch later). */
typedef void (*veil_transport_fn)(void* VEIL_NULLABLE userdata, veil_agent_t* VEIL_NONNULL agent,
                                  uint64_t request_id, const char* VEIL_NONNULL method,
                                  const char* VEIL_NONNULL url,
                                  const char* VEIL_NONNULL const* VEIL_NULLABLE header_names,
                                  const char* VEIL_NONNULL const* VEIL_NULLABLE header_values,
                                  size_t header_count, const uint8_t* VEIL_NULLABLE body,
                                  size_t body_len);
/** Uses `fn` for every exchange instead of the built-in HTTP client (NULL: the built-in client
 *  again). An endpoint is still required: it is the base of the URLs. ca_file and spki_pin are
 *  the host client's business. `userdata` is passed back as is. A library built with
 *  VEIL_HTTP_CLIENT=OFF (the mobile presets) has no built-in client: there, an endpoint without
 *  a transport fails to open with VEIL_E_INVALID_ARGUMENT. */
VEIL_NODISCARD VEIL_API veil_status_t
veil_options_set_transport(veil_options_t* VEIL_NONNULL options, veil_transport_fn VEIL_NULLABLE fn,
                           void* VEIL_NULLABLE userdata);

/* ---- agent ------------------------------------------------------------------------------- */

/** Opens an agent. `options` is borrowed for the call. *out receives a handle valid until
 *  veil_agent_close(), which frees it. On failure *out is NULL. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_open(
    const veil_options_t* VEIL_NONNULL options, veil_agent_t* VEIL_NULLABLE* VEIL_NONNULL out);
/** Opens an agent from a config file path or a JSON text starting with '{' (borrowed). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_open_config(
    const char* VEIL_NONNULL path_or_json, veil_agent_t* VEIL_NULLABLE* VEIL_NONNULL out);
/** Queues one raw event; never blocks on disk or network. `type` and `attrs_json` (a JSON
 *  object, NULL means "{}") are borrowed for the call. VEIL_E_QUEUE_FULL: dropped, counted. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_record_json(veil_agent_t* VEIL_NONNULL agent,
                                                             const char* VEIL_NONNULL type,
                                                             const char* VEIL_NULLABLE attrs_json);
/** The same with lengths: `type` is type_len bytes, `attrs_json` attrs_len bytes (NULL with 0:
 *  "{}"), neither NUL-terminated; an embedded NUL is refused (VEIL_E_INVALID_ARGUMENT). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_record_json_n(veil_agent_t* VEIL_NONNULL agent,
                                                               const char* VEIL_NONNULL type,
                                                               size_t type_len,
                                                               const char* VEIL_NULLABLE attrs_json,
                                                               size_t attrs_len);
/** Grants (granted != 0) or revokes a consent category; revoking purges its stored records
 *  before returning. `category` is borrowed. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_set_consent(veil_agent_t* VEIL_NONNULL agent,
                                                             const char* VEIL_NONNULL category,
                                                             int granted);
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_set_consent_n(veil_agent_t* VEIL_NONNULL agent,
                                                               const char* VEIL_NONNULL category,
                                                               size_t len, int granted);
/** Writes 1 or 0 to *granted (borrowed). VEIL_E_NOT_FOUND for an unknown category. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_get_consent(veil_agent_t* VEIL_NONNULL agent,
                                                             const char* VEIL_NONNULL category,
                                                             int* VEIL_NONNULL granted);
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_get_consent_n(veil_agent_t* VEIL_NONNULL agent,
                                                               const char* VEIL_NONNULL category,
                                                               size_t len,
                                                               int* VEIL_NONNULL granted);
/** Sets the under-16 flag: nonzero erases everything as veil_agent_erase() does (local data,
 *  and an erasure request for what was sent) and keeps collection off; the flag is never sent. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_set_under_16(veil_agent_t* VEIL_NONNULL agent,
                                                              int under_16);

/* ---- Users' rights (docs/erasure.md, docs/export-schema.md, docs/settings-screen.md) ----
 * Every *_json call writes to *out a NUL-terminated JSON string the caller owns (free it with
 * veil_string_free()); on failure *out is NULL. Consent changes made through the C ABI are
 * recorded in the history with "via":"c_api". */

/** Objection: revokes `category` and keeps build defaults from granting it again; only a later
 *  veil_agent_set_consent(..., 1) lifts it. VEIL_E_NOT_FOUND for an unknown category. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_object(veil_agent_t* VEIL_NONNULL agent,
                                                        const char* VEIL_NONNULL category);
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_object_n(veil_agent_t* VEIL_NONNULL agent,
                                                          const char* VEIL_NONNULL category,
                                                          size_t len);
/** Consent state and history: {"categories":{name:{"granted","objected"}},"under_16","history"}. */
VEIL_NODISCARD VEIL_API veil_status_t
veil_agent_consent_json(veil_agent_t* VEIL_NONNULL agent, char* VEIL_NULLABLE* VEIL_NONNULL out);
/** What the next uploads would send, per category (at most max_records cleaned records; 0 means
 *  1000). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_preview_json(
    veil_agent_t* VEIL_NONNULL agent, uint32_t max_records, char* VEIL_NULLABLE* VEIL_NONNULL out);
/** Everything the agent holds or has sent about this install, with the collector's answer to a
 *  signed access request when an endpoint is configured. Blocks up to the configured
 *  rights.collector_timeout_ms: call it off the UI thread. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_export_json(veil_agent_t* VEIL_NONNULL agent,
                                                             char* VEIL_NULLABLE* VEIL_NONNULL out);
/** Erases: wipes all local data and queues a signed erasure request for every install token of
 *  the retention window, retried until the collector acknowledges it (also across restarts).
 *  VEIL_OK once queued; veil_agent_erasure_status_json() tells when it is done. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_erase(veil_agent_t* VEIL_NONNULL agent);
/** {"pending":bool,"installs":N,"receipts":[{"time_ms","status":"erased"|"refused",...}]} */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_erasure_status_json(
    veil_agent_t* VEIL_NONNULL agent, char* VEIL_NULLABLE* VEIL_NONNULL out);
/** Captures crashes of this process into the state directory; the next open turns the record
 *  into a crash.report under the "crash" consent (see veil::agent::install_crash_handler).
 *  VEIL_E_NOT_CONSENTED without "crash" consent; VEIL_E_UNAVAILABLE if another agent of this
 *  process has the handler. Revoking "crash" uninstalls it and deletes the record. */
VEIL_NODISCARD VEIL_API veil_status_t
veil_agent_install_crash_handler(veil_agent_t* VEIL_NONNULL agent);
/** Adds one log line (UTF-8, NUL-terminated, borrowed) to the crash breadcrumb ring, scrubbed on
 *  the calling thread before it is kept. VEIL_OK also when no handler is installed. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_breadcrumb(veil_agent_t* VEIL_NONNULL agent,
                                                            const char* VEIL_NONNULL text);
/** The same for `len` bytes (not NUL-terminated; no NUL inside). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_breadcrumb_n(veil_agent_t* VEIL_NONNULL agent,
                                                              const char* VEIL_NONNULL text,
                                                              size_t len);
/** Gives the calling thread an alternate signal stack, so a stack overflow on it is recorded. */
VEIL_API void veil_prepare_thread_for_crashes(void);
/** Imports a crash report the platform wrote (an Android tombstone or an Apple .ips report;
 *  `data`/`len` borrowed for the call) as a crash.report under the "crash" consent, keeping only
 *  the signal, exception, scrubbed message, the crashing thread's frames, OS/app version and the
 *  scrubbed thread name (see veil::agent::import_crash_report). VEIL_E_NOT_CONSENTED without
 *  "crash" consent; VEIL_E_INVALID_ARGUMENT for a minidump, a legacy .crash text or anything
 *  else. If `error_message` is not NULL it receives NULL or a message naming the problem (never
 *  report text) that the caller frees with veil_string_free(). */
VEIL_NODISCARD VEIL_API veil_status_t
veil_agent_import_crash_report(veil_agent_t* VEIL_NONNULL agent, const void* VEIL_NULLABLE data,
                               size_t len, char* VEIL_NULLABLE* VEIL_NULLABLE error_message);

/** A host transport's answer to request `request_id` (veil_options_set_transport): the HTTP
 *  status (0: no HTTP answer, e.g. a network or TLS failure or the host's own timeout; the
 *  batch is retried later), Retry-After in seconds (negative: none). Any thread, also from
 *  inside the callback. VEIL_E_NOT_FOUND when no request with this id is waiting: unknown,
 *  answered already, timed out, cancelled by a consent revoke, or the agent has no host
 *  transport (nothing happens then). VEIL_E_INVALID_ARGUMENT for a status outside 0..999.
 *  Must not race with veil_agent_close() (stop the host's requests before closing). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_transport_done(veil_agent_t* VEIL_NONNULL agent,
                                                                uint64_t request_id,
                                                                int http_status,
                                                                int32_t retry_after_s);
/** The same with the response body (`body`/`len` borrowed for the call): erasure receipts and
 *  subject access answers are read from it; other answers' bodies are ignored. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_transport_done_body(
    veil_agent_t* VEIL_NONNULL agent, uint64_t request_id, int http_status, int32_t retry_after_s,
    const void* VEIL_NULLABLE body, size_t len);

/** Waits up to timeout_ms until queued events are stored and stored records uploaded. */

VEIL_NODISCARD VEIL_API veil_status_t veil_agent_flush(veil_agent_t* VEIL_NONNULL agent,
                                                       uint32_t timeout_ms);
/** Counters as JSON. *out receives a string the caller owns: free it with veil_string_free(). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_stats_json(veil_agent_t* VEIL_NONNULL agent,
                                                            char* VEIL_NULLABLE* VEIL_NONNULL out);
/** Frees a string returned by the library (NULL is fine). Takes ownership of `s`. */
VEIL_API void veil_string_free(char* VEIL_NULLABLE s);
/** Flushes within the configured shutdown timeout, stops the worker and frees the agent (takes
 *  ownership; NULL is fine). Returns VEIL_E_TIMEOUT if the flush did not finish; the agent is
 *  freed either way. */
VEIL_API veil_status_t veil_agent_close(veil_agent_t* VEIL_NULLABLE agent);

#ifdef __cplusplus
}
#endif

#endif /* VEIL_VEIL_H */
