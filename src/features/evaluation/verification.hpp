// `coop evaluation verifier [DIR]`: loads a bank directory, prints every refusal as
// « fichier:ligne: [clé] message » on `erreurs`, and a summary on `sortie` (items per competence ×
// level, per type). Returns the process's exit code: 0 when the bank is valid, 1 otherwise.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "features/evaluation/banque.hpp"

namespace coop::evaluation {

// The summary table of a bank (French, plain text).
std::string resume(const Banque& banque);

int verifier(const std::filesystem::path& dossier, std::ostream& sortie, std::ostream& erreurs);

}  // namespace coop::evaluation
