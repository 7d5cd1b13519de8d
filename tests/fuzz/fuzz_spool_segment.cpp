// Fuzz target for the spool's segment codec (a round trip guards the on-disk format, as zstd's
// simple_round_trip does).
//  1. Round trip: the input is cut into a segment id and records (category, payload, sealed
//     bytes); encode_header + encode_frame per record -> scan_segment must give back exactly
//     those frames; encode_plain -> decode_plain gives back the fields; journal entries too.
//  2. Truncation: the same image cut at an input-chosen length yields the frames that fit
//     whole, the rest as a torn tail, nothing corrupt.
//  3. Arbitrary bytes: scan_segment / scan_journal / decode_plain never crash, and what they
//     return lies inside the image.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "agent/spool/segment_format.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace sf = veil::detail::segment_format;

namespace {

class reader {
 public:
  reader(const std::uint8_t* d, std::size_t n) : p_(d), n_(n) {}
  bool empty() const { return i_ >= n_; }
  std::uint64_t u(int bytes) {
    std::uint64_t v = 0;
    for (int k = 0; k < bytes; ++k) v = (v << 8) | (i_ < n_ ? p_[i_++] : 0);
    return v;
  }
  std::string_view bytes(std::size_t len) {
    len = std::min(len, n_ - std::min(i_, n_));
    std::string_view s(reinterpret_cast<const char*>(p_) + i_, len);
    i_ += len;
    return s;
  }

 private:
  const std::uint8_t* p_;
  std::size_t n_, i_ = 0;
};

void check_inside(std::string_view img, std::string_view part) {
  VEIL_FUZZ_CHECK(part.empty() || (part.data() >= img.data() &&
                                   part.data() + part.size() <= img.data() + img.size()),
                  "view inside the image");
}

void arbitrary(std::string_view img) {
  auto s = sf::scan_segment(img);
  std::size_t last_end = 0;
  for (auto& f : s.frames) {
    VEIL_FUZZ_CHECK(
        f.offset >= sf::header_size && f.offset >= last_end && f.offset + f.size <= img.size(),
        "frame inside the image, in order");
    VEIL_FUZZ_CHECK(f.size == sf::frame_header_size + 8 + f.sealed.size(), "frame size");
    check_inside(img, f.sealed);
    last_end = f.offset + f.size;
  }
  VEIL_FUZZ_CHECK(s.torn_tail_bytes <= img.size(), "torn tail");
  auto j = sf::scan_journal(img);
  VEIL_FUZZ_CHECK(j.entries.size() <= img.size() / sf::journal_entry_size, "journal entries");
  if (auto p = sf::decode_plain(img)) {
    check_inside(img, p->category);
    check_inside(img, p->payload);
    VEIL_FUZZ_CHECK(10 + p->category.size() + p->payload.size() == img.size(), "plain sizes");
    std::uint64_t raw = 0;
    for (int i = 7; i >= 0; --i)
      raw = (raw << 8) | static_cast<unsigned char>(img[static_cast<std::size_t>(i)]);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(p->created.time_since_epoch())
                  .count();
    VEIL_FUZZ_CHECK(ms == static_cast<std::int64_t>(raw),
                    "created ms decodes exactly (no overflow)");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  arbitrary(std::string_view(reinterpret_cast<const char*>(data), size));

  reader rd(data, size);
  std::uint64_t id = rd.u(8) >> 1;  // leaves room for id + record count without overflow
  std::string img = sf::encode_header(sf::segment_magic, id);
  VEIL_FUZZ_CHECK(img.size() == sf::header_size, "header size");
  struct rec {
    std::uint64_t seq;
    std::string sealed;
    std::size_t end;
  };
  std::vector<rec> recs;
  std::uint64_t seq = id;
  std::string journal = sf::encode_header(sf::journal_magic, id);
  std::vector<sf::journal_entry> jents;
  while (!rd.empty() && recs.size() < 64) {
    seq += 1 + rd.u(1) % 4;  // strictly increasing, gaps allowed
    std::string_view cat = rd.bytes(rd.u(1) % 24);
    std::string_view payload = rd.bytes(rd.u(2) % 2048);
    auto created = std::chrono::system_clock::time_point(
        std::chrono::milliseconds(static_cast<std::int64_t>(rd.u(5))));
    std::string plain = sf::encode_plain(created, cat, payload);
    auto back = sf::decode_plain(plain);
    VEIL_FUZZ_CHECK(
        back && back->category == cat && back->payload == payload && back->created == created,
        "plain round trip");
    // The codec never looks inside sealed bytes; the plain record stands in for them.
    img += sf::encode_frame(seq, plain);
    recs.push_back({seq, plain, img.size()});
    sf::journal_entry je{seq, (seq & 1) ? sf::journal_kind::retry : sf::journal_kind::gone,
                         static_cast<std::uint8_t>(seq * 7)};
    journal += sf::encode_journal_entry(je);
    jents.push_back(je);
  }
  auto s = sf::scan_segment(img);
  VEIL_FUZZ_CHECK(s.head == sf::scan_result::header::ok && s.id == id, "header round trip");
  VEIL_FUZZ_CHECK(s.corrupt == 0 && s.torn_tail_bytes == 0, "clean image");
  VEIL_FUZZ_CHECK(s.frames.size() == recs.size(), "frame count");
  for (std::size_t i = 0; i < recs.size(); ++i)
    VEIL_FUZZ_CHECK(s.frames[i].seq == recs[i].seq && s.frames[i].sealed == recs[i].sealed &&
                        s.frames[i].offset + s.frames[i].size == recs[i].end,
                    "frame round trip");
  auto js = sf::scan_journal(journal);
  VEIL_FUZZ_CHECK(
      js.header_ok && js.base_seq == id && !js.damaged && js.entries.size() == jents.size(),
      "journal round trip");
  for (std::size_t i = 0; i < jents.size(); ++i)
    VEIL_FUZZ_CHECK(js.entries[i].seq == jents[i].seq && js.entries[i].kind == jents[i].kind &&
                        js.entries[i].retries == jents[i].retries,
                    "journal entry round trip");

  // Cut the image as a crash would: whole frames survive, the rest is a torn tail.
  if (size > 0 && img.size() > sf::header_size) {
    std::size_t cut = sf::header_size + data[size - 1] * 131u % (img.size() - sf::header_size);
    auto t = sf::scan_segment(std::string_view(img).substr(0, cut));
    std::size_t whole = 0, end = sf::header_size;
    while (whole < recs.size() && recs[whole].end <= cut) end = recs[whole++].end;
    VEIL_FUZZ_CHECK(t.corrupt == 0, "truncation is not corruption");
    VEIL_FUZZ_CHECK(t.frames.size() == whole, "whole frames survive truncation");
    VEIL_FUZZ_CHECK(t.torn_tail_bytes == cut - end, "torn tail size");
  }
  return 0;
}
