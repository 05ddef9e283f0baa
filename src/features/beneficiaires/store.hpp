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
// Followed beneficiaries only unless `anonymes` (the anonymous rows of individual CRAs, one per
// accompaniment, would flood the list).
std::pair<std::vector<Listed>, std::int64_t> list(Session& s, std::int64_t mediateur_id, const std::string& folded_q,
                                                  std::int64_t page, std::int64_t per_page, bool anonymes = false);
Suivi suivi(Session& s, std::int64_t beneficiaire_id);
// Live followed (named) beneficiaries: what duplicate detection compares.
std::vector<Beneficiaire> all_followed(Session& s, std::int64_t mediateur_id);

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

// ---- Bin (corbeille) ----
// This mediator's followed beneficiaries deleted since `since` (an instant), newest deletion first,
// except the erased (RGPD) and merged-away ones, which are never restorable. Anonymous ones are not
// restorable alone: the one of an activity goes to the bin and comes back with its activity.
struct Supprime {
  Beneficiaire b;
  Suivi suivi;
  std::string deleted_at;
};
std::vector<Supprime> corbeille(Session& s, std::int64_t mediateur_id, const std::string& since);
// Why one of this mediator's deleted beneficiaries cannot come back (nullopt: it can).
enum class NonRestorable { introuvable, efface, fusionne, anonyme, trop_ancien };
std::optional<NonRestorable> check_restorable(Session& s, std::int64_t mediateur_id, std::int64_t id,
                                              const std::string& since);
// Restores it (deleted_at cleared, version + 1) if check_restorable() allows; false otherwise.
bool restore(Session& s, std::int64_t mediateur_id, std::int64_t id, const std::string& since);

// ---- Purge (features/purge) ----
struct PurgeCounts {
  std::int64_t supprimes = 0;   // rows deleted with their links
  std::int64_t anonymises = 0;  // rows kept as anonymous participants (see purge_deleted)
  std::int64_t examines = 0;    // rows selected (== limit: there may be more)
};
// Beneficiaries deleted before `before`, at most `limit` of them (smallest ids first): a row that
// nothing needs any more is deleted for real (its activity links and the merge traces it is the
// target of go with it, by cascade). A row that live or binned activities still point at, or that
// is the target of a merge trace, is kept but erased like an RGPD erasure (personal fields nulled,
// efface_at set) so that activities keep counting one anonymous participant and the trace stays.
// Rows already erased and still needed are left as they are: running it again changes nothing.
PurgeCounts purge_deleted(Session& s, const std::string& before, std::int64_t limit);

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
// Keeps the `keep` newest pending (unconfirmed, unexpired at `now`) imports of this mediator; the
// older pending ones expire now (payload dropped, expires_at = their created_at), so that
// confirming them answers 410 like an expired one. Returns how many expired. On PostgreSQL, takes
// a per-mediator advisory lock first so that concurrent analyses cannot exceed the cap.
std::int64_t cap_pending_imports(Session& s, std::int64_t mediateur_id, std::int64_t keep, const std::string& now);
// Expired imports lose their payload; rows expired before `forget_before` are deleted (until then
// a confirmation gets 410, not 404). Returns the number of rows deleted.
std::int64_t purge_expired_imports(Session& s, const std::string& now, const std::string& forget_before);

}  // namespace coop::beneficiaires::store
