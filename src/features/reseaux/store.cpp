#include "features/reseaux/store.hpp"

#include <algorithm>
#include <set>

#include "features/statistiques/model.hpp"

namespace coop::reseaux::store {

using storage::as_int;
using storage::as_text;
using storage::is_null;
using storage::Params;
using storage::Value;

namespace {

std::optional<std::int64_t> opt_int(const Value& v) {
  if (is_null(v)) return std::nullopt;
  return as_int(v);
}

// "?, ?, ?" for the ids, appended to params; "NULL" when empty (IN (NULL) matches nothing).
std::string liste(const std::vector<std::int64_t>& ids, Params& params) {
  if (ids.empty()) return "NULL";
  std::string out;
  for (auto id : ids) {
    out += out.empty() ? "?" : ", ?";
    params.emplace_back(id);
  }
  return out;
}

void ecrire_territoires(Session& s, std::int64_t id, const std::vector<Territoire>& ts) {
  s.exec("DELETE FROM reseau_territoires WHERE reseau_id = ?", {id});
  for (const auto& t : ts)
    s.exec("INSERT INTO reseau_territoires (reseau_id, niveau, code) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
           {id, t.niveau, t.code});
}

constexpr const char* kSelect = "SELECT id, nom, description, canal_id, cree_par, cree_le, modifie_le FROM reseaux ";

std::vector<Reseau> lire_lignes(Session& s, const storage::Rows& rows) {
  std::vector<Reseau> out;
  for (const auto& r : rows.rows) {
    Reseau x;
    x.id = as_int(r[0]);
    x.nom = as_text(r[1]);
    x.description = as_text(r[2]);
    x.canal_id = opt_int(r[3]);
    x.cree_par = opt_int(r[4]);
    x.cree_le = as_text(r[5]);
    x.modifie_le = as_text(r[6]);
    for (const auto& t : s.query("SELECT niveau, code FROM reseau_territoires WHERE reseau_id = ? ORDER BY niveau, code", {x.id}).rows)
      x.territoires.push_back({as_text(t[0]), as_text(t[1])});
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<Invitation> lire_invitations(const storage::Rows& rows) {
  std::vector<Invitation> out;
  for (const auto& r : rows.rows) {
    Invitation i;
    i.id = as_int(r[0]);
    i.reseau_id = as_int(r[1]);
    i.structure_id = as_int(r[2]);
    i.reseau_nom = as_text(r[3]);
    i.structure_nom = as_text(r[4]);
    i.statut = as_text(r[5]);
    i.invitee_le = as_text(r[6]);
    i.invitee_par = opt_int(r[7]);
    i.invitee_par_nom = as_text(r[8]);
    if (!is_null(r[9])) i.repondue_le = as_text(r[9]);
    out.push_back(std::move(i));
  }
  return out;
}

constexpr const char* kSelectInvitation =
    "SELECT i.id, i.reseau_id, i.structure_id, r.nom, st.nom, i.statut, i.invitee_le, i.invitee_par, "
    "COALESCE(TRIM(u.prenom || ' ' || u.nom), ''), i.repondue_le "
    "FROM reseau_invitations i JOIN reseaux r ON r.id = i.reseau_id JOIN structures st ON st.id = i.structure_id "
    "LEFT JOIN users u ON u.id = i.invitee_par ";

// Mediators and coordinators employed (confirmed, today) in the structures, and their gestionnaires.
constexpr const char* kPersonnes =
    "SELECT u.id, e.structure_id, u.prenom, u.nom, r.role, st.nom, COALESCE(v.visible, 0), u.email, COALESCE(u.telephone, '') "
    "FROM employments e JOIN users u ON u.id = e.user_id AND u.disabled = 0 "
    "JOIN user_roles r ON r.user_id = u.id AND r.role IN ('mediateur', 'coordinateur') "
    "JOIN structures st ON st.id = e.structure_id LEFT JOIN annuaire_visibilite v ON v.user_id = u.id "
    "WHERE e.statut = 'confirme' AND e.debut <= ? AND (e.fin IS NULL OR e.fin >= ?) AND e.structure_id IN ({0}) "
    "UNION SELECT u.id, r.structure_id, u.prenom, u.nom, 'gestionnaire', st.nom, COALESCE(v.visible, 0), u.email, "
    "COALESCE(u.telephone, '') FROM user_roles r JOIN users u ON u.id = r.user_id AND u.disabled = 0 "
    "JOIN structures st ON st.id = r.structure_id LEFT JOIN annuaire_visibilite v ON v.user_id = u.id "
    "WHERE r.role = 'gestionnaire_structure' AND r.structure_id IN ({1})";

std::string remplacer(std::string sql, const std::string& a, const std::string& b) {
  auto i = sql.find("{0}");
  sql.replace(i, 3, a);
  auto j = sql.find("{1}");
  sql.replace(j, 3, b);
  return sql;
}

}  // namespace

std::int64_t creer(Session& s, const Saisie& d, std::int64_t par, const std::string& now) {
  auto id = s.insert("INSERT INTO reseaux (nom, description, cree_par, cree_le, modifie_le) VALUES (?, ?, ?, ?, ?)",
                     {d.nom, d.description, par, now, now});
  ecrire_territoires(s, id, d.territoires);
  ajouter_animateur(s, id, par, "createur", now);
  return id;
}

std::optional<Reseau> lire(Session& s, std::int64_t id) {
  auto v = lire_lignes(s, s.query(std::string(kSelect) + "WHERE id = ?", {id}));
  if (v.empty()) return std::nullopt;
  return std::move(v.front());
}

void modifier(Session& s, std::int64_t id, const Saisie& d, const std::string& now) {
  s.exec("UPDATE reseaux SET nom = ?, description = ?, modifie_le = ? WHERE id = ?", {d.nom, d.description, now, id});
  ecrire_territoires(s, id, d.territoires);
}

void lier_canal(Session& s, std::int64_t id, std::int64_t canal_id) {
  s.exec("UPDATE reseaux SET canal_id = ? WHERE id = ?", {canal_id, id});
}

void supprimer(Session& s, std::int64_t id) { s.exec("DELETE FROM reseaux WHERE id = ?", {id}); }

std::vector<Reseau> de_utilisateur(Session& s, std::int64_t user_id, const std::string& today) {
  return lire_lignes(
      s, s.query(std::string(kSelect) +
                     "WHERE id IN (SELECT reseau_id FROM reseau_animateurs WHERE user_id = ?) "
                     "OR id IN (SELECT rs.reseau_id FROM reseau_structures rs JOIN employments e ON e.structure_id = rs.structure_id "
                     "WHERE e.user_id = ? AND e.statut = 'confirme' AND e.debut <= ? AND (e.fin IS NULL OR e.fin >= ?)) "
                     "OR id IN (SELECT rs.reseau_id FROM reseau_structures rs JOIN user_roles r ON r.structure_id = rs.structure_id "
                     "WHERE r.user_id = ? AND r.role = 'gestionnaire_structure') ORDER BY nom, id",
                 {user_id, user_id, today, today, user_id}));
}

std::vector<Reseau> tous(Session& s) { return lire_lignes(s, s.query(std::string(kSelect) + "ORDER BY nom, id")); }

std::vector<StructureMembre> structures(Session& s, std::int64_t reseau_id) {
  std::vector<StructureMembre> out;
  for (const auto& r : s.query("SELECT st.id, st.nom, st.adresse, st.commune_insee, rs.depuis FROM reseau_structures rs "
                               "JOIN structures st ON st.id = rs.structure_id WHERE rs.reseau_id = ? ORDER BY st.nom, st.id",
                               {reseau_id})
                           .rows)
    out.push_back({as_int(r[0]), as_text(r[1]), as_text(r[2]), as_text(r[3]), as_text(r[4])});
  return out;
}

std::vector<std::int64_t> ids_structures(Session& s, std::int64_t reseau_id) {
  std::vector<std::int64_t> out;
  for (const auto& r : s.query("SELECT structure_id FROM reseau_structures WHERE reseau_id = ? ORDER BY structure_id", {reseau_id}).rows)
    out.push_back(as_int(r[0]));
  return out;
}

bool ajouter_structure(Session& s, std::int64_t reseau_id, std::int64_t structure_id, std::optional<std::int64_t> par,
                       const std::string& now) {
  const Value p = storage::nullable(par);
  auto n = s.exec("INSERT INTO reseau_structures (reseau_id, structure_id, depuis, ajoutee_par) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT DO NOTHING",
                  {reseau_id, structure_id, now, p});
  s.exec("UPDATE reseau_invitations SET statut = 'acceptee', repondue_par = ?, repondue_le = ? "
         "WHERE reseau_id = ? AND structure_id = ? AND statut = 'en_attente'",
         {p, now, reseau_id, structure_id});
  return n > 0;
}

bool retirer_structure(Session& s, std::int64_t reseau_id, std::int64_t structure_id) {
  return s.exec("DELETE FROM reseau_structures WHERE reseau_id = ? AND structure_id = ?", {reseau_id, structure_id}) > 0;
}

std::vector<Animateur> animateurs(Session& s, std::int64_t reseau_id) {
  std::vector<Animateur> out;
  for (const auto& r : s.query("SELECT u.id, u.prenom, u.nom, u.email, a.role FROM reseau_animateurs a JOIN users u ON u.id = a.user_id "
                               "WHERE a.reseau_id = ? ORDER BY a.role DESC, u.nom, u.id",
                               {reseau_id})
                           .rows)
    out.push_back({as_int(r[0]), as_text(r[1]), as_text(r[2]), as_text(r[3]), as_text(r[4])});
  return out;
}

bool est_animateur(Session& s, std::int64_t reseau_id, std::int64_t user_id) {
  return !s.query("SELECT 1 FROM reseau_animateurs WHERE reseau_id = ? AND user_id = ?", {reseau_id, user_id}).rows.empty();
}

bool ajouter_animateur(Session& s, std::int64_t reseau_id, std::int64_t user_id, const std::string& role,
                       const std::string& now) {
  return s.exec("INSERT INTO reseau_animateurs (reseau_id, user_id, role, depuis) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                {reseau_id, user_id, role, now}) > 0;
}

bool retirer_animateur(Session& s, std::int64_t reseau_id, std::int64_t user_id) {
  return s.exec("DELETE FROM reseau_animateurs WHERE reseau_id = ? AND user_id = ?", {reseau_id, user_id}) > 0;
}

Invite inviter(Session& s, std::int64_t reseau_id, std::int64_t structure_id, std::int64_t par, const std::string& now) {
  auto id = s.insert("INSERT INTO reseau_invitations (reseau_id, structure_id, statut, invitee_par, invitee_le) "
                     "VALUES (?, ?, 'en_attente', ?, ?) ON CONFLICT DO NOTHING",
                     {reseau_id, structure_id, par, now});
  if (id > 0) return {id, true};
  auto r = s.query("SELECT id FROM reseau_invitations WHERE reseau_id = ? AND structure_id = ? AND statut = 'en_attente'",
                   {reseau_id, structure_id});
  return {r.rows.empty() ? 0 : as_int(r.rows[0][0]), false};
}

std::optional<Invitation> invitation(Session& s, std::int64_t id) {
  auto v = lire_invitations(s.query(std::string(kSelectInvitation) + "WHERE i.id = ?", {id}));
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<Invitation> invitations_du_reseau(Session& s, std::int64_t reseau_id) {
  return lire_invitations(s.query(std::string(kSelectInvitation) + "WHERE i.reseau_id = ? AND i.statut = 'en_attente' ORDER BY i.id",
                                  {reseau_id}));
}

std::vector<Invitation> invitations_pour(Session& s, const std::vector<std::int64_t>& structures) {
  Params p;
  auto in = liste(structures, p);
  return lire_invitations(
      s.query(std::string(kSelectInvitation) + "WHERE i.statut = 'en_attente' AND i.structure_id IN (" + in + ") ORDER BY i.id", p));
}

bool repondre(Session& s, std::int64_t invitation_id, bool accepte, std::int64_t par, const std::string& now) {
  auto inv = invitation(s, invitation_id);
  if (!inv || inv->statut != "en_attente") return false;
  if (s.exec("UPDATE reseau_invitations SET statut = ?, repondue_par = ?, repondue_le = ? WHERE id = ? AND statut = 'en_attente'",
             {std::string(accepte ? "acceptee" : "refusee"), par, now, invitation_id}) == 0)
    return false;
  if (accepte) ajouter_structure(s, inv->reseau_id, inv->structure_id, par, now);
  return true;
}

std::vector<Personne> personnes(Session& s, const std::vector<std::int64_t>& structures, const std::string& today) {
  std::vector<Personne> out;
  if (structures.empty()) return out;
  Params p{today, today};
  auto a = liste(structures, p);
  auto b = liste(structures, p);
  for (const auto& r : s.query(remplacer(kPersonnes, a, b), p).rows) {
    Personne x;
    x.user_id = as_int(r[0]);
    x.structure_id = as_int(r[1]);
    x.prenom = as_text(r[2]);
    x.nom = as_text(r[3]);
    x.role = as_text(r[4]);
    x.structure_nom = as_text(r[5]);
    x.visible = as_int(r[6]) != 0;
    if (x.visible) {
      x.email = as_text(r[7]);
      x.telephone = as_text(r[8]);
    }
    out.push_back(std::move(x));
  }
  std::sort(out.begin(), out.end(), [](const Personne& l, const Personne& r) {
    return std::tie(l.nom, l.prenom, l.user_id, l.structure_id, l.role) < std::tie(r.nom, r.prenom, r.user_id, r.structure_id, r.role);
  });
  return out;
}

bool personne_des_structures(Session& s, const std::vector<std::int64_t>& structures, std::int64_t user_id,
                             const std::string& today) {
  for (const auto& p : personnes(s, structures, today))
    if (p.user_id == user_id) return true;
  return false;
}

std::vector<std::int64_t> coordinateurs(Session& s, const std::vector<std::int64_t>& structures) {
  Params p;
  auto in = liste(structures, p);
  std::vector<std::int64_t> out;
  for (const auto& r : s.query("SELECT DISTINCT e.user_id FROM employments e JOIN user_roles r ON r.user_id = e.user_id "
                               "AND r.role = 'coordinateur' WHERE e.statut = 'confirme' AND e.structure_id IN (" + in +
                                   ") ORDER BY e.user_id",
                               p)
                           .rows)
    out.push_back(as_int(r[0]));
  return out;
}

std::vector<std::int64_t> lieux(Session& s, const std::vector<std::int64_t>& structures, const std::string& today) {
  Params p;
  auto a = liste(structures, p);
  p.emplace_back(today);
  p.emplace_back(today);
  p.emplace_back(today);
  p.emplace_back(today);
  auto b = liste(structures, p);
  std::vector<std::int64_t> out;
  for (const auto& r : s.query("SELECT l.id FROM lieux l WHERE l.structure_id IN (" + a + ") OR l.structure_id IN ("
                               "SELECT la.structure_id FROM lieux_activite la JOIN employments e ON e.user_id = la.mediateur_id "
                               "WHERE la.debut <= ? AND (la.fin IS NULL OR la.fin >= ?) AND e.statut = 'confirme' AND e.debut <= ? "
                               "AND (e.fin IS NULL OR e.fin >= ?) AND e.structure_id IN (" + b + ")) ORDER BY l.id",
                               p)
                           .rows)
    out.push_back(as_int(r[0]));
  return out;
}

std::vector<std::int64_t> lieux_du_departement(Session& s, const std::string& departement,
                                               const std::vector<std::int64_t>& structures, const std::string& today) {
  std::set<std::int64_t> ids;
  for (auto id : lieux(s, structures, today)) ids.insert(id);
  for (const auto& r : s.query("SELECT id FROM lieux WHERE departement = ? AND visible_carte = 1 AND services <> ''", {departement}).rows)
    ids.insert(as_int(r[0]));
  return {ids.begin(), ids.end()};
}

std::vector<std::int64_t> structures_du_departement(Session& s, const std::string& departement) {
  std::vector<std::int64_t> out;
  for (const auto& r : s.query("SELECT id, commune_insee FROM structures ORDER BY id").rows)
    if (statistiques::departement_of(as_text(r[1])) == departement) out.push_back(as_int(r[0]));
  return out;
}

accounts::DroitsReseau droits(Session& s, std::int64_t reseau_id, std::int64_t user_id, const std::string& today) {
  accounts::DroitsReseau d;
  auto r = s.query("SELECT role FROM reseau_animateurs WHERE reseau_id = ? AND user_id = ?", {reseau_id, user_id});
  d.animateur = !r.rows.empty();
  d.createur = d.animateur && as_text(r.rows[0][0]) == "createur";
  d.membre = personne_des_structures(s, ids_structures(s, reseau_id), user_id, today);
  return d;
}

bool visible(Session& s, std::int64_t user_id) {
  auto r = s.query("SELECT visible FROM annuaire_visibilite WHERE user_id = ?", {user_id});
  return !r.rows.empty() && as_int(r.rows[0][0]) != 0;
}

void choisir_visibilite(Session& s, std::int64_t user_id, bool v, const std::string& now) {
  s.exec("INSERT INTO annuaire_visibilite (user_id, visible, modifie_le) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE "
         "SET visible = excluded.visible, modifie_le = excluded.modifie_le",
         {user_id, std::int64_t{v ? 1 : 0}, now});
}

}  // namespace coop::reseaux::store
