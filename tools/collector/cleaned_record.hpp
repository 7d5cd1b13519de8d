// The collector's seams: the record it stores, the batch decoder and the record guard.
// cleaned_record is a plain value (the cleaned-data contract of docs/events.md as it arrives over
// OTLP). batch_decoder and record_guard are pure functions supplied by the owner of the
// decoder (agent/upload) and of the policy contract; the stand-ins live in
// stand_in_decoder.cpp and record_guard.cpp. Both must be safe to call from several threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/core/memory_admit.hpp"
#include "agent/core/result.hpp"

namespace veil::collector {

/// A record's attributes as the JSON text the sinks store: one object in canonical form (what
/// nlohmann::json::dump() writes: no whitespace, keys sorted bytewise, no duplicate keys). The
/// OTLP decoder writes this text directly (the hot path never builds a tree); tests and the
/// memory sink convert from and to nlohmann trees. A value that is not an object keeps its text,
/// so the guard can refuse it ("attrs:not_object") and the sinks store "{}" instead.
class json_attrs {
 public:
  json_attrs() = default;  // {}
  json_attrs(const nlohmann::json& tree)
      : text_(tree.dump()) {}  // NOLINT: implicit, records are built from trees in tests
  /// Takes text that already is canonical (the decoder's otlp_log_record::attrs_json).
  static json_attrs from_canonical(std::string text) noexcept {
    json_attrs a;
    a.text_ = std::move(text);
    return a;
  }
  const std::string& text() const noexcept { return text_; }
  bool is_object() const noexcept { return !text_.empty() && text_.front() == '{'; }
  /// The parsed tree (memory sink, tests); `discarded` never happens for canonical text.
  nlohmann::json tree() const { return nlohmann::json::parse(text_, nullptr, false); }
  /// tree()[key], or null when absent or not an object.
  nlohmann::json operator[](std::string_view key) const {
    auto t = tree();
    if (!t.is_object()) return nullptr;
    auto it = t.find(key);
    return it == t.end() ? nlohmann::json() : std::move(*it);
  }
  bool contains(std::string_view key) const {
    auto t = tree();
    return t.is_object() && t.contains(key);
  }

 private:
  std::string text_ = "{}";
};

/// One cleaned event as stored by the sinks.
struct cleaned_record {
  std::string type;      // dotted event type, e.g. "call.ended"
  std::string ts;        // RFC 3339 UTC, coarsened to the hour: "2026-11-29T10:00:00Z"
  std::string category;  // consent category, e.g. "call_quality"
  std::string
      install;       // pseudonymous install token (resource attribute veil.install), may be empty
  json_attrs attrs;  // cleaned attributes (an object)
  // The device's Ed25519 public key for this install token (resource attribute
  // veil.erasure_key, 64 lowercase hex, checked by the decoder), empty when the batch has none.
  // The same for every record of a batch; never stored with the record, only as the binding.
  std::string erasure_key;
};

/// Decodes one request body into records. Error codes the server maps to HTTP statuses:
///   errc::parse_error      -> 400 (malformed body)
///   errc::limit_exceeded   -> 413 (decompressed size or structure over its limit)
///   errc::invalid_argument -> 415 (unsupported content encoding or unknown dictionary)
///   errc::unavailable      -> 503 (the memory budget is busy: retry later)
/// The decoder enforces the decompressed-size cap it was built with. `admit`, when given, is
/// asked before every allocation that grows with the input (decompressed bytes, parser
/// buffers) with the total bytes the call is about to hold (the collector's memory budget).
class batch_decoder {
 public:
  using fn = std::function<veil::result<std::vector<cleaned_record>>(
      std::string_view body, std::string_view content_encoding, std::string_view dict_id,
      const veil::detail::memory_admit* admit)>;
  batch_decoder() = default;
  explicit batch_decoder(fn f) : f_(std::move(f)) {}
  veil::result<std::vector<cleaned_record>> operator()(
      std::string_view body, std::string_view content_encoding, std::string_view dict_id,
      const veil::detail::memory_admit* admit = nullptr) const {
    return f_(body, content_encoding, dict_id, admit);
  }
  explicit operator bool() const noexcept { return static_cast<bool>(f_); }

 private:
  fn f_;
};

/// Returns a quarantine reason ("pii:email", "type:unknown", ...) or nullopt to accept.
/// The reason never contains the offending value.
using record_guard = std::function<std::optional<std::string>(const cleaned_record&)>;

/// A record that failed the guard: only its type and the reason are kept, never a value.
struct quarantined_record {
  std::string type;
  std::string reason;
};

}  // namespace veil::collector
