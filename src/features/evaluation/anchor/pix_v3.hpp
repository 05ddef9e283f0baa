// features/evaluation/anchor/pix_v3: the anchor's published certification v3 ("flash") algorithm,
// reimplemented from the description in ../shared/reference/evaluation.md only (no code read), as
// the baseline of `make bench-cat`. Not used by Coop's own tests; docs/architecture.md
// « Évaluation — moteur » lists the points where the description left a choice.
//
// - 2PL IRT, EAP on a grid of 80 points from −9 to 9 (both ends included);
// - after each answer: posterior ∝ likelihood of ALL the answers so far × N(θ_prev, 1.5) (the
//   prior moves to the previous estimate), EAP, then the variation limiter: the new estimate stays
//   within θ_prev ± max(0.5, 0.5·|θ_prev|); start θ = −3;
// - next item: Fisher information a²P(1−P) at θ; the 5 best are drawn with the weights
//   0.51 / 0.25 / 0.12 / 0.06 / 0.06 (renormalised when fewer than 5 are eligible);
// - content rules: one question per tube, every competence visited before one is repeated, no
//   competence of the last 2 questions (relaxed only when nothing else is eligible);
// - 32 questions; a result needs at least 20 answers; an abandoned test with 20–31 answers is
//   completed with skipped answers (counted wrong) on the items the algorithm would have chosen.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "features/evaluation/moteur.hpp"

namespace coop::evaluation::ancre {

struct ConfigV3 {
  double grille_min = -9.0, grille_max = 9.0;
  int points = 80;
  double variance_prior = 1.5;
  double depart = -3.0;
  double variation = 0.5;  // limiter: ±max(variation, variation·|θ_prev|)
  std::array<double, 5> poids{0.51, 0.25, 0.12, 0.06, 0.06};
  int longueur = 32;
  int minimum_valide = 20;
  int fenetre_competence = 2;  // no competence among the last N questions
};

class AlgorithmeV3 {
 public:
  AlgorithmeV3(std::vector<moteur::Item> banque, ConfigV3 config = {});

  struct Etat {
    std::uint64_t graine = 0;
    std::vector<int> items;      // indices in the bank, in order
    std::vector<bool> justes;    // one per answered item
    std::vector<double> thetas;  // estimate after each answer (thetas[k] after k+1 answers)
    double theta() const;        // current estimate (start value before any answer)
    double depart = -3.0;
  };

  Etat commencer(std::uint64_t graine) const;
  // Index of the next item, or −1 when the test is over (length reached or nothing eligible).
  int prochaine(const Etat& e) const;
  // Records the answer to item i (the one prochaine returned) and updates the estimate.
  void repondre(Etat& e, int i, bool juste) const;
  bool valide(const Etat& e) const { return static_cast<int>(e.justes.size()) >= config_.minimum_valide; }
  // An abandoned test: completed to the full length with skipped (wrong) answers when it has at
  // least minimum_valide answers; returns false (and does nothing) otherwise.
  bool completer_abandon(Etat& e) const;

  // The pieces, exposed for the tests.
  const std::vector<double>& grille() const { return thetas_; }
  std::vector<int> candidats(const Etat& e) const;  // allowed by the content rules, best information first
  // The estimate after one more update from theta_prev with the cumulative log-likelihood ll.
  double mettre_a_jour(double theta_prev, const std::vector<double>& ll) const;
  std::vector<double> log_vraisemblance(const Etat& e) const;
  const std::vector<moteur::Item>& items() const { return items_; }
  const ConfigV3& config() const { return config_; }

 private:
  std::vector<moteur::Item> items_;
  ConfigV3 config_;
  std::vector<double> thetas_;
  std::vector<int> competence_, tube_;  // dense indices per item
  std::vector<double> log_p_, log_q_;   // log P and log(1 − P) per item × grid point
  int n_competences_ = 0;
};

}  // namespace coop::evaluation::ancre
