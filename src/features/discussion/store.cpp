// Channels, members, bans, topics, read markers.
#include "features/discussion/store.hpp"

#include "core/text.hpp"
#include "core/time.hpp"

// GCC 12 at -O2 reports a false -Wmaybe-uninitialized in std::variant's move when a Params
// (vector of variants) grows with push_back; the filters here are appended one by one.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "features/discussion/store_sql.hpp"

namespace coop::discussion::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Params;
using storage::Value;

namespace {

constexpr const char* colonnes_canal =
    "c.id, c.type, c.code, c.nom, c.description, c.archive, c.cree_par, c.cree_le, c.dernier_message_id, "
    "c.dernier_message_le";

Canal canal_de(const std::vector<Value>& r) {
  return {.id = as_int(r[0]),
          .type = as_text(r[1]),
          .code = as_text(r[2]),
          .nom = as_text(r[3]),
          .description = as_text(r[4]),
          .archive = as_int(r[5]) != 0,
          .cree_par = as_opt_int(r[6]),
          .cree_le = as_text(r[7]),
          .dernier_message_id = as_int(r[8]),
          .dernier_message_le = as_opt_text(r[9])};
}

std::vector<Canal> canaux(Session& s, const std::string& sql, const Params& p) {
  std::vector<Canal> out;
  for (auto& r : s.query(sql, p).rows) out.push_back(canal_de(r));
  return out;
}

constexpr const char* colonnes_sujet =
    "t.id, t.canal_id, t.titre, t.nb_messages, t.dernier_message_id, t.dernier_message_le, t.dernier_auteur_id, "
    "COALESCE(TRIM(u.prenom || ' ' || u.nom), '')";

Sujet sujet_de(const std::vector<Value>& r) {
  return {.id = as_int(r[0]),
          .canal_id = as_int(r[1]),
          .titre = as_text(r[2]),
          .nb_messages = as_int(r[3]),
          .dernier_message_id = as_int(r[4]),
          .dernier_message_le = as_opt_text(r[5]),
          .dernier_auteur_id = as_opt_int(r[6]),
          .dernier_auteur_nom = as_text(r[7])};
}

}  // namespace

std::string places(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out.empty() ? "NULL" : out;
}

Params valeurs(const std::vector<std::int64_t>& ids) { return Params(ids.begin(), ids.end()); }

Params premier_puis(std::int64_t premier, const std::vector<std::int64_t>& ids) {
  Params p(ids.size() + 1);
  p[0] = premier;
  for (std::size_t i = 0; i < ids.size(); ++i) p[i + 1] = ids[i];
  return p;
}

