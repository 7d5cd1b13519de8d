#include "agent/crypto/record_cipher.hpp"

#include <sodium.h>

#include <cstring>

#include "agent/platform/file_util.hpp"

namespace veil::detail {
namespace {
constexpr char key_magic[8] = {'V', 'E', 'I', 'L', 'S', 'P', 'K', '1'};
static_assert(record_cipher::nonce_size == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(record_cipher::tag_size == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(secure_key::size == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

const unsigned char* u8(const char* p) { return reinterpret_cast<const unsigned char*>(p); }
unsigned char* u8(char* p) { return reinterpret_cast<unsigned char*>(p); }
}  // namespace

result<record_cipher> record_cipher::random() {
  auto k = secure_key::random();
  if (!k) return std::move(k).err();
  return record_cipher(std::move(*k));
}

result<record_cipher> record_cipher::load_or_create(const std::filesystem::path& key_file) {
  if (auto r = crypto_init(); !r) return std::move(r).err();
  auto data = read_file(key_file);
  if (data.ok()) {
    std::string& d = *data;
    bool ok = d.size() == sizeof key_magic + secure_key::size &&
              std::memcmp(d.data(), key_magic, sizeof key_magic) == 0;
    result<secure_key> k =
        ok ? secure_key::from_bytes({u8(d.data() + sizeof key_magic), secure_key::size})
           : result<secure_key>(make_error(errc::corrupt, "spool key file " + key_file.string() +
                                                              " has a wrong size or magic"));
    sodium_memzero(d.data(), d.size());
    if (!k) return std::move(k).err();
    return record_cipher(std::move(*k));
  }
  if (data.err().code != errc::not_found) return std::move(data).err();
  auto k = secure_key::random();
  if (!k) return std::move(k).err();
  std::string d(key_magic, sizeof key_magic);
  d.append(reinterpret_cast<const char*>(k->data()), secure_key::size);
  auto w = write_file_atomic(key_file, d, 0600);
  sodium_memzero(d.data(), d.size());
  if (!w) return std::move(w).err();
  return record_cipher(std::move(*k));
}

result<std::string> record_cipher::seal(std::string_view plain, std::string_view ad) const {
  if (key_.empty()) return make_error(errc::crypto_error, "record_cipher has no key");
  std::string out(nonce_size + plain.size() + tag_size, '\0');
  randombytes_buf(out.data(), nonce_size);
  unsigned long long clen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(
          u8(out.data() + nonce_size), &clen, u8(plain.data()), plain.size(), u8(ad.data()),
          ad.size(), nullptr, u8(out.data()), key_.data()) != 0)
    return make_error(errc::crypto_error, "record encryption failed");
  out.resize(nonce_size + clen);
  return out;
}

result<std::string> record_cipher::open(std::string_view sealed, std::string_view ad) const {
  if (key_.empty()) return make_error(errc::crypto_error, "record_cipher has no key");
  if (sealed.size() < overhead) return make_error(errc::corrupt, "sealed record too short");
  std::string out(sealed.size() - overhead, '\0');
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(u8(out.data()), &plen, nullptr,
                                                 u8(sealed.data() + nonce_size),
                                                 sealed.size() - nonce_size, u8(ad.data()),
                                                 ad.size(), u8(sealed.data()), key_.data()) != 0)
    return make_error(errc::corrupt, "record authentication failed");
  out.resize(plen);
  return out;
}

}  // namespace veil::detail
