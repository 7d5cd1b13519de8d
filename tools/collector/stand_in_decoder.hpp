// Stand-in for the agent/upload OTLP decoder + codec (replaced at merge). Decodes a plain
// (identity-encoded) OTLP/JSON logs request into cleaned_records. Pure; thread-safe.
#pragma once

#include <cstddef>

#include "tools/collector/cleaned_record.hpp"

namespace veil::collector {

/// A decoder that accepts only `identity` (or no) Content-Encoding and no dictionary, and
/// rejects bodies over `max_decompressed` bytes with errc::limit_exceeded.
batch_decoder make_stand_in_decoder(std::size_t max_decompressed);

}  // namespace veil::collector
