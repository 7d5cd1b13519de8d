// Fuzz target: the collector's metrics lane (POST /v1/metrics) decoding path. The first byte
// picks how the rest is sent; the body goes through make_metrics_decoder (1 MiB decompressed,
// the shipped config/zstd.dict) and every point through check_metric_point (the leak guard), as
// request_handler::metrics does.
//   mode 0: identity      mode 1: the harness compresses the rest with zstd+dictionary first;
//                         the result must equal identity's
//   mode 2: identity under a memory budget of (next byte) x 4 KiB
// Invariants: no crash/UB/leak; errors are only parse_error, limit_exceeded or invalid_argument
// (400/413/415); a refused request holds no points; every point has a valid name, a window of
// whole minutes, an object `attrs`, bounds strictly increasing and finite, bucket counts of the
// bounds' number + 1 (or none) adding up to count; a guard reason is a short "word:word" label.
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <string_view>

#include "agent/platform/file_util.hpp"
#include "agent/wire/batch_codec.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "tools/collector/leak_guard.hpp"
#include "tools/collector/metrics_decoder.hpp"

using namespace veil::collector;

namespace {

struct fixture {
  metrics_request_decoder decode;
  leak_guard guard;
  std::unique_ptr<veil::detail::batch_codec> zstd_dict;

  fixture() {
    auto dict = veil::detail::read_file(std::string(VEIL_SOURCE_DIR) + "/config/zstd.dict");
    VEIL_FUZZ_CHECK(dict.ok(), "read config/zstd.dict");
    metrics_limits lim;
    lim.max_bytes = 1u << 20;
    auto d = make_metrics_decoder(lim, *dict);
    VEIL_FUZZ_CHECK(d.ok(), "make_metrics_decoder");
    decode = std::move(*d);
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

void check_point(const fixture& f, const metric_point& p) {
  VEIL_FUZZ_CHECK(!p.name.empty() && p.name.size() <= 255, "name length");
  VEIL_FUZZ_CHECK(p.window_start_s % 60 == 0 && p.window_end_s % 60 == 0, "whole minutes");
  VEIL_FUZZ_CHECK(p.window_start_s < p.window_end_s, "a window of at least a minute");
  VEIL_FUZZ_CHECK(nlohmann::json::parse(p.attrs, nullptr, false).is_object(), "attrs object");
  VEIL_FUZZ_CHECK(nlohmann::json::parse(p.resource_json(), nullptr, false).is_object(), "resource");
  for (std::size_t i = 0; i < p.bounds.size(); ++i) {
    VEIL_FUZZ_CHECK(std::isfinite(p.bounds[i]), "finite bound");
    if (i) VEIL_FUZZ_CHECK(p.bounds[i] > p.bounds[i - 1], "increasing bounds");
  }
  if (!p.bucket_counts.empty()) {
    VEIL_FUZZ_CHECK(p.bucket_counts.size() == p.bounds.size() + 1, "bucket count");
    std::uint64_t total = 0;
    for (auto b : p.bucket_counts) total += b;
    VEIL_FUZZ_CHECK(total == p.count, "buckets add up to count");
  } else {
    VEIL_FUZZ_CHECK(p.bounds.empty(), "no buckets, no bounds");
  }
  for (const auto* v : {&p.sum, &p.min, &p.max})
    if (*v) VEIL_FUZZ_CHECK(std::isfinite(**v), "finite values");
  if (auto why = check_metric_point(f.guard, p))
    VEIL_FUZZ_CHECK(reason_ok(*why), "guard reason is a short label");
}

// Returns the number of points (or -1 on an error).
long run(const fixture& f, std::string_view body, std::string_view enc,
         const veil::detail::memory_admit* admit = nullptr) {
  auto b = f.decode(body, enc, admit);
  if (!b) {
    const auto c = b.err().code;
    VEIL_FUZZ_CHECK(c == veil::errc::parse_error || c == veil::errc::limit_exceeded ||
                        c == veil::errc::invalid_argument,
                    "decode error code is one the server maps to 400/413/415");
    return -1;
  }
  if (!b->not_anonymous.empty()) VEIL_FUZZ_CHECK(b->points.empty(), "refused: no points");
  for (const auto& p : b->points) check_point(f, p);
  return static_cast<long>(b->points.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fixture f;
  if (size == 0) return 0;
  const unsigned mode = data[0] % 3;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (mode) {
    case 0: run(f, rest, "identity"); break;
    case 1: {
      auto z = f.zstd_dict->compress(rest);
      VEIL_FUZZ_CHECK(z.ok(), "harness compression");
      VEIL_FUZZ_CHECK(run(f, rest, "") == run(f, *z, "zstd"),
                      "a compressed body decodes like the identity body");
      break;
    }
    default: {
      if (rest.empty()) break;
      const std::size_t cap = std::size_t{static_cast<unsigned char>(rest[0])} << 12;
      bool refused = false;
      veil::detail::memory_admit budget = [&](std::size_t n) {
        if (n <= cap) return veil::errc::ok;
        refused = true;
        return veil::errc::limit_exceeded;
      };
      auto r = f.decode(rest.substr(1), "", &budget);
      VEIL_FUZZ_CHECK(!(r.ok() && refused), "a refused admission fails the decode");
      if (refused) VEIL_FUZZ_CHECK(r.err().code == veil::errc::limit_exceeded, "budget's code");
    }
  }
  return 0;
}
