#include "features/accounts/sessions.hpp"

#include <array>
#include <functional>
#include <mutex>

#include <tuple>

#include "core/security.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"

namespace coop::accounts {

// A hash to compare against when the account does not exist, so that an unknown e-mail takes
// as long as a wrong password (no account enumeration by timing).
static const std::string& dummy_hash() {
  static const std::string h = core::hash_password("coop-dummy-password-for-timing");
  return h;
}

// The limiter counts failures, then checks the password, then records the outcome. Attempts on
// the same account (or from the same address) are serialised within this process, so that
// parallel attempts cannot all pass the count before any failure is recorded. Across several
// instances the database count still bounds them (at most one extra attempt per instance).
namespace {
constexpr std::size_t kStripes = 64;
std::array<std::mutex, kStripes> account_stripes, ip_stripes;
std::mutex& stripe(std::array<std::mutex, kStripes>& a, const std::string& key) {
  return a[std::hash<std::string>{}(key) % kStripes];
}
}  // namespace

LoginResult login(storage::Database& db, const std::string& email_raw, const std::string& password,
                  const std::string& ip, const std::string& user_agent, const LoginLimits& limits) {
  const std::string email = normalize_email(email_raw);
  std::scoped_lock serial(stripe(account_stripes, email), stripe(ip_stripes, ip));
  const std::string since = core::iso_utc(core::Clock::now() - limits.window);
  // Not a structured binding: clang < 16 (the fuzz build) cannot capture those in lambdas.
  std::int64_t account_failures = 0, ip_failures = 0;
  std::optional<store::User> user;
  std::tie(account_failures, ip_failures, user) = db.read_value([&](storage::Session& s) {
    return std::tuple{store::count_events_since(s, "login_failed", &email, nullptr, since),
                      store::count_events_since(s, "login_failed", nullptr, &ip, since), store::user_by_email(s, email)};
  });
  if (account_failures >= limits.max_failures_per_account || ip_failures >= limits.max_failures_per_ip) {
    db.write([&](storage::Session& s) {
      store::audit(s, "login_rate_limited", user ? std::optional(user->id) : std::nullopt, std::nullopt, email, ip,
                   account_failures >= limits.max_failures_per_account ? "account" : "ip");
    });
    return LoginFailure::rate_limited;
  }
  bool ok = user ? core::verify_password(user->password_hash, password)
                 : (core::verify_password(dummy_hash(), password), false);
  if (!ok) {
    db.write([&](storage::Session& s) {
      store::audit(s, "login_failed", user ? std::optional(user->id) : std::nullopt, std::nullopt, email, ip,
                   user ? "mot de passe incorrect" : "compte inconnu");
    });
    return LoginFailure::bad_credentials;
  }
  if (user->disabled) {
    db.write([&](storage::Session& s) { store::audit(s, "login_refused_disabled", user->id, std::nullopt, email, ip, ""); });
    return LoginFailure::disabled;
  }
  if (!user->email_confirme) {
    db.write([&](storage::Session& s) { store::audit(s, "login_refused_unconfirmed", user->id, std::nullopt, email, ip, ""); });
    return LoginFailure::email_non_confirme;
  }
  std::string token;
  db.write([&](storage::Session& s) {
    token = open_session(s, user->id, ip, user_agent, limits.session_idle);
    store::set_last_login(s, user->id);
    store::audit(s, "login_succeeded", user->id, user->id, email, ip, "");
  });
  return LoginOk{user->id, token};
}

std::string open_session(storage::Session& s, std::int64_t user_id, const std::string& ip,
                         const std::string& user_agent, std::chrono::hours idle) {
  std::string token = core::random_token(32);
  store::create_session(s, user_id, core::sha256_hex(token), core::iso_utc(core::Clock::now() + idle), ip, user_agent);
  return token;
}

std::optional<Principal> principal_from_token(storage::Database& db, const std::string& token,
                                              std::chrono::hours idle) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  const std::string hash = core::sha256_hex(token);
  const auto now = core::Clock::now();
  const std::string now_s = core::iso_utc(now);
  std::optional<store::LoginSession> session;
  std::optional<store::User> user;
  db.read([&](storage::Session& s) {
    session = store::session_by_token_hash(s, hash);
    if (session && !session->revoked && session->expires_at > now_s) user = store::user_by_id(s, session->user_id);
  });
  if (!session || !user || user->disabled) return std::nullopt;
  auto last_seen = core::parse_iso(session->last_seen_at);
  if (!last_seen || now - *last_seen > std::chrono::minutes(5)) {
    db.write([&](storage::Session& s) { store::touch_session(s, session->id, core::iso_utc(now + idle)); });
  }
  return Principal{user->id, user->email, user->nom, user->prenom, user->roles, session->id};
}

void logout(storage::Database& db, const Principal& p, const std::string& ip) {
  db.write([&](storage::Session& s) {
    store::revoke_session(s, p.session_id);
    store::audit(s, "logout", p.user_id, p.user_id, p.email, ip, "");
  });
}

}  // namespace coop::accounts
