// `coop evaluation calibrer` (docs/operations.md « Évaluation : calibrer les items »): the item
// parameters recalibrated from an answers CSV (features/evaluation/calibration.hpp). Reads files
// only for now; reading the collected answers from the database comes with the tests' storage.
#pragma once

#include <string>

namespace coop::app {

struct OptionsCalibrer {
  std::string reponses;   // CSV person,item,correct
  std::string sortie;     // parameters CSV ("-" = standard output)
  std::string depart;     // optional: item,a,b or item,niveau
  std::string banque;     // optional: the bank's directory, the level-derived start of its items
  int reponses_min = 30;
  bool sans_liaison = false;
};

int calibrer_items(const OptionsCalibrer& o);

}  // namespace coop::app
