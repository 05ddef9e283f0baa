// Cryptography through libsodium: random tokens, hashes of tokens, Argon2id passwords.
#pragma once

#include <string>
#include <string_view>

namespace coop::core {

// Must be called once before any other function here (idempotent, thread-safe).
void init_crypto();

// URL-safe random token of `bytes` random bytes (base64url, no padding).
std::string random_token(std::size_t bytes = 32);
// Lower-case hex SHA-256; tokens are stored hashed, never as given to the user.
std::string sha256_hex(std::string_view data);
// Argon2id (libsodium crypto_pwhash_str_alg, ALG_ARGON2ID13, interactive limits unless the
// "fast" mode is enabled for tests/benchmarks through COOP_FAST_PASSWORD_HASH=1, which still
// uses Argon2id with libsodium's minimum costs).
std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);
// Constant-time equality for secrets.
bool secure_equals(std::string_view a, std::string_view b);

}  // namespace coop::core
