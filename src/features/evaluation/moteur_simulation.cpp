#include "features/evaluation/moteur_simulation.hpp"

#include <cmath>
#include <string>

namespace coop::evaluation::simulation {

namespace {
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Aleatoire::Aleatoire(std::uint64_t graine) {
  std::uint64_t x = graine;
  for (auto& s : s_) s = x = moteur::melanger(x);
}

std::uint64_t Aleatoire::suivant() {
  std::uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return r;
}

double Aleatoire::uniforme() { return static_cast<double>(suivant() >> 11) * 0x1.0p-53; }

double Aleatoire::normale() {
  if (a_reserve_) {
    a_reserve_ = false;
    return reserve_;
  }
  double u1 = 0;
  while (u1 <= 0) u1 = uniforme();
  double u2 = uniforme(), r = std::sqrt(-2 * std::log(u1)), t = 2 * M_PI * u2;
  reserve_ = r * std::sin(t);
  a_reserve_ = true;
  return r * std::cos(t);
}

int Aleatoire::entier(int n) { return static_cast<int>(uniforme() * n); }

std::vector<moteur::Item> banque_generee(const moteur::Echelle& echelle) {
  static const char* const kCompetences[] = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1",
                                             "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2"};
  std::vector<moteur::Item> r;
  for (auto* c : kCompetences) {
    std::string cc = c;
    std::string code = cc.substr(0, 1) + cc.substr(2, 1);
    int tour = 0;
    for (int niveau = 1; niveau <= 6; ++niveau) {
      // Tubes covering this level: k with k ≤ niveau ≤ k+2, k in 1..4.
      std::vector<int> tubes;
      for (int k = 1; k <= 4; ++k)
        if (k <= niveau && niveau <= k + 2) tubes.push_back(k);
      for (int n = 0; n < 3; ++n) {
        int k = tubes[static_cast<std::size_t>(tour++ % static_cast<int>(tubes.size()))];
        moteur::Item it;
        it.id = "c" + code + "-t" + std::to_string(k) + "-n" + std::to_string(niveau) + "-" + std::to_string(n + 1);
        it.competence = cc;
        it.tube = "@tube" + code + "x" + std::to_string(k);
        it.niveau = niveau;
        it.chronometre = (niveau + n) % 7 == 0;
        r.push_back(std::move(it));
      }
    }
  }
  moteur::parametres_depuis_niveaux(r, echelle);
  return r;
}

std::vector<moteur::Item> parametres_vrais(const std::vector<moteur::Item>& items, std::uint64_t graine,
                                           const Dispersion& d) {
  Aleatoire r(graine);
  std::vector<moteur::Item> v = items;
  for (auto& it : v) {
    it.b += d.ecart_b * r.normale();
    it.a *= std::exp(d.ecart_log_a * r.normale());
  }
  return v;
}

bool repondre(Aleatoire& r, const moteur::Item& vrai, double theta) {
  return r.uniforme() < moteur::probabilite(vrai.a, vrai.b, theta);
}

}  // namespace coop::evaluation::simulation
