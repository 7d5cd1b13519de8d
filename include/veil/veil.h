/* veil.h: the C ABI of the Veil telemetry anonymizer agent (pure C, opaque handles only).
 * Threading: an agent handle may be used from any number of threads at once, except that
 * veil_agent_close() must not race with any other call on the same handle. An options handle
 * is not thread-safe. No call throws or aborts; every fallible call returns a veil_status_t.
 * Ownership is stated per pointer: "borrowed" (only read during the call), "takes ownership",
 * or "valid until ...". Strings are NUL-terminated UTF-8. */
#ifndef VEIL_VEIL_H
#define VEIL_VEIL_H

#include <stddef.h>
#include <stdint.h>

#include "veil/export.h"

#if defined(__GNUC__) || defined(__clang__)
#define VEIL_NODISCARD __attribute__((warn_unused_result))
#else
#define VEIL_NODISCARD
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
VEIL_API const char* veil_status_str(veil_status_t status);

/* ---- options ----------------------------------------------------------------------------- */

/** Creates options with the defaults of veil/options.hpp. *out receives a handle the caller
 *  owns: free it with veil_options_free() (veil_agent_open() does not take it). */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_new(veil_options_t** out);
/** Frees options (NULL is fine). Takes ownership of `options`. */
VEIL_API void veil_options_free(veil_options_t* options);
/* Setters: `options` and the string are borrowed for the call (the string is copied). */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_policy_file(veil_options_t* options,
                                                                   const char* path);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_policy_json(veil_options_t* options,
                                                                   const char* json);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_state_dir(veil_options_t* options,
                                                                 const char* dir);
/** Collector base URL ("https://host:4318"); NULL or "" stores only and never uploads. */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_endpoint(veil_options_t* options,
                                                                const char* url);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_api_key(veil_options_t* options,
                                                               const char* key);
/** PEM trust store for HTTPS; NULL or "": the system roots. */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_ca_file(veil_options_t* options,
                                                               const char* path);
/** zstd dictionary file for batches (config/zstd.dict); NULL or "": plain zstd. */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_dictionary_file(veil_options_t* options,
                                                                       const char* path);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_service(veil_options_t* options,
                                                               const char* name,
                                                               const char* version, const char* os);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_queue_capacity(veil_options_t* options,
                                                                      size_t capacity);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_batch(veil_options_t* options,
                                                             size_t max_records, size_t max_bytes,
                                                             uint32_t max_age_ms);
VEIL_NODISCARD VEIL_API veil_status_t veil_options_set_shutdown_timeout(veil_options_t* options,
                                                                        uint32_t timeout_ms);
/** Grants `category` until the user decides (a per-build default; opt-in builds never call it). */
VEIL_NODISCARD VEIL_API veil_status_t veil_options_grant_by_default(veil_options_t* options,
                                                                    const char* category);

/* ---- agent ------------------------------------------------------------------------------- */

/** Opens an agent. `options` is borrowed for the call. *out receives a handle valid until
 *  veil_agent_close(), which frees it. On failure *out is NULL. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_open(const veil_options_t* options,
                                                      veil_agent_t** out);
/** Opens an agent from a config file path or a JSON text starting with '{' (borrowed). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_open_config(const char* path_or_json,
                                                             veil_agent_t** out);
/** Queues one raw event; never blocks on disk or network. `type` and `attrs_json` (a JSON
 *  object, NULL means "{}") are borrowed for the call. VEIL_E_QUEUE_FULL: dropped, counted. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_record_json(veil_agent_t* agent, const char* type,
                                                             const char* attrs_json);
/** Grants (granted != 0) or revokes a consent category; revoking purges its stored records
 *  before returning. `category` is borrowed. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_set_consent(veil_agent_t* agent,
                                                             const char* category, int granted);
/** Writes 1 or 0 to *granted (borrowed). VEIL_E_NOT_FOUND for an unknown category. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_get_consent(veil_agent_t* agent,
                                                             const char* category, int* granted);
/** Sets the under-16 flag: nonzero erases everything as veil_agent_erase() does (local data,
 *  and an erasure request for what was sent) and keeps collection off; the flag is never sent. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_set_under_16(veil_agent_t* agent, int under_16);

/* ---- Users' rights (docs/erasure.md, docs/export-schema.md, docs/settings-screen.md) ----
 * Every *_json call writes to *out a NUL-terminated JSON string the caller owns (free it with
 * veil_string_free()); on failure *out is NULL. Consent changes made through the C ABI are
 * recorded in the history with "via":"c_api". */

