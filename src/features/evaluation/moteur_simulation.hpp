// features/evaluation/moteur_simulation: what the engine's tests and `make bench-cat` share — a
// generated bank with the structure of the real one, "true" item parameters drawn around the
// level-derived ones, and a deterministic random source.
#pragma once

#include <cstdint>
#include <vector>

#include "features/evaluation/moteur.hpp"

namespace coop::evaluation::simulation {

// A small deterministic generator (xoshiro256**), independent of the standard library's
// distributions so that results are the same on every platform.
class Aleatoire {
 public:
  explicit Aleatoire(std::uint64_t graine);
  std::uint64_t suivant();
  double uniforme();            // [0, 1)
  double normale();             // N(0, 1), Box–Muller
  int entier(int n);            // 0..n−1

 private:
  std::uint64_t s_[4];
  bool a_reserve_ = false;
  double reserve_ = 0;
};

// 16 competences (1.1 … 5.2 of the referentiel), 4 tubes each, levels 1–6 with 3 items per level
// (288 items). Tube k of a competence covers levels k..k+2 (tube 1: 1–3 … tube 4: 4–6); each
// level's 3 items go to the tubes covering it, in turn. Parameters from the levels (Echelle).
std::vector<moteur::Item> banque_generee(const moteur::Echelle& echelle = {});

struct Dispersion {
  double ecart_b = 0.5;       // b_true = b(level) + N(0, 0.5²)
  double ecart_log_a = 0.3;   // a_true = a_default · exp(N(0, 0.3²))
};
// The same items with "true" parameters drawn around their level-derived values.
std::vector<moteur::Item> parametres_vrais(const std::vector<moteur::Item>& items, std::uint64_t graine,
                                           const Dispersion& d = {});

bool repondre(Aleatoire& r, const moteur::Item& vrai, double theta);

}  // namespace coop::evaluation::simulation
