// Log-in sessions: password check with rate limiting, session tokens, principal resolution.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>

#include "features/accounts/model.hpp"
#include "storage/database.hpp"

namespace coop::accounts {

struct LoginLimits {
  int max_failures_per_account = 5;  // within `window`
  int max_failures_per_ip = 30;
  std::chrono::minutes window{15};
  std::chrono::hours session_idle{12};
};

struct LoginOk {
  std::int64_t user_id;
  std::string token;  // to put in the cookie; only its hash is stored
};
// email_non_confirme: right password, but the account was signed up and its address is not
// confirmed yet (told only after the password matched: no enumeration).
enum class LoginFailure { bad_credentials, rate_limited, disabled, email_non_confirme };
using LoginResult = std::variant<LoginOk, LoginFailure>;

// Checks the password (Argon2id), records the attempt in the audit log (which is also what the
// rate limiter counts, so limits hold across several instances), opens a session on success.
LoginResult login(storage::Database& db, const std::string& email, const std::string& password,
                  const std::string& ip, const std::string& user_agent, const LoginLimits& limits);

// Opens a session for a user already authenticated by other means (invitation acceptance).
std::string open_session(storage::Session& s, std::int64_t user_id, const std::string& ip,
                         const std::string& user_agent, std::chrono::hours idle);

// Resolves a session token to its user. Expired, revoked or unknown → nullopt. Slides the
// expiry (written at most every 5 minutes per session to keep reads cheap).
std::optional<Principal> principal_from_token(storage::Database& db, const std::string& token,
                                              std::chrono::hours idle);

void logout(storage::Database& db, const Principal& p, const std::string& ip);

}  // namespace coop::accounts
