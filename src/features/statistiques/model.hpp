// Statistics model (issue 4): what a dashboard asks (Filtres, Perimetre) and what it shows
// (Tableau). Pure: no I/O, no SQL. The precise definition of every figure is in
// docs/statistiques.md; the engine (engine.hpp) and the SQL reference (reference.hpp) both
// implement exactly those definitions, and tests/cpp/statistiques_test.cpp proves they agree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::statistiques {

// ---- Days ----
// Calendar days as an integer: days since 2020-01-01 (the earliest CRA date), so 16 bits reach 2199.
using Jour = std::int32_t;
inline constexpr std::string_view jour_zero = "2020-01-01";
// "YYYY-MM-DD" → days since 2020-01-01; nullopt when not a valid date (dates before 2020 are negative).
std::optional<Jour> jour_of(std::string_view date);
std::string date_of(Jour j);
// Month index: (year - 2020) * 12 + (month - 1); first day of a month index.
int mois_of(Jour j);
Jour premier_jour(int mois);
std::string mois_texte(int mois);  // "2026-03"

// Département of an INSEE commune code: "97x"/"98x" → 3 characters, else the first 2 ("2A", "69").
std::string departement_of(std::string_view insee);

// ---- Query ----
enum class Conseiller { indifferent, oui, non };

// Filters, all combinable: within one filter the values are OR-ed, filters are AND-ed; an empty
// filter does not restrict. Dates inclusive.
struct Filtres {
  std::optional<std::string> du, au;  // YYYY-MM-DD
  std::vector<std::string> types;     // individuel | collectif
  std::vector<std::int64_t> mediateurs, beneficiaires, lieux;  // user ids, beneficiary ids, lieu (structure) ids
  std::vector<std::string> communes, departements, regions;   // of the activity's commune (see docs)
  std::vector<std::string> thematiques;
  std::vector<std::int64_t> tags;
  Conseiller conseiller_numerique = Conseiller::indifferent;
  std::vector<std::int64_t> structures_employeuses;  // employer of the mediator at the activity date
};

// Scope: which activities the reader may see (resolved from the reader's roles by the caller).
struct MediateurPeriode {
  std::int64_t mediateur_id = 0;
  std::optional<std::string> depuis;  // inclusive; none: from the start
  std::optional<std::string> jusqua;  // exclusive (the day they left); none: still counts
};
struct Perimetre {
  enum class Kind { national, mediateurs, structure, departements, regions, reseau };
  Kind kind = Kind::national;
  // Kind::mediateurs: "me" (one, open interval) or a team (several, a former member with jusqua).
  // A mediator may appear several times (left and came back).
  std::vector<MediateurPeriode> mediateurs;
  std::int64_t structure_id = 0;      // Kind::structure: employer of the mediator at the activity date
  std::vector<std::string> codes;     // Kind::departements / Kind::regions
  // Kind::reseau (a local network, features/reseaux): the network's member structures; an
  // activity counts when its mediator's employer at the activity date is one of them.
  std::vector<std::int64_t> structures;
  // Coordination activities shown (national: all; otherwise these coordinators' own).
  std::vector<std::int64_t> coordinateurs;

  static Perimetre national() { return {}; }
};

// Département code → région code (from the référentiel; the test passes its own).
using Regions = std::map<std::string, std::string, std::less<>>;

// ---- Result ----
struct Ligne {
  std::string cle;               // code, id as text, or "" for "none / not given"
  std::int64_t valeur = 0;       // what the breakdown counts (see docs/statistiques.md)
  std::int64_t activites = 0;    // activities behind the value (activity breakdowns only, else 0)
  int pourcentage = 0;           // integer percent; the lines of a breakdown add to exactly 100
  bool operator==(const Ligne&) const = default;
};
struct Repartition {
  std::vector<Ligne> lignes;  // sorted by cle; lines with valeur 0 and activites 0 omitted
  bool operator==(const Repartition&) const = default;
};

// Sets the percentages of `r` by the largest-remainder method over `valeur`: floors of
// 100·v/total, then the missing points go to the largest remainders; ties go to the larger
// valeur, then to the smaller cle. All zero when the total is 0.
void pourcentages(Repartition& r);
// Builds a breakdown from (cle, valeur, activites) triples (zero lines dropped, sorted, percentages).
Repartition repartition(std::map<std::string, std::pair<std::int64_t, std::int64_t>> valeurs);
// Same from lines with distinct cle in any order (pourcentage ignored).
Repartition repartition(std::vector<Ligne> lignes);
// Same from lines already sorted by cle, distinct (the engine's dictionaries keep that order).
Repartition repartition_triee(std::vector<Ligne> lignes);

struct Coordination {
  std::string type;  // animation | evenement | partenariat
  std::int64_t activites = 0, duree = 0, participants = 0;
  bool operator==(const Coordination&) const = default;
};

struct Tableau {
  std::int64_t activites = 0, accompagnements = 0, individuels = 0, ateliers = 0, participants_ateliers = 0;
  std::int64_t beneficiaires = 0, nouveaux = 0, suivis = 0, anonymes = 0;
  std::int64_t duree_totale = 0;  // minutes
  // 12 months ending with the month of the period's end: {"YYYY-MM", accompagnements}.
  std::vector<std::pair<std::string, std::int64_t>> par_mois;
  // Days of the period with at least one accompagnement: {"YYYY-MM-DD", accompagnements}.
  std::vector<std::pair<std::string, std::int64_t>> par_jour;
  Repartition types, thematiques, demarches, materiel, canaux, durees, autonomie, orientation, redirections,
      lieux, communes, tags;
  Repartition genres, tranches_age, statuts, communes_residence;
  // Orientations recorded on CRAs (orientation wizard): activities per lieu (cle: id in the table
  // lieux) and per matched service (cle: the standard's label). Counted among the filtered
  // activities of the period and scope, like every activity breakdown (valeur = activites).
  Repartition orientations_lieux, orientations_services;
  std::vector<Coordination> coordination;  // the three types, in vocabulary order
  bool operator==(const Tableau&) const = default;
};

// Durée buckets: "moins_30" (< 30 min), "30_60" (30–59), "60_120" (60–119), "120_plus".
std::string_view bucket_duree(std::int64_t minutes);

}  // namespace coop::statistiques
