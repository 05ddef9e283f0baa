#include "features/ressources/model.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "features/fichiers/model.hpp"

namespace coop::ressources {

bool connu(std::span<const Code> v, std::string_view code) {
  return std::any_of(v.begin(), v.end(), [&](const Code& c) { return c.code == code; });
}

std::string_view libelle(std::span<const Code> v, std::string_view code) {
  for (const auto& c : v)
    if (c.code == code) return c.label;
  return {};
}

std::span<const Code> vocabulaire(std::string_view f) {
  if (f == "thematique") return thematiques;
  if (f == "public") return publics;
  if (f == "format") return formats;
  if (f == "niveau") return niveaux;
  if (f == "licence") return licences;
  return {};
}

bool url_valide(std::string_view url) {
  if (!(url.starts_with("https://") || url.starts_with("http://"))) return false;
  const auto hote = url.substr(url.find("//") + 2);
  if (hote.empty() || hote.front() == '/') return false;
  return std::none_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

using core::trim;

namespace {

void trier(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

Erreurs valider(Saisie& s) {
  Erreurs e;
  auto err = [&](const std::string& champ, const std::string& m) { e.emplace(champ, m); };
  s.titre = trim(s.titre);
  s.resume = trim(s.resume);
  s.description = trim(s.description);
  trier(s.thematiques);
  trier(s.publics);
  trier(s.fichiers);
  if (s.titre.empty()) err("titre", "Donnez un titre à la ressource.");
  else if (s.titre.size() > kTitreMax) err("titre", "Le titre dépasse " + std::to_string(kTitreMax) + " caractères.");
  if (s.resume.size() > kResumeMax) err("resume", "Le résumé dépasse " + std::to_string(kResumeMax) + " caractères.");
  if (s.description.size() > kDescriptionMax)
    err("description", "La description dépasse " + std::to_string(kDescriptionMax) + " caractères.");
  for (const auto& t : s.thematiques)
    if (!connu(thematiques, t)) { err("thematiques", "Thématique inconnue : « " + t + " »."); break; }
  if (!e.count("thematiques") && s.thematiques.empty() && s.statut == "publie")
    err("thematiques", "Choisissez au moins une thématique avant de publier.");
  for (const auto& p : s.publics)
    if (!connu(publics, p)) { err("publics", "Public inconnu : « " + p + " »."); break; }
  if (s.format.empty()) err("format", "Choisissez un format.");
  else if (!connu(formats, s.format)) err("format", "Format inconnu : « " + s.format + " ».");
  if (s.niveau.empty()) err("niveau", "Choisissez un niveau.");
  else if (!connu(niveaux, s.niveau)) err("niveau", "Niveau inconnu : « " + s.niveau + " ».");
  if (s.duree_minutes && (*s.duree_minutes < 1 || *s.duree_minutes > kDureeMax))
    err("duree_minutes", "La durée de l'atelier va de 1 à " + std::to_string(kDureeMax) + " minutes.");
  if (!connu(licences, s.licence)) err("licence", "Licence inconnue : « " + s.licence + " ».");
  if (!connu(visibilites, s.visibilite)) err("visibilite", "Visibilité inconnue : public, equipe ou prive.");
  if (!connu(statuts, s.statut)) err("statut", "Statut inconnu : brouillon ou publie.");
  if (s.liens.size() > kLiensMax) err("liens", "Au plus " + std::to_string(kLiensMax) + " liens.");
  for (std::size_t i = 0; i < s.liens.size() && i < kLiensMax; ++i) {
    auto& l = s.liens[i];
    l.url = trim(l.url);
    l.titre = trim(l.titre);
    const std::string champ = "liens." + std::to_string(i);
    if (l.url.size() > kUrlMax || !url_valide(l.url)) err(champ + ".url", "Adresse invalide : elle commence par https:// ou http://.");
    if (l.titre.empty()) l.titre = l.url.substr(0, kTitreMax);
    if (l.titre.size() > kTitreMax) err(champ + ".titre", "Le titre du lien dépasse " + std::to_string(kTitreMax) + " caractères.");
  }
  if (s.fichiers.size() > kFichiersMax) err("fichiers", "Au plus " + std::to_string(kFichiersMax) + " fichiers.");
  for (const auto& f : s.fichiers)
    if (!fichiers::sha256_valide(f)) { err("fichiers", "Fichier inconnu : déposez-le d'abord."); break; }
  return e;
}

std::string credit(std::string_view titre, std::string_view auteur) {
  std::string c = "D'après « " + std::string(titre) + " »";
  if (!auteur.empty()) c += " de " + std::string(auteur);
  return c;
}

}  // namespace coop::ressources
