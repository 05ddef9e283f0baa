#include "features/evaluation/correspondance.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"

namespace coop::evaluation {
namespace {

// Code points of a UTF-8 string; invalid bytes dropped.
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len;
    const char32_t cp = core::decode_utf8(s, i, len);
    if (cp != core::kInvalidCodePoint) out.push_back(cp);
    i += len;
  }
  return out;
}

// Canonical compositions of Latin-1 letters: base letter, combining mark, precomposed letter.
struct Composition {
  char32_t base, marque, compose;
};
constexpr char32_t kGrave = 0x300, kAigu = 0x301, kCirc = 0x302, kTilde = 0x303, kTrema = 0x308,
                   kRond = 0x30A, kCedille = 0x327;
constexpr std::array<Composition, 27> kMajuscules{{
    {'A', kGrave, 0xC0}, {'A', kAigu, 0xC1},   {'A', kCirc, 0xC2},  {'A', kTilde, 0xC3}, {'A', kTrema, 0xC4},
    {'A', kRond, 0xC5},  {'C', kCedille, 0xC7}, {'E', kGrave, 0xC8}, {'E', kAigu, 0xC9},  {'E', kCirc, 0xCA},
    {'E', kTrema, 0xCB}, {'I', kGrave, 0xCC},  {'I', kAigu, 0xCD},  {'I', kCirc, 0xCE},  {'I', kTrema, 0xCF},
    {'N', kTilde, 0xD1}, {'O', kGrave, 0xD2},  {'O', kAigu, 0xD3},  {'O', kCirc, 0xD4},  {'O', kTilde, 0xD5},
    {'O', kTrema, 0xD6}, {'U', kGrave, 0xD9},  {'U', kAigu, 0xDA},  {'U', kCirc, 0xDB},  {'U', kTrema, 0xDC},
    {'Y', kAigu, 0xDD},  {'Y', kTrema, 0x178},
}};

std::optional<char32_t> composer(char32_t base, char32_t marque) {
  for (const auto& c : kMajuscules) {
    if (c.marque != marque) continue;
    if (c.base == base) return c.compose;
    if (c.base + 0x20 == base) return c.compose == 0x178 ? char32_t{0xFF} : c.compose + 0x20;
  }
  return std::nullopt;
}

bool marque_combinante(char32_t cp) { return cp >= 0x300 && cp <= 0x36F; }

bool espace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r' || cp == 0xA0 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

bool ponctuation_ou_symbole(char32_t cp) {
  if (cp < 0x80) return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || marque_combinante(cp) ||
         (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
         (cp >= 0xFF00 && cp <= 0xFF0F) || cp == 0xFEFF;
}

}  // namespace

std::string_view nom(Niveau n) {
  switch (n) {
    case Niveau::exacte: return "exacte";
    case Niveau::t1: return "t1";
    case Niveau::t2: return "t2";
    case Niveau::t3: return "t3";
    case Niveau::numerique: return "numerique";
  }
  return "exacte";
}

std::string pretraiter(std::string_view s) {
  const auto cps = code_points(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < cps.size(); ++i) {
    char32_t cp = cps[i];
    if (cp == 0xA0 || cp == 0x202F) cp = ' ';
    if (i + 1 < cps.size() && marque_combinante(cps[i + 1])) {
      if (auto c = composer(cp, cps[i + 1])) {
        cp = *c;
        ++i;
      }
    }
    core::append_utf8(out, cp);
  }
  return out;
}

std::string appliquer_t1(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t cp : code_points(s)) {
    if (espace(cp) || marque_combinante(cp)) continue;
    if (cp >= 'A' && cp <= 'Z') {
      out.push_back(static_cast<char>(cp - 'A' + 'a'));
    } else if (cp >= 0xC0 && cp < 0x180) {
      std::string lettre;
      core::append_utf8(lettre, cp);
      const std::string plie = core::fold(lettre);  // é → e, Œ → oe; × and ÷ fold to nothing
      out += plie.empty() ? lettre : plie;
    } else {
      core::append_utf8(out, cp);
    }
  }
  return out;
}

