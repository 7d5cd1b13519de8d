// The collector's request decoder: Content-Encoding (zstd with or without the agent's
// dictionary, gzip, identity) with the decompressed size capped while streaming, then the
// OTLP/JSON logs decoder of agent/upload (the same code the agent's encoder round-trips with).
// The zstd dictionary is identified by the ID in the frame header: a frame naming a dictionary
// the collector does not hold gets errc::invalid_argument (415). Thread-safe (immutable).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "tools/collector/cleaned_record.hpp"

namespace veil::collector {

/// Content-Encoding only (shared by /v1/logs and /v1/metrics): the body's text, decompressed
/// into `owned` (zstd with or without the dictionary, gzip) or the body itself (identity), at
/// most max_decompressed bytes, `admit` asked before the output buffer grows. Errors:
/// limit_exceeded (413), invalid_argument (encoding, dictionary: 415), parse_error (a corrupt
/// frame: 400), unavailable (budget busy: 503). Thread-safe (immutable).
class body_decoder {
 public:
  using fn = std::function<veil::result<std::string_view>(
      std::string_view body, std::string_view content_encoding,
      const veil::detail::memory_admit* admit, std::string& owned)>;
  body_decoder() = default;
  explicit body_decoder(fn f) : f_(std::move(f)) {}
  veil::result<std::string_view> operator()(std::string_view body,
                                            std::string_view content_encoding,
                                            const veil::detail::memory_admit* admit,
                                            std::string& owned) const {
    return f_(body, content_encoding, admit, owned);
  }
  explicit operator bool() const noexcept { return static_cast<bool>(f_); }

 private:
  fn f_;
};

veil::result<body_decoder> make_body_decoder(std::size_t max_decompressed,
                                             std::string_view zstd_dictionary = {});

/// `zstd_dictionary` may be empty (then only dictionary-less zstd frames are accepted).
/// Errors: limit_exceeded (over max_decompressed) -> 413, invalid_argument (encoding,
/// dictionary) -> 415, parse_error -> 400.
veil::result<batch_decoder> make_batch_decoder(std::size_t max_decompressed,
                                               std::string_view zstd_dictionary = {});

}  // namespace veil::collector
