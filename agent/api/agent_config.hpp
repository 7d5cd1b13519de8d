// agent_config: the config reader behind veil::load_config() and the C ABI's
// veil_options_load_config(). Reads one file or JSON text into existing options; thread-safe
// (no globals), no exceptions escape except std::bad_alloc.
#pragma once

#include <optional>
#include <string_view>

#include "veil/options.hpp"

namespace veil::detail {

/// Reads the keys the config has into `o` and leaves the others as they are (a missing
/// state_dir becomes the default one if `o` has none). Does not validate: setters may complete
/// the options afterwards. status::config_invalid / io_error with a message naming the key.
std::optional<failure> read_config(std::string_view path_or_json, agent_options& o);

}  // namespace veil::detail
