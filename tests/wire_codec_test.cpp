#include <doctest/doctest.h>

#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "agent/wire/batch_codec.hpp"

using namespace veil::detail;

namespace {
std::vector<std::string> synthetic_events(std::size_t n, unsigned seed) {
  static const char* types[] = {"call.ended", "call.started", "network.changed", "app.started",
                                "rating.submitted"};
  static const char* codecs[] = {"opus", "g711", "g722"};
  std::vector<std::string> out;
  unsigned x = seed;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    out.push_back(std::string(R"({"timeUnixNano":"17959464)") + std::to_string(x % 100000) +
                  R"(00000000","eventName":")" + types[x % 5] +
                  R"(","attributes":[{"key":"codec","value":{"stringValue":")" +
                  codecs[(x >> 8) % 3] + R"("}},{"key":"rtt_ms","value":{"intValue":")" +
                  std::to_string((x >> 4) % 400) + R"("}}]})");
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += e + "\n";
  return s;
}

long max_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}
}  // namespace

TEST_SUITE("upload") {
  TEST_CASE("codec: zstd round trip without and with a dictionary") {
    const auto events = synthetic_events(2000, 1);
    auto dict =
        train_dictionary(std::vector<std::string>(events.begin(), events.begin() + 1000), 4096);
    REQUIRE_MESSAGE(dict.ok(), dict.err().message);
    CHECK(dict->size() <= 4096);
    const std::string data =
        join(std::vector<std::string>(events.begin() + 1000, events.begin() + 1100));

    auto plain = batch_codec::create();
    REQUIRE(plain.ok());
    CHECK(plain->dict_id() == 0);
    auto c1 = plain->compress(data);
    REQUIRE(c1.ok());
    CHECK(zstd_frame_dict_id(*c1) == 0);
    auto d1 = plain->decompress(*c1);
    REQUIRE(d1.ok());
    CHECK(*d1 == data);

    auto with = batch_codec::create({}, *dict);
    REQUIRE(with.ok());
    CHECK(with->dict_id() != 0);
    auto c2 = with->compress(data);
    REQUIRE(c2.ok());
    CHECK(zstd_frame_dict_id(*c2) == with->dict_id());
    CHECK(c2->size() < c1->size());
    auto d2 = with->decompress(*c2);
    REQUIRE(d2.ok());
    CHECK(*d2 == data);
    // A codec with a dictionary still reads plain frames.
    auto d3 = with->decompress(*c1);
    REQUIRE(d3.ok());
    CHECK(*d3 == data);

    SUBCASE("wrong or missing dictionary is an error") {
      auto other_dict = train_dictionary(synthetic_events(1000, 99), 2048);
      REQUIRE(other_dict.ok());
      auto other = batch_codec::create({}, *other_dict);
      REQUIRE(other.ok());
      REQUIRE(other->dict_id() != with->dict_id());
      auto bad = other->decompress(*c2);
      REQUIRE_FALSE(bad.ok());
      CHECK(bad.err().code == veil::errc::corrupt);
      CHECK(bad.err().message.find("dictionary") != std::string::npos);
      auto none = plain->decompress(*c2);
      REQUIRE_FALSE(none.ok());
      CHECK(none.err().message.find("dictionary") != std::string::npos);
    }
  }

  TEST_CASE(
      "codec: the reused context gives the same frame every time, for small and large batches") {
    // One context is kept between calls: no parameter or dictionary state may leak from one
    // call into the next. 6000 events (~1 MB) pass the 384 KiB at which a level-carrying CDict
    // would switch to the level's (much larger) tables.
    const auto events = synthetic_events(7000, 5);
    auto dict =
        train_dictionary(std::vector<std::string>(events.begin(), events.begin() + 1000), 4096);
    REQUIRE(dict.ok());
    const std::string small =
        join(std::vector<std::string>(events.begin() + 1000, events.begin() + 1100));
    const std::string large = join(std::vector<std::string>(events.begin() + 1000, events.end()));
    REQUIRE(large.size() > 384 * 1024);
    codec_options o;
    o.level = 9;
    auto with = batch_codec::create(o, *dict);
    auto plain = batch_codec::create(o);
    REQUIRE(with.ok());
    REQUIRE(plain.ok());
    auto s1 = with->compress(small);
    auto l1 = with->compress(large);
    auto p1 = plain->compress(small);
    auto s2 = with->compress(small);
    auto l2 = with->compress(large);
    auto p2 = plain->compress(small);
    REQUIRE((s1.ok() && l1.ok() && p1.ok() && s2.ok() && l2.ok() && p2.ok()));
    CHECK(*s1 == *s2);
    CHECK(*l1 == *l2);
    CHECK(*p1 == *p2);
    CHECK(zstd_frame_dict_id(*l1) == with->dict_id());
    auto back = with->decompress(*l1);
    REQUIRE(back.ok());
    CHECK(*back == large);
    CHECK(l1->capacity() < large.size() / 4);  // the frame does not keep the input-sized bound
  }

  TEST_CASE("codec: committed dictionary loads and has an id") {
    std::ifstream in(VEIL_SOURCE_DIR "/config/zstd.dict", std::ios::binary);
    REQUIRE(in);
    const std::string dict((std::istreambuf_iterator<char>(in)), {});
    auto c = batch_codec::create({}, dict);
    REQUIRE(c.ok());
    CHECK(c->dict_id() != 0);
    const std::string data = join(synthetic_events(100, 5));
    auto z = c->compress(data);
    REQUIRE(z.ok());
    auto d = c->decompress(*z);
    REQUIRE(d.ok());
    CHECK(*d == data);
  }

  TEST_CASE("codec: corrupt and truncated input are errors") {
    auto codec = batch_codec::create();
    REQUIRE(codec.ok());
    const std::string data = join(synthetic_events(300, 3));
    auto z = codec->compress(data);
    REQUIRE(z.ok());
    std::string flipped = *z;
    for (std::size_t i = flipped.size() / 2; i < flipped.size() / 2 + 8; ++i)
      flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
    CHECK_FALSE(codec->decompress(flipped).ok());
    auto trunc = codec->decompress(std::string_view(*z).substr(0, z->size() - 10));
    REQUIRE_FALSE(trunc.ok());
    CHECK(trunc.err().code == veil::errc::corrupt);
    CHECK_FALSE(codec->decompress("").ok());
    CHECK_FALSE(codec->decompress("hello world, not zstd").ok());
    CHECK_FALSE(codec->decompress(*z + "trailing junk").ok());
    CHECK_FALSE(gzip_decompress("not gzip at all", 1 << 20).ok());
    auto g = gzip_compress(data);
    REQUIRE(g.ok());
    CHECK_FALSE(gzip_decompress(std::string_view(*g).substr(0, g->size() - 12), 1 << 20).ok());
  }

  TEST_CASE("codec: exact cap is fine, one byte more is a bomb") {
    codec_options o;
    o.max_output = 1000;
    auto codec = batch_codec::create(o);
    REQUIRE(codec.ok());
    auto exact = codec->compress(std::string(1000, 'a'));
    REQUIRE(exact.ok());
    CHECK(codec->decompress(*exact).ok());
    auto over = codec->compress(std::string(1001, 'a'));
    REQUIRE(over.ok());
    auto r = codec->decompress(*over);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == veil::errc::limit_exceeded);
  }

  TEST_CASE("codec: a 1 GiB zstd bomb is refused quickly with bounded memory") {
    codec_options o;
    o.max_output = 16u << 20;
    auto codec = batch_codec::create(o);
    REQUIRE(codec.ok());
    // 1 MiB of zeros compresses to a few dozen bytes; 1024 concatenated frames decode to 1 GiB.
    auto one = codec->compress(std::string(1u << 20, '\0'));
    REQUIRE(one.ok());
    std::string bomb;
    for (int i = 0; i < 1024; ++i) bomb += *one;
    MESSAGE("zstd bomb: " << bomb.size() << " bytes for 1 GiB");
    CHECK(bomb.size() < 200 * 1024);
    const long rss_before = max_rss_kb();
    const auto t0 = std::chrono::steady_clock::now();
    auto r = codec->decompress(bomb);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == veil::errc::limit_exceeded);
    CHECK(ms < 2000);
    CHECK(max_rss_kb() - rss_before < 64 * 1024);  // well under 1 GiB: the cap is 16 MiB

    // A single frame declaring more than the cap is refused before decoding.
    auto big = batch_codec::create()->compress(std::string(20u << 20, '\0'));
    REQUIRE(big.ok());
    auto r2 = codec->decompress(*big);
    REQUIRE_FALSE(r2.ok());
    CHECK(r2.err().message.find("declares") != std::string::npos);
  }

  TEST_CASE("codec: gzip round trip and bomb") {
    const std::string data = join(synthetic_events(500, 7));
    auto g = gzip_compress(data, 6);
    REQUIRE(g.ok());
    auto d = gzip_decompress(*g, 1 << 20);
    REQUIRE(d.ok());
    CHECK(*d == data);
    auto one = gzip_compress(std::string(1u << 20, '\0'), 9);
    REQUIRE(one.ok());
    std::string bomb;
    for (int i = 0; i < 1024; ++i) bomb += *one;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = gzip_decompress(bomb, 16u << 20);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == veil::errc::limit_exceeded);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
  }

  TEST_CASE("codec: options are validated") {
    codec_options o;
    o.window_log = 24;
    CHECK_FALSE(batch_codec::create(o).ok());
    o = {};
    o.level = 22;
    CHECK_FALSE(batch_codec::create(o).ok());
    auto raw = batch_codec::create(
        {}, "raw content, no zstd dictionary magic");  // zstd accepts raw-content dictionaries
    REQUIRE(raw.ok());
    CHECK(raw->dict_id() == 0);
    CHECK_FALSE(train_dictionary({}, 4096).ok());
  }
}
