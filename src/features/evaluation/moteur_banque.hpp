// features/evaluation/moteur_banque: the bank as read by the parser (banque.hpp) → the engine's
// items (moteur.hpp), with their level-derived parameters, optionally replaced by a calibration's.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "features/evaluation/banque.hpp"
#include "features/evaluation/calibration.hpp"
#include "features/evaluation/moteur.hpp"

namespace coop::evaluation {

// One engine item per bank item: competence, tube (« @ » + id), level, timed when it has `temps:`,
// a and b from the level (Echelle), then from `parametres` for the items it has.
std::vector<moteur::Item> items_moteur(const Banque& banque, const moteur::Echelle& echelle = {},
                                       const std::map<std::string, calibration::Parametres>& parametres = {});

}  // namespace coop::evaluation
