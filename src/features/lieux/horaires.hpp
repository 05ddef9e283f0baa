// Opening hours of a lieu: the OpenStreetMap `opening_hours` syntax used by the national standard
// (field `horaires`). Pure functions, no storage: analyser() parses a value into a structured
// Horaires or a French error naming the character and what was expected (never a guess);
// normaliser() prints the canonical text; the evaluator answers « ouvert ? » at a local instant of
// metropolitan France (Europe/Paris), over a time range, gives the next change and a French
// rendering of the week. Semantics follow the reference implementation (npm opening_hours), which
// tests/integration/horaires.test.mjs compares on a corpus; see docs/architecture.md (lieux/horaires).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace coop::lieux::horaires {

enum class Etat { ferme, ouvert, inconnu };

// How a rule is joined to the previous one: `;` (a later rule replaces, for the days it selects,
// what earlier ones said — except `off` rules, which close only their hours), `,` (additional
// rule: adds without replacing), `||` (fallback: applies only where the rules before say closed).
enum class Separateur { premier, normal, supplementaire, repli };

struct PlageAnnees {
  int debut = 0;
  int fin = 0;  // == debut for a single year
};

// A day of the year: month 1–12 and day 1–31 (0: the whole month), year 0 when every year;
// `easter` is Easter Sunday.
struct PointDate {
  int annee = 0;
  int mois = 0;
  int jour = 0;
  bool paques = false;
};

struct PlageDates {
  PointDate debut;
  std::optional<PointDate> fin;  // inclusive; may wrap over the new year (Dec 24-Jan 02, Nov-Feb)
};

struct PlageSemaines {
  int debut = 1;  // ISO week numbers 1–53
  int fin = 1;   // >= debut (as the reference, no range over the new year: week 50-53,01-02)
  int pas = 1;  // week 01-53/2: every other week
};

struct PlageJours {
  int debut = 0;  // 0 = lundi … 6 = dimanche; debut > fin wraps (Fr-Mo)
  int fin = 0;
  std::vector<int> rangs;  // Mo[1] / Mo[-1]: nth weekday of the month (1…5, -1…-5); empty: every week
};

struct PlageHoraire {
  int debut = 0;  // minutes from 00:00
  int fin = 0;    // as written (up to 48:00); fin <= debut means the next day (22:00-02:00)
  bool fin_ouverte = false;  // "10:00+": state unknown from 10:00 to midnight
  int fin_effective() const { return fin_ouverte ? 24 * 60 : (fin <= debut ? fin + 24 * 60 : fin); }
};

struct Regle {
  Separateur separateur = Separateur::premier;
  bool toujours = false;  // 24/7
  std::vector<PlageAnnees> annees;
  std::vector<PlageDates> dates;
  std::vector<PlageSemaines> semaines;
  bool feries = false;           // PH among the days (union: "Su,PH")
  bool feries_et_jours = false;  // "PH Mo-Fr": public holidays falling on those days (intersection)
  std::vector<PlageJours> jours;
  std::vector<PlageHoraire> heures;  // empty: the whole day
  std::optional<Etat> modificateur;  // open / off (closed) / unknown, as written
  std::optional<std::string> commentaire;
  // The rule's state: its modifier, else unknown when it carries a comment, else open.
  Etat etat() const;
  bool selectionne_des_jours() const;  // has any date, week or weekday selector
};

struct Horaires {
  std::vector<Regle> regles;
};

struct Erreur {
  std::size_t caractere = 0;  // 1-based position (Unicode characters) of the offending token
  std::string message;        // « caractère 12 : jour de la semaine attendu (Mo, Tu, We, Th, Fr, Sa, Su) »
};

struct Analyse {
  std::optional<Horaires> horaires;  // set when valid
  std::optional<Erreur> erreur;      // set when invalid
  bool valide() const { return horaires.has_value(); }
};

