// Not a test: the dictionary trainer and the compression measurement, kept in the test binary so
// they need no extra executable. Skipped by default; run with
//   VEIL_TRAIN_EVENTS=ideal.jsonl VEIL_EVAL_EVENTS=ideal2.jsonl [VEIL_WRITE_DICT=1]
//   build/tests/veil_tests -ts=upload-tools --no-skip
// where the files are the `--ideal` outputs of ../shared/corpus/gen_events.py (seeds 1 and 2).
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_encoder.hpp"

using namespace veil::detail;

namespace {
std::vector<std::string> read_lines(const char* path) {
  std::vector<std::string> v;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) v.push_back(l);
  return v;
}

std::vector<std::string> otlp_batches(const std::vector<std::string>& events,
                                      std::size_t per_batch) {
  otlp_encoder enc({"softphone", "5.6.12", "linux"});
  std::vector<std::string> out;
  for (std::size_t i = 0; i + per_batch <= events.size(); i += per_batch) {
    std::vector<std::string> chunk(events.begin() + static_cast<long>(i),
                                   events.begin() + static_cast<long>(i + per_batch));
    auto p = enc.encode(chunk);
    if (p.ok()) out.push_back(std::move(p->body));
  }
  return out;
}
}  // namespace

TEST_SUITE("upload-tools" * doctest::skip()) {
  TEST_CASE("train zstd dictionary and measure bytes per event") {
    const char* train_path = std::getenv("VEIL_TRAIN_EVENTS");
    const char* eval_path = std::getenv("VEIL_EVAL_EVENTS");
    REQUIRE_MESSAGE(train_path, "set VEIL_TRAIN_EVENTS");
    REQUIRE_MESSAGE(eval_path, "set VEIL_EVAL_EVENTS");
    const auto train = read_lines(train_path);
    const auto eval = read_lines(eval_path);
    REQUIRE(!train.empty());
    // Samples: small OTLP requests, so the dictionary learns the envelope and the attribute keys.
    const auto samples = otlp_batches(train, 5);
    std::string chosen;
    for (std::size_t cap : {4096u, 16384u, 32768u}) {
      auto dict = train_dictionary(samples, cap);
      REQUIRE_MESSAGE(dict.ok(), dict.err().message);
      auto codec = batch_codec::create({}, *dict);
      REQUIRE(codec.ok());
      if (cap == 16384u) chosen = *dict;
      for (std::size_t n : {1u, 10u, 100u, 1000u}) {
        auto batches = otlp_batches(eval, n);
        if (batches.size() > 20000 / n) batches.resize(20000 / n);
        std::size_t zd = 0, events = batches.size() * n;
        for (const auto& b : batches) zd += codec->compress(b)->size();
        std::printf("dict %5zu B (id %u): batch %4zu: zstd+dict %.1f B/event\n", dict->size(),
                    codec->dict_id(), n, static_cast<double>(zd) / static_cast<double>(events));
      }
    }
    auto plain = batch_codec::create();
    REQUIRE(plain.ok());
    for (std::size_t n : {1u, 10u, 100u, 1000u}) {
      auto batches = otlp_batches(eval, n);
      std::size_t raw = 0, jsonl = 0, z = 0, g = 0, events = batches.size() * n;
      for (const auto& b : batches) {
        raw += b.size();
        z += plain->compress(b)->size();
        g += gzip_compress(b, 6)->size();
      }
      for (std::size_t i = 0; i < events; ++i) jsonl += eval[i].size() + 1;
      std::printf(
          "batch %4zu (%zu batches): cleaned JSONL %.1f, OTLP JSON %.1f, zstd-3 %.1f, gzip-6 %.1f "
          "B/event\n",
          n, batches.size(), static_cast<double>(jsonl) / static_cast<double>(events),
          static_cast<double>(raw) / static_cast<double>(events),
          static_cast<double>(z) / static_cast<double>(events),
          static_cast<double>(g) / static_cast<double>(events));
    }
    if (std::getenv("VEIL_WRITE_DICT")) {
      std::ofstream out(VEIL_SOURCE_DIR "/config/zstd.dict", std::ios::binary | std::ios::trunc);
      out.write(chosen.data(), static_cast<std::streamsize>(chosen.size()));
      REQUIRE(out.good());
      std::printf("wrote config/zstd.dict (%zu bytes)\n", chosen.size());
    }
  }
}