/** Objection: revokes `category` and keeps build defaults from granting it again; only a later
 *  veil_agent_set_consent(..., 1) lifts it. VEIL_E_NOT_FOUND for an unknown category. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_object(veil_agent_t* agent, const char* category);
/** Consent state and history: {"categories":{name:{"granted","objected"}},"under_16","history"}. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_consent_json(veil_agent_t* agent, char** out);
/** What the next uploads would send, per category (at most max_records cleaned records; 0 means
 *  1000). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_preview_json(veil_agent_t* agent,
                                                              uint32_t max_records, char** out);
/** Everything the agent holds or has sent about this install, with the collector's answer to a
 *  signed access request when an endpoint is configured. Blocks up to the configured
 *  rights.collector_timeout_ms: call it off the UI thread. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_export_json(veil_agent_t* agent, char** out);
/** Erases: wipes all local data and queues a signed erasure request for every install token of
 *  the retention window, retried until the collector acknowledges it (also across restarts).
 *  VEIL_OK once queued; veil_agent_erasure_status_json() tells when it is done. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_erase(veil_agent_t* agent);
/** {"pending":bool,"installs":N,"receipts":[{"time_ms","status":"erased"|"refused",...}]} */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_erasure_status_json(veil_agent_t* agent,
                                                                     char** out);
/** Captures crashes of this process into the state directory; the next open turns the record
 *  into a crash.report under the "crash" consent (see veil::agent::install_crash_handler).
 *  VEIL_E_NOT_CONSENTED without "crash" consent; VEIL_E_UNAVAILABLE if another agent of this
 *  process has the handler. Revoking "crash" uninstalls it and deletes the record. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_install_crash_handler(veil_agent_t* agent);
/** Adds one log line (UTF-8, NUL-terminated, borrowed) to the crash breadcrumb ring, scrubbed on
 *  the calling thread before it is kept. VEIL_OK also when no handler is installed. */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_breadcrumb(veil_agent_t* agent, const char* text);
/** Gives the calling thread an alternate signal stack, so a stack overflow on it is recorded. */
VEIL_API void veil_prepare_thread_for_crashes(void);
/** Imports a crash report the platform wrote (an Android tombstone or an Apple .ips report;
 *  `data`/`len` borrowed for the call) as a crash.report under the "crash" consent, keeping only
 *  the signal, exception, scrubbed message, the crashing thread's frames, OS/app version and the
 *  scrubbed thread name (see veil::agent::import_crash_report). VEIL_E_NOT_CONSENTED without
 *  "crash" consent; VEIL_E_INVALID_ARGUMENT for a minidump, a legacy .crash text or anything
 *  else. If `error_message` is not NULL it receives NULL or a message naming the problem (never
 *  report text) that the caller frees with veil_string_free(). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_import_crash_report(veil_agent_t* agent,
                                                                     const void* data, size_t len,
                                                                     char** error_message);

/** Waits up to timeout_ms until queued events are stored and stored records uploaded. */

VEIL_NODISCARD VEIL_API veil_status_t veil_agent_flush(veil_agent_t* agent, uint32_t timeout_ms);
/** Counters as JSON. *out receives a string the caller owns: free it with veil_string_free(). */
VEIL_NODISCARD VEIL_API veil_status_t veil_agent_stats_json(veil_agent_t* agent, char** out);
/** Frees a string returned by the library (NULL is fine). Takes ownership of `s`. */
VEIL_API void veil_string_free(char* s);
/** Flushes within the configured shutdown timeout, stops the worker and frees the agent (takes
 *  ownership; NULL is fine). Returns VEIL_E_TIMEOUT if the flush did not finish; the agent is
 *  freed either way. */
VEIL_API veil_status_t veil_agent_close(veil_agent_t* agent);

#ifdef __cplusplus
}
#endif

#endif /* VEIL_VEIL_H */
