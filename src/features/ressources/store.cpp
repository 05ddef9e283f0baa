#include "features/ressources/store.hpp"

#include <algorithm>
#include <set>

#include "core/francais.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/fichiers/store.hpp"
#include "features/ressources/store_sql.hpp"

namespace coop::ressources::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Dialect;
using storage::Params;
using storage::Session;
using storage::Value;

std::string sql_reseau(const Lecteur& l, Params& p) {
  const Value u = l.user_id, d = l.aujourdhui;
  p.insert(p.end(), {u, d, u, u, d, d, d, u, u, u, d, d});
  return "(EXISTS (SELECT 1 FROM employments e WHERE e.user_id = ? AND e.structure_id = r.structure_id "
         "AND (e.fin IS NULL OR e.fin >= ?)) "
         "OR EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = ? AND ur.role = 'gestionnaire_structure' "
         "AND ur.structure_id = r.structure_id) "
         "OR EXISTS (SELECT 1 FROM employments e1 JOIN employments e2 ON e2.structure_id = e1.structure_id "
         "WHERE e1.user_id = ? AND e2.user_id = r.auteur_id AND (e1.fin IS NULL OR e1.fin >= ?) "
         "AND (e2.fin IS NULL OR e2.fin >= ?)) "
         "OR EXISTS (SELECT 1 FROM team_members t WHERE (t.fin IS NULL OR t.fin >= ?) AND "
         "((t.coordinateur_id = ? AND t.mediateur_id = r.auteur_id) OR (t.coordinateur_id = r.auteur_id AND t.mediateur_id = ?))) "
         "OR EXISTS (SELECT 1 FROM team_members t1 JOIN team_members t2 ON t2.coordinateur_id = t1.coordinateur_id "
         "WHERE t1.mediateur_id = ? AND t2.mediateur_id = r.auteur_id AND (t1.fin IS NULL OR t1.fin >= ?) "
         "AND (t2.fin IS NULL OR t2.fin >= ?)))";
}

std::string sql_visible(const Lecteur& l, Params& p) {
  if (l.user_id == 0) return "(r.statut = 'publie' AND r.masque_le IS NULL AND r.visibilite = 'public')";
  const std::int64_t mod = l.moderateur ? 1 : 0;
  p.insert(p.end(), {l.user_id, mod, mod});
  std::string sql = "(r.auteur_id = ? OR (r.statut = 'publie' AND (r.masque_le IS NULL OR ? = 1) AND "
                    "(r.visibilite = 'public' OR (r.visibilite = 'equipe' AND (? = 1 OR ";
  sql += sql_reseau(l, p);
  return sql + ")))))";
}

namespace {

constexpr const char* kColonnes =
    "r.id, r.auteur_id, r.auteur_nom, r.structure_id, COALESCE(st.nom, ''), r.titre, r.resume, r.description, "
    "r.description_html, r.format, r.niveau, r.duree_minutes, r.licence, r.visibilite, r.statut, r.version, "
    "r.origine_id, r.origine_credit, r.vues, r.telechargements, r.utiles, "
    "(SELECT COUNT(*) FROM ressources_commentaires c WHERE c.ressource_id = r.id AND c.supprime_le IS NULL), "
    "r.masque_le, r.masque_motif, r.cree_le, r.modifie_le, r.publie_le";

Ressource ressource_de(const std::vector<Value>& v) {
  int i = 0;
  Ressource r;
  r.id = as_int(v[i++]);
  r.auteur_id = as_opt_int(v[i++]);
  r.auteur_nom = as_text(v[i++]);
  r.structure_id = as_opt_int(v[i++]);
  r.structure_nom = as_text(v[i++]);
  r.titre = as_text(v[i++]);
  r.resume = as_text(v[i++]);
  r.description = as_text(v[i++]);
  r.description_html = as_text(v[i++]);
  r.format = as_text(v[i++]);
  r.niveau = as_text(v[i++]);
  r.duree_minutes = as_opt_int(v[i++]);
  r.licence = as_text(v[i++]);
  r.visibilite = as_text(v[i++]);
  r.statut = as_text(v[i++]);
  r.version = as_int(v[i++]);
  r.origine_id = as_opt_int(v[i++]);
  r.origine_credit = as_opt_text(v[i++]);
  r.vues = as_int(v[i++]);
  r.telechargements = as_int(v[i++]);
  r.utiles = as_int(v[i++]);
  r.commentaires = as_int(v[i++]);
  r.masque_le = as_opt_text(v[i++]);
  r.masque_motif = as_opt_text(v[i++]);
  r.cree_le = as_text(v[i++]);
  r.modifie_le = as_text(v[i++]);
  r.publie_le = as_opt_text(v[i++]);
  return r;
}

void ecrire_codes(Session& s, std::int64_t id, const Saisie& e) {
  s.exec("DELETE FROM ressources_thematiques WHERE ressource_id = ?", {id});
  s.exec("DELETE FROM ressources_publics WHERE ressource_id = ?", {id});
  s.exec("DELETE FROM ressources_liens WHERE ressource_id = ?", {id});
  for (const auto& t : e.thematiques) s.exec("INSERT INTO ressources_thematiques (ressource_id, code) VALUES (?, ?)", {id, t});
  for (const auto& t : e.publics) s.exec("INSERT INTO ressources_publics (ressource_id, code) VALUES (?, ?)", {id, t});
  for (std::size_t i = 0; i < e.liens.size(); ++i)
    s.exec("INSERT INTO ressources_liens (ressource_id, rang, url, titre) VALUES (?, ?, ?, ?)",
           {id, static_cast<std::int64_t>(i), e.liens[i].url, e.liens[i].titre});
}

// At most this many bytes of stems in a resource's index (a PostgreSQL tsvector holds < 1 MB).
constexpr std::size_t kIndexMax = 400 * 1024;

}  // namespace

