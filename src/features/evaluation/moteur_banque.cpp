#include "features/evaluation/moteur_banque.hpp"

namespace coop::evaluation {

std::vector<moteur::Item> items_moteur(const Banque& banque, const moteur::Echelle& echelle,
                                       const std::map<std::string, calibration::Parametres>& parametres) {
  std::vector<moteur::Item> r;
  r.reserve(banque.items.size());
  for (auto& it : banque.items) {
    moteur::Item m{.id = it.id, .competence = it.competence, .tube = "@" + it.tube, .niveau = it.niveau,
                   .a = echelle.a_defaut, .b = echelle.b_niveau(it.niveau), .chronometre = it.temps.has_value()};
    if (auto p = parametres.find(it.id); p != parametres.end()) {
      m.a = p->second.a;
      m.b = p->second.b;
    }
    r.push_back(std::move(m));
  }
  return r;
}

}  // namespace coop::evaluation
