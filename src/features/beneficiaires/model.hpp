// Beneficiaries model: validation of a followed beneficiary, duplicate detection and merge.
// Pure: no I/O, no SQL, no JSON (the référentiel is an in-memory model).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::referentiel {
class Territoires;
}

namespace coop::beneficiaires {

using FieldErrors = std::map<std::string, std::string>;

// National codes (../shared/reference/activites.md).
inline constexpr std::string_view kGenres[] = {"masculin", "feminin", "non_communique"};
inline constexpr std::string_view kTranchesAge[] = {
    "moins_de_douze",          "douze_dix_huit",         "dix_huit_vingt_quatre", "vingt_cinq_trente_neuf",
    "quarante_cinquante_neuf", "soixante_soixante_neuf", "soixante_dix_plus",     "non_communique"};
inline constexpr std::string_view kStatutsSociaux[] = {"scolarise", "sans_emploi", "en_emploi", "retraite",
                                                       "non_communique"};

bool valid_genre(std::string_view code);
bool valid_tranche_age(std::string_view code);
bool valid_statut_social(std::string_view code);

struct Beneficiaire {
  std::int64_t id = 0;
  std::int64_t mediateur_id = 0;
  std::int64_t version = 1;
  bool anonyme = true;
  std::optional<std::string> prenom, nom;
  std::optional<std::int64_t> annee_naissance;
  std::optional<std::string> telephone;
  bool pas_de_telephone = false;
  std::optional<std::string> email, adresse, commune_insee, code_postal, genre, tranche_age, statut_social, notes;
  std::string created_at, updated_at;
};

inline constexpr std::size_t kMaxAdresse = 300;
inline constexpr std::size_t kMaxNotes = 5000;

// Every rule, French messages keyed by the field name of the API. `current_year` bounds
// annee_naissance (1900..current_year). Checks:
//  - followed (not anonyme): prenom and nom required;
//  - anonymous: no prenom, nom, telephone, email, adresse, annee_naissance (only genre,
//    tranche d'âge, statut, commune);
//  - telephone: French format (accounts::check_phone), and not together with pas_de_telephone;
//  - email: accounts::check_email;
//  - commune_insee known in the référentiel; code_postal one of that commune's postal codes
//    (code_postal without commune_insee: error on commune_insee);
//  - genre / tranche_age / statut_social: national codes;
//  - lengths: prenom/nom 100, adresse 300, notes 5000.
FieldErrors validate(const Beneficiaire& b, const referentiel::Territoires& territoires, int current_year);

// Normalisations applied before storing: trimmed texts (blank → null), phone "06 12 34 56 78",
// e-mail lower-case, INSEE code upper-case (2A/2B), and the default postal code of the commune
// when it has exactly one.
void normalize(Beneficiaire& b, const referentiel::Territoires& territoires);

// Search key stored in nom_recherche: core::fold("prenom nom").
std::string search_key(const Beneficiaire& b);

// Levenshtein distance on bytes (the inputs are folded ASCII), bounded: returns max+1 as soon as
// the distance is known to exceed `max`.
std::size_t levenshtein(std::string_view a, std::string_view b, std::size_t max);

// Duplicate criteria, in this order: "nom", "telephone", "email", "annee_naissance".
//  - nom: folded "prenom nom" equal, or equal to the other's "nom prenom" (swapped), or
//    Levenshtein ≤ 2 between the folded full names; both must have a name;
//  - telephone: normalised numbers equal (both present);
//  - email: equal ignoring case (both present);
//  - annee_naissance: equal (both present).
std::vector<std::string> duplicate_criteria(const Beneficiaire& a, const Beneficiaire& b);
inline constexpr std::size_t kDuplicateMinCriteria = 2;
bool probable_duplicates(const Beneficiaire& a, const Beneficiaire& b);

struct DuplicatePair {
  std::int64_t a = 0, b = 0;  // a < b
  std::vector<std::string> criteria;
};
// Every pair of probable duplicates among `list` (anonymous ones are skipped). Candidate pairs
// share a phone, an e-mail or a year (any duplicate shares at least one of them), so names are
// only compared within those groups. Sorted by (a, b).
std::vector<DuplicatePair> find_duplicates(const std::vector<Beneficiaire>& list);

// Merge rule: the target keeps its values; each blank field of the target is filled from the
// source. A target that says "pas de téléphone" keeps saying it (its phone is not filled). The
// target becomes followed when it gains a name. Returns the names of the fields filled.
std::vector<std::string> merge_into(Beneficiaire& target, const Beneficiaire& source);

}  // namespace coop::beneficiaires
