// features/evaluation/moteur: the adaptive test engine (issue 13 point 4), pure C++ (no database).
// A 2PL IRT model, EAP estimation on a grid with a N(μ, σ²) prior, item selection by Fisher
// information at θ̂ with exposure control (maximum priority index over the observed exposure
// rates, then a randomesque draw) and content balancing, a stopping rule on
// the posterior SD or a length, per-competence estimates mapped to levels 1–8 and pix, and a
// serialisable session state (JSON) so that a test resumes months later.
// docs/architecture.md « Évaluation — moteur » explains every choice.
//
// The engine does not know the item bank's file format: the bank's parser (eval-format) is turned
// into a vector of `Item` by the caller.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::evaluation::moteur {

// One item as the engine sees it.
struct Item {
  std::string id;          // unique in the bank
  std::string competence;  // "3.1"
  std::string tube;        // "@miseEnForme"
  int niveau = 1;          // 1..8, from the acquis @tubeN
  double a = 1.0;          // discrimination
  double b = 0.0;          // difficulty
  bool chronometre = false;
};

// P(θ) = 1 / (1 + exp(−a(θ − b))), and its Fisher information a²P(1−P).
double probabilite(double a, double b, double theta);
double information(double a, double b, double theta);

// The map between levels and the θ scale. An item of level N starts at b = pente·(N − centre) and
// a = a_defaut; a candidate's continuous level is λ(θ) = θ/pente + centre (a candidate at
// θ = b(N) has reached level N: they succeed at the level-N items with probability ½).
struct Echelle {
  double pente = 1.0;    // logits per level
  double centre = 3.5;   // level at θ = 0 (the prior's mean): middle of level 3
  double a_defaut = 1.2;
  double b_niveau(int niveau) const { return pente * (niveau - centre); }
  double niveau_continu(double theta) const { return theta / pente + centre; }
};

// Items whose a and b come from their level (the starting point before any calibration).
void parametres_depuis_niveaux(std::vector<Item>& items, const Echelle& echelle = {});

// A quadrature grid and EAP over it.
struct Grille {
  double min = -5.0, max = 5.0;
  int points = 61;
  std::vector<double> valeurs() const;  // evenly spaced, both ends included
};

struct Posterieur {
  double moyenne = 0.0;
  double ecart_type = 1.0;
};

// Mean and SD of the posterior given log-likelihoods per grid point and the prior N(μ, σ²).
Posterieur eap(const std::vector<double>& thetas, const std::vector<double>& log_vraisemblance, double mu,
               double sigma);

enum class Resultat { juste, faux, passe, neutralise };  // passe = skipped, counts as wrong; neutralise = ignored
std::string_view nom_resultat(Resultat r);
std::optional<Resultat> resultat_depuis_nom(std::string_view s);

// A served question. The competence and tube are copied so that the content rules still hold when
// the item has since left the bank (its answer is then ignored by the estimate).
struct Question {
  std::string item, competence, tube;
  bool chronometre = false;
  std::optional<Resultat> resultat;  // absent: served, not answered yet (only the last one)
};

// Everything needed to resume a test: the seed of the random choices and the questions so far.
struct EtatSession {
  std::uint64_t graine = 0;
  std::vector<std::string> competences;  // restriction (campaign, positioning); empty = all
  std::vector<Question> questions;
  std::size_t repondues() const;  // questions with a result
};

std::string serialiser(const EtatSession& etat);  // JSON, {"version":1,...}
// nullopt and *erreur set (French) when the text is not a session state.
std::optional<EtatSession> deserialiser(std::string_view json, std::string* erreur = nullptr);

// Administrations so far, over all the tests (the server keeps them; a bench counts them): tests
// started, and per item in the order of Moteur::items().
struct Expositions {
  std::uint64_t tests = 0;
  std::vector<std::uint64_t> items;
};

