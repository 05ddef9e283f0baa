// SQL of the lieux (migration 0022): the lieux table (32 fields of the standard + derived
// columns), the list values spread into lieux_valeurs for the filters, the history of changes,
// the duplicate proposals. Written once for both engines.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "features/lieux/model.hpp"
#include "storage/database.hpp"

namespace coop::referentiel {
class Territoires;
}

namespace coop::lieux::store {

using storage::Session;

inline constexpr std::string_view kSourceCoop = "coop";  // cle_source of the structures' sheets

struct Enregistrement {
  std::int64_t id = 0;
  std::string cle_source;
  Lieu lieu;
  std::optional<std::int64_t> structure_id;
  bool visible_carte = true;
  int completude = 0;
  std::optional<bool> horaires_valides;
  std::string cree_le, modifie_le;
  // On the map: the switch is on and the lieu has at least one service (the standard's rule).
  bool sur_la_carte() const { return visible_carte && !lieu[ch::services].empty(); }
};

enum class Resultat { cree, modifie, inchange };

struct Ecriture {
  std::string cle_source;
  Lieu lieu;
  std::optional<bool> horaires_valides;
  std::optional<std::int64_t> auteur_id;  // NULL for imports and commands
  std::string origine;                    // "import:SOURCE", "edition", "creation"
  std::string maintenant;                 // ISO-8601 UTC
};

// Creates or updates the lieu (cle_source, lieu.id). An unchanged lieu is not rewritten
// (Resultat::inchange; only horaires_valides is refreshed when it differs, without history).
// A change adds a history row listing the changed fields.
Resultat enregistrer(Session& s, const Ecriture& e, std::int64_t* id_out = nullptr);

std::optional<Enregistrement> lire(Session& s, std::int64_t id);
std::optional<Enregistrement> lire_par_cle(Session& s, const std::string& cle_source, const std::string& ident);
std::optional<Enregistrement> lire_par_structure(Session& s, std::int64_t structure_id);

// Edits a lieu (the API's PUT): new values, the « visible sur la carte » switch; history row with
// the author. Returns the changes (empty: nothing written).
std::vector<Changement> modifier(Session& s, std::int64_t id, const Lieu& lieu, std::optional<bool> horaires_valides,
                                 bool visible_carte, std::optional<std::int64_t> auteur_id,
                                 const std::string& maintenant);

struct Filtre {
  std::string q;            // folded substring of nom or commune
  std::string code_postal;  // exact
  std::string departement;  // exact
  std::string service;      // exact label of the standard
  bool carte_seulement = false;
  std::int64_t apres_id = 0;  // keyset pagination on id
  std::int64_t limite = 50;
};
std::vector<Enregistrement> lister(Session& s, const Filtre& f);
std::int64_t compter(Session& s, const Filtre& f);
// The lieux of these ids, in the same order (unknown ids skipped): a search's page.
std::vector<Enregistrement> lire_plusieurs(Session& s, const std::vector<std::int64_t>& ids);

// Every lieu in id order, streamed (exports).
void parcourir(Session& s, const std::function<void(const Enregistrement&)>& fn);

struct Historique {
  std::int64_t id = 0;
  std::optional<std::int64_t> auteur_id;
  std::string auteur_nom;  // "" when none
  std::string origine, cree_le;
  std::vector<Changement> changements;
};
std::vector<Historique> historique(Session& s, std::int64_t lieu_id);

// The structure's lieu sheet: created when missing from its name, address, commune (name and
// first postal code from the référentiel), SIRET as pivot (else 00000000000000, as the national
// tooling does), cle_source "coop", id "structure-N". Returns the lieu's id, 0 when the structure
// does not exist.
std::int64_t fiche_de_structure(Session& s, std::int64_t structure_id, const referentiel::Territoires& territoires,
                                const std::string& maintenant);

// A mediator of the structure: a current lieu d'activité there (features/activites) or a
// current employment.
bool mediateur_de_la_structure(Session& s, std::int64_t user_id, std::int64_t structure_id, const std::string& aujourdhui);

// Public API v1 page: ordered by (modifie_le, id), after the cursor, modified since `depuis`;
// up to `limite` rows.
std::vector<Enregistrement> page_v1(Session& s, const std::optional<std::pair<std::string, std::int64_t>>& apres,
                                    const std::optional<std::string>& depuis, std::int64_t limite);

// Opening hours' validity (horaires::analyser) for the lieux whose horaires were not evaluated
// yet (horaires_valides NULL: rows written before the parser, or by SQL), or all of them (after a
// parser change); no history row (a derived value). Returns how many were evaluated.
int evaluer_horaires(Session& s, bool toutes = false);

// Sheets for every structure that has none (coop serve at start-up, coop demo); returns how many.
int completer_fiches(Session& s, const referentiel::Territoires& territoires, const std::string& maintenant);

// ---- Duplicates ----
struct Doublon {
  std::int64_t id = 0, lieu_id = 0, autre_id = 0;
  double similarite = 0;
  std::optional<double> distance_m;
  std::string raisons, statut, cree_le;
  std::string nom_lieu, nom_autre, source_lieu, source_autre, commune;
};
// Thresholds: candidates share the postal code (or the pivot, when it is a real SIRET/RNA) and
// come from another source; proposed when the same real pivot lies within 200 m (or either has
// no position), or the names are similar (≥ 0.8), or fairly similar (≥ 0.5) within 100 m.
inline constexpr double kDistanceProche = 100, kDistancePivot = 200, kSimilaireFort = 0.8, kSimilaire = 0.5;
// Looks for duplicates of one lieu and stores new proposals; returns how many were added.
int proposer_doublons(Session& s, std::int64_t lieu_id, const std::string& maintenant);
std::vector<Doublon> doublons(Session& s, const std::string& statut = "propose");

}  // namespace coop::lieux::store
