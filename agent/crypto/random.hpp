// random_bytes: unpredictable bytes from libsodium's randombytes_buf (the OS generator), for
// identifiers such as upload batch ids. Thread-safe. Fails only if libsodium cannot initialise.
#pragma once

#include <span>
#include <string>

#include "agent/core/result.hpp"

namespace veil::detail {

result<void> random_bytes(std::span<unsigned char> out) noexcept;
/// 128 random bits as 32 lowercase hex chars (install ids, request and receipt ids).
result<std::string> random_hex_id();

}  // namespace veil::detail
