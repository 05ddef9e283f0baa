// The national columns of an activity, as exported (CSV, XLSX) and served by the public API:
// no name, no free text (notes, précisions), participants as counts only. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "features/activites/model.hpp"
#include "features/exports/table.hpp"

namespace coop::referentiel {
class Territoires;
}

namespace coop::exports {

// What an activity's followed beneficiaries contribute to the counts (never who they are).
// An anonymous beneficiary (the profile of an individual accompaniment) is linked the same way
// and counts among the anonymous participants.
struct Suivi {
  std::optional<std::string> genre, tranche_age, statut_social;
  bool premier_accompagnement = false;  // first accompaniment of this person: "jamais accompagné"
  bool anonyme = false;
  std::optional<std::string> commune_insee;  // commune de résidence
};

// Participants of an activity as counts: followed beneficiaries and anonymous participants
// together, by genre / tranche d'âge / statut / déjà accompagné (in the order of the national
// code lists). An individual accompaniment always counts one person, recorded or not.
struct Comptes {
  std::int64_t total = 0, suivis = 0, anonymes = 0;
  std::array<std::int64_t, std::size(activites::genres)> genre{};
  std::array<std::int64_t, std::size(activites::tranches_age)> tranche_age{};
  std::array<std::int64_t, std::size(activites::statuts_social)> statut_social{};
  std::array<std::int64_t, std::size(activites::deja_accompagnes)> deja_accompagne{};
};
Comptes comptes(const activites::Activite& a, const std::vector<Suivi>& suivis);

// One activity with what the national columns need besides its own fields.
struct Ligne {
  activites::Activite a;
  std::optional<std::string> lieu_nom, lieu_commune_insee;
  std::vector<std::string> tags;  // names
  std::vector<Suivi> suivis;
  std::optional<std::string> orientation_lieu_nom;  // the orientation lieu's name (table lieux)
};

// The export table: French headers, one row per activity, codes shown as their French labels.
Table activites_table(const std::vector<Ligne>& lignes, const referentiel::Territoires& territoires);

}  // namespace coop::exports