struct Config {
  Grille grille{};
  double prior_moyenne = 0.0;  // N(0, 1): the population the θ scale is anchored on
  double prior_ecart = 1.0;
  // Exposure control. Priority of an item = information × max(0, 1 − f/exposition_max), f its
  // exposure rate so far (administrations / max(tests, exposition_tests_min)): an item served to
  // exposition_max of the tests is no longer chosen while others remain (Cheng & Chang's maximum
  // priority index). Then a uniform draw among the `randomesque` best priorities.
  double exposition_max = 0.25;
  int exposition_tests_min = 50;  // before that many tests the rates are taken over this many
  int randomesque = 2;
  int longueur_min = 8;          // never stop before
  int longueur_max = 20;         // always stop at
  double ecart_type_arret = 0.0;  // stop when posterior SD ≤ this (and ≥ longueur_min); 0 = length only
  bool chronometre_consecutif = false;  // allow a timed item right after a timed one
  double tau_competence = 0.7;   // SD of a competence's θ around the global θ (per-competence prior)
  Echelle echelle{};
  int plafond_defaut = 6;                // highest level reachable in a competence (pix cap = 8 × plafond)
  std::map<std::string, int> plafonds;   // per competence, overrides plafond_defaut
};

struct EstimationCompetence {
  std::string competence;
  double theta = 0.0, ecart_type = 0.0;
  int questions = 0;           // answered and counted
  double niveau_continu = 0.0;
  int niveau = 0;              // 0..plafond
  int pix = 0;                 // 0..8 × plafond
  int plafond = 0;
};

struct Estimation {
  Posterieur global;
  int questions = 0;  // answered and counted
  std::vector<EstimationCompetence> competences;  // those of the test, in code order
  int pix_total = 0;  // Σ pix of the competences
  int pix_max = 0;    // Σ 8 × plafond
};

// pix of a competence at θ: min(floor(8·λ(θ)), 8·plafond), at least 0; level = min(floor(λ), plafond).
int pix_competence(const Echelle& e, double theta, int plafond);
int niveau_competence(const Echelle& e, double theta, int plafond);

class Moteur {
 public:
  Moteur(std::vector<Item> banque, Config config);

  const Config& config() const { return config_; }
  const std::vector<Item>& items() const { return items_; }
  const Item* item(std::string_view id) const;

  // The next question, appended to etat.questions (pending), or nullptr when the test is over.
  // Calling it while a question is pending returns that question again (or, when that item has
  // left the bank since, neutralises it and chooses another).
  // With expositions: the exposure control above (nullptr: information only, then randomesque).
  // The caller counts: tests + 1 when a test starts, items[i] + 1 when item i is served.
  const Item* prochaine(EtatSession& etat, const Expositions* expositions = nullptr) const;
  std::size_t position(const Item* it) const { return static_cast<std::size_t>(it - items_.data()); }
  // Records the answer to the pending question. False if no question is pending or the id differs.
  bool repondre(EtatSession& etat, std::string_view item, Resultat r) const;
  bool termine(const EtatSession& etat) const;

  Posterieur estimer_global(const EtatSession& etat) const;
  Estimation estimer(const EtatSession& etat) const;

  // The choice itself, exposed for the tests: candidates allowed by the content rules, in
  // decreasing information at theta.
  std::vector<const Item*> candidats(const EtatSession& etat, double theta,
                                     const Expositions* expositions = nullptr) const;

 private:
  // Items not served, of a free tube, in the test's competences; vus = questions per competence
  // (−1 for those outside the test).
  std::vector<const Item*> eligibles(const EtatSession& etat, std::vector<int>& vus) const;
  int indice(std::string_view id) const;
  std::vector<double> log_vraisemblance(const EtatSession& etat, const std::string* competence) const;
  std::vector<std::string> competences_du_test(const EtatSession& etat) const;

  std::vector<Item> items_;
  Config config_;
  std::vector<double> thetas_;
  std::vector<double> log_p_, log_q_;  // per item × grid point
  std::map<std::string, int, std::less<>> par_id_;
  std::vector<std::string> competences_;  // all, sorted
  std::vector<int> competence_, tube_;    // dense indices per item
  std::vector<std::uint64_t> hash_;       // of the ids: the per-session tie-break
  std::map<std::string, int> tubes_;      // "competence\x1ftube" → index
};

// Deterministic 64-bit mixing (splitmix64) and a uniform double in [0, 1) from a seed and a counter:
// the random choices of a session depend on its seed and the question number only, so a resumed
// session makes the same choices.
std::uint64_t melanger(std::uint64_t x);
double uniforme(std::uint64_t graine, std::uint64_t compteur);

}  // namespace coop::evaluation::moteur
