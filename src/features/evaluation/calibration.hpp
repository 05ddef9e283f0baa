// features/evaluation/calibration: recalibration of the 2PL item parameters from collected answers
// (issue 13 point 4, `coop evaluation calibrer`). Marginal maximum likelihood by EM over a
// quadrature of θ ~ N(0, 1) (Bock & Aitkin), with a log-normal prior on a and a wide normal prior
// on b around its starting value (MAP in the M-step: items with few answers stay near their start),
// then an optional linear linking of the scale back onto the level-derived difficulties so that the
// level and pix maps keep their meaning. docs/architecture.md « Évaluation — moteur ».
// For now the answers come from a CSV file; reading them from the database comes with the tests'
// storage (issue 13 points 3, 5, 6).
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coop::evaluation::calibration {

struct Reponse {
  std::string personne, item;
  bool juste = false;
};

// CSV with a header naming the columns person,item,correct (or personne,item,juste), in any order,
// separated by commas or semicolons; correct ∈ 1/0, true/false, juste/faux, oui/non. Throws
// std::runtime_error with a French message naming the line on bad input.
std::vector<Reponse> lire_reponses_csv(std::istream& in);

struct Parametres {
  double a = 1.2, b = 0.0;
  int reponses = 0;       // answers used
  bool calibre = false;   // false: too few answers, the starting values are kept
};

struct Options {
  int points = 41;                 // quadrature nodes on [−5, 5]
  int iterations_max = 200;
  double tolerance = 1e-4;         // stop when no parameter moves more than this in an iteration
  double prior_a_mediane = 1.2;    // log a ~ N(log 1.2, 0.5²)
  double prior_log_a_ecart = 0.5;
  double prior_b_ecart = 2.0;      // b ~ N(b_start, 2²)
  int reponses_min = 30;           // fewer answers: the item keeps its starting values
  bool relier = true;              // link the scale to the starting b (regression), see below
};

struct Resultat {
  std::map<std::string, Parametres> items;
  int iterations = 0;
  bool converge = false;
  double log_vraisemblance = 0.0;       // marginal, at the end
  double liaison_A = 1.0, liaison_B = 0.0;  // θ_niveaux = A·θ_calibré + B (1, 0 without linking)
  bool relie = false;  // linked: needs ≥ 2 calibrated items with a starting value, of different b
};

// depart: the starting parameters of every known item (e.g. from the levels); answers to items
// not in depart start at (prior_a_mediane, logit of the proportion wrong). With relier, the
// calibrated scale (θ ~ N(0,1) over the respondents) is mapped linearly onto the starting b's
// scale by regressing b_cal on b_start over the calibrated items that had a starting value
// (b_cal ≈ β·b_start + α): A = 1/β = var(b_start)/cov(b_start, b_cal), B = mean(b_start) −
// A·mean(b_cal); b ← A·b + B, a ← a/A (θ_levels = A·θ_cal + B).
Resultat calibrer(const std::vector<Reponse>& reponses, const std::map<std::string, Parametres>& depart,
                  const Options& options = {});

// The parameters file: CSV "item,a,b,reponses,calibre" with a header.
void ecrire_parametres(std::ostream& out, const std::map<std::string, Parametres>& items);
std::map<std::string, Parametres> lire_parametres(std::istream& in);  // throws std::runtime_error
// Starting values: a parameters file (columns item,a,b), or a list of items with their level
// (columns item,niveau) whose a and b come from the level (moteur::Echelle defaults).
std::map<std::string, Parametres> lire_depart(std::istream& in);  // throws std::runtime_error

}  // namespace coop::evaluation::calibration