std::int64_t creer(Session& s, const Ecriture& e) {
  const auto now = core::now_iso();
  const auto& x = e.saisie;
  auto id = s.insert(
      "INSERT INTO ressources (auteur_id, auteur_nom, structure_id, titre, resume, description, description_html, format, "
      "niveau, duree_minutes, licence, visibilite, statut, version, origine_id, origine_credit, cree_le, modifie_le, publie_le) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
      {e.auteur_id, e.auteur_nom, storage::nullable(x.structure_id), x.titre, x.resume, x.description, e.description_html,
       x.format, x.niveau, storage::nullable(x.duree_minutes), x.licence, x.visibilite, x.statut,
       storage::nullable(e.origine_id), storage::nullable(e.origine_credit), now, now,
       x.statut == "publie" ? Value(now) : Value(nullptr)});
  ecrire_codes(s, id, x);
  return id;
}

void modifier(Session& s, std::int64_t id, const Ecriture& e, const std::string& note) {
  auto avant = charger(s, id);
  if (!avant) return;
  const auto now = core::now_iso();
  const auto& x = e.saisie;
  std::int64_t version = avant->version;
  if (avant->statut == "publie") {
    s.exec("INSERT INTO ressources_versions (ressource_id, version, note, titre, resume, description, auteur_id, cree_le) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
           {id, version, note, avant->titre, avant->resume, avant->description, e.auteur_id, now});
    ++version;
  }
  s.exec("UPDATE ressources SET structure_id = ?, titre = ?, resume = ?, description = ?, description_html = ?, format = ?, "
         "niveau = ?, duree_minutes = ?, licence = ?, visibilite = ?, statut = ?, version = ?, modifie_le = ?, "
         "publie_le = COALESCE(publie_le, ?) WHERE id = ?",
         {storage::nullable(x.structure_id), x.titre, x.resume, x.description, e.description_html, x.format, x.niveau,
          storage::nullable(x.duree_minutes), x.licence, x.visibilite, x.statut, version, now,
          x.statut == "publie" ? Value(now) : Value(nullptr), id});
  ecrire_codes(s, id, x);
}

std::vector<Ressource> charger(Session& s, const std::vector<std::int64_t>& ids) {
  std::vector<Ressource> out;
  if (ids.empty()) return out;
  std::map<std::int64_t, std::size_t> rang;
  for (std::size_t debut = 0; debut < ids.size(); debut += 500) {
    const std::size_t fin = std::min(ids.size(), debut + 500);
    std::string in;
    Params p;
    for (std::size_t i = debut; i < fin; ++i) {
      in += i == debut ? "?" : ", ?";
      p.emplace_back(ids[i]);
    }
    for (auto& r : s.query(std::string("SELECT ") + kColonnes +
                               " FROM ressources r LEFT JOIN structures st ON st.id = r.structure_id WHERE r.id IN (" + in + ")",
                           p).rows) {
      rang[as_int(r[0])] = out.size();
      out.push_back(ressource_de(r));
    }
    for (const char* t : {"ressources_thematiques", "ressources_publics"})
      for (auto& r : s.query(std::string("SELECT ressource_id, code FROM ") + t + " WHERE ressource_id IN (" + in +
                                 ") ORDER BY ressource_id, code",
                             p).rows) {
        auto& x = out[rang.at(as_int(r[0]))];
        (std::string_view(t) == "ressources_thematiques" ? x.thematiques : x.publics).push_back(as_text(r[1]));
      }
    for (auto& r : s.query("SELECT ressource_id, url, titre FROM ressources_liens WHERE ressource_id IN (" + in +
                               ") ORDER BY ressource_id, rang",
                           p).rows)
      out[rang.at(as_int(r[0]))].liens.push_back(Lien{.url = as_text(r[1]), .titre = as_text(r[2])});
  }
  std::vector<Ressource> ordonnees;
  ordonnees.reserve(out.size());
  for (auto id : ids)
    if (auto it = rang.find(id); it != rang.end()) ordonnees.push_back(out[it->second]);
  return ordonnees;
}

