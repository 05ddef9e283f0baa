// Collections, favourites, follows, « utile » votes, comments, reports and moderation.
#include "core/time.hpp"
#include "features/ressources/store.hpp"
#include "features/ressources/store_sql.hpp"

namespace coop::ressources::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Params;
using storage::Session;
using storage::Value;

namespace {

constexpr const char* kCollection =
    "SELECT c.id, c.titre, c.description, c.proprietaire_id, c.structure_id, "
    "COALESCE(st.nom, TRIM(u.prenom || ' ' || u.nom), ''), c.publique, "
    "(SELECT COUNT(*) FROM ressources_collection_elements e WHERE e.collection_id = c.id), c.cree_le, c.modifie_le "
    "FROM ressources_collections c LEFT JOIN structures st ON st.id = c.structure_id "
    "LEFT JOIN users u ON u.id = c.proprietaire_id ";

Collection collection_de(const std::vector<Value>& r) {
  return Collection{.id = as_int(r[0]),
                    .titre = as_text(r[1]),
                    .description = as_text(r[2]),
                    .proprietaire_id = as_opt_int(r[3]),
                    .structure_id = as_opt_int(r[4]),
                    .proprietaire_nom = as_text(r[5]),
                    .publique = as_int(r[6]) != 0,
                    .nombre = as_int(r[7]),
                    .cree_le = as_text(r[8]),
                    .modifie_le = as_text(r[9])};
}

}  // namespace

std::int64_t creer_collection(Session& s, const Collection& c, std::int64_t cree_par) {
  const auto now = core::now_iso();
  return s.insert("INSERT INTO ressources_collections (titre, description, proprietaire_id, structure_id, publique, cree_par, "
                  "cree_le, modifie_le) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  {c.titre, c.description, storage::nullable(c.proprietaire_id), storage::nullable(c.structure_id),
                   std::int64_t{c.publique ? 1 : 0}, cree_par, now, now});
}

void modifier_collection(Session& s, const Collection& c) {
  s.exec("UPDATE ressources_collections SET titre = ?, description = ?, publique = ?, modifie_le = ? WHERE id = ?",
         {c.titre, c.description, std::int64_t{c.publique ? 1 : 0}, core::now_iso(), c.id});
}

void supprimer_collection(Session& s, std::int64_t id) { s.exec("DELETE FROM ressources_collections WHERE id = ?", {id}); }

