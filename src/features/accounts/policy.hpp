// Every access rule of Coop, in one place.
//
// Each route declares an Access (who may call it at all: anyone, any logged-in user, or some
// roles); the dispatcher enforces it before the handler runs. Scope rules (which structure,
// which team, which invitation) are the functions below, called by handlers once they know the
// object concerned. The integration test walks every route × every role, so a new route cannot
// be added without stating its rule.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/accounts/model.hpp"

namespace coop::accounts {

struct Access {
  // api_client: the public API v1. Only an API client (HTTP Basic / Bearer client credentials,
  // never a session cookie) holding `scope` may call it; such routes are GET only.
  enum class Kind { anyone, logged_in, roles, api_client };
  Kind kind = Kind::logged_in;
  unsigned role_mask = 0;
  std::string scope;  // api_client only

  static Access anyone() { return {Kind::anyone, 0, {}}; }
  static Access logged_in() { return {Kind::logged_in, 0, {}}; }
  static Access roles(std::initializer_list<Role> rs) {
    unsigned m = 0;
    for (Role r : rs) m |= 1u << static_cast<unsigned>(r);
    return {Kind::roles, m, {}};
  }
  static Access api_client(std::string scope) { return {Kind::api_client, 0, std::move(scope)}; }
  std::string describe() const;  // "anyone", "logged_in", "mediateur|admin", "api_client(activites)"
};

namespace access {
inline Access anyone() { return Access::anyone(); }
inline Access logged_in() { return Access::logged_in(); }
inline Access admin() { return Access::roles({Role::admin}); }
inline Access coordinateur() { return Access::roles({Role::coordinateur}); }
inline Access mediateur() { return Access::roles({Role::mediateur}); }
inline Access structure_staff() { return Access::roles({Role::admin, Role::gestionnaire_structure}); }
inline Access people_managers() {
  return Access::roles({Role::admin, Role::gestionnaire_structure, Role::coordinateur});
}
inline Access api_client(std::string scope) { return Access::api_client(std::move(scope)); }
}  // namespace access

// The route-level check: nullopt when allowed, else the HTTP status to answer (401 or 403).
// `client_scopes`: the scopes of the authenticated API client, if any (api_client routes only
// look at those: a session never opens the public API, client credentials never open the rest).
std::optional<int> check_access(const Access& a, const Principal* p,
                                const std::vector<std::string>* client_scopes = nullptr);

// Scope rules.
bool can_manage_structure(const Principal& p, std::int64_t structure_id);
bool can_view_structure(const Principal& p, std::int64_t structure_id, bool employed_there);
// Who may invite whom: admin anyone; gestionnaire mediateur/coordinateur into a structure
// they manage; coordinateur a mediateur (who joins their team). Returns a French refusal.
std::optional<std::string> check_invitation_rights(const Principal& p, Role role,
                                                   std::optional<std::int64_t> structure_id);
bool can_manage_team_member(const Principal& p, std::int64_t coordinateur_id);
bool can_see_audit(const Principal& p);
// Sign-up (features/inscription). The profile (médiateur, conseiller numérique, coordinateur) is
// chosen once, by an account that holds no role yet; any other change of roles is an
// administrator's. The employer structure is declared by a médiateur or a coordinateur (the
// employment waits for confirmation). A declared employment is confirmed or refused by a
// gestionnaire of that structure or an administrator (a gestionnaire of another structure: 403).
bool can_choose_profile(const Principal& p);
bool can_declare_employer(const Principal& p);
bool can_decide_employment(const Principal& p, std::int64_t structure_id);
// Activities (CRA) and lieux d'activité: a mediator sees and edits only their own (others' → 404).
inline bool owns_activite(const Principal& p, std::int64_t mediateur_id) { return p.user_id == mediateur_id; }
// A positioning test of the evaluation (features/evaluation): only its candidate sees or answers it.
inline bool owns_evaluation_test(const Principal& p, std::int64_t candidat_id) { return p.user_id == candidat_id; }
// Files (features/fichiers): readable by whoever uploaded them, and by whoever a feature that
// references the file lets see the object using it (its checker, fichiers::autoriser_domaine);
// nobody else, administrators included (404: a file's existence is not revealed).
inline bool can_read_fichier(const Principal&, bool uploaded_it, bool allowed_by_a_reference) {
  return uploaded_it || allowed_by_a_reference;
}


// Discussion (features/discussion). What a user may do in one channel, from its type
// ("general", "region", "departement", "theme", "groupe", "direct", "annonces"), whether it is
// archived, the user's membership and channel role, and whether they are muted there or banned
// from the space. Admins moderate every channel but read the private ones (groupe, direct) only
// when they belong to them. Theme and announcement channels can be read before joining.
struct DroitsCanal {
  std::string type;
  bool archive = false;
  bool membre = false;
  bool moderateur = false;       // channel role "moderateur"
  bool en_sourdine = false;      // muted in this channel until a later date
  bool banni = false;            // banned from the whole discussion space
};
bool discussion_peut_lire(const Principal& p, const DroitsCanal& c);
bool discussion_peut_ecrire(const Principal& p, const DroitsCanal& c);   // post a message
bool discussion_peut_moderer(const Principal& p, const DroitsCanal& c);  // delete others', move, rename, mute, pin…
bool discussion_peut_rejoindre(const Principal& p, const DroitsCanal& c);  // theme, annonces
bool discussion_peut_quitter(const DroitsCanal& c);  // not général, région, département (automatic)
// Adding someone: groupe by its members (invitation); theme/annonces by moderators.
bool discussion_peut_ajouter(const Principal& p, const DroitsCanal& c);
// Creating a channel: theme and groupe by anyone, annonces by admins.
bool discussion_peut_creer(const Principal& p, std::string_view type);
bool discussion_peut_bannir(const Principal& p);
// Reacting: members of a channel that is not archived, unless muted (announcements included).
bool discussion_peut_reagir(const Principal& p, const DroitsCanal& c);
// Pinning: moderators; in private groups and conversations, every member.
bool discussion_peut_epingler(const Principal& p, const DroitsCanal& c);
// Editing one's message: its author, while they may still write in the channel.
bool discussion_peut_modifier_message(const Principal& p, const DroitsCanal& c, bool auteur);
// Deleting a message: its author (unless banned), or a moderator.
bool discussion_peut_supprimer_message(const Principal& p, const DroitsCanal& c, bool auteur);

// Ressources (features/ressources). A resource is seen by its author always; otherwise only
// once published and not hidden by a moderator (moderators still see hidden ones): « public » by
// every logged-in user (and, for the public API v1, by API clients), « equipe » by the author's
// network — a current colleague in one of the author's structures, the resource's structure's
// employees and gestionnaires, the author's coordinator, team members and the coordinator's
// other mediators — and by moderators; « prive » by the author only. The store's list queries
// apply the same rule in SQL (ressources::store, sql_visible).
struct DroitsRessource {
  bool auteur = false;         // the viewer wrote it
  std::string visibilite;      // public | equipe | prive
  bool publiee = false;        // not a draft
  bool masquee = false;        // hidden by a moderator
  bool dans_le_reseau = false; // see above
  bool gere_la_structure = false;  // the viewer manages the resource's structure
};
bool ressources_peut_moderer(const Principal& p);  // administrators
bool ressources_peut_voir(const Principal& p, const DroitsRessource& r);
// Editing: the author; a gestionnaire of its structure for a published, non-private resource.
bool ressources_peut_modifier(const Principal& p, const DroitsRessource& r);
// Deleting: whoever may edit, and moderators.
bool ressources_peut_supprimer(const Principal& p, const DroitsRessource& r);
// Publishing in a structure's name: its employees and gestionnaires.
bool ressources_peut_publier_pour(const Principal& p, std::int64_t structure_id, bool employe_la);
// Collections (« bases »): a person's or a structure's. A public one is seen by everyone;
// a private one by its owner, or by the structure's employees and gestionnaires. Edited (and its
// resources added or removed) by the same people.
struct DroitsCollection {
  bool proprietaire = false;         // a person's collection, the viewer's
  bool de_structure = false;
  bool employe_ou_gestionnaire = false;  // of the collection's structure
  bool publique = false;
};
// Lieux (features/lieux). A lieu's sheet is edited by an administrator, by a gestionnaire of
// its structure, or by a mediator of that structure (a current lieu d'activité or employment
// there); an imported lieu that is no Coop structure, by administrators only.
bool lieux_peut_modifier(const Principal& p, std::optional<std::int64_t> structure_id, bool mediateur_la);
// The search shows only the lieux on the map, except to an administrator (always) and to the
// editors of lieux (gestionnaires de structure, mediators) who ask `tous=1`; `carte=1` restricts
// anyone to the map.
bool lieux_voit_hors_carte(const Principal& p, bool tous, bool carte_seulement);

bool ressources_peut_voir_collection(const Principal& p, const DroitsCollection& c);
bool ressources_peut_modifier_collection(const Principal& p, const DroitsCollection& c);

// Réseaux locaux (features/reseaux). A network is created by a coordinator, a gestionnaire de
// structure or an administrator; its creator and co-animators (« animateurs ») edit it, invite
// structures, name co-animators and remove structures; an administrator may do all of that. Its
// page, directory and map are readable by every logged-in user (the contact of a person only
// when they chose to show it); its figures (statistics scope « réseau ») and its channel, by its
// animators, the people of its member structures (mediators and coordinators employed there,
// gestionnaires) and administrators. A structure joins directly when the one who adds it manages
// it (or is an administrator), otherwise by an invitation answered by one of its gestionnaires
// (or an administrator); a structure leaves by its gestionnaire or is removed by an animator.
// Co-animators must be coordinators or gestionnaires. Deleting a network: its creator or an admin.
struct DroitsReseau {
  bool animateur = false;  // creator or co-animator
  bool createur = false;
  bool membre = false;     // a person of a member structure today
};
bool reseaux_peut_creer(const Principal& p);
bool reseaux_peut_animer(const Principal& p, const DroitsReseau& r);
bool reseaux_peut_supprimer(const Principal& p, const DroitsReseau& r);
bool reseaux_peut_voir_chiffres(const Principal& p, const DroitsReseau& r);
// Adding a structure without an invitation.
bool reseaux_ajoute_directement(const Principal& p, std::int64_t structure_id);
bool reseaux_peut_repondre(const Principal& p, std::int64_t structure_id);
bool reseaux_peut_retirer_structure(const Principal& p, const DroitsReseau& r, std::int64_t structure_id);
// Removing an animator: an animator (not the last one), or the person themself.
bool reseaux_peut_retirer_animateur(const Principal& p, const DroitsReseau& r, std::int64_t user_id);
bool reseaux_peut_etre_animateur(const std::vector<RoleGrant>& roles);

}  // namespace coop::accounts
