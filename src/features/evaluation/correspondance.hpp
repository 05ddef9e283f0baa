// Free-answer matching of the evaluation's items (../shared/reference/evaluation.md, « Free-answer
// matching »), and the comparison of numeric answers. Pure functions, thread-safe.
//
// Always applied (pre-treatment, never switched off): Unicode NFC composition of the combining
// accents of Latin letters, non-breaking and narrow non-breaking spaces (U+00A0, U+202F) → space.
// Then, each switchable per item:
//   t1  trim, lower-case, strip accents (ligatures œ æ expanded: « cœur » = « coeur »), remove
//       every space;
//   t2  remove every character that is neither a letter nor a digit;
//   t3  accept when levenshtein(answer, solution) / length(answer) ≤ 0.25 (code points of the
//       normalised strings; an empty answer is never accepted).
// Numeric answers (`numerique: oui`) compare as decimal numbers whatever the tolerances: spaces
// removed, « , » or « . » as the decimal separator, leading and trailing zeros insignificant
// (« 3,5 » = « 3.50 » = « 03.5 »); a non-numeric answer is wrong.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::evaluation {

struct Tolerances {
  bool t1 = true;
  bool t2 = true;
  bool t3 = true;
};

// How an answer matched an accepted solution: the first step at which they were equal.
enum class Niveau {
  exacte,     // equal after the pre-treatment alone
  t1,         // equal after t1
  t2,         // equal after t1 (when on) and t2
  t3,         // within the Levenshtein ratio
  numerique,  // equal as numbers
};
std::string_view nom(Niveau n);  // "exacte", "t1", "t2", "t3", "numerique"

// NFC of Latin letters + combining accents, U+00A0 and U+202F → space.
std::string pretraiter(std::string_view s);
// t1 alone on an already pre-treated string.
std::string appliquer_t1(std::string_view s);
// t2 alone.
std::string appliquer_t2(std::string_view s);
// Pre-treatment then the tolerances t1, t2 that are on.
std::string normaliser(std::string_view s, const Tolerances& t);

// Levenshtein distance between two UTF-8 strings, counted in code points.
std::size_t levenshtein(std::string_view a, std::string_view b);
std::size_t longueur(std::string_view utf8);  // code points

// Canonical decimal of a numeric answer ("-3.5", "1000", "0.25"), or nullopt when not a number.
std::optional<std::string> nombre(std::string_view s);

// Does `reponse` match `solution` (one accepted variant)? The step that matched, or nullopt.
std::optional<Niveau> correspond(std::string_view reponse, std::string_view solution, const Tolerances& t,
                                 bool numerique);

struct Correspondance {
  std::size_t variante;  // index in `variantes`
  Niveau niveau;
};
// The best match among accepted variants (lowest step, then first variant), or nullopt.
std::optional<Correspondance> correspond_une(std::string_view reponse, const std::vector<std::string>& variantes,
                                            const Tolerances& t, bool numerique);

}  // namespace coop::evaluation