std::string appliquer_t2(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t cp : code_points(s)) {
    if (!ponctuation_ou_symbole(cp) && !espace(cp)) core::append_utf8(out, cp);
  }
  return out;
}

std::string normaliser(std::string_view s, const Tolerances& t) {
  std::string r = pretraiter(s);
  if (t.t1) r = appliquer_t1(r);
  if (t.t2) r = appliquer_t2(r);
  return r;
}

std::size_t longueur(std::string_view utf8) { return code_points(utf8).size(); }

std::size_t levenshtein(std::string_view a8, std::string_view b8) {
  const auto a = code_points(a8);
  const auto b = code_points(b8);
  std::vector<std::size_t> prec(b.size() + 1), cour(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prec[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cour[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prec[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cour[j] = std::min({prec[j] + 1, cour[j - 1] + 1, sub});
    }
    std::swap(prec, cour);
  }
  return prec[b.size()];
}

std::optional<std::string> nombre(std::string_view brut) {
  std::string s;
  for (char32_t cp : code_points(pretraiter(brut))) {
    if (espace(cp)) continue;
    if (cp >= 0x80) return std::nullopt;
    s.push_back(static_cast<char>(cp));
  }
  std::size_t i = 0;
  bool negatif = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negatif = s[i++] == '-';
  std::string entier, fraction;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') entier.push_back(s[i++]);
  if (i < s.size() && (s[i] == ',' || s[i] == '.')) {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') fraction.push_back(s[i++]);
  }
  if (i != s.size() || (entier.empty() && fraction.empty())) return std::nullopt;
  std::size_t zeros = 0;
  while (zeros < entier.size() && entier[zeros] == '0') ++zeros;
  entier = zeros == entier.size() ? std::string("0") : entier.substr(zeros);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string r;
  if (negatif && (entier != "0" || !fraction.empty())) r.push_back('-');
  r += entier;
  if (!fraction.empty()) {
    r.push_back('.');
    r += fraction;
  }
  return r;
}

std::optional<Niveau> correspond(std::string_view reponse, std::string_view solution, const Tolerances& t,
                                 bool numerique) {
  if (numerique) {
    const auto a = nombre(reponse);
    const auto b = nombre(solution);
    if (a && b && *a == *b) return Niveau::numerique;
    return std::nullopt;
  }
  const std::string a0 = pretraiter(reponse), b0 = pretraiter(solution);
  const std::string a1 = t.t1 ? appliquer_t1(a0) : a0, b1 = t.t1 ? appliquer_t1(b0) : b0;
  const std::string a2 = t.t2 ? appliquer_t2(a1) : a1, b2 = t.t2 ? appliquer_t2(b1) : b1;
  if (a2.empty() || b2.empty()) return std::nullopt;  // an empty answer is never right
  if (a0 == b0) return Niveau::exacte;
  if (t.t1 && a1 == b1) return Niveau::t1;
  if (t.t2 && a2 == b2) return Niveau::t2;
  if (t.t3 && 4 * levenshtein(a2, b2) <= longueur(a2)) return Niveau::t3;
  return std::nullopt;
}

std::optional<Correspondance> correspond_une(std::string_view reponse, const std::vector<std::string>& variantes,
                                            const Tolerances& t, bool numerique) {
  std::optional<Correspondance> meilleure;
  for (std::size_t i = 0; i < variantes.size(); ++i) {
    const auto n = correspond(reponse, variantes[i], t, numerique);
    if (n && (!meilleure || static_cast<int>(*n) < static_cast<int>(meilleure->niveau)))
      meilleure = Correspondance{.variante = i, .niveau = *n};
  }
  return meilleure;
}

}  // namespace coop::evaluation