std::optional<Collection> collection(Session& s, std::int64_t id) {
  auto r = s.query(std::string(kCollection) + "WHERE c.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return collection_de(r.rows[0]);
}

std::vector<Collection> collections(Session& s, std::int64_t viewer, const std::string& aujourdhui,
                                    std::optional<std::int64_t> proprietaire, std::optional<std::int64_t> structure,
                                    bool seulement_miennes) {
  // Mine: my own and those of the structures I work for or manage.
  const std::string miennes =
      "(c.proprietaire_id = ? OR c.structure_id IN (SELECT structure_id FROM employments WHERE user_id = ? AND "
      "(fin IS NULL OR fin >= ?)) OR c.structure_id IN (SELECT structure_id FROM user_roles WHERE user_id = ? AND "
      "role = 'gestionnaire_structure'))";
  Params p{viewer, viewer, aujourdhui, viewer};
  std::string sql = std::string(kCollection) + "WHERE " + (seulement_miennes ? miennes : "(c.publique = 1 OR " + miennes + ")");
  if (proprietaire) { sql += " AND c.proprietaire_id = ?"; p.emplace_back(*proprietaire); }
  if (structure) { sql += " AND c.structure_id = ?"; p.emplace_back(*structure); }
  sql += " ORDER BY c.modifie_le DESC, c.id DESC LIMIT 200";
  std::vector<Collection> out;
  for (auto& r : s.query(sql, p).rows) out.push_back(collection_de(r));
  return out;
}

bool ajouter(Session& s, std::int64_t collection_id, std::int64_t ressource_id, std::int64_t user_id) {
  const auto n = s.exec("INSERT INTO ressources_collection_elements (collection_id, ressource_id, ajoute_par, ajoute_le) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (collection_id, ressource_id) DO NOTHING",
                        {collection_id, ressource_id, user_id, core::now_iso()});
  s.exec("UPDATE ressources_collections SET modifie_le = ? WHERE id = ?", {core::now_iso(), collection_id});
  return n > 0;
}

bool retirer(Session& s, std::int64_t collection_id, std::int64_t ressource_id) {
  return s.exec("DELETE FROM ressources_collection_elements WHERE collection_id = ? AND ressource_id = ?",
                {collection_id, ressource_id}) > 0;
}

std::vector<std::int64_t> collections_de(Session& s, std::int64_t ressource_id) {
  std::vector<std::int64_t> out;
  for (auto& r : s.query("SELECT collection_id FROM ressources_collection_elements WHERE ressource_id = ? ORDER BY collection_id",
                         {ressource_id}).rows)
    out.push_back(as_int(r[0]));
  return out;
}

bool basculer(Session& s, const char* table, std::int64_t user_id, std::int64_t ressource_id, bool oui) {
  const std::string t = table;  // "ressources_favoris" | "ressources_utiles", written in the code
  if (oui)
    return s.exec("INSERT INTO " + t + " (user_id, ressource_id, cree_le) VALUES (?, ?, ?) ON CONFLICT (user_id, ressource_id) DO NOTHING",
                  {user_id, ressource_id, core::now_iso()}) > 0;
  return s.exec("DELETE FROM " + t + " WHERE user_id = ? AND ressource_id = ?", {user_id, ressource_id}) > 0;
}

bool est_dans(Session& s, const char* table, std::int64_t user_id, std::int64_t ressource_id) {
  return !s.query(std::string("SELECT 1 FROM ") + table + " WHERE user_id = ? AND ressource_id = ?", {user_id, ressource_id}).empty();
}

void recompter_utiles(Session& s, std::int64_t id) {
  s.exec("UPDATE ressources SET utiles = (SELECT COUNT(*) FROM ressources_utiles u WHERE u.ressource_id = ressources.id) WHERE id = ?", {id});
}

bool suivre(Session& s, std::int64_t user_id, std::optional<std::int64_t> collection_id, std::optional<std::int64_t> auteur_id,
            bool oui) {
  if (oui) {
    if (suit(s, user_id, collection_id, auteur_id)) return false;
    s.insert("INSERT INTO ressources_suivis (user_id, collection_id, auteur_id, cree_le) VALUES (?, ?, ?, ?)",
             {user_id, storage::nullable(collection_id), storage::nullable(auteur_id), core::now_iso()});
    return true;
  }
  return s.exec("DELETE FROM ressources_suivis WHERE user_id = ? AND COALESCE(collection_id, 0) = ? AND COALESCE(auteur_id, 0) = ?",
                {user_id, collection_id.value_or(0), auteur_id.value_or(0)}) > 0;
}

bool suit(Session& s, std::int64_t user_id, std::optional<std::int64_t> collection_id, std::optional<std::int64_t> auteur_id) {
  return !s.query("SELECT 1 FROM ressources_suivis WHERE user_id = ? AND COALESCE(collection_id, 0) = ? AND COALESCE(auteur_id, 0) = ?",
                  {user_id, collection_id.value_or(0), auteur_id.value_or(0)})
              .empty();
}

std::vector<Suivi> suivis(Session& s, std::int64_t user_id) {
  std::vector<Suivi> out;
  for (auto& r : s.query("SELECT f.collection_id, f.auteur_id, COALESCE(c.titre, TRIM(u.prenom || ' ' || u.nom), ''), f.cree_le "
                         "FROM ressources_suivis f LEFT JOIN ressources_collections c ON c.id = f.collection_id "
                         "LEFT JOIN users u ON u.id = f.auteur_id WHERE f.user_id = ? ORDER BY f.cree_le DESC, f.id DESC",
                         {user_id}).rows)
    out.push_back(Suivi{.collection_id = as_opt_int(r[0]), .auteur_id = as_opt_int(r[1]), .nom = as_text(r[2]), .cree_le = as_text(r[3])});
  return out;
}

// ---- Comments

namespace {
constexpr const char* kCommentaire =
    "SELECT id, ressource_id, auteur_id, auteur_nom, texte, html, cree_le FROM ressources_commentaires ";
Commentaire commentaire_de(const std::vector<Value>& r) {
  return Commentaire{.id = as_int(r[0]), .ressource_id = as_int(r[1]), .auteur_id = as_opt_int(r[2]), .auteur_nom = as_text(r[3]),
                     .texte = as_text(r[4]), .html = as_text(r[5]), .cree_le = as_text(r[6])};
}
}  // namespace

std::int64_t commenter(Session& s, std::int64_t ressource_id, std::int64_t auteur_id, const std::string& nom,
                       const std::string& texte, const std::string& html) {
  return s.insert("INSERT INTO ressources_commentaires (ressource_id, auteur_id, auteur_nom, texte, html, cree_le) VALUES (?, ?, ?, ?, ?, ?)",
                  {ressource_id, auteur_id, nom, texte, html, core::now_iso()});
}

std::vector<Commentaire> commentaires(Session& s, std::int64_t ressource_id) {
  std::vector<Commentaire> out;
  for (auto& r : s.query(std::string(kCommentaire) + "WHERE ressource_id = ? AND supprime_le IS NULL ORDER BY cree_le, id LIMIT 500",
                         {ressource_id}).rows)
    out.push_back(commentaire_de(r));
  return out;
}

std::optional<Commentaire> commentaire(Session& s, std::int64_t id) {
  auto r = s.query(std::string(kCommentaire) + "WHERE id = ? AND supprime_le IS NULL", {id});
  if (r.empty()) return std::nullopt;
  return commentaire_de(r.rows[0]);
}

void supprimer_commentaire(Session& s, std::int64_t id) {
  s.exec("UPDATE ressources_commentaires SET supprime_le = ? WHERE id = ?", {core::now_iso(), id});
}

// ---- Reports

namespace {
constexpr const char* kSignalement =
    "SELECT g.id, g.ressource_id, r.titre, g.auteur_id, COALESCE(TRIM(u.prenom || ' ' || u.nom), ''), g.motif, g.cree_le, "
    "g.traite_le, g.decision FROM ressources_signalements g JOIN ressources r ON r.id = g.ressource_id "
    "LEFT JOIN users u ON u.id = g.auteur_id ";
Signalement signalement_de(const std::vector<Value>& r) {
  return Signalement{.id = as_int(r[0]), .ressource_id = as_int(r[1]), .ressource_titre = as_text(r[2]),
                     .auteur_id = as_opt_int(r[3]), .auteur_nom = as_text(r[4]), .motif = as_text(r[5]),
                     .cree_le = as_text(r[6]), .traite_le = as_opt_text(r[7]), .decision = as_opt_text(r[8])};
}
}  // namespace

std::int64_t signaler(Session& s, std::int64_t ressource_id, std::int64_t auteur_id, const std::string& motif) {
  if (!s.query("SELECT 1 FROM ressources_signalements WHERE ressource_id = ? AND auteur_id = ? AND traite_le IS NULL",
               {ressource_id, auteur_id})
           .empty())
    return 0;
  return s.insert("INSERT INTO ressources_signalements (ressource_id, auteur_id, motif, cree_le) VALUES (?, ?, ?, ?)",
                  {ressource_id, auteur_id, motif, core::now_iso()});
}

std::vector<Signalement> signalements(Session& s, bool en_attente, std::int64_t limite) {
  std::vector<Signalement> out;
  for (auto& r : s.query(std::string(kSignalement) + (en_attente ? "WHERE g.traite_le IS NULL " : "") +
                             "ORDER BY g.cree_le, g.id LIMIT ?",
                         {limite}).rows)
    out.push_back(signalement_de(r));
  return out;
}

std::optional<Signalement> signalement(Session& s, std::int64_t id) {
  auto r = s.query(std::string(kSignalement) + "WHERE g.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return signalement_de(r.rows[0]);
}

std::int64_t traiter(Session& s, std::int64_t ressource_id, std::int64_t par, const std::string& decision) {
  return s.exec("UPDATE ressources_signalements SET traite_le = ?, traite_par = ?, decision = ? WHERE ressource_id = ? AND traite_le IS NULL",
                {core::now_iso(), par, decision, ressource_id});
}

void masquer(Session& s, std::int64_t id, std::int64_t par, const std::string& motif) {
  s.exec("UPDATE ressources SET masque_le = ?, masque_par = ?, masque_motif = ? WHERE id = ?", {core::now_iso(), par, motif, id});
}

void restaurer(Session& s, std::int64_t id) {
  s.exec("UPDATE ressources SET masque_le = NULL, masque_par = NULL, masque_motif = NULL WHERE id = ?", {id});
}

}  // namespace coop::ressources::store
