#include "features/evaluation/anchor/pix_v3.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace coop::evaluation::ancre {

using moteur::information;
using moteur::probabilite;

AlgorithmeV3::AlgorithmeV3(std::vector<moteur::Item> banque, ConfigV3 config)
    : items_(std::move(banque)), config_(config) {
  moteur::Grille g{.min = config_.grille_min, .max = config_.grille_max, .points = config_.points};
  thetas_ = g.valeurs();
  std::map<std::string, int> comps, tubes;
  for (auto& it : items_) {
    auto c = comps.emplace(it.competence, static_cast<int>(comps.size())).first->second;
    auto t = tubes.emplace(it.competence + "\x1f" + it.tube, static_cast<int>(tubes.size())).first->second;
    competence_.push_back(c);
    tube_.push_back(t);
  }
  n_competences_ = static_cast<int>(comps.size());
  for (auto& it : items_)
    for (double t : thetas_) {
      double p = std::clamp(probabilite(it.a, it.b, t), 1e-300, 1.0 - 1e-16);
      log_p_.push_back(std::log(p));
      log_q_.push_back(std::log1p(-p));
    }
}

double AlgorithmeV3::Etat::theta() const { return thetas.empty() ? depart : thetas.back(); }

AlgorithmeV3::Etat AlgorithmeV3::commencer(std::uint64_t graine) const {
  Etat e;
  e.graine = graine;
  e.depart = config_.depart;
  return e;
}

std::vector<double> AlgorithmeV3::log_vraisemblance(const Etat& e) const {
  const std::size_t n = thetas_.size();
  std::vector<double> ll(n, 0.0);
  for (std::size_t k = 0; k < e.justes.size(); ++k) {
    const double* l = (e.justes[k] ? log_p_.data() : log_q_.data()) + static_cast<std::size_t>(e.items[k]) * n;
    for (std::size_t g = 0; g < n; ++g) ll[g] += l[g];
  }
  return ll;
}

double AlgorithmeV3::mettre_a_jour(double theta_prev, const std::vector<double>& ll) const {
  double eap = moteur::eap(thetas_, ll, theta_prev, std::sqrt(config_.variance_prior)).moyenne;
  double limite = std::max(config_.variation, config_.variation * std::abs(theta_prev));
  return std::clamp(eap, theta_prev - limite, theta_prev + limite);
}

std::vector<int> AlgorithmeV3::candidats(const Etat& e) const {
  std::vector<int> vus(static_cast<std::size_t>(n_competences_), 0), restants(vus.size(), 0);
  std::vector<bool> servi(items_.size(), false);
  std::vector<bool> tube_pris(tube_.empty() ? 0 : static_cast<std::size_t>(*std::max_element(tube_.begin(), tube_.end()) + 1),
                              false);
  for (int i : e.items) {
    servi[static_cast<std::size_t>(i)] = true;
    tube_pris[static_cast<std::size_t>(tube_[static_cast<std::size_t>(i)])] = true;
    ++vus[static_cast<std::size_t>(competence_[static_cast<std::size_t>(i)])];
  }
  std::vector<int> eligibles;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (servi[i] || tube_pris[static_cast<std::size_t>(tube_[i])]) continue;
    eligibles.push_back(static_cast<int>(i));
    ++restants[static_cast<std::size_t>(competence_[i])];
  }
  if (eligibles.empty()) return {};
  int m = std::numeric_limits<int>::max();
  for (std::size_t c = 0; c < vus.size(); ++c)
    if (restants[c] > 0) m = std::min(m, vus[c]);
  auto filtrer = [&](bool tour, int fenetre) {
    std::vector<int> r;
    for (int i : eligibles) {
      int c = competence_[static_cast<std::size_t>(i)];
      if (tour && vus[static_cast<std::size_t>(c)] != m) continue;
      bool recent = false;
      for (int k = 1; k <= fenetre && k <= static_cast<int>(e.items.size()); ++k)
        if (competence_[static_cast<std::size_t>(e.items[e.items.size() - static_cast<std::size_t>(k)])] == c) recent = true;
      if (!recent) r.push_back(i);
    }
    return r;
  };
  std::vector<int> r;
  for (int fenetre = config_.fenetre_competence; fenetre >= 0 && r.empty(); --fenetre) r = filtrer(true, fenetre);
  for (int fenetre = config_.fenetre_competence; fenetre >= 0 && r.empty(); --fenetre) r = filtrer(false, fenetre);
  double theta = e.theta();
  std::vector<std::pair<double, int>> tri;
  for (int i : r) {
    auto& it = items_[static_cast<std::size_t>(i)];
    tri.emplace_back(information(it.a, it.b, theta), i);
  }
  std::sort(tri.begin(), tri.end(), [&](auto& x, auto& y) {
    if (x.first != y.first) return x.first > y.first;
    return items_[static_cast<std::size_t>(x.second)].id < items_[static_cast<std::size_t>(y.second)].id;
  });
  std::vector<int> out;
  for (auto& [_, i] : tri) out.push_back(i);
  return out;
}

int AlgorithmeV3::prochaine(const Etat& e) const {
  if (static_cast<int>(e.items.size()) >= config_.longueur) return -1;
  auto c = candidats(e);
  if (c.empty()) return -1;
  std::size_t k = std::min<std::size_t>(config_.poids.size(), c.size());
  double total = 0;
  for (std::size_t i = 0; i < k; ++i) total += config_.poids[i];
  double u = moteur::uniforme(e.graine, e.items.size()) * total;
  for (std::size_t i = 0; i < k; ++i) {
    if (u < config_.poids[i]) return c[i];
    u -= config_.poids[i];
  }
  return c[k - 1];
}

void AlgorithmeV3::repondre(Etat& e, int i, bool juste) const {
  double prev = e.theta();
  e.items.push_back(i);
  e.justes.push_back(juste);
  e.thetas.push_back(mettre_a_jour(prev, log_vraisemblance(e)));
}

bool AlgorithmeV3::completer_abandon(Etat& e) const {
  if (!valide(e)) return false;
  while (true) {
    int i = prochaine(e);
    if (i < 0) break;
    repondre(e, i, false);
  }
  return true;
}

}  // namespace coop::evaluation::ancre
