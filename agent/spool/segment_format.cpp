#include "agent/spool/segment_format.hpp"

#include <array>
#include <cstring>

namespace veil::detail::segment_format {
namespace {
constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto crc_table = make_table();

void put_u16(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>(v >> 8));
}
void put_u32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u64(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_le(const char* p, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
}  // namespace

std::uint32_t crc32(std::string_view bytes) noexcept {
  std::uint32_t c = 0xffffffffu;
  for (char ch : bytes) c = crc_table[(c ^ static_cast<unsigned char>(ch)) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

std::string encode_header(const char (&magic)[4], std::uint64_t id) {
  std::string s(magic, 4);
  s.push_back(static_cast<char>(version));
  s.append(3, '\0');
  put_u64(s, id);
  return s;
}

std::string encode_frame(std::uint64_t seq, std::string_view sealed) {
  std::string body;
  body.reserve(8 + sealed.size());
  put_u64(body, seq);
  body.append(sealed);
  std::string f;
  f.reserve(frame_header_size + body.size());
  put_u32(f, frame_magic);
  put_u32(f, static_cast<std::uint32_t>(body.size()));
  put_u32(f, crc32(body));
  put_u32(f, crc32(f));
  f += body;
  return f;
}

std::string record_ad(std::uint64_t seg_id, std::uint64_t seq) {
  std::string s = "VEILREC1";
  put_u64(s, seg_id);
  put_u64(s, seq);
  return s;
}

std::string encode_plain(std::chrono::system_clock::time_point created, std::string_view category,
                         std::string_view payload) {
  std::string s;
  s.reserve(10 + category.size() + payload.size());
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(created.time_since_epoch()).count();
  put_u64(s, static_cast<std::uint64_t>(ms));
  put_u16(s, static_cast<std::uint16_t>(category.size()));
  s.append(category);
  s.append(payload);
  return s;
}

std::optional<plain_view> decode_plain(std::string_view p) noexcept {
  if (p.size() < 10) return std::nullopt;
  auto ms = static_cast<std::int64_t>(get_le(p.data(), 8));
  auto clen = static_cast<std::size_t>(get_le(p.data() + 8, 2));
  if (p.size() < 10 + clen) return std::nullopt;
  // system_clock counts finer than ms (ns in libstdc++): a damaged or hostile ms value would
  // overflow the conversion below (undefined behaviour), so such a record does not decode.
  using sys_dur = std::chrono::system_clock::duration;
  constexpr auto max_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(sys_dur::max()).count();
  constexpr auto min_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(sys_dur::min()).count();
  if (ms > max_ms || ms < min_ms) return std::nullopt;
  plain_view v;
  v.created = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::milliseconds(ms)));
  v.category = p.substr(10, clen);
  v.payload = p.substr(10 + clen);
  return v;
}

namespace {
// A frame header at `pos` whose magic and header crc check out; returns its body length.
std::optional<std::size_t> valid_frame_header(std::string_view img, std::size_t pos) {
  if (img.size() - pos < frame_header_size) return std::nullopt;
  const char* p = img.data() + pos;
  if (get_le(p, 4) != frame_magic) return std::nullopt;
  if (get_le(p + 12, 4) != crc32(img.substr(pos, 12))) return std::nullopt;
  auto len = static_cast<std::size_t>(get_le(p + 4, 4));
  if (len < 8 || len > max_body) return std::nullopt;
  return len;
}
}  // namespace

scan_result scan_segment(std::string_view img) {
  scan_result r;
  if (img.size() < header_size) {
    r.head = scan_result::header::short_file;
    return r;
  }
  if (std::memcmp(img.data(), segment_magic, 4) != 0) {
    r.head = scan_result::header::bad_magic;
    return r;
  }
  if (static_cast<std::uint8_t>(img[4]) != version) {
    r.head = scan_result::header::unknown_version;
    return r;
  }
  r.id = get_le(img.data() + 8, 8);
  std::size_t pos = header_size;
  std::uint64_t last_seq = 0;
  bool have_last = false;
  while (pos < img.size()) {
    std::size_t left = img.size() - pos;
    auto len = valid_frame_header(img, pos);
    if (!len) {
      if (left < frame_header_size) {  // a header cut short by a crash
        r.torn_tail_bytes = left;
        break;
      }
      // Damage: resync on the next plausible frame header, or give up at the end.
      std::size_t next = pos + 1;
      while (next < img.size() && !valid_frame_header(img, next)) ++next;
      ++r.corrupt;
      pos = next;
      continue;
    }
    if (left < frame_header_size + *len) {  // a body cut short by a crash
      r.torn_tail_bytes = left;
      break;
    }
    std::string_view body = img.substr(pos + frame_header_size, *len);
    std::uint32_t want = static_cast<std::uint32_t>(get_le(img.data() + pos + 8, 4));
    std::uint64_t seq = get_le(body.data(), 8);
    if (crc32(body) != want || seq < r.id || (have_last && seq <= last_seq)) {
      ++r.corrupt;
    } else {
      r.frames.push_back(frame{seq, pos, frame_header_size + *len, body.substr(8)});
      last_seq = seq;
      have_last = true;
    }
    pos += frame_header_size + *len;
  }
  return r;
}

std::string encode_journal_entry(const journal_entry& e) {
  std::string s;
  put_u64(s, e.seq);
  s.push_back(static_cast<char>(e.kind));
  s.push_back(static_cast<char>(e.retries));
  s.append(2, '\0');
  put_u32(s, crc32(s));
  return s;
}

journal_scan scan_journal(std::string_view img) {
  journal_scan j;
  if (img.size() < header_size || std::memcmp(img.data(), journal_magic, 4) != 0 ||
      static_cast<std::uint8_t>(img[4]) != version)
    return j;
  j.header_ok = true;
  j.base_seq = get_le(img.data() + 8, 8);
  std::size_t pos = header_size;
  while (img.size() - pos >= journal_entry_size) {
    const char* p = img.data() + pos;
    auto kind = static_cast<std::uint8_t>(p[8]);
    if (get_le(p + 12, 4) != crc32(img.substr(pos, 12)) || (kind != 1 && kind != 2)) {
      j.damaged = true;
      break;
    }
    j.entries.push_back(journal_entry{get_le(p, 8), static_cast<journal_kind>(kind),
                                      static_cast<std::uint8_t>(p[9])});
    pos += journal_entry_size;
  }
  return j;
}

}  // namespace veil::detail::segment_format
