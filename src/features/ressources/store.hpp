// Ressources: SQL, written once for both engines. Resources with their codes and links, versions,
// the French search index (SQLite FTS5 table ressources_recherche / PostgreSQL tsvector columns),
// the search with facets, collections, favourites, follows, « utile » votes, comments, reports.
// Files are fichiers_references of domaine "ressources" (features/fichiers).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "features/ressources/model.hpp"
#include "storage/database.hpp"

namespace coop::ressources::store {

inline constexpr const char* kDomaine = "ressources";

// Who is looking: list queries filter with the same rule as accounts::ressources_peut_voir.
struct Lecteur {
  std::int64_t user_id = 0;  // 0: anonymous (public API v1: public resources only)
  bool moderateur = false;
  std::string aujourdhui;    // YYYY-MM-DD: current employments and team memberships
};

struct Ressource {
  std::int64_t id = 0;
  std::optional<std::int64_t> auteur_id;
  std::string auteur_nom;
  std::optional<std::int64_t> structure_id;
  std::string structure_nom;
  std::string titre, resume, description, description_html;
  std::vector<std::string> thematiques, publics;
  std::string format, niveau;
  std::optional<std::int64_t> duree_minutes;
  std::string licence, visibilite, statut;
  std::int64_t version = 1;
  std::optional<std::int64_t> origine_id;
  std::optional<std::string> origine_credit;
  std::int64_t vues = 0, telechargements = 0, utiles = 0, commentaires = 0;
  std::optional<std::string> masque_le, masque_motif;
  std::string cree_le, modifie_le;
  std::optional<std::string> publie_le;
  std::vector<Lien> liens;
};

struct Ecriture {
  const Saisie& saisie;
  std::string description_html;
  std::int64_t auteur_id = 0;
  std::string auteur_nom;
  std::optional<std::int64_t> origine_id;
  std::optional<std::string> origine_credit;
};
std::int64_t creer(storage::Session& s, const Ecriture& e);
// Replaces the fields, codes and links; when the resource was already published, the previous
// text is kept as version N with `note` and the version becomes N + 1.
void modifier(storage::Session& s, std::int64_t id, const Ecriture& e, const std::string& note);
std::optional<Ressource> charger(storage::Session& s, std::int64_t id);
std::vector<Ressource> charger(storage::Session& s, const std::vector<std::int64_t>& ids);  // in the order of ids
void supprimer(storage::Session& s, std::int64_t id);
// Rebuilds the search index of one resource from its fields, links, file names and the text
// extracted from its files.
void reindexer(storage::Session& s, std::int64_t id);

// The viewer's relation to one resource (accounts::DroitsRessource's facts).
struct Relation {
  bool dans_le_reseau = false;
  bool gere_la_structure = false;
};
Relation relation(storage::Session& s, const Lecteur& l, const Ressource& r);
bool employe(storage::Session& s, std::int64_t user_id, std::int64_t structure_id, const std::string& aujourdhui);
std::optional<std::string> nom_structure(storage::Session& s, std::int64_t structure_id);
// The structures of the user's current employments and those they manage (gerees), by name.
struct StructureNommee {
  std::int64_t id = 0;
  std::string nom;
};
std::vector<StructureNommee> structures_de(storage::Session& s, std::int64_t user_id, const std::vector<std::int64_t>& gerees,
                                           const std::string& aujourdhui);

// ---- Search
struct Recherche {
  std::string fts5, tsquery;  // francais::requete_*; both empty: no text query
  std::map<std::string, std::vector<std::string>> filtres;  // facet → codes (OR inside a facet, AND across)
  std::string tri = "recent";  // pertinence | recent | utiles | populaires
  std::optional<std::int64_t> auteur_id, collection_id, structure_id;
  bool miennes = false;    // the viewer's own, drafts included
  bool favoris = false;    // the viewer's favourites
  bool suivis = false;     // by followed authors or in followed collections
  std::int64_t page = 1, par_page = 20;
  bool facettes = true;
};
struct Resultat {
  std::vector<std::int64_t> ids;
  std::int64_t total = 0;
  // facet → (code, count), codes of the vocabulary's order with a count > 0
  std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>> facettes;
};
// The search itself: ressources::Index::rechercher (features/ressources/index.hpp).
// Public resources for the public API: keyset on (modifie_le, id), oldest first.
std::vector<std::int64_t> publiques(storage::Session& s, const std::optional<std::pair<std::string, std::int64_t>>& apres,
                                    std::int64_t limite);

// The search index's change log (ressources_changements, index.hpp): rows created before
// `avant`, `limite` at most; the number deleted. Never the newest row (its seq is the mark).
std::int64_t purger_changements(storage::Session& s, const std::string& avant, std::int64_t limite);

// ---- Versions
struct Version {
  std::int64_t version = 0;
  std::string note, titre, resume, cree_le;
  std::optional<std::int64_t> auteur_id;
};
std::vector<Version> versions(storage::Session& s, std::int64_t id);

// ---- Counters
void compter_vue(storage::Session& s, std::int64_t id);
void compter_telechargement(storage::Session& s, std::int64_t id);

// ---- Extracted text (per file content)
bool texte_connu(storage::Session& s, const std::string& sha256);
void enregistrer_texte(storage::Session& s, const std::string& sha256, const std::string& texte);
// The resources referencing a file (to re-index them when its text arrives).
std::vector<std::int64_t> ressources_du_fichier(storage::Session& s, const std::string& sha256);

// ---- Collections
struct Collection {
  std::int64_t id = 0;
  std::string titre, description;
  std::optional<std::int64_t> proprietaire_id, structure_id;
  std::string proprietaire_nom;  // the person's name or the structure's
  bool publique = false;
  std::int64_t nombre = 0;       // resources in it
  std::string cree_le, modifie_le;
};
std::int64_t creer_collection(storage::Session& s, const Collection& c, std::int64_t cree_par);
void modifier_collection(storage::Session& s, const Collection& c);
void supprimer_collection(storage::Session& s, std::int64_t id);
std::optional<Collection> collection(storage::Session& s, std::int64_t id);
// The collections the viewer may see: theirs, their structures', and public ones (proprietaire:
// only those of that person; structure: of that structure).
std::vector<Collection> collections(storage::Session& s, std::int64_t viewer, const std::string& aujourdhui,
                                    std::optional<std::int64_t> proprietaire, std::optional<std::int64_t> structure,
                                    bool seulement_miennes);
bool ajouter(storage::Session& s, std::int64_t collection_id, std::int64_t ressource_id, std::int64_t user_id);
bool retirer(storage::Session& s, std::int64_t collection_id, std::int64_t ressource_id);
std::vector<std::int64_t> collections_de(storage::Session& s, std::int64_t ressource_id);

// ---- Favourites, follows, votes
bool basculer(storage::Session& s, const char* table, std::int64_t user_id, std::int64_t ressource_id, bool oui);
bool est_dans(storage::Session& s, const char* table, std::int64_t user_id, std::int64_t ressource_id);
void recompter_utiles(storage::Session& s, std::int64_t ressource_id);
bool suivre(storage::Session& s, std::int64_t user_id, std::optional<std::int64_t> collection_id,
            std::optional<std::int64_t> auteur_id, bool oui);
bool suit(storage::Session& s, std::int64_t user_id, std::optional<std::int64_t> collection_id,
          std::optional<std::int64_t> auteur_id);
struct Suivi {
  std::optional<std::int64_t> collection_id, auteur_id;
  std::string nom, cree_le;
};
std::vector<Suivi> suivis(storage::Session& s, std::int64_t user_id);

// ---- Comments
struct Commentaire {
  std::int64_t id = 0, ressource_id = 0;
  std::optional<std::int64_t> auteur_id;
  std::string auteur_nom, texte, html, cree_le;
};
std::int64_t commenter(storage::Session& s, std::int64_t ressource_id, std::int64_t auteur_id, const std::string& nom,
                       const std::string& texte, const std::string& html);
std::vector<Commentaire> commentaires(storage::Session& s, std::int64_t ressource_id);
std::optional<Commentaire> commentaire(storage::Session& s, std::int64_t id);
void supprimer_commentaire(storage::Session& s, std::int64_t id);

// ---- Reports and moderation
struct Signalement {
  std::int64_t id = 0, ressource_id = 0;
  std::string ressource_titre;
  std::optional<std::int64_t> auteur_id;
  std::string auteur_nom, motif, cree_le;
  std::optional<std::string> traite_le, decision;
};
// 0 when the user already has a report waiting on it.
std::int64_t signaler(storage::Session& s, std::int64_t ressource_id, std::int64_t auteur_id, const std::string& motif);
std::vector<Signalement> signalements(storage::Session& s, bool en_attente, std::int64_t limite);
std::optional<Signalement> signalement(storage::Session& s, std::int64_t id);
// Closes every waiting report of the resource with `decision` (masquee | rejete).
std::int64_t traiter(storage::Session& s, std::int64_t ressource_id, std::int64_t par, const std::string& decision);
void masquer(storage::Session& s, std::int64_t id, std::int64_t par, const std::string& motif);
void restaurer(storage::Session& s, std::int64_t id);

}  // namespace coop::ressources::store

namespace coop::ressources::store {
// The files of a resource: keeps those of `garder` already attached, drops the others (and
// deletes those no object references any more). Returns the sha256 still to attach.
std::vector<std::string> ajuster_fichiers(storage::Session& s, std::int64_t id, const std::vector<std::string>& garder);
// The copy `vers` uses the files of `de`, under the same names.
void copier_fichiers(storage::Session& s, std::int64_t de, std::int64_t vers);
// Deletes those of these files that no object references.
void supprimer_orphelins(storage::Session& s, const std::vector<std::string>& sha256s);
}  // namespace coop::ressources::store