std::optional<Ressource> charger(Session& s, std::int64_t id) {
  auto v = charger(s, std::vector<std::int64_t>{id});
  if (v.empty()) return std::nullopt;
  return std::move(v[0]);
}

void supprimer_orphelins(Session& s, const std::vector<std::string>& shas) {
  for (const auto& sha : shas)
    s.exec("DELETE FROM fichiers WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM fichiers_references r WHERE r.sha256 = ?)",
           {sha, sha});
}

std::vector<std::string> ajuster_fichiers(Session& s, std::int64_t id, const std::vector<std::string>& garder) {
  std::set<std::string> voulus(garder.begin(), garder.end()), retires;
  for (const auto& p : fichiers::store::pieces(s, kDomaine, {id})) {
    if (voulus.erase(p.fichier.sha256)) continue;
    s.exec("DELETE FROM fichiers_references WHERE domaine = ? AND objet_id = ? AND sha256 = ?",
           {std::string(kDomaine), id, p.fichier.sha256});
    retires.insert(p.fichier.sha256);
  }
  supprimer_orphelins(s, {retires.begin(), retires.end()});
  return {voulus.begin(), voulus.end()};
}

void copier_fichiers(Session& s, std::int64_t de, std::int64_t vers) {
  s.exec("INSERT INTO fichiers_references (sha256, domaine, objet_id, nom, cree_le) SELECT sha256, domaine, ?, nom, ? "
         "FROM fichiers_references WHERE domaine = ? AND objet_id = ?",
         {vers, core::now_iso(), std::string(kDomaine), de});
}

void supprimer(Session& s, std::int64_t id) {
  std::vector<std::string> shas;
  for (const auto& p : fichiers::store::pieces(s, kDomaine, {id})) shas.push_back(p.fichier.sha256);
  fichiers::store::dereferencer(s, kDomaine, id);
  supprimer_orphelins(s, shas);
  if (s.dialect() == Dialect::sqlite) s.exec("DELETE FROM ressources_recherche WHERE rowid = ?", {id});
  s.exec("UPDATE ressources SET origine_id = NULL WHERE origine_id = ?", {id});
  s.exec("DELETE FROM ressources WHERE id = ?", {id});
}

void reindexer(Session& s, std::int64_t id) {
  auto r = charger(s, id);
  if (!r) return;
  std::string corps = r->titre + "\n" + r->resume + "\n" + r->description;
  for (const auto& l : r->liens) corps += "\n" + l.titre;
  for (const auto& piece : fichiers::store::pieces(s, kDomaine, {id})) {
    corps += "\n" + piece.nom;
    auto t = s.query("SELECT texte FROM ressources_textes WHERE sha256 = ?", {piece.fichier.sha256});
    if (!t.empty()) corps += "\n" + as_text(t.rows[0][0]);
  }
  const std::string titre = francais::indexer(r->titre), resume = francais::indexer(r->resume);
  std::string tout = francais::indexer(corps);
  if (tout.size() > kIndexMax) {
    tout = core::utf8_prefix(tout, kIndexMax);
    if (auto sp = tout.rfind(' '); sp != std::string::npos) tout.resize(sp);
  }
  if (s.dialect() == Dialect::postgres) {
    s.exec("INSERT INTO ressources_recherche (id, recherche, recherche_titre, recherche_resume) VALUES "
           "(?, to_tsvector('simple', ?), to_tsvector('simple', ?), to_tsvector('simple', ?)) ON CONFLICT (id) DO UPDATE SET "
           "recherche = EXCLUDED.recherche, recherche_titre = EXCLUDED.recherche_titre, recherche_resume = EXCLUDED.recherche_resume",
           {id, tout, titre, resume});
  } else {
    s.exec("DELETE FROM ressources_recherche WHERE rowid = ?", {id});
    s.exec("INSERT INTO ressources_recherche (rowid, titre, resume, corps) VALUES (?, ?, ?, ?)", {id, titre, resume, tout});
  }
}

bool employe(Session& s, std::int64_t user_id, std::int64_t structure_id, const std::string& aujourdhui) {
  return !s.query("SELECT 1 FROM employments WHERE user_id = ? AND structure_id = ? AND (fin IS NULL OR fin >= ?)",
                  {user_id, structure_id, aujourdhui})
              .empty();
}

