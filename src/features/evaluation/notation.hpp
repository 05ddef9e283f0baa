// Grading a candidate's answer against an item's answer rules (pure).
//   QCU, QCM   the chosen propositions (1-based) must be exactly the correct set;
//   QROC       the one field matches one accepted variant (correspondance.hpp);
//   QROCM-ind  every field matches one of its own accepted variants;
//   QROCM-dep  every field matches a solution, each solution used by one field only (a maximum
//              bipartite matching of fields to solutions, so the order of the fields is free).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "features/evaluation/banque.hpp"

namespace coop::evaluation {

struct Reponse {
  std::vector<int> choix;                     // QCU, QCM: 1-based indices
  std::map<std::string, std::string> valeurs;  // QROC*: field name → text ("reponse" for a QROC without champs)
};

struct ResultatChamp {
  std::string champ;
  bool correct = false;
  std::optional<Niveau> niveau;       // how it matched
  std::optional<std::size_t> solution;  // QROCM-dep: the solution it used (index in Item::solutions)
};

struct Resultat {
  bool correct = false;
  std::vector<ResultatChamp> champs;  // QROC*: one per field, in the order of Item::champs
};

Resultat corriger(const Item& item, const Reponse& reponse);

}  // namespace coop::evaluation
