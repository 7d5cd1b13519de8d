// Fuzz target: the collector's request decoding path. The first byte picks how the rest is
// sent; the body goes through make_batch_decoder (capped at 1 MiB decompressed, with the
// shipped config/zstd.dict) and every decoded record through make_policy_guard
// (config/policy.json), as request_handler::logs does.
//   mode 0: identity        mode 1: gzip as given        mode 2: zstd frame(s) as given
//   mode 3/4: the harness compresses the rest with gzip / zstd+dictionary first, so the OTLP
//             decoder behind each encoding is reached; the result must equal identity's.
//   mode 5: an unknown Content-Encoding (must be invalid_argument).
//   mode 6: identity under a memory budget of (next byte) x 4 KiB: when the decode succeeds,
//           nothing it asked for was refused; when the budget refuses, the error is its code.
// Invariants: no crash/UB/leak; errors are only parse_error, limit_exceeded, invalid_argument or
// corrupt (the codes the server maps to 400/413/415); records have an object `attrs`; a guard
// reason is a short "word:word" label that never contains input bytes beyond its vocabulary.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "agent/platform/file_util.hpp"
#include "agent/policy/policy.hpp"
#include "agent/wire/batch_codec.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "tools/collector/batch_decoder.hpp"
#include "tools/collector/record_guard.hpp"

using namespace veil::collector;

namespace {

constexpr std::size_t max_decompressed = 1u << 20;

struct fixture {
  batch_decoder decode;
  record_guard guard;
  std::unique_ptr<veil::detail::batch_codec> zstd_dict;

  fixture() {
    auto dict = veil::detail::read_file(std::string(VEIL_SOURCE_DIR) + "/config/zstd.dict");
    VEIL_FUZZ_CHECK(dict.ok(), "read config/zstd.dict");
    auto d = make_batch_decoder(max_decompressed, *dict);
    VEIL_FUZZ_CHECK(d.ok(), "make_batch_decoder");
    decode = std::move(*d);
    auto text = veil::detail::read_file(std::string(VEIL_SOURCE_DIR) + "/config/policy.json");
    VEIL_FUZZ_CHECK(text.ok(), "read config/policy.json");
    veil::detail::policy_report rep;
    auto p = veil::detail::compile_policy(*text, rep);
    VEIL_FUZZ_CHECK(p.ok(), "compile config/policy.json");
    guard = make_policy_guard(*p);
    veil::detail::codec_options o;
    o.level = 1;
    auto c = veil::detail::batch_codec::create(o, *dict);
    VEIL_FUZZ_CHECK(c.ok(), "zstd codec with dictionary");
    zstd_dict = std::make_unique<veil::detail::batch_codec>(std::move(*c));
  }
};

bool reason_ok(const std::string& r) {
  if (r.empty() || r.size() > 48) return false;
  std::size_t colons = 0;
  for (char c : r) {
    if (c == ':') ++colons;
    else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return colons == 1 && r.front() != ':' && r.back() != ':';
}

// Runs decode + guard; returns the number of records (or -1 on a decode error).
long run(const fixture& f, std::string_view body, std::string_view enc) {
  auto recs = f.decode(body, enc, {});
  if (!recs) {
    const auto c = recs.err().code;
    VEIL_FUZZ_CHECK(c == veil::errc::parse_error || c == veil::errc::limit_exceeded ||
                        c == veil::errc::invalid_argument || c == veil::errc::corrupt,
                    "decode error code is one the server maps to 400/413/415");
    return -1;
  }
  for (const auto& r : *recs) {
    VEIL_FUZZ_CHECK(r.attrs.is_object(), "attrs is an object");
    if (auto why = f.guard(r)) VEIL_FUZZ_CHECK(reason_ok(*why), "guard reason is a short label");
  }
  return static_cast<long>(recs->size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fixture f;
  if (size == 0) return 0;
  const unsigned mode = data[0] % 7;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (mode) {
    case 0: run(f, rest, "identity"); break;
    case 1: run(f, rest, "gzip"); break;
    case 2: run(f, rest, "zstd"); break;
    case 3:
    case 4: {
      auto z = mode == 3 ? veil::detail::gzip_compress(rest, 1) : f.zstd_dict->compress(rest);
      VEIL_FUZZ_CHECK(z.ok(), "harness compression");
      const long plain = run(f, rest, "");
      const long packed = run(f, *z, mode == 3 ? "gzip" : "zstd");
      VEIL_FUZZ_CHECK(plain == packed, "compressed body decodes like the identity body");
      break;
    }
    case 6: {
      if (rest.empty()) break;
      const std::size_t cap = std::size_t{static_cast<unsigned char>(rest[0])} << 12;
      bool refused = false;
      veil::detail::memory_admit budget = [&](std::size_t n) {
        if (n <= cap) return veil::errc::ok;
        refused = true;
        return veil::errc::limit_exceeded;
      };
      auto r = f.decode(rest.substr(1), "", {}, &budget);
      VEIL_FUZZ_CHECK(!(r.ok() && refused), "a refused admission fails the decode");
      if (refused) VEIL_FUZZ_CHECK(r.err().code == veil::errc::limit_exceeded, "budget's code");
      break;
    }
    default: {
      auto r = f.decode(rest, "br", {});
      VEIL_FUZZ_CHECK(!r && r.err().code == veil::errc::invalid_argument,
                      "unknown encoding is 415");
    }
  }
  return 0;
}