std::optional<std::string> nom_structure(Session& s, std::int64_t structure_id) {
  auto r = s.query("SELECT nom FROM structures WHERE id = ?", {structure_id});
  if (r.empty()) return std::nullopt;
  return as_text(r.rows[0][0]);
}

std::vector<StructureNommee> structures_de(Session& s, std::int64_t user_id, const std::vector<std::int64_t>& gerees,
                                           const std::string& aujourdhui) {
  std::vector<StructureNommee> out;
  std::set<std::int64_t> vus;
  auto rows = s.query("SELECT DISTINCT st.id, st.nom FROM employments e JOIN structures st ON st.id = e.structure_id "
                      "WHERE e.user_id = ? AND (e.fin IS NULL OR e.fin >= ?)",
                      {user_id, aujourdhui});
  for (const auto& row : rows.rows)
    if (vus.insert(as_int(row[0])).second) out.push_back({.id = as_int(row[0]), .nom = as_text(row[1])});
  for (auto id : gerees)
    if (!vus.contains(id))
      if (auto nom = nom_structure(s, id)) {
        vus.insert(id);
        out.push_back({.id = id, .nom = *nom});
      }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.nom != b.nom ? a.nom < b.nom : a.id < b.id; });
  return out;
}

Relation relation(Session& s, const Lecteur& l, const Ressource& r) {
  Relation out;
  if (l.user_id == 0) return out;
  Params p;
  std::string sql = "SELECT CASE WHEN " + sql_reseau(l, p) + " THEN 1 ELSE 0 END FROM ressources r WHERE r.id = ?";
  p.emplace_back(r.id);
  auto rows = s.query(sql, p);
  out.dans_le_reseau = !rows.empty() && as_int(rows.rows[0][0]) != 0;
  if (r.structure_id)
    out.gere_la_structure = !s.query("SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'gestionnaire_structure' AND structure_id = ?",
                                     {l.user_id, *r.structure_id})
                                 .empty();
  return out;
}

std::vector<std::int64_t> publiques(Session& s, const std::optional<std::pair<std::string, std::int64_t>>& apres,
                                    std::int64_t limite) {
  std::string sql = "SELECT r.id FROM ressources r WHERE r.statut = 'publie' AND r.masque_le IS NULL AND r.visibilite = 'public'";
  Params p;
  if (apres) {
    sql += " AND (r.modifie_le > ? OR (r.modifie_le = ? AND r.id > ?))";
    p = {apres->first, apres->first, apres->second};
  }
  sql += " ORDER BY r.modifie_le, r.id LIMIT ?";
  p.emplace_back(limite);
  std::vector<std::int64_t> out;
  for (auto& r : s.query(sql, p).rows) out.push_back(as_int(r[0]));
  return out;
}

std::int64_t purger_changements(Session& s, const std::string& avant, std::int64_t limite) {
  return s.exec("DELETE FROM ressources_changements WHERE seq IN (SELECT seq FROM ressources_changements WHERE seq < "
                "(SELECT MAX(seq) FROM ressources_changements) ORDER BY seq LIMIT ?) AND cree_le < ?",
                {limite, avant});
}

std::vector<Version> versions(Session& s, std::int64_t id) {
  std::vector<Version> out;
  for (auto& r : s.query("SELECT version, note, titre, resume, cree_le, auteur_id FROM ressources_versions WHERE ressource_id = ? "
                         "ORDER BY version DESC",
                         {id}).rows)
    out.push_back(Version{.version = as_int(r[0]), .note = as_text(r[1]), .titre = as_text(r[2]), .resume = as_text(r[3]),
                          .cree_le = as_text(r[4]), .auteur_id = as_opt_int(r[5])});
  return out;
}

void compter_vue(Session& s, std::int64_t id) { s.exec("UPDATE ressources SET vues = vues + 1 WHERE id = ?", {id}); }
void compter_telechargement(Session& s, std::int64_t id) {
  s.exec("UPDATE ressources SET telechargements = telechargements + 1 WHERE id = ?", {id});
}

bool texte_connu(Session& s, const std::string& sha256) {
  return !s.query("SELECT 1 FROM ressources_textes WHERE sha256 = ?", {sha256}).empty();
}

void enregistrer_texte(Session& s, const std::string& sha256, const std::string& texte) {
  s.exec("INSERT INTO ressources_textes (sha256, texte, extrait_le) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
         {sha256, texte, core::now_iso()});
}

std::vector<std::int64_t> ressources_du_fichier(Session& s, const std::string& sha256) {
  std::vector<std::int64_t> out;
  for (auto& r : s.query("SELECT objet_id FROM fichiers_references WHERE sha256 = ? AND domaine = ?", {sha256, std::string(kDomaine)}).rows)
    out.push_back(as_int(r[0]));
  return out;
}

}  // namespace coop::ressources::store
