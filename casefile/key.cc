// The platform's signing key and the digests of a package (casefile.h).
#include <sodium.h>

#include "casefile/casefile.h"

namespace fanzha::casefile {
namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string hex(2 * n + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();
  return hex;
}

}  // namespace

Result<SigningKey> SigningKey::Load(const std::string& path, bool create) {
  // The seed is a secret of 32 bytes in a file of its own: the audit key's rules and code.
  FANZHA_ASSIGN_OR_RETURN(audit::Key seed, audit::Key::Load(path, create));
  return FromSeed(seed.bytes());
}

SigningKey SigningKey::FromSeed(const std::array<unsigned char, kSeedBytes>& seed) {
  static_assert(crypto_sign_SEEDBYTES == kSeedBytes && crypto_sign_SECRETKEYBYTES == 64);
  if (sodium_init() < 0) std::abort();  // libsodium cannot start: nothing can be signed
  SigningKey key;
  unsigned char pub[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(pub, key.secret_.data(), seed.data());
  key.public_hex_ = Hex(pub, sizeof pub);
  return key;
}

std::string SigningKey::Sign(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return Hex(sig, sizeof sig);
}

std::string DefaultKeyFile(const std::string& db) { return db + ".signing-key"; }

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return Hex(digest, sizeof digest);
}

// Whether `signature_hex` is `key_hex`'s Ed25519 signature of `message` (verify.cc).
bool SignatureMatches(std::string_view message, std::string_view signature_hex,
                      std::string_view key_hex) {
  unsigned char sig[crypto_sign_BYTES], pub[crypto_sign_PUBLICKEYBYTES];
  size_t sig_len = 0, pub_len = 0;
  if (sodium_hex2bin(sig, sizeof sig, signature_hex.data(), signature_hex.size(), nullptr, &sig_len,
                     nullptr) != 0 ||
      sig_len != sizeof sig)
    return false;
  if (sodium_hex2bin(pub, sizeof pub, key_hex.data(), key_hex.size(), nullptr, &pub_len, nullptr) !=
          0 ||
      pub_len != sizeof pub)
    return false;
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), pub) == 0;
}

}  // namespace fanzha::casefile
