// The collector's request decoder: Content-Encoding (zstd with or without the agent's
// dictionary, gzip, identity) with the decompressed size capped while streaming, then the
// OTLP/JSON logs decoder of agent/upload (the same code the agent's encoder round-trips with).
// The zstd dictionary is identified by the ID in the frame header: a frame naming a dictionary
// the collector does not hold gets errc::invalid_argument (415). Thread-safe (immutable).
#pragma once

#include <cstddef>
#include <string_view>

#include "tools/collector/cleaned_record.hpp"

namespace veil::collector {

/// `zstd_dictionary` may be empty (then only dictionary-less zstd frames are accepted).
/// Errors: limit_exceeded (over max_decompressed) -> 413, invalid_argument (encoding,
/// dictionary) -> 415, parse_error -> 400.
veil::result<batch_decoder> make_batch_decoder(std::size_t max_decompressed,
                                               std::string_view zstd_dictionary = {});

}  // namespace veil::collector
