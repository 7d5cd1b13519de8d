// rights_store: what the agent keeps so that the user's rights still reach data that has left
// the device (docs/erasure.md, docs/export-schema.md): the install tokens it issued, a ledger of
// uploaded batches, the erasure secret, a pending erasure request and the collector's receipts.
// Files under <state>/rights/ (directory 0700, files 0600, each written tmp + fsync + rename):
//   erasure.key      "VEILERS1" | 32-byte erasure secret (device_proof.hpp). Never uploaded;
//                    made on first use, wiped by an erasure.
//   ledger.key       the ledger's record_cipher key ("VEILSPK1" | 32 bytes).
//   ledger           XChaCha20-Poly1305 sealed JSON (associated data "VEILLDG1"):
//                    {"version":1,"tokens":[{"epoch_s","token","first_ms","last_ms"}],
//                     "batches":[{"id","time_ms","records","categories":{..},"digest"}]}
//   erasure.pending  the signed erasure request not yet acknowledged (JSON, no secret in it):
//                    {"version":1,"id","created_ms","requests":[{"install","signature"}]}
//   receipts.json    [{"time_ms","status":"erased"|"refused","http_status","receipt":{..}}]
// Retention: tokens (by last use) and batches (by time) older than the window are deleted by
// expire(), which the agent runs at start and hourly from its (injectable) clock.
// Threading: every member is thread-safe (one mutex). A failed write changes nothing in memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/core/result.hpp"
#include "agent/crypto/record_cipher.hpp"
#include "agent/crypto/secure_key.hpp"

namespace veil::detail {

struct rights_options {
  std::filesystem::path dir;  ///< <state>/rights
  std::chrono::seconds window{30 * 24 * 3600};
  std::size_t max_tokens = 4096;    ///< oldest dropped first (one per key epoch)
  std::size_t max_batches = 20000;  ///< oldest dropped first
};

struct ledger_token {
  std::int64_t epoch_s = 0;  ///< the key epoch's start (unix s): derives its erasure key
  std::string token;         ///< the install pseudonym of that epoch (veil.install)
  std::int64_t first_ms = 0, last_ms = 0;
};

struct ledger_batch {
  std::string id;  ///< the Idempotency-Key the collector stored it under
  std::int64_t time_ms = 0;
  std::size_t records = 0;
  std::map<std::string, std::size_t> categories;
  std::string digest;  ///< BLAKE2b-256 of the body as sent
};

struct erasure_item {
  std::string install;
  std::string signature;
};

struct erasure_request {
  std::string id;  ///< Idempotency-Key of the request (kept across retries and restarts)
  std::int64_t created_ms = 0;
  std::vector<erasure_item> items;
};

class rights_store {
 public:
  static result<std::unique_ptr<rights_store>> open(rights_options opt,
                                                    std::chrono::system_clock::time_point now);

  /// The `veil.erasure_key` of a key epoch (64 hex). Makes the erasure secret on first use.
  result<std::string> erasure_key(std::int64_t epoch_s);
  /// Remembers that `token` of epoch `epoch_s` went out (durable when new; last use is
  /// persisted at most hourly).
  result<void> note_token(std::int64_t epoch_s, std::string_view token, std::int64_t now_ms);
  /// Remembers an acknowledged batch.
  result<void> note_batch(ledger_batch b);
  /// Deletes tokens last used and batches sent before now - window. Returns how many.
  result<std::size_t> expire(std::chrono::system_clock::time_point now);

  std::vector<ledger_token> tokens() const;
  std::vector<ledger_batch> batches() const;
  /// X-Veil-Signature of an access request for a token of the ledger (or `extra`).
  result<std::string> sign_subject(std::int64_t epoch_s, std::string_view token,
                                   std::string_view time_ms);

  /// Erasure, step one: signs a request for every token of the ledger and `extra` (the current
  /// epoch's, used or not), merges it into a pending one if any, writes erasure.pending durably,
  /// then wipes the secret and the ledger (files and memory). A new secret is made on the next
  /// erasure_key(). Returns the pending request.
  result<erasure_request> begin_erasure(const std::vector<ledger_token>& extra,
                                        std::int64_t now_ms);
  std::optional<erasure_request> pending_erasure() const;
  /// The collector acknowledged the first `items` items: keeps the receipt, drops those items
  /// (the file goes when none is left). true when nothing is pending any more.
  result<bool> erasure_acknowledged(std::size_t items, std::string_view receipt_json,
                                    int http_status, std::int64_t now_ms);
  /// The collector refused the request for good (4xx other than 408/429): kept as a receipt
  /// with status "refused", and the request is dropped (retrying cannot succeed).
  result<void> erasure_refused(int http_status, std::string_view reason, std::int64_t now_ms);
  /// receipts.json's content (a JSON array; "[]" when none).
  std::string receipts_json() const;

  /// Deletes every file of the store (erasure receipts included): local wipe on request of a
  /// test or a factory reset. The store is empty afterwards.
  result<void> wipe_everything();

 private:
  explicit rights_store(rights_options opt) : opt_(std::move(opt)) {}
  result<void> save_ledger(const std::vector<ledger_token>& t,
                           const std::vector<ledger_batch>& b) const;
  result<void> save_pending(const erasure_request& r) const;
  result<void> load_secret(bool create);
  result<void> append_receipt(std::string entry_json);
  std::filesystem::path file(std::string_view name) const { return opt_.dir / std::string(name); }

  rights_options opt_;
  mutable std::mutex mu_;
  std::optional<record_cipher> cipher_;
  secure_key secret_;
  std::vector<ledger_token> tokens_;
  std::vector<ledger_batch> batches_;
  std::optional<erasure_request> pending_;
  std::int64_t cached_epoch_ = -1;
  std::string cached_key_;
};

}  // namespace veil::detail
