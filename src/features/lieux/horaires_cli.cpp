#include "features/lieux/horaires_cli.hpp"

#include <istream>
#include <ostream>
#include <string>
#include <unordered_map>

#include "features/lieux/horaires.hpp"

namespace coop::lieux::horaires {

int evaluer_flux(std::istream& entree, std::ostream& sortie) {
  std::unordered_map<std::string, Analyse> analyses;
  std::string ligne;
  while (std::getline(entree, ligne)) {
    if (!ligne.empty() && ligne.back() == '\r') ligne.pop_back();
    auto tab = ligne.find('\t');
    auto instant = tab == std::string::npos ? std::nullopt : core::parse_iso(ligne.substr(0, tab));
    if (!instant) {
      sortie << "erreur\tligne attendue : INSTANT<TAB>HORAIRES (INSTANT en UTC, 2026-12-07T13:30:00Z)\n";
      continue;
    }
    auto texte = ligne.substr(tab + 1);
    auto it = analyses.find(texte);
    if (it == analyses.end()) it = analyses.emplace(texte, analyser(texte)).first;
    const Analyse& a = it->second;
    if (!a.valide()) {
      sortie << "invalide\t" << a.erreur->message << '\n';
      continue;
    }
    switch (etat(*a.horaires, *instant)) {
      case Etat::ouvert: sortie << "ouvert\n"; break;
      case Etat::ferme: sortie << "ferme\n"; break;
      case Etat::inconnu: sortie << "inconnu\n"; break;
    }
  }
  sortie.flush();
  return 0;
}

int normaliser_flux(std::istream& entree, std::ostream& sortie, bool tolerant) {
  std::string ligne;
  while (std::getline(entree, ligne)) {
    if (!ligne.empty() && ligne.back() == '\r') ligne.pop_back();
    if (!tolerant) {
      auto a = analyser(ligne);
      if (a.valide()) sortie << "valide\t" << normaliser(*a.horaires) << '\n';
      else sortie << "invalide\t" << a.erreur->message << '\n';
      continue;
    }
    auto t = analyser_tolerant(ligne);
    if (!t.analyse.valide()) {
      sortie << "invalide\t" << t.analyse.erreur->message << '\n';
    } else if (t.corrections.empty()) {
      sortie << "valide\t" << normaliser(*t.analyse.horaires) << '\n';
    } else {
      std::string liste;
      for (const auto& c : t.corrections) liste += (liste.empty() ? "" : " ; ") + decrire(c);
      sortie << "corrige\t" << normaliser(*t.analyse.horaires) << '\t' << liste << '\n';
    }
  }
  sortie.flush();
  return 0;
}

}  // namespace coop::lieux::horaires
