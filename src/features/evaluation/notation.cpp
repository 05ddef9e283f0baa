#include "features/evaluation/notation.hpp"

#include <algorithm>
#include <functional>

namespace coop::evaluation {
namespace {

std::string valeur(const Reponse& r, const std::string& champ) {
  const auto i = r.valeurs.find(champ);
  return i == r.valeurs.end() ? std::string() : i->second;
}

}  // namespace

Resultat corriger(const Item& item, const Reponse& reponse) {
  Resultat res;
  switch (item.type) {
    case Type::qcu:
    case Type::qcm: {
      std::vector<int> choix = reponse.choix;
      std::sort(choix.begin(), choix.end());
      choix.erase(std::unique(choix.begin(), choix.end()), choix.end());
      res.correct = choix == item.reponse;
      return res;
    }
    case Type::qroc:
    case Type::qrocm_ind: {
      res.correct = true;
      for (std::size_t k = 0; k < item.champs.size(); ++k) {
        ResultatChamp rc{.champ = item.champs[k].nom, .correct = false, .niveau = std::nullopt, .solution = std::nullopt};
        if (k < item.solutions.size()) {
          if (const auto m = correspond_une(valeur(reponse, rc.champ), item.solutions[k], item.tolerances, item.numerique)) {
            rc.correct = true;
            rc.niveau = m->niveau;
          }
        }
        res.correct = res.correct && rc.correct;
        res.champs.push_back(std::move(rc));
      }
      return res;
    }
    case Type::qrocm_dep: {
      const std::size_t n = item.champs.size(), m = item.solutions.size();
      // match[f][s]: how field f's answer matches solution s.
      std::vector<std::vector<std::optional<Niveau>>> match(n, std::vector<std::optional<Niveau>>(m));
      for (std::size_t f = 0; f < n; ++f) {
        const std::string v = valeur(reponse, item.champs[f].nom);
        for (std::size_t s = 0; s < m; ++s) {
          if (const auto c = correspond_une(v, item.solutions[s], item.tolerances, item.numerique)) match[f][s] = c->niveau;
        }
      }
      // Kuhn's augmenting paths: the largest set of fields each given a distinct solution.
      std::vector<int> solution_de(m, -1);
      std::function<bool(std::size_t, std::vector<bool>&)> augmenter = [&](std::size_t f, std::vector<bool>& vu) {
        for (std::size_t s = 0; s < m; ++s) {
          if (!match[f][s] || vu[s]) continue;
          vu[s] = true;
          if (solution_de[s] < 0 || augmenter(static_cast<std::size_t>(solution_de[s]), vu)) {
            solution_de[s] = static_cast<int>(f);
            return true;
          }
        }
        return false;
      };
      for (std::size_t f = 0; f < n; ++f) {
        std::vector<bool> vu(m, false);
        augmenter(f, vu);
      }
      res.correct = true;
      for (std::size_t f = 0; f < n; ++f) {
        ResultatChamp rc{.champ = item.champs[f].nom, .correct = false, .niveau = std::nullopt, .solution = std::nullopt};
        for (std::size_t s = 0; s < m; ++s) {
          if (solution_de[s] == static_cast<int>(f)) {
            rc.correct = true;
            rc.niveau = match[f][s];
            rc.solution = s;
          }
        }
        res.correct = res.correct && rc.correct;
        res.champs.push_back(std::move(rc));
      }
      return res;
    }
  }
  return res;
}

}  // namespace coop::evaluation
