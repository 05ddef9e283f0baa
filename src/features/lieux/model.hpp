// Lieux de médiation numérique in the national data standard v1.0.2 (Frictionless table schema
// « lieux de médiation numérique », /work/shared/reference/lieux.md): the 32 fields, their
// constraints and vocabularies (exact labels), the validation of a row (French messages naming
// the field and saying why) and the normalisation of real-world dirt, reported as warnings.
// Pure: no SQL, no HTTP, no JSON.
//
// A Lieu holds the 32 values as canonical text, in the standard's order; a list field holds its
// values joined by `|` (as the CSV does). Helpers split them.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::lieux {

namespace ch {
enum Champ : std::size_t {
  id, pivot, nom, commune, code_postal, code_insee, adresse, complement_adresse, latitude, longitude,
  typologie, telephone, courriels, site_web, horaires, presentation_resume, presentation_detail, source,
  itinerance, structure_parente, date_maj, services, publics_specifiquement_adresses,
  prise_en_charge_specifique, frais_a_charge, dispositif_programmes_nationaux, formations_labels,
  autres_formations_labels, modalites_acces, modalites_accompagnement, fiche_acces_libre, prise_rdv,
};
}  // namespace ch
using ch::Champ;
inline constexpr std::size_t kNbChamps = 32;

enum class Genre { texte, nombre, liste };

struct DescriptionChamp {
  std::string_view nom;
  Genre genre;
  bool obligatoire;
  const std::vector<std::string_view>* vocabulaire;  // exact labels, or nullptr (free values)
};

// The 32 fields in the standard's order (the CSV header order of an export).
const std::array<DescriptionChamp, kNbChamps>& champs();
// Index of a field name (exact standard name), or nullopt.
std::optional<Champ> champ_nomme(std::string_view nom);

// Vocabularies, exact labels of the standard.
const std::vector<std::string_view>& vocabulaire_services();
const std::vector<std::string_view>& vocabulaire_publics();
const std::vector<std::string_view>& vocabulaire_prise_en_charge();
const std::vector<std::string_view>& vocabulaire_frais();
const std::vector<std::string_view>& vocabulaire_dispositifs();
const std::vector<std::string_view>& vocabulaire_labels();
const std::vector<std::string_view>& vocabulaire_modalites_acces();
const std::vector<std::string_view>& vocabulaire_modalites_accompagnement();
const std::vector<std::string_view>& vocabulaire_itinerance();

inline constexpr std::string_view kSansPublic = "Ce lieu n'accueille pas de public";

struct Lieu {
  std::array<std::string, kNbChamps> valeurs;
  const std::string& operator[](Champ c) const { return valeurs[c]; }
  std::string& operator[](Champ c) { return valeurs[c]; }
  std::vector<std::string> liste(Champ c) const;  // split on `|`, empty → {}
  bool operator==(const Lieu&) const = default;
};

// Splits a canonical list value on `|` (empty items dropped).
std::vector<std::string> separer(std::string_view valeur);
std::string joindre(const std::vector<std::string>& valeurs);

struct Remarque {
  std::string champ;    // standard field name
  std::string message;  // French: « code_postal : 5 chiffres attendus, reçu « 7500 » »
};

struct Analyse {
  Lieu lieu;                           // normalised values (meaningful when erreurs is empty)
  std::vector<Remarque> erreurs;       // the row is rejected when not empty
  std::vector<Remarque> avertissements;  // normalisations applied (the row is kept)
  std::optional<bool> horaires_valides;  // nullopt: no opening hours given
  bool ok() const { return erreurs.empty(); }
};

// Opening hours: `horaires` is kept as given, never corrected; its validity is the strict
// verdict of the OSM opening_hours parser (horaires.hpp). An invalid value is reported as a
// warning with the parser's message and shown « horaires non renseignés ».

// Validates and normalises one row given as raw text values by field (missing = empty).
// Normalisations (each reported as a warning naming the field):
//  - every value trimmed; a list separated by `;` (older files) is split on `;`;
//  - a vocabulary value matched ignoring case, accents, punctuation and spacing (so slugs such as
//    `aide-aux-demarches-administratives`, the long forms « Gratuit : je peux … » of older files
//    — the part before « : » — and « Étapes numériques(La Poste) » without its space) becomes the
//    exact label of the standard; older labels of modalites_accompagnement are translated;
//  - national phone numbers (`01 23 45 67 89`, `+33 (0)1 …`, dots, dashes) → `+33123456789`,
//    overseas prefixes (0590/0690 → +590, 0594/0694 → +594, 0262/0692/0693 → +262, 0596/0696 →
//    +596, 0269/0639 → +262 Mayotte) → their country code;
//  - a decimal comma in latitude/longitude; a date_maj as `JJ/MM/AAAA` or with a time;
//  - site_web / fiche_acces_libre / prise_rdv without scheme → `https://`;
//  - Paris, Lyon, Marseille: the city code (75056, 69123, 13055) with an arrondissement postal
//    code becomes the arrondissement's code (751xx, 6938x, 132xx) — the more precise of the two,
//    both valid in the standard; the city stays findable through ville_insee();
//  - services empty: the national tooling's rule — publics, prise en charge, frais and
//    modalites_accompagnement are dropped and modalites_acces becomes « Ce lieu n'accueille pas
//    de public » (warning when something was dropped or changed).
// `valeurs` is indexed by Champ.
Analyse analyser(const std::array<std::string, kNbChamps>& valeurs);

// The city code of Paris/Lyon/Marseille arrondissements (75101 → 75056), else the code itself.
std::string ville_insee(std::string_view code_insee);

// The département of a lieu: from code_insee (2A/2B, 97x), else from code_postal (20xxx: 2A below
// 20200, else 2B; 97x overseas), else "".
std::string departement_de(const Lieu& l);

// Completeness 0–100: share of the useful fields a person needs that are filled (weights in
// model.cpp): contact, hours, services, publics, modalités, position, accessibility, booking…
int completude(const Lieu& l);

// Normalised name for duplicates: folded, without stop words (de, la, le, du, des, l, d, et…).
std::string nom_normalise(std::string_view nom);
// Similarity of two normalised names in [0, 1]: Dice coefficient on character bigrams of the
// words (1 = same), so word order, a missing word or a typo lower it gently.
double similarite_noms(std::string_view a, std::string_view b);
// Haversine distance in metres.
double distance_m(double lat1, double lon1, double lat2, double lon2);

// One change between two versions, for the history.
struct Changement {
  std::string champ, avant, apres;
};
std::vector<Changement> differences(const Lieu& avant, const Lieu& apres);

}  // namespace coop::lieux
