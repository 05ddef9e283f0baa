// Réseaux locaux (issue 12 point 8): the pure rules — what a network holds, its validation, the
// directory's search. No SQL, no HTTP. Store: store.hpp; routes: api.hpp; access rules:
// accounts/policy.hpp (reseaux_*); documentation: docs/api-contract.md « Réseaux locaux ».
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::reseaux {

inline constexpr std::size_t max_nom = 120;           // characters (UTF-8 code points)
inline constexpr std::size_t max_description = 2000;
inline constexpr std::size_t max_territoires = 50;
inline constexpr std::size_t max_structures = 500;

struct Territoire {
  std::string niveau;  // "departement" | "commune"
  std::string code;    // département code ("69", "2A", "974") or INSEE commune code
  bool operator==(const Territoire&) const = default;
  auto operator<=>(const Territoire&) const = default;
};

// What a user types when creating or editing a network.
struct Saisie {
  std::string nom, description;
  std::vector<Territoire> territoires;
};

using Erreurs = std::map<std::string, std::string>;

// The French errors of a draft, by field (nom, description, territoires). `connu` tells whether a
// territory code exists (the référentiel, given by the caller). Trims nom and description,
// sorts and de-duplicates the territories in place.
Erreurs valider(Saisie& s, const std::function<bool(const Territoire&)>& connu);

// "departement:69" / "commune:69123" → Territoire (shape only); nullopt otherwise.
std::optional<Territoire> territoire_de(std::string_view texte);
std::string texte_de(const Territoire& t);

// The directory's search: every folded word of the query starts a folded word of one of the texts.
bool correspond(std::string_view requete, const std::vector<std::string>& textes);

// The network channel's name: « Réseau · <nom> » (cut to the channel name limit).
std::string nom_du_canal(std::string_view nom_reseau);

}  // namespace coop::reseaux
