#include "features/courriels/compte.hpp"

#include "core/security.hpp"
#include "core/time.hpp"
#include "features/courriels/modeles.hpp"
#include "features/courriels/store.hpp"

namespace coop::courriels::compte {

using storage::as_int;
using storage::as_opt_text;
using storage::as_text;

namespace {

constexpr const char* kColonnes =
    "id, user_id, ancien_email, nouvel_email, created_at, expires_at, confirme_at, annule_at";

Changement changement(const std::vector<storage::Value>& r) {
  return {as_int(r[0]), as_int(r[1]), as_text(r[2]), as_text(r[3]), as_text(r[4]), as_text(r[5]),
          as_opt_text(r[6]), as_opt_text(r[7])};
}

}  // namespace

std::optional<Changement> en_cours(storage::Session& s, std::int64_t user_id, const std::string& now) {
  auto r = s.query(std::string("SELECT ") + kColonnes +
                       " FROM changements_courriel WHERE user_id = ? AND confirme_at IS NULL AND annule_at IS NULL "
                       "AND expires_at > ? ORDER BY id DESC LIMIT 1",
                   {user_id, now});
  if (r.empty()) return std::nullopt;
  return changement(r.rows[0]);
}

Changement demander(storage::Session& s, const std::string& public_url, std::int64_t user_id,
                    const std::string& prenom, const std::string& ancien_email, const std::string& nouvel_email,
                    const std::string& jeton, const std::string& now) {
  annuler(s, user_id, now);
  auto t = core::parse_iso(now).value_or(core::Clock::now());
  std::string expires = core::iso_utc(t + std::chrono::hours(heures_validite_changement));
  auto id = s.insert(
      "INSERT INTO changements_courriel (user_id, ancien_email, nouvel_email, token_hash, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {user_id, ancien_email, nouvel_email, core::sha256_hex(jeton), now, expires});
  store::mettre_en_file(s, modeles::confirmation_changement_courriel(public_url, nouvel_email, ancien_email, prenom,
                                                                     jeton, user_id));
  store::mettre_en_file(s, modeles::avis_changement_courriel(public_url, ancien_email, nouvel_email, prenom, user_id));
  return {id, user_id, ancien_email, nouvel_email, now, expires, std::nullopt, std::nullopt};
}

bool annuler(storage::Session& s, std::int64_t user_id, const std::string& now) {
  return s.exec("UPDATE changements_courriel SET annule_at = ? WHERE user_id = ? AND confirme_at IS NULL "
                "AND annule_at IS NULL AND expires_at > ?",
                {now, user_id, now}) > 0;
}

std::optional<Changement> par_jeton(storage::Session& s, const std::string& jeton) {
  if (jeton.empty() || jeton.size() > 128) return std::nullopt;
  auto r = s.query(std::string("SELECT ") + kColonnes + " FROM changements_courriel WHERE token_hash = ?",
                   {core::sha256_hex(jeton)});
  if (r.empty()) return std::nullopt;
  return changement(r.rows[0]);
}

bool marquer_confirme(storage::Session& s, std::int64_t id, const std::string& now) {
  return s.exec("UPDATE changements_courriel SET confirme_at = ? WHERE id = ? AND confirme_at IS NULL "
                "AND annule_at IS NULL AND expires_at > ?",
                {now, id, now}) == 1;
}

bool rappels_actives(storage::Session& s, std::int64_t user_id) {
  auto r = s.query("SELECT rappels_cra FROM users WHERE id = ?", {user_id});
  return !r.empty() && as_int(r.rows[0][0]) != 0;
}

void regler_rappels(storage::Session& s, std::int64_t user_id, bool actives) {
  s.exec("UPDATE users SET rappels_cra = ? WHERE id = ?", {std::int64_t(actives ? 1 : 0), user_id});
}

}  // namespace coop::courriels::compte
