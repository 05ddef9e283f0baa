// The explicit tolerant mode (horaires.hpp: analyser_tolerant): a rewrite of known slips, each
// reported, then the strict analysis of the result.
#include <fmt/format.h>

#include <optional>

#include "features/lieux/horaires.hpp"
#include "features/lieux/horaires_syntaxe.hpp"

namespace coop::lieux::horaires {

using namespace syntaxe;

namespace {

// A word the strict parser names in its error (indice) and that has one meaning in the syntax.
std::optional<std::string_view> mot_corrige(std::string_view mot) {
  if (index_de(mot, kJours) >= 0 || index_de(mot, kMois) >= 0) return std::nullopt;
  std::string m = minuscule(mot);
  for (auto j : kJours)
    if (minuscule(j) == m) return j;
  if (int i = autre_jour(m); i >= 0) return kJours[static_cast<std::size_t>(i)];
  for (auto j : kMois)
    if (minuscule(j) == m) return j;
  if (int i = autre_mois(m); i >= 0) return kMois[static_cast<std::size_t>(i)];
  if (m == "ph") return "PH";
  return std::nullopt;
}

std::size_t caracteres(std::string_view s, std::size_t octets) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < octets && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

std::string decrire(const Correction& c) {
  if (c.apres.empty()) return fmt::format("caractère {} : « {} » supprimé", c.caractere, c.avant);
  return fmt::format("caractère {} : « {} » → « {} »", c.caractere, c.avant, c.apres);
}

AnalyseTolerante analyser_tolerant(std::string_view texte) {
  AnalyseTolerante r{.analyse = analyser(texte), .texte_corrige = std::string(texte), .corrections = {}};
  if (r.analyse.valide()) return r;
  std::string out;
  auto noter = [&](std::size_t octet, std::string_view avant, std::string_view apres) {
    r.corrections.push_back(
        Correction{.caractere = caracteres(texte, octet) + 1, .avant = std::string(avant), .apres = std::string(apres)});
  };
  auto chiffre = [&](std::size_t k) { return k < texte.size() && std::isdigit(static_cast<unsigned char>(texte[k])); };
  std::size_t i = 0;
  while (i < texte.size()) {
    unsigned char c = static_cast<unsigned char>(texte[i]);
    if (c == '"') {  // a comment, copied as is
      auto fin = texte.find('"', i + 1);
      fin = fin == std::string_view::npos ? texte.size() : fin + 1;
      out += texte.substr(i, fin - i);
      i = fin;
    } else if (c == ';' || c == ',' || texte.substr(i, 2) == "||") {
      // An empty rule: a separator followed (spaces aside) by « ; » or by the end.
      std::size_t n = texte.substr(i, 2) == "||" ? 2 : 1;
      std::size_t l = i + n;
      while (l < texte.size() && texte[l] == ' ') ++l;
      if (l == texte.size() || (c == ';' && texte[l] == ';')) noter(i, texte.substr(i, n), "");
      else out += texte.substr(i, n);
      i += n;
    } else if (texte.substr(i, 3) == "\xE2\x80\x93" || texte.substr(i, 3) == "\xE2\x80\x94") {
      noter(i, texte.substr(i, 3), "-");
      out += '-';
      i += 3;
    } else if (std::isdigit(c) && (i == 0 || !chiffre(i - 1))) {
      std::size_t k = i;
      while (chiffre(k)) ++k;
      std::size_t n = k - i;
      // 9h, 9h30, 09h00, 9:00 → HH:MM (an hour of one or two digits only).
      bool h = n <= 2 && k < texte.size() && (texte[k] == 'h' || texte[k] == 'H') &&
               !(k + 1 < texte.size() && std::isalpha(static_cast<unsigned char>(texte[k + 1])));
      bool deux_points = n == 1 && k + 2 < texte.size() && texte[k] == ':' && chiffre(k + 1) && chiffre(k + 2) && !chiffre(k + 3);
      if (h) {
        std::size_t fin = k + 1;
        std::string minutes = "00";
        if (chiffre(fin) && chiffre(fin + 1) && !chiffre(fin + 2)) minutes = std::string(texte.substr(fin, 2)), fin += 2;
        std::string heure = fmt::format("{:0>2}:{}", texte.substr(i, n), minutes);
        noter(i, texte.substr(i, fin - i), heure);
        out += heure;
        i = fin;
      } else if (deux_points) {
        std::string heure = "0" + std::string(texte.substr(i, 4));
        noter(i, texte.substr(i, 4), heure);
        out += heure;
        i += 4;
      } else {
        out += texte.substr(i, n);
        i = k;
      }
    } else if (lettre(c)) {
      std::size_t k = i;
      while (k < texte.size() && lettre(static_cast<unsigned char>(texte[k]))) ++k;
      auto mot = texte.substr(i, k - i);
      if (auto m = mot_corrige(mot)) {
        noter(i, mot, *m);
        out += *m;
      } else {
        out += mot;
      }
      i = k;
    } else {
      out += static_cast<char>(c);
      ++i;
    }
  }
  std::string nettoye = out;
  while (!nettoye.empty() && nettoye.back() == ' ') nettoye.pop_back();
  r.texte_corrige = nettoye;
  r.analyse = analyser(nettoye);
  return r;
}


}  // namespace coop::lieux::horaires
