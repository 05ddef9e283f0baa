// SQL of the beneficiaries feature. Every function runs on a storage::Session given by the
// caller (inside its read() or write()). Every query is scoped to the owning mediator: a row of
// another mediator is never returned nor changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/beneficiaires/model.hpp"
#include "storage/database.hpp"

namespace coop::beneficiaires::store {

using storage::Session;

// Live (not deleted) beneficiary of this mediator.
std::optional<Beneficiaire> by_id(Session& s, std::int64_t mediateur_id, std::int64_t id);
std::int64_t create(Session& s, const Beneficiaire& b);
// Full update when the stored version is b.version (then version + 1). False when stale, deleted
// or not this mediator's.
bool update(Session& s, const Beneficiaire& b);

struct Suivi {
  std::int64_t nombre_accompagnements = 0;
  std::optional<std::string> dernier_accompagnement;  // date of the latest live activity
};
struct Listed {
  Beneficiaire b;
  Suivi suivi;
};
// q: folded search text matched as a substring of nom_recherche (empty: all). Ordered by name.
std::pair<std::vector<Listed>, std::int64_t> list(Session& s, std::int64_t mediateur_id, const std::string& folded_q,
                                                  std::int64_t page, std::int64_t per_page);
Suivi suivi(Session& s, std::int64_t beneficiaire_id);
std::vector<Beneficiaire> all_live(Session& s, std::int64_t mediateur_id);

struct HistoryItem {
  std::int64_t id = 0;
  std::string date, type, type_lieu;
  std::string thematiques, demarches, materiel;  // comma-separated codes (as stored)
  std::int64_t duree = 0;
  std::optional<std::string> commune_insee, autonomie, titre_atelier, notes;
  bool premier_accompagnement = false;
};
// Live activities of this beneficiary, newest first.
std::vector<HistoryItem> history(Session& s, std::int64_t beneficiaire_id);

// Soft delete of those ids that are this mediator's live beneficiaries; returns how many.
std::int64_t soft_delete(Session& s, std::int64_t mediateur_id, const std::vector<std::int64_t>& ids);

struct MergeOutcome {
  std::int64_t activites_deplacees = 0;
};
// Soft-deletes the source with merged_into_id (nullopt, nothing done, when it is no longer a live
// beneficiary of this mediator), moves its activity links to the target (an activity linked to
// both keeps one link, the target's), recomputes the target's first accompaniment and records
// the trace. The caller has already saved the merged target in the same transaction.
std::optional<MergeOutcome> merge_links(Session& s, std::int64_t mediateur_id, std::int64_t target_id, std::int64_t source_id,
                         const std::vector<std::string>& champs_completes);

// RGPD erasure: every personal field nulled (prenom, nom, nom_recherche, annee_naissance,
// telephone, email, adresse, notes), the row becomes an anonymous beneficiary (genre, tranche
// d'âge, statut social and commune kept, as for any anonymous beneficiary), marked erased and
// deleted. Its activity links stay, so the activities keep counting one anonymous participant.
// The merge traces that point at it carry no personal data and stay.
bool erase(Session& s, std::int64_t mediateur_id, std::int64_t id);

// Two-step import.
std::int64_t save_import(Session& s, std::int64_t mediateur_id, const std::string& payload, std::int64_t lignes,
                         const std::string& expires_at);
struct PendingImport {
  std::int64_t id = 0;
  std::string payload, expires_at;
  std::optional<std::string> confirmed_at;
};
std::optional<PendingImport> import_by_id(Session& s, std::int64_t mediateur_id, std::int64_t id);
// Marks it confirmed (and drops its payload) unless already confirmed: false when it was.
bool confirm_import(Session& s, std::int64_t id);
void purge_expired_imports(Session& s, const std::string& now);

}  // namespace coop::beneficiaires::store