std::optional<Canal> canal(Session& s, std::int64_t id) {
  auto v = canaux(s, std::string("SELECT ") + colonnes_canal + " FROM discussion_canaux c WHERE c.id = ?", {id});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::optional<Canal> canal_par_code(Session& s, const std::string& type, const std::string& code) {
  auto v = canaux(s, std::string("SELECT ") + colonnes_canal + " FROM discussion_canaux c WHERE c.type = ? AND c.code = ?",
                  {type, code});
  if (v.empty()) return std::nullopt;
  return v.front();
}

namespace {
bool public_(const std::string& type) { return type == "theme" || type == "annonces"; }
storage::Value nom_plie(const std::string& type, const std::string& nom) {
  return public_(type) ? storage::Value(core::fold(nom)) : storage::Value(nullptr);
}
}  // namespace

std::int64_t creer_canal(Session& s, const std::string& type, const std::string& code, const std::string& nom,
                         const std::string& description, std::optional<std::int64_t> par) {
  return s.insert(
      "INSERT INTO discussion_canaux (type, code, nom, nom_plie, description, archive, cree_par, cree_le) "
      "VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
      {type, code, nom, nom_plie(type, nom), description, storage::nullable(par), core::now_iso()});
}

std::optional<Canal> canal_public_par_nom(Session& s, const std::string& nom, std::int64_t sauf) {
  auto v = canaux(s,
                  std::string("SELECT ") + colonnes_canal +
                      " FROM discussion_canaux c WHERE c.type IN ('theme', 'annonces') AND c.nom_plie = ? AND c.id <> ?",
                  {core::fold(nom), sauf});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::int64_t plier_noms_publics(Session& s) {
  std::int64_t restes = 0;
  for (auto& r : s.query("SELECT id, nom FROM discussion_canaux WHERE type IN ('theme', 'annonces') AND nom_plie IS "
                         "NULL ORDER BY id")
                     .rows) {
    const auto plie = core::fold(as_text(r[1]));
    // The oldest channel keeps the name; a later namesake stays unset (not unique-checked).
    if (!s.query("SELECT 1 FROM discussion_canaux WHERE type IN ('theme', 'annonces') AND nom_plie = ?", {plie})
             .empty()) {
      ++restes;
      continue;
    }
    s.exec("UPDATE discussion_canaux SET nom_plie = ? WHERE id = ?", {plie, as_int(r[0])});
  }
  return restes;
}

std::int64_t canal_fixe(Session& s, const std::string& type, const std::string& code, const std::string& nom) {
  if (auto c = canal_par_code(s, type, code)) return c->id;
  s.exec(
      "INSERT INTO discussion_canaux (type, code, nom, description, archive, cree_le) VALUES (?, ?, ?, '', 0, ?) "
      "ON CONFLICT DO NOTHING",
      {type, code, nom, core::now_iso()});
  return canal_par_code(s, type, code)->id;
}

void modifier_canal(Session& s, const Canal& c) {
  // The folded name follows a new name; an unchanged one keeps its own (unset for a namesake
  // older than migration 0019, which can then still be archived).
  s.exec("UPDATE discussion_canaux SET nom_plie = CASE WHEN nom = ? THEN nom_plie ELSE ? END, nom = ?, description = ?, "
         "archive = ? WHERE id = ?",
         {c.nom, nom_plie(c.type, c.nom), c.nom, c.description, std::int64_t{c.archive ? 1 : 0}, c.id});
}

std::vector<Canal> canaux_de(Session& s, std::int64_t user_id) {
  return canaux(s,
                std::string("SELECT ") + colonnes_canal +
                    " FROM discussion_canaux c JOIN discussion_membres m ON m.canal_id = c.id AND m.user_id = ? "
                    "ORDER BY c.id",
                {user_id});
}

std::vector<Canal> canaux_publics(Session& s) {
  return canaux(s,
                std::string("SELECT ") + colonnes_canal +
                    " FROM discussion_canaux c WHERE c.type IN ('theme', 'annonces') ORDER BY c.archive, c.nom, c.id",
                {});
}

std::map<std::int64_t, std::int64_t> nb_membres(Session& s, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::int64_t> out;
  if (ids.empty()) return out;
  for (auto& r : s.query("SELECT canal_id, COUNT(*) FROM discussion_membres WHERE canal_id IN (" + places(ids.size()) +
                             ") GROUP BY canal_id",
                         valeurs(ids))
                     .rows)
    out[as_int(r[0])] = as_int(r[1]);
  return out;
}

// ---- Members

namespace {
Membre membre_de(const std::vector<Value>& r) {
  return {.canal_id = as_int(r[0]),
          .user_id = as_int(r[1]),
          .role = as_text(r[2]),
          .automatique = as_int(r[3]) != 0,
          .sourdine_jusqu_au = as_opt_text(r[4]),
          .lu_jusqu_a = as_int(r[5])};
}
constexpr const char* colonnes_membre = "canal_id, user_id, role, automatique, sourdine_jusqu_au, lu_jusqu_a";
}  // namespace

std::optional<Membre> membre(Session& s, std::int64_t canal_id, std::int64_t user_id) {
  auto r = s.query(std::string("SELECT ") + colonnes_membre + " FROM discussion_membres WHERE canal_id = ? AND user_id = ?",
                   {canal_id, user_id});
  if (r.empty()) return std::nullopt;
  return membre_de(r.rows[0]);
}

std::map<std::int64_t, Membre> adhesions_de(Session& s, std::int64_t user_id) {
  std::map<std::int64_t, Membre> out;
  for (auto& r : s.query(std::string("SELECT ") + colonnes_membre + " FROM discussion_membres WHERE user_id = ?", {user_id}).rows) {
    auto m = membre_de(r);
    out[m.canal_id] = m;
  }
  return out;
}

bool ajouter_membre(Session& s, std::int64_t canal_id, std::int64_t user_id, const std::string& role, bool automatique,
                    const std::string& motif, std::optional<std::int64_t> par) {
  const auto now = core::now_iso();
  // A newcomer starts with the history read: only what comes after is unread.
  auto n = s.exec(
      "INSERT INTO discussion_membres (canal_id, user_id, role, automatique, lu_jusqu_a, rejoint_le) "
      "SELECT ?, ?, ?, ?, c.dernier_message_id, ? FROM discussion_canaux c WHERE c.id = ? ON CONFLICT DO NOTHING",
      {canal_id, user_id, role, std::int64_t{automatique ? 1 : 0}, now, canal_id});
  if (n == 0) return false;
  s.exec("INSERT INTO discussion_adhesions (canal_id, user_id, action, motif, par, le) VALUES (?, ?, 'entree', ?, ?, ?)",
         {canal_id, user_id, motif, storage::nullable(par), now});
  return true;
}

bool retirer_membre(Session& s, std::int64_t canal_id, std::int64_t user_id, const std::string& motif,
                    std::optional<std::int64_t> par) {
  if (s.exec("DELETE FROM discussion_membres WHERE canal_id = ? AND user_id = ?", {canal_id, user_id}) == 0) return false;
  s.exec("DELETE FROM discussion_lectures WHERE user_id = ? AND sujet_id IN (SELECT id FROM discussion_sujets WHERE canal_id = ?)",
         {user_id, canal_id});
  s.exec("INSERT INTO discussion_adhesions (canal_id, user_id, action, motif, par, le) VALUES (?, ?, 'sortie', ?, ?, ?)",
         {canal_id, user_id, motif, storage::nullable(par), core::now_iso()});
  return true;
}

void modifier_membre(Session& s, std::int64_t canal_id, std::int64_t user_id, const std::string& role,
                     const std::optional<std::string>& sourdine_jusqu_au) {
  s.exec("UPDATE discussion_membres SET role = ?, sourdine_jusqu_au = ? WHERE canal_id = ? AND user_id = ?",
         {role, storage::nullable(sourdine_jusqu_au), canal_id, user_id});
}

std::vector<std::int64_t> ids_membres(Session& s, std::int64_t canal_id) {
  std::vector<std::int64_t> out;
  for (auto& r : s.query("SELECT user_id FROM discussion_membres WHERE canal_id = ? ORDER BY user_id", {canal_id}).rows)
    out.push_back(as_int(r[0]));
  return out;
}

namespace {
constexpr const char* structure_actuelle =
    "(SELECT st.nom FROM employments e JOIN structures st ON st.id = e.structure_id WHERE e.user_id = u.id AND "
    "e.statut = 'confirme' AND e.debut <= ? AND (e.fin IS NULL OR e.fin >= ?) ORDER BY e.debut DESC, e.id DESC LIMIT 1)";
}

std::vector<Personne> membres(Session& s, std::int64_t canal_id, const std::string& today) {
  std::vector<Personne> out;
  for (auto& r : s.query(std::string("SELECT u.id, TRIM(u.prenom || ' ' || u.nom), ") + structure_actuelle +
                             ", m.role, m.sourdine_jusqu_au FROM discussion_membres m JOIN users u ON u.id = m.user_id "
                             "WHERE m.canal_id = ? ORDER BY u.nom, u.prenom, u.id",
                         {today, today, canal_id})
                     .rows)
    out.push_back({.id = as_int(r[0]),
                   .nom = as_text(r[1]),
                   .structure = as_opt_text(r[2]),
                   .role = as_text(r[3]),
                   .sourdine_jusqu_au = as_opt_text(r[4])});
  return out;
}

std::vector<Personne> participants(Session& s, std::int64_t canal_id) {
  std::vector<Personne> out;
  for (auto& r : s.query("SELECT u.id, TRIM(u.prenom || ' ' || u.nom) FROM discussion_membres m JOIN users u ON u.id = "
                         "m.user_id WHERE m.canal_id = ? ORDER BY u.id",
                         {canal_id})
                     .rows)
    out.push_back({.id = as_int(r[0]), .nom = as_text(r[1]), .structure = std::nullopt, .role = "", .sourdine_jusqu_au = {}});
  return out;
}

std::vector<Adhesion> historique(Session& s, std::int64_t user_id) {
  std::vector<Adhesion> out;
  for (auto& r : s.query("SELECT canal_id, action, motif, le FROM discussion_adhesions WHERE user_id = ? ORDER BY id", {user_id}).rows)
    out.push_back({.canal_id = as_int(r[0]), .action = as_text(r[1]), .motif = as_text(r[2]), .le = as_text(r[3])});
  return out;
}

std::vector<Personne> personnes(Session& s, std::optional<std::int64_t> canal_id) {
  std::vector<Personne> out;
  auto sql = std::string("SELECT u.id, TRIM(u.prenom || ' ' || u.nom) FROM users u ");
  Params p;
  if (canal_id) {
    sql += "JOIN discussion_membres m ON m.user_id = u.id AND m.canal_id = ? ";
    p.push_back(*canal_id);
  }
  sql += "WHERE u.disabled = 0 ORDER BY u.nom, u.prenom, u.id";
  for (auto& r : s.query(sql, p).rows)
    out.push_back({.id = as_int(r[0]), .nom = as_text(r[1]), .structure = std::nullopt, .role = "", .sourdine_jusqu_au = {}});
  return out;
}

std::map<std::int64_t, std::string> structures_du_jour(Session& s, const std::vector<std::int64_t>& ids,
                                                      const std::string& today) {
  std::map<std::int64_t, std::string> out;
  if (ids.empty()) return out;
  Params p{today, today};
  for (auto id : ids) p.push_back(id);
  for (auto& r : s.query(std::string("SELECT u.id, ") + structure_actuelle + " FROM users u WHERE u.id IN (" +
                             places(ids.size()) + ")",
                         p)
                     .rows)
    if (auto nom = as_opt_text(r[1])) out[as_int(r[0])] = *nom;
  return out;
}

std::optional<std::string> nom_personne(Session& s, std::int64_t user_id) {
  auto r = s.query("SELECT TRIM(prenom || ' ' || nom) FROM users WHERE id = ?", {user_id});
  if (r.empty()) return std::nullopt;
  return as_text(r.rows[0][0]);
}

std::vector<std::int64_t> utilisateurs_existants(Session& s, const std::vector<std::int64_t>& ids) {
  std::vector<std::int64_t> out;
  if (ids.empty()) return out;
  for (auto& r : s.query("SELECT id FROM users WHERE disabled = 0 AND id IN (" + places(ids.size()) + ") ORDER BY id",
                         valeurs(ids))
                     .rows)
    out.push_back(as_int(r[0]));
  return out;
}

// ---- Bans

bool banni(Session& s, std::int64_t user_id) {
  return !s.query("SELECT 1 FROM discussion_bannissements WHERE user_id = ?", {user_id}).empty();
}

void bannir(Session& s, std::int64_t user_id, const std::string& motif, std::int64_t par) {
  s.exec("INSERT INTO discussion_bannissements (user_id, motif, par, le) VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO "
         "UPDATE SET motif = excluded.motif, par = excluded.par, le = excluded.le",
         {user_id, motif, par, core::now_iso()});
}

bool lever_bannissement(Session& s, std::int64_t user_id) {
  return s.exec("DELETE FROM discussion_bannissements WHERE user_id = ?", {user_id}) > 0;
}

std::vector<Bannissement> bannissements(Session& s) {
  std::vector<Bannissement> out;
  for (auto& r : s.query("SELECT b.user_id, TRIM(u.prenom || ' ' || u.nom), b.motif, b.le, b.par, "
                         "TRIM(COALESCE(p.prenom, '') || ' ' || COALESCE(p.nom, '')) FROM discussion_bannissements b "
                         "JOIN users u ON u.id = b.user_id LEFT JOIN users p ON p.id = b.par ORDER BY b.le DESC, b.user_id",
                         {})
                     .rows)
    out.push_back({.user_id = as_int(r[0]),
                   .nom = as_text(r[1]),
                   .motif = as_text(r[2]),
                   .le = as_text(r[3]),
                   .par = as_opt_int(r[4]),
                   .par_nom = as_text(r[5])});
  return out;
}

// ---- Topics

std::optional<Sujet> sujet(Session& s, std::int64_t id) {
  auto r = s.query(std::string("SELECT ") + colonnes_sujet +
                       " FROM discussion_sujets t LEFT JOIN users u ON u.id = t.dernier_auteur_id WHERE t.id = ?",
                   {id});
  if (r.empty()) return std::nullopt;
  return sujet_de(r.rows[0]);
}

std::optional<Sujet> sujet_par_titre(Session& s, std::int64_t canal_id, const std::string& titre) {
  auto r = s.query(std::string("SELECT ") + colonnes_sujet +
                       " FROM discussion_sujets t LEFT JOIN users u ON u.id = t.dernier_auteur_id WHERE t.canal_id = ? "
                       "AND t.titre_plie = ?",
                   {canal_id, cle(titre)});
  if (r.empty()) return std::nullopt;
  return sujet_de(r.rows[0]);
}

std::int64_t creer_sujet(Session& s, std::int64_t canal_id, const std::string& titre, std::optional<std::int64_t> par) {
  return s.insert("INSERT INTO discussion_sujets (canal_id, titre, titre_plie, cree_par, cree_le) VALUES (?, ?, ?, ?, ?)",
                  {canal_id, titre, cle(titre), storage::nullable(par), core::now_iso()});
}

std::vector<Sujet> sujets(Session& s, std::int64_t canal_id) {
  std::vector<Sujet> out;
  for (auto& r : s.query(std::string("SELECT ") + colonnes_sujet +
                             " FROM discussion_sujets t LEFT JOIN users u ON u.id = t.dernier_auteur_id WHERE t.canal_id = "
                             "? ORDER BY t.dernier_message_id DESC, t.id DESC",
                         {canal_id})
                     .rows)
    out.push_back(sujet_de(r));
  return out;
}

void renommer_sujet(Session& s, std::int64_t id, const std::string& titre) {
  s.exec("UPDATE discussion_sujets SET titre = ?, titre_plie = ? WHERE id = ?", {titre, cle(titre), id});
}

void recalculer_sujet(Session& s, std::int64_t id) {
  auto r = s.query(
      "SELECT COUNT(*), MAX(id) FROM discussion_messages WHERE sujet_id = ? AND supprime_le IS NULL", {id});
  auto nb = as_int(r.rows[0][0]);
  auto dernier = as_opt_int(r.rows[0][1]);
  if (!dernier) {
    s.exec("UPDATE discussion_sujets SET nb_messages = 0 WHERE id = ?", {id});
    return;
  }
  s.exec("UPDATE discussion_sujets SET nb_messages = ?, dernier_message_id = ?, dernier_message_le = (SELECT cree_le "
         "FROM discussion_messages WHERE id = ?), dernier_auteur_id = (SELECT auteur_id FROM discussion_messages WHERE id "
         "= ?) WHERE id = ?",
         {nb, *dernier, *dernier, *dernier, id});
}

// ---- Read markers

std::int64_t marqueur(Session& s, std::int64_t user_id, std::int64_t sujet_id, std::int64_t base) {
  auto r = s.query("SELECT lu_jusqu_a FROM discussion_lectures WHERE user_id = ? AND sujet_id = ?", {user_id, sujet_id});
  return r.empty() ? base : as_int(r.rows[0][0]);
}

void lire_sujet(Session& s, std::int64_t user_id, std::int64_t sujet_id, std::int64_t jusqu_a) {
  s.exec("INSERT INTO discussion_lectures (user_id, sujet_id, lu_jusqu_a) VALUES (?, ?, ?) ON CONFLICT (user_id, sujet_id) "
         "DO UPDATE SET lu_jusqu_a = excluded.lu_jusqu_a",
         {user_id, sujet_id, jusqu_a});
}

void lire_canal(Session& s, std::int64_t user_id, std::int64_t canal_id, std::int64_t jusqu_a) {
  s.exec("UPDATE discussion_membres SET lu_jusqu_a = ? WHERE canal_id = ? AND user_id = ? AND lu_jusqu_a < ?",
         {jusqu_a, canal_id, user_id, jusqu_a});
  // Topic markers behind the new channel marker no longer say anything.
  s.exec("DELETE FROM discussion_lectures WHERE user_id = ? AND lu_jusqu_a <= ? AND sujet_id IN (SELECT id FROM "
         "discussion_sujets WHERE canal_id = ?)",
         {user_id, jusqu_a, canal_id});
}

void marquer_non_lu(Session& s, std::int64_t user_id, std::int64_t sujet_id, std::int64_t message_id) {
  lire_sujet(s, user_id, sujet_id, message_id - 1);
}

namespace {
constexpr const char* non_lus_from =
    " FROM discussion_messages m JOIN discussion_membres mb ON mb.canal_id = m.canal_id AND mb.user_id = ? "
    "LEFT JOIN discussion_lectures l ON l.user_id = mb.user_id AND l.sujet_id = m.sujet_id "
    "WHERE m.id > COALESCE(l.lu_jusqu_a, mb.lu_jusqu_a) AND m.supprime_le IS NULL AND "
    "(m.auteur_id IS NULL OR m.auteur_id <> mb.user_id)";
}

std::map<std::int64_t, std::int64_t> non_lus_par_canal(Session& s, std::int64_t user_id) {
  std::map<std::int64_t, std::int64_t> out;
  for (auto& r : s.query(std::string("SELECT m.canal_id, COUNT(*)") + non_lus_from + " GROUP BY m.canal_id", {user_id}).rows)
    out[as_int(r[0])] = as_int(r[1]);
  return out;
}

std::map<std::int64_t, std::int64_t> non_lus_par_sujet(Session& s, std::int64_t user_id, std::int64_t canal_id) {
  std::map<std::int64_t, std::int64_t> out;
  for (auto& r : s.query(std::string("SELECT m.sujet_id, COUNT(*)") + non_lus_from + " AND m.canal_id = ? GROUP BY m.sujet_id",
                         {user_id, canal_id})
                     .rows)
    out[as_int(r[0])] = as_int(r[1]);
  return out;
}

std::optional<std::int64_t> premier_non_lu(Session& s, std::int64_t user_id, std::int64_t canal_id,
                                           std::optional<std::int64_t> sujet_id) {
  auto sql = std::string("SELECT MIN(m.id)") + non_lus_from + " AND m.canal_id = ?";
  Params p{user_id, canal_id};
  if (sujet_id) {
    sql += " AND m.sujet_id = ?";
    p.push_back(*sujet_id);
  }
  return as_opt_int(s.query(sql, p).rows[0][0]);
}

}  // namespace coop::discussion::store
