// The scanner's memory across the pieces of one stream (docs/scanner.md, "The rule"): plain
// data that text_scanner::scrub() reads and writes, so that both passes' headers can name it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "agent/policy/token_class.hpp"

namespace veil::detail {

/// What one scrub leaves for the next on the same stream (the lines of one log): the values it
/// replaced for where they stood, so that `3284` announced on one line (`Executing
/// [3284@from-internal:1]`) is replaced on a later one (`…,3284,1`), and whether the stream is
/// a SIPp injection file (its first line says so) or inside a SIP message's headers. Holds at most
/// 32 raw values of up to 40 bytes, in memory only; clear() and the destructor overwrite them. One
/// per stream, not shared between threads.
class text_memory {
 public:
  static constexpr std::size_t capacity = 32, max_value = 40;
  text_memory() = default;
  text_memory(const text_memory&) = delete;
  text_memory& operator=(const text_memory&) = delete;
  ~text_memory() { clear(); }
  /// Forgets every value (the bytes are overwritten) and the stream's kind.
  void clear() noexcept;
  /// A blank line of the stream (an empty piece): it ends a SIP message's headers and a table;
  /// the values stay.
  void blank_line() noexcept {
    sip_headers = false;
    table_sep = 0;
    table_cells = 0;
  }
  /// Values held now (<= capacity).
  std::size_t size() const noexcept { return count < capacity ? count : capacity; }

  struct entry {
    char bytes[max_value];
    std::uint8_t len;
    token_class cls;
  };
  // For the scanner: the ring (slot = insertion number % capacity) and its insertion count.
  entry ring[capacity]{};
  std::size_t count = 0;
  bool sipp_fields = false;
  // A table whose header named its columns (deny.hpp, table_header()): the separator, the
  // number of cells and, per column (up to 32), the class its values get (0 none, else
  // token_class + 1).
  char table_sep = 0;
  std::uint8_t table_cells = 0;
  std::uint8_t table_cols[32]{};
  bool sip_headers = false;  // the last piece ended inside a SIP message's headers
  bool started = false;      // a piece of the stream was scrubbed
};

}  // namespace veil::detail