// Strict: the specification's syntax only. Surrounding and inner spaces are free; the value is
// never corrected (`Sun`, `9h`, `Lu-Ve` are errors whose message says what to write).
Analyse analyser(std::string_view texte);
// Explicit tolerant mode, for an import that wants to propose a fix: when the strict analysis
// fails, rewrites only these known slips, each one reported — day and month names in English or
// French or in the wrong case (Sun, Lundi, mo, janvier → Su, Mo, Mo, Jan), « ph » → PH, hours
// written 9h, 9h30, 09h00 or 9:00 (→ 09:00, 09:30), dashes – and — (→ -), empty rules (a final
// or doubled « ; », a final « , » or « || ») — then analyses the result strictly. Comments are
// left alone. Never used silently: the caller shows the corrections or keeps the strict error.
struct Correction {
  std::size_t caractere = 0;  // 1-based position in the original text
  std::string avant;
  std::string apres;  // empty: removed
};
struct AnalyseTolerante {
  Analyse analyse;                      // of texte_corrige
  std::string texte_corrige;            // == the input when no correction applied
  std::vector<Correction> corrections;  // empty when the strict analysis succeeded
};
AnalyseTolerante analyser_tolerant(std::string_view texte);
// « caractère 1 : « Sun » → « Su » », one per correction.
std::string decrire(const Correction& c);

// The canonical text: "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off".
std::string normaliser(const Horaires& h);

// --- Evaluation, in metropolitan France's civil time ---
struct HeureLocale {
  std::chrono::year_month_day date;
  int minute = 0;  // 0–1439
};
HeureLocale heure_de_paris(core::Clock::time_point t);

struct EtatDetaille {
  Etat etat = Etat::ferme;
  std::optional<std::string> commentaire;
};
EtatDetaille evaluer(const Horaires& h, const HeureLocale& quand);
Etat etat(const Horaires& h, const HeureLocale& quand);
Etat etat(const Horaires& h, core::Clock::time_point t);
// « Ouvert maintenant »: open (not unknown) at t.
bool ouvert(const Horaires& h, core::Clock::time_point t);

// « Ouvert tel jour de telle heure à telle heure »: minutes [debut, fin) of that date, debut in
// [0, 1440], fin up to 2880 (past 1440: the next day, « de 20h à 2h »); an empty range is false. une_partie — the national map's semantics, the one the lieux filter uses — is true when
// the lieu is open at some minute of the range; totalite requires every minute open.
enum class Couverture { une_partie, totalite };
bool ouvert_pendant(const Horaires& h, std::chrono::year_month_day date, int debut, int fin,
                    Couverture couverture = Couverture::une_partie);

// The day's states as consecutive segments covering [0, 1440) (the spill of the previous day's
// 22:00-02:00 included).
struct Segment {
  int debut = 0;
  int fin = 0;
  EtatDetaille etat;
};
std::vector<Segment> journee(const Horaires& h, std::chrono::year_month_day date);

// The next minute after `depuis` where the state differs, looked for up to `jours_max` days ahead.
struct Changement {
  HeureLocale quand;
  Etat etat = Etat::ferme;  // the state from then on
};
std::optional<Changement> prochain_changement(const Horaires& h, const HeureLocale& depuis, int jours_max = 370);
// « Ouvert jusqu'à 18h30 », « Fermé · ouvre lundi à 9h00 », « Fermé · ouvre demain à 14h00 »,
// « Ouvert 24 h/24 », « Fermé », « Horaires incertains (sur rendez-vous) ».
std::string etat_en_francais(const Horaires& h, const HeureLocale& maintenant);

// The week starting at `premier_jour` (7 lines, public holidays applied), for the lieu page:
// « Lundi : 9h00 – 12h00, 14h00 – 18h30 », « Dimanche : fermé », « Jeudi 25 décembre (Noël) : fermé ».
std::vector<std::string> semaine_en_francais(const Horaires& h, std::chrono::year_month_day premier_jour);
std::string heure_en_francais(int minutes);  // 540 → "9h00", 1440 → "24h00"

// French public holidays of metropolitan France (the 11 national days: 1 January, Easter Monday,
// 1 May, 8 May, Ascension, Whit Monday, 14 July, 15 August, 1 November, 11 November, 25 December).
// Alsace-Moselle's Good Friday and 26 December and the overseas abolition days are not included,
// as in the reference implementation without a région.
std::optional<std::string> jour_ferie(std::chrono::year_month_day date);
std::chrono::year_month_day paques(int annee);  // Easter Sunday (Gregorian computus)

}  // namespace coop::lieux::horaires
