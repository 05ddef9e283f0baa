// `coop horaires evaluer` (hidden): the evaluator over a stream, for the comparison with the
// reference implementation (tests/integration/horaires.test.mjs).
#pragma once

#include <iosfwd>

namespace coop::lieux::horaires {

// Each input line is "INSTANT<TAB>HORAIRES" (INSTANT in UTC ISO-8601, "2026-12-07T13:30:00Z");
// each output line is "ouvert", "ferme", "inconnu", or "invalide<TAB>message" (the parse error),
// or "erreur<TAB>message" for a malformed line. Returns 0.
int evaluer_flux(std::istream& entree, std::ostream& sortie);

// `coop horaires normaliser [--tolerant]`: each input line is a value; each output line is
// "valide<TAB>canonical text", or with --tolerant "corrige<TAB>canonical text<TAB>corrections
// joined by « ; »" when the tolerant mode fixed it, else "invalide<TAB>message". Returns 0.
int normaliser_flux(std::istream& entree, std::ostream& sortie, bool tolerant);

}  // namespace coop::lieux::horaires
