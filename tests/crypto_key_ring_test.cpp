#include <doctest/doctest.h>

#include <fstream>

#include "agent/crypto/key_ring.hpp"
#include "agent/crypto/pseudonymizer.hpp"
#include "agent/crypto/record_cipher.hpp"
#include "test_util.hpp"

using namespace veil::detail;
using namespace std::chrono_literals;
using veil_test::temp_dir;

namespace {
const auto t0 = sys_time(std::chrono::sys_days(std::chrono::year(2024) / 6 / 1));

std::unique_ptr<file_key_ring> open_ring(const std::filesystem::path& dir, sys_time now) {
  auto r = file_key_ring::open({dir, std::chrono::hours(24)}, now);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.err().message));
  return std::move(*r);
}
std::string token(const secure_key& k, std::string_view v) {
  std::array<char, pseudonym_hex_len> out{};
  pseudonymize(k, "user", v, out);
  return {out.data(), out.size()};
}
std::string key_bytes(const secure_key& k) {
  return {reinterpret_cast<const char*>(k.data()), secure_key::size};
}
}  // namespace

TEST_SUITE("crypto") {
  TEST_CASE("file_key_ring creates a 0600 key file and reloads the same key") {
    temp_dir d;
    auto dir = d.path / "keys";
    std::string t1;
    {
      auto ring = open_ring(dir, t0);
      const secure_key* k = ring->key_for(t0 + 1h);
      REQUIRE(k != nullptr);
      t1 = token(*k, "alice");
    }
    CHECK(veil_test::file_mode(dir / "pseudonym.key") == 0600);
    CHECK(veil_test::file_mode(dir) == 0700);
    auto ring = open_ring(dir, t0 + 2h);
    REQUIRE(ring->key_for(t0 + 2h) != nullptr);
    CHECK(token(*ring->key_for(t0 + 2h), "alice") == t1);
    CHECK(ring->epoch_start() == t0);
  }

  TEST_CASE("rotation after the epoch makes a new key; old key bytes leave the file") {
    temp_dir d;
    auto ring = open_ring(d.path, t0);
    std::string old_key = key_bytes(*ring->key_for(t0));
    std::string old_token = token(*ring->key_for(t0), "alice");
    CHECK(*ring->rotate_if_due(t0 + 23h) == false);
    CHECK(ring->key_for(t0 + 24h) == nullptr);  // expired keys are never used
    CHECK(*ring->rotate_if_due(t0 + 25h) == true);
    const secure_key* k = ring->key_for(t0 + 25h);
    REQUIRE(k != nullptr);
    CHECK(key_bytes(*k) != old_key);
    CHECK(token(*k, "alice") != old_token);
    CHECK(token(*k, "alice") == token(*k, "alice"));
    auto file = veil_test::slurp(d.path / "pseudonym.key");
    CHECK(file.find(old_key) == std::string::npos);
    CHECK(file.find(key_bytes(*k)) != std::string::npos);
    // Reopening late rotates on open too (`k` dies with `ring`: keep its token).
    std::string second_token = token(*k, "alice");
    ring.reset();
    auto later = open_ring(d.path, t0 + 60h);
    CHECK(later->epoch_start() == t0 + 60h);
    CHECK(token(*later->key_for(t0 + 60h), "alice") != second_token);
    CHECK(token(*later->key_for(t0 + 60h), "alice") != old_token);
  }

  TEST_CASE("a corrupt key file is errc::corrupt; destroy removes it") {
    temp_dir d;
    { auto ring = open_ring(d.path, t0); }
    auto f = d.path / "pseudonym.key";
    SUBCASE("short") { std::filesystem::resize_file(f, 20); }
    SUBCASE("bad magic") {
      auto b = veil_test::slurp(f);
      b[0] = 'X';
      std::ofstream(f, std::ios::binary | std::ios::trunc) << b;
    }
    auto r = file_key_ring::open({d.path, std::chrono::hours(24)}, t0);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == veil::errc::corrupt);
  }

  TEST_CASE("destroy wipes the key") {
    temp_dir d;
    auto ring = open_ring(d.path, t0);
    REQUIRE(ring->destroy().ok());
    CHECK(ring->key_for(t0) == nullptr);
    CHECK_FALSE(std::filesystem::exists(d.path / "pseudonym.key"));
  }

  TEST_CASE("record_cipher: round trip, associated data binds, tampering fails") {
    temp_dir d;
    auto c = record_cipher::load_or_create(d.path / "spool.key");
    REQUIRE(c.ok());
    CHECK(veil_test::file_mode(d.path / "spool.key") == 0600);
    auto sealed = c->seal("hello", "ad-1");
    REQUIRE(sealed.ok());
    CHECK(sealed->size() == 5 + record_cipher::overhead);
    CHECK(sealed->find("hello") == std::string::npos);
    CHECK(*c->open(*sealed, "ad-1") == "hello");
    CHECK(c->open(*sealed, "ad-2").err().code == veil::errc::corrupt);
    auto bad = *sealed;
    bad[30] ^= 1;
    CHECK(c->open(bad, "ad-1").err().code == veil::errc::corrupt);
    auto again = record_cipher::load_or_create(d.path / "spool.key");  // same key from the file
    CHECK(*again->open(*sealed, "ad-1") == "hello");
    auto other = record_cipher::random();
    CHECK(other->open(*sealed, "ad-1").err().code == veil::errc::corrupt);
  }
}
