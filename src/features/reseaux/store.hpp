// SQL of the réseaux locaux (migration 0025): networks, territories, member structures,
// animators, invitations, the directory's people and lieux, the contact-visibility choice.
// Written once for both engines; runs inside the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/accounts/policy.hpp"
#include "features/reseaux/model.hpp"
#include "storage/database.hpp"

namespace coop::reseaux::store {

using storage::Session;

struct Reseau {
  std::int64_t id = 0;
  std::string nom, description;
  std::optional<std::int64_t> canal_id, cree_par;
  std::string cree_le, modifie_le;
  std::vector<Territoire> territoires;
};

struct StructureMembre {
  std::int64_t structure_id = 0;
  std::string nom, adresse, commune_insee, depuis;
};

struct Animateur {
  std::int64_t user_id = 0;
  std::string prenom, nom, email, role;  // role: createur | co_animateur
};

struct Invitation {
  std::int64_t id = 0, reseau_id = 0, structure_id = 0;
  std::string reseau_nom, structure_nom, statut, invitee_le;
  std::optional<std::int64_t> invitee_par;
  std::string invitee_par_nom;
  std::optional<std::string> repondue_le;
};

// A person of the network's structures: mediators and coordinators with a confirmed employment
// there today, gestionnaires of them. One row per (person, structure, role).
struct Personne {
  std::int64_t user_id = 0, structure_id = 0;
  std::string prenom, nom, role;  // mediateur | coordinateur | gestionnaire
  std::string structure_nom;
  bool visible = false;           // chose to show their contact
  std::string email, telephone;   // filled only when visible
};

std::int64_t creer(Session& s, const Saisie& d, std::int64_t par, const std::string& now);
std::optional<Reseau> lire(Session& s, std::int64_t id);
void modifier(Session& s, std::int64_t id, const Saisie& d, const std::string& now);
void lier_canal(Session& s, std::int64_t id, std::int64_t canal_id);
void supprimer(Session& s, std::int64_t id);
// The networks a user animates or belongs to (a person of a member structure today), by name.
std::vector<Reseau> de_utilisateur(Session& s, std::int64_t user_id, const std::string& today);
std::vector<Reseau> tous(Session& s);

std::vector<StructureMembre> structures(Session& s, std::int64_t reseau_id);
std::vector<std::int64_t> ids_structures(Session& s, std::int64_t reseau_id);
// True when newly added (false: already a member). Closes a pending invitation of the pair.
bool ajouter_structure(Session& s, std::int64_t reseau_id, std::int64_t structure_id, std::optional<std::int64_t> par,
                       const std::string& now);
bool retirer_structure(Session& s, std::int64_t reseau_id, std::int64_t structure_id);

std::vector<Animateur> animateurs(Session& s, std::int64_t reseau_id);
bool est_animateur(Session& s, std::int64_t reseau_id, std::int64_t user_id);
bool ajouter_animateur(Session& s, std::int64_t reseau_id, std::int64_t user_id, const std::string& role,
                       const std::string& now);
bool retirer_animateur(Session& s, std::int64_t reseau_id, std::int64_t user_id);

// A pending invitation of the pair (created, or the one already pending: `nouvelle` false).
struct Invite {
  std::int64_t id = 0;
  bool nouvelle = false;
};
Invite inviter(Session& s, std::int64_t reseau_id, std::int64_t structure_id, std::int64_t par, const std::string& now);
std::optional<Invitation> invitation(Session& s, std::int64_t id);
std::vector<Invitation> invitations_du_reseau(Session& s, std::int64_t reseau_id);  // pending
std::vector<Invitation> invitations_pour(Session& s, const std::vector<std::int64_t>& structures);  // pending
// en_attente → acceptee / refusee (false when no longer pending: answered by someone else).
bool repondre(Session& s, std::int64_t invitation_id, bool accepte, std::int64_t par, const std::string& now);

// Whether the user is a person of one of these structures today (see Personne).
bool personne_des_structures(Session& s, const std::vector<std::int64_t>& structures, std::int64_t user_id,
                             const std::string& today);
std::vector<Personne> personnes(Session& s, const std::vector<std::int64_t>& structures, const std::string& today);
// The coordinators with a confirmed employment (at any time) in these structures: the
// coordination activities of the « réseau » statistics scope.
std::vector<std::int64_t> coordinateurs(Session& s, const std::vector<std::int64_t>& structures);
// The lieux of these structures: their own sheets, and the sheets of the lieux d'activité of
// their mediators today (lieux ids, sorted).
std::vector<std::int64_t> lieux(Session& s, const std::vector<std::int64_t>& structures, const std::string& today);
// « Mon réseau »'s lieux: those of its structures (above) and every lieu of the département shown
// on the map (visible, with services) — imported ones included (lieux ids, sorted).
std::vector<std::int64_t> lieux_du_departement(Session& s, const std::string& departement,
                                               const std::vector<std::int64_t>& structures, const std::string& today);
// Every structure whose commune is in the département (the automatic « Mon réseau »).
std::vector<std::int64_t> structures_du_departement(Session& s, const std::string& departement);

// The facts the access rules of accounts/policy.hpp look at, for one user and one network.
accounts::DroitsReseau droits(Session& s, std::int64_t reseau_id, std::int64_t user_id, const std::string& today);

bool visible(Session& s, std::int64_t user_id);
void choisir_visibilite(Session& s, std::int64_t user_id, bool visible, const std::string& now);

}  // namespace coop::reseaux::store
