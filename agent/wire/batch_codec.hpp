// batch_codec: zstd compression of upload batches, with an optional trained dictionary, and
// gzip (zlib) for comparison and for the collector. The only file that includes <zstd.h>.
// Decompression is streaming with a hard cap on output: a bomb fails with errc::limit_exceeded
// once `max_output` bytes are produced; the output buffer never grows past the cap (a
// reallocation briefly holds up to 1.5 x cap), plus zstd's window of at most 8 MiB. Frames asking
// for a window above 2^23 (8 MiB) are refused. Dictionary identification: the dictionary ID that
// zstd embeds in each frame header (ZSTD_getDictID_fromFrame) is authoritative; the uploader
// repeats it in the HTTP header `X-Veil-Zstd-Dict: <decimal id>` so a collector can pick the DDict
// (or answer 4xx) before decoding. A frame whose ID differs from the codec's dictionary fails with
// errc::corrupt. A codec may be shared by threads. It keeps one compression context between calls
// (the agent compresses on one thread); a concurrent compress() uses a temporary one. Decompression
// creates a context per call. Compression tables are sized once by the level for the
// dictionary (about 1.3 MiB of context at level 9), whatever the batch size.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "agent/core/memory_admit.hpp"
#include "agent/core/result.hpp"

namespace veil::detail {

struct codec_options {
  int level = 3;                       // zstd level, 1..19 (20+ would need windows > 2^23)
  int window_log = 23;                 // <= 23: decoders need at most 8 MiB of window
  std::size_t max_output = 64u << 20;  // decompression cap
  result<void> validate() const;
};

class batch_codec {
 public:
  /// `dictionary` empty: plain zstd. Otherwise a zstd dictionary (from train_dictionary).
  static result<batch_codec> create(codec_options opts = {}, std::string_view dictionary = {});

  result<std::string> compress(std::string_view data) const noexcept;
  /// Decompresses one or more concatenated frames; output bounded by min(max_output,
  /// opts.max_output). `admit`, when given, is asked before the output buffer grows (with the
  /// capacity it is about to have); an error from it fails the call with that code.
  result<std::string> decompress(std::string_view frame, std::size_t max_output = SIZE_MAX,
                                 const memory_admit* admit = nullptr) const noexcept;
  /// 0 when the codec has no dictionary (or the dictionary is raw content).
  std::uint32_t dict_id() const noexcept;
  const codec_options& options() const noexcept;

  batch_codec(batch_codec&&) noexcept;
  batch_codec& operator=(batch_codec&&) noexcept;
  ~batch_codec();

 private:
  struct impl;
  explicit batch_codec(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// Dictionary ID written in a zstd frame header (0: none or not a frame).
std::uint32_t zstd_frame_dict_id(std::string_view frame) noexcept;

/// Trains a zstd dictionary of at most `capacity` bytes on `samples` (ZDICT_trainFromBuffer).
result<std::string> train_dictionary(std::span<const std::string> samples,
                                     std::size_t capacity) noexcept;

/// gzip (RFC 1952) via zlib.
result<std::string> gzip_compress(std::string_view data, int level = 6) noexcept;
/// Streaming gunzip with the same cap semantics as batch_codec::decompress.
result<std::string> gzip_decompress(std::string_view data, std::size_t max_output,
                                    const memory_admit* admit = nullptr) noexcept;

}  // namespace veil::detail
