#include "features/coordination/model.hpp"

#include <algorithm>

#include "core/time.hpp"

namespace coop::coordination {

bool known_type(std::string_view t) { return std::find(std::begin(types), std::end(types), t) != std::end(types); }

std::string_view type_label(std::string_view t) {
  if (t == "animation") return "Animation";
  if (t == "evenement") return "Événement";
  if (t == "partenariat") return "Partenariat";
  return "";
}

FieldErrors check(const Draft& d, std::string_view today) {
  FieldErrors e;
  if (d.type.empty()) e["type"] = "Le type est obligatoire (animation, événement ou partenariat).";
  else if (!known_type(d.type)) e["type"] = "Type inconnu : choisissez animation, événement ou partenariat.";
  if (d.date.empty()) e["date"] = "La date est obligatoire.";
  else if (!core::valid_date(d.date)) e["date"] = "Date invalide (format AAAA-MM-JJ).";
  else if (d.date < "2020-01-01") e["date"] = "La date ne peut pas être antérieure au 1er janvier 2020.";
  else if (d.date > today) e["date"] = "La date ne peut pas être dans le futur.";
  if (d.duree <= 0) e["duree"] = "La durée doit être supérieure à 0 minute.";
  else if (d.duree > 24 * 60) e["duree"] = "La durée ne peut pas dépasser 24 heures.";
  if (d.titre.empty()) e["titre"] = "Le titre est obligatoire.";
  else if (d.titre.size() > max_titre) e["titre"] = "Le titre est trop long (200 caractères au plus).";
  if (d.notes && d.notes->size() > max_notes) e["notes"] = "Les notes sont trop longues (5 000 caractères au plus).";
  if (d.participants < 0) e["participants"] = "Le nombre de participants ne peut pas être négatif.";
  else if (d.participants > max_participants) e["participants"] = "Le nombre de participants est trop grand.";
  return e;
}

}  // namespace coop::coordination
