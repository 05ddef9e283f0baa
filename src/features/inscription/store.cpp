#include "features/inscription/store.hpp"

#include "core/time.hpp"

namespace coop::inscription::store {

using storage::as_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Value;

void creer_jeton(Session& s, std::int64_t user_id, const std::string& token_hash, const std::string& expires_at) {
  const auto now = core::now_iso();
  s.exec("UPDATE inscription_jetons SET used_at = ? WHERE user_id = ? AND used_at IS NULL", {now, user_id});
  s.exec("INSERT INTO inscription_jetons (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
         {user_id, token_hash, now, expires_at});
}

std::optional<Jeton> jeton_par_hash(Session& s, const std::string& token_hash) {
  auto rows = s.query("SELECT id, user_id, expires_at, used_at FROM inscription_jetons WHERE token_hash = ?", {token_hash});
  if (rows.empty()) return std::nullopt;
  auto& r = rows.rows[0];
  return Jeton{as_int(r[0]), as_int(r[1]), as_text(r[2]), as_opt_text(r[3])};
}

bool utiliser_jeton(Session& s, std::int64_t id) {
  return s.exec("UPDATE inscription_jetons SET used_at = ? WHERE id = ? AND used_at IS NULL", {core::now_iso(), id}) == 1;
}

void confirmer_email(Session& s, std::int64_t user_id) {
  s.exec("UPDATE users SET email_confirme = 1, updated_at = ? WHERE id = ?", {core::now_iso(), user_id});
}

void noter_cgu(Session& s, std::int64_t user_id) {
  s.exec("UPDATE users SET cgu_acceptees_at = ? WHERE id = ?", {core::now_iso(), user_id});
}

void remplacer_inscription(Session& s, std::int64_t user_id, const std::string& nom, const std::string& prenom,
                           const std::string& password_hash) {
  s.exec("UPDATE users SET nom = ?, prenom = ?, password_hash = ?, cgu_acceptees_at = ?, updated_at = ? "
         "WHERE id = ? AND email_confirme = 0",
         {nom, prenom, password_hash, core::now_iso(), core::now_iso(), user_id});
}

namespace {
accounts::store::Structure structure_from(const std::vector<Value>& r) {
  return {as_int(r[0]), as_text(r[1]), as_text(r[2]), as_text(r[3]), as_text(r[4]), as_text(r[5])};
}
constexpr const char* kStructure = "SELECT id, nom, COALESCE(siret, ''), adresse, commune_insee, created_at FROM structures ";

std::vector<Destinataire> destinataires(const storage::Rows& rows) {
  std::vector<Destinataire> out;
  for (auto& r : rows.rows) out.push_back({as_int(r[0]), as_text(r[1]), as_text(r[2]), as_text(r[3])});
  return out;
}
}  // namespace

std::optional<accounts::store::Structure> structure_par_siret(Session& s, const std::string& siret) {
  auto rows = s.query(std::string(kStructure) + "WHERE siret = ?", {siret});
  if (rows.empty()) return std::nullopt;
  return structure_from(rows.rows[0]);
}

std::vector<accounts::store::Structure> structures_par_nom(Session& s, const std::string& q, std::int64_t limite) {
  std::string lower = q;
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  auto rows = s.query(std::string(kStructure) + "WHERE lower(nom) LIKE ? ESCAPE '\\' ORDER BY nom, id LIMIT ?",
                      {storage::like_contains(lower), limite});
  std::vector<accounts::store::Structure> out;
  for (auto& r : rows.rows) out.push_back(structure_from(r));
  return out;
}

std::int64_t declarer_emploi(Session& s, std::int64_t user_id, std::int64_t structure_id, const std::string& debut) {
  return s.insert("INSERT INTO employments (user_id, structure_id, debut, fin, created_at, statut) "
                  "VALUES (?, ?, ?, NULL, ?, 'en_attente')",
                  {user_id, structure_id, debut, core::now_iso()});
}

bool decider_emploi(Session& s, std::int64_t employment_id, const std::string& statut, const std::string& motif,
                    std::int64_t decide_par) {
  return s.exec("UPDATE employments SET statut = ?, motif_refus = ?, decide_par = ?, decide_at = ? "
                "WHERE id = ? AND statut = 'en_attente'",
                {statut, motif, decide_par, core::now_iso(), employment_id}) == 1;
}

std::vector<Destinataire> gestionnaires_de(Session& s, std::int64_t structure_id) {
  return destinataires(s.query("SELECT DISTINCT u.id, u.email, u.prenom, u.nom FROM users u JOIN user_roles r ON r.user_id = u.id "
                               "WHERE r.role = 'gestionnaire_structure' AND r.structure_id = ? AND u.disabled = 0 ORDER BY u.id",
                               {structure_id}));
}

std::vector<Destinataire> administrateurs(Session& s) {
  return destinataires(s.query("SELECT DISTINCT u.id, u.email, u.prenom, u.nom FROM users u JOIN user_roles r ON r.user_id = u.id "
                               "WHERE r.role = 'admin' AND u.disabled = 0 ORDER BY u.id"));
}

std::vector<accounts::store::Invitation> invitations_en_cours(Session& s, const std::string& email, const std::string& now) {
  auto rows = s.query("SELECT id FROM invitations WHERE email = ? AND accepted_at IS NULL AND expires_at > ? ORDER BY id",
                      {email, now});
  std::vector<accounts::store::Invitation> out;
  for (auto& r : rows.rows)
    if (auto inv = accounts::store::invitation_by_id(s, as_int(r[0]))) out.push_back(*inv);
  return out;
}

std::int64_t nombre_lieux(Session& s, std::int64_t user_id) {
  return as_int(s.query("SELECT COUNT(*) FROM lieux_activite WHERE mediateur_id = ?", {user_id}).rows.at(0).at(0));
}

std::int64_t purger_non_confirmees(Session& s, const std::string& avant) {
  return s.exec("DELETE FROM users WHERE email_confirme = 0 AND created_at < ? AND NOT EXISTS "
                "(SELECT 1 FROM inscription_jetons j WHERE j.user_id = users.id AND j.created_at >= ?)",
                {avant, avant});
}

}  // namespace coop::inscription::store
