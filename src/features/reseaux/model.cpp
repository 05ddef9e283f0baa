#include "features/reseaux/model.hpp"

#include <algorithm>
#include <regex>
#include <sstream>

#include "core/text.hpp"

namespace coop::reseaux {

namespace {
std::size_t longueur(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::vector<std::string> mots(std::string_view t) {
  std::vector<std::string> out;
  std::istringstream in(core::fold(t));
  for (std::string m; in >> m;) out.push_back(m);
  return out;
}
}  // namespace

Erreurs valider(Saisie& s, const std::function<bool(const Territoire&)>& connu) {
  Erreurs e;
  s.nom = core::trim(s.nom);
  s.description = core::trim(s.description);
  if (!core::valid_utf8(s.nom) || !core::valid_utf8(s.description)) e["nom"] = "Le texte n'est pas de l'UTF-8 valide.";
  if (s.nom.empty()) e["nom"] = "Donnez un nom au réseau.";
  else if (longueur(s.nom) > max_nom) e["nom"] = "Le nom du réseau tient en 120 caractères au plus.";
  if (longueur(s.description) > max_description) e["description"] = "La description tient en 2 000 caractères au plus.";
  std::sort(s.territoires.begin(), s.territoires.end());
  s.territoires.erase(std::unique(s.territoires.begin(), s.territoires.end()), s.territoires.end());
  if (s.territoires.empty()) e["territoires"] = "Indiquez au moins un département ou une commune.";
  else if (s.territoires.size() > max_territoires) e["territoires"] = "Un réseau couvre au plus 50 départements ou communes.";
  else
    for (const auto& t : s.territoires)
      if ((t.niveau != "departement" && t.niveau != "commune") || !connu(t)) {
        e["territoires"] = "Territoire inconnu : « " + core::utf8_prefix(t.code, 20) + " » (" +
                           (t.niveau == "commune" ? "code INSEE de commune" : "code de département") + ").";
        break;
      }
  return e;
}

std::optional<Territoire> territoire_de(std::string_view texte) {
  static const std::regex re("^(departement|commune):([0-9A-Za-z]{2,5})$");
  std::string t(texte);
  std::smatch m;
  if (!std::regex_match(t, m, re)) return std::nullopt;
  std::string code = m[2];
  for (auto& c : code)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return Territoire{m[1], code};
}

std::string texte_de(const Territoire& t) { return t.niveau + ":" + t.code; }

bool correspond(std::string_view requete, const std::vector<std::string>& textes) {
  const auto q = mots(requete);
  if (q.empty()) return true;
  std::vector<std::string> tous;
  for (const auto& t : textes)
    for (auto& m : mots(t)) tous.push_back(std::move(m));
  for (const auto& w : q)
    if (std::none_of(tous.begin(), tous.end(), [&](const std::string& m) { return m.starts_with(w); })) return false;
  return true;
}

std::string nom_du_canal(std::string_view nom_reseau) {
  const std::string plein = "Réseau · " + std::string(nom_reseau);
  std::size_t n = 0, i = 0;
  for (; i < plein.size(); ++i)
    if ((static_cast<unsigned char>(plein[i]) & 0xC0) != 0x80 && ++n > 80) break;
  return plein.substr(0, i);
}

}  // namespace coop::reseaux
