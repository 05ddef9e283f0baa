// SQL of the activities feature (CRA, lieux d'activité, participants, tags). Every function runs
// on a storage::Session given by the caller, inside its read() or write(). Values are bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/activites/model.hpp"
#include "storage/database.hpp"

namespace coop::activites::store {

using storage::Session;

// ---- Lieux d'activité ----
struct Lieu {
  std::int64_t id = 0, mediateur_id = 0, structure_id = 0;
  std::string nom, adresse, commune_insee, debut;
  std::optional<std::string> fin;
};
std::vector<Lieu> lieux_of(Session& s, std::int64_t mediateur_id);
std::optional<Lieu> lieu_by_id(Session& s, std::int64_t id);
std::int64_t create_lieu(Session& s, std::int64_t mediateur_id, std::int64_t structure_id, const std::string& debut,
                         const std::optional<std::string>& fin);
void update_lieu(Session& s, std::int64_t id, const std::string& debut, const std::optional<std::string>& fin);
std::vector<LieuPeriode> periodes(const std::vector<Lieu>& lieux);

// ---- Activities ----
struct Personne {
  std::int64_t id = 0;
  bool anonyme = true;
  std::optional<std::string> prenom, nom;
};
struct TagRef {
  std::int64_t id = 0;
  std::string nom, portee;
  std::optional<std::string> departement;
};
// An activity with what its JSON shows besides its own columns.
struct Vue {
  Activite a;
  std::optional<std::string> lieu_nom, lieu_commune_insee;
  // The orientation lieu's name, commune and postal code (none when no orientation lieu).
  std::optional<std::string> orientation_lieu_nom, orientation_lieu_commune, orientation_lieu_code_postal;
  std::optional<Personne> beneficiaire;
  std::vector<Personne> participants;
  std::vector<TagRef> tags;
};

// Insert and update also write the links: an individual activity without beneficiaire_id gets
// its own anonymous beneficiary row (profile a.beneficiaire_anonyme, premier_accompagnement = 1),
// created or updated; an activity that stops needing it (followed beneficiary, collectif) has it
// deleted. Soft delete and restore move that row to and from the bin with the activity.
std::int64_t insert_activite(Session& s, const Activite& a);
// Full replace when the stored version is `a.version`; bumps it. False when the version is stale.
bool update_activite(Session& s, const Activite& a);
std::optional<Vue> activite_by_id(Session& s, std::int64_t id, bool include_deleted);
bool soft_delete(Session& s, std::int64_t id, std::int64_t mediateur_id);
bool restore(Session& s, std::int64_t id, std::int64_t mediateur_id, const std::string& deleted_since);
// The anonymous beneficiary row that belongs to this activity (none for a followed one).
std::optional<std::int64_t> beneficiaire_anonyme_of(Session& s, std::int64_t activite_id);

struct Filtres {
  std::int64_t mediateur_id = 0;
  std::optional<std::string> du, au;
  std::vector<std::string> types, thematiques, communes;
  std::vector<std::int64_t> lieux, beneficiaires, tags;
  std::string tri = "-date";  // date | -date | duree | -duree | type | -type
  std::optional<std::string> apres;  // cursor "<value>~<id>" (validated by the caller)
  std::int64_t limite = 20;
};
struct Page {
  std::vector<Vue> items;
  std::optional<std::string> suivant;
  std::int64_t total = 0;
};
Page list(Session& s, const Filtres& f);
// Activities deleted before `before` (an instant), at most `limit` (smallest ids first), deleted
// for real with their beneficiary and tag links. premier_accompagnement does not change: it is
// already 0 on deleted activities. Returns how many were deleted.
std::int64_t purge_deleted(Session& s, const std::string& before, std::int64_t limit);
// Deleted since `since` (an instant), newest deletion first.
std::vector<Vue> corbeille(Session& s, std::int64_t mediateur_id, const std::string& since);

// Durations this mediator used more than `threshold` times, most used first.
std::vector<std::int64_t> durees_frequentes(Session& s, std::int64_t mediateur_id, int threshold);
// Lieu (structure id) of the mediator's latest activity at a lieu d'activité.
std::optional<std::int64_t> dernier_lieu(Session& s, std::int64_t mediateur_id);

// Beneficiaries of `mediateur_id` among `ids` (not deleted), with their names.
std::vector<Personne> beneficiaires_of(Session& s, std::int64_t mediateur_id, const std::vector<std::int64_t>& ids);
// premier_accompagnement = 1 on the earliest live activity of each beneficiary, 0 elsewhere.
void recompute_premier(Session& s, const std::vector<std::int64_t>& beneficiaire_ids);
std::vector<std::int64_t> beneficiaires_of_activite(Session& s, std::int64_t activite_id);
// Idempotency keys of created CRAs (table activites_cles, unique per mediator). The activity a
// key created, deleted or not; none when the key was never used by this mediator.
std::optional<std::int64_t> activite_par_cle(Session& s, std::int64_t mediateur_id, const std::string& cle);
// Throws DbError unique_violation when the mediator already used the key (a concurrent retry).
void enregistrer_cle(Session& s, std::int64_t mediateur_id, const std::string& cle, std::int64_t activite_id);

// A lieu merged into another (features/lieux fusion): the orientations towards `retire` now point
// to `survivant`, deleted CRAs included. Call it before deleting `retire` (its FK would clear them)
// and pass the returned activity ids to statistiques::activites_modifiees after the commit.
std::vector<std::int64_t> deplacer_orientations(Session& s, std::int64_t retire, std::int64_t survivant);
// The services (standard labels) of a lieu of the table lieux; none when the lieu does not exist.
std::optional<std::vector<std::string>> services_du_lieu(Session& s, std::int64_t lieu_id);

std::int64_t create_tag(Session& s, const std::string& nom, const std::string& portee, std::optional<std::int64_t> owner_id,
                        const std::optional<std::string>& departement);

}  // namespace coop::activites::store
