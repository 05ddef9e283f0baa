// SQL of the lieux (migration 0022): the lieux table (32 fields of the standard + derived
// columns), the list values spread into lieux_valeurs for the filters, the history of changes,
// the duplicate proposals. Written once for both engines.
#pragma once

#include <cstdint>
#include <array>
#include <functional>
#include <stdexcept>
#include <string_view>
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
std::optional<Doublon> doublon(Session& s, std::int64_t id);
// « Ce ne sont pas des doublons »: a proposed pair becomes `ecarte` for good (the import's
// proposals skip an existing pair, whatever its status). False when the pair is not proposed.
bool ecarter_doublon(Session& s, std::int64_t id);

// ---- Fusion (migration 0026)
// Merging `retire` into `survivant`: the survivor takes the merged values `lieu` (its own `id`
// kept); the retired row is deleted and remembered in lieux_fusions — its (cle_source, ident)
// maps to the survivor (enregistrer then updates the survivor: see below), as do the mappings
// that pointed to the retired lieu; its history rows move to the survivor, which gets a
// « fusion » row (the retired lieu named, the fields changed); its structure (the sheet of a Coop
// structure) becomes the survivor's, so the activities, lieux d'activité and employments of that
// structure follow; its dismissed pairs become the survivor's; duplicates of the survivor are
// proposed again from its new values. Every foreign key to lieux(id) is one of
// kReferencesLieux (a test compares them with the schema).
struct ReferenceLieu {
  std::string_view table, colonne, traitement;
};
inline constexpr std::array<ReferenceLieu, 6> kReferencesLieux = {{
    {"lieux_valeurs", "lieu_id", "rewritten from the survivor's values (the retired rows cascade)"},
    {"lieux_historique", "lieu_id", "moved to the survivor"},
    {"lieux_doublons", "lieu_id", "dismissed pairs moved to the survivor, proposals recomputed"},
    {"lieux_doublons", "autre_id", "dismissed pairs moved to the survivor, proposals recomputed"},
    {"lieux_fusions", "survivant_id", "moved to the survivor"},
    {"activites", "orientation_lieu_id", "orientations moved to the survivor (activites::store::deplacer_orientations)"},
}};

// The merge cannot be done (French message; `champ` names what blocks it).
struct ErreurFusion : std::runtime_error {
  ErreurFusion(std::string c, const std::string& m) : std::runtime_error(m), champ(std::move(c)) {}
  std::string champ;
};

struct Fusion {
  std::int64_t survivant_id = 0, retire_id = 0;
  std::vector<Changement> changements;  // of the survivor's fields
  int doublons = 0;                     // new proposals for the survivor
  std::vector<std::int64_t> activites_orientees;  // CRAs whose orientation moved: tell the statistics
};
// Throws ErreurFusion when a lieu is missing, when both are the same, or when both are the
// sheets of two Coop structures (merging structures is not this).
Fusion fusionner(Session& s, std::int64_t survivant, std::int64_t retire, const Lieu& lieu,
                 std::optional<bool> horaires_valides, std::optional<std::int64_t> auteur_id, const std::string& maintenant);

// The survivor of a retired lieu (by its old id), if it was merged.
std::optional<std::int64_t> survivant_de(Session& s, std::int64_t ancien_id);

// How enregistrer treats a row whose (cle_source, id) took part in a merge (the retired lieu's or
// the survivor's): the row is compared with the values last read from that source
// (lieux_fusions.valeurs), not with the survivor's; equal, nothing changes (inchange); the fields
// that differ are applied to the survivor (modifie, history row of the import) and become the
// values last read. So re-importing either source file after a merge recreates nothing and
// changes nothing, and does not undo the values the administrator chose.

}  // namespace coop::lieux::store
