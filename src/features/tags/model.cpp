#include "features/tags/model.hpp"

#include <algorithm>

namespace coop::tags {

bool known_portee(std::string_view p) { return std::find(std::begin(portees), std::end(portees), p) != std::end(portees); }

FieldErrors check_new_tag(std::string_view nom, std::string_view portee, const std::optional<std::string>& departement,
                          bool departement_exists) {
  FieldErrors e;
  if (nom.empty()) e["nom"] = "Le nom de l'étiquette est obligatoire.";
  else if (nom.size() > max_nom) e["nom"] = "Le nom de l'étiquette est trop long (60 caractères au plus).";
  if (portee.empty()) e["portee"] = "La portée est obligatoire (personnel, equipe ou departemental).";
  else if (!known_portee(portee)) e["portee"] = "Portée inconnue : personnel, equipe ou departemental.";
  if (portee == "departemental") {
    if (!departement || departement->empty()) e["departement"] = "Choisissez le département de l'étiquette.";
    else if (!departement_exists) e["departement"] = "Département inconnu.";
  } else if (departement && !departement->empty() && known_portee(portee)) {
    e["departement"] = "Seule une étiquette départementale a un département.";
  }
  return e;
}

std::optional<std::string> check_creation_rights(const accounts::Principal& p, std::string_view portee) {
  using accounts::Role;
  if (portee == "personnel" && !p.has(Role::mediateur))
    return "Seul un médiateur crée des étiquettes personnelles.";
  if (portee == "equipe" && !p.has(Role::coordinateur))
    return "Seul un coordinateur crée des étiquettes d'équipe.";
  if (portee == "departemental" && !p.is_admin())
    return "Seul un administrateur crée des étiquettes départementales.";
  return std::nullopt;
}

bool can_delete(const accounts::Principal& p, std::string_view portee, std::optional<std::int64_t> owner_id) {
  if (portee == "departemental") return p.is_admin();
  return owner_id && *owner_id == p.user_id;
}

}  // namespace coop::tags
