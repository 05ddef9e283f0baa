// SQL of the accounts feature. Every function runs on a storage::Session given by the caller,
// inside the caller's read() or write(), so a use-case composes several of them in one
// transaction. Values are always bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/accounts/model.hpp"
#include "storage/database.hpp"

namespace coop::accounts::store {

using storage::Session;

struct User {
  std::int64_t id = 0;
  std::string email, nom, prenom;
  std::optional<std::string> telephone;
  std::string password_hash;
  bool disabled = false;
  std::string created_at;
  std::optional<std::string> last_login_at;
  std::vector<RoleGrant> roles;
  bool email_confirme = true;  // false: signed up, address not confirmed yet (log-in refused)
};

struct NewUser {
  std::string email, nom, prenom;
  std::optional<std::string> telephone;
  std::string password_hash;
  bool email_confirme = true;  // the sign-up form creates accounts with false
};

std::optional<User> user_by_id(Session& s, std::int64_t id);
std::optional<User> user_by_email(Session& s, const std::string& email);
std::int64_t create_user(Session& s, const NewUser& u);
void update_user(Session& s, const User& u);  // email, nom, prenom, telephone, disabled
void set_password_hash(Session& s, std::int64_t user_id, const std::string& hash);
void set_last_login(Session& s, std::int64_t user_id);
std::vector<RoleGrant> roles_of(Session& s, std::int64_t user_id);
void replace_roles(Session& s, std::int64_t user_id, const std::vector<RoleGrant>& roles);
void add_role(Session& s, std::int64_t user_id, const RoleGrant& g);  // no-op when already held

struct UserPage {
  std::vector<User> items;
  std::int64_t total = 0;
};
UserPage list_users(Session& s, const std::string& q, std::optional<Role> role, std::int64_t page,
                    std::int64_t per_page);

// Sessions (log-in). Tokens are stored as SHA-256 hashes.
struct LoginSession {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string expires_at, last_seen_at;
  bool revoked = false;
};
std::int64_t create_session(Session& s, std::int64_t user_id, const std::string& token_hash,
                            const std::string& expires_at, const std::string& ip, const std::string& user_agent);
std::optional<LoginSession> session_by_token_hash(Session& s, const std::string& token_hash);
void touch_session(Session& s, std::int64_t session_id, const std::string& expires_at);
void revoke_session(Session& s, std::int64_t session_id);
std::vector<std::int64_t> revoke_user_sessions(Session& s, std::int64_t user_id, std::int64_t except_session);

// Audit log.
struct AuditEntry {
  std::int64_t id = 0;
  std::string at, event;
  std::optional<std::int64_t> user_id, actor_id;
  std::string user_email, subject_email, ip, detail;
};
void audit(Session& s, const std::string& event, std::optional<std::int64_t> user_id,
           std::optional<std::int64_t> actor_id, const std::string& subject_email, const std::string& ip,
           const std::string& detail);
std::int64_t count_events_since(Session& s, const std::string& event, const std::string* email,
                                const std::string* ip, const std::string& since);
std::pair<std::vector<AuditEntry>, std::int64_t> list_audit(Session& s, std::optional<std::int64_t> user_id,
                                                             std::int64_t page, std::int64_t per_page);

// Structures and employments.
struct Structure {
  std::int64_t id = 0;
  std::string nom, siret, adresse, commune_insee, created_at;
};
std::optional<Structure> structure_by_id(Session& s, std::int64_t id);
std::int64_t create_structure(Session& s, const Structure& st);
void update_structure(Session& s, const Structure& st);
// ids = nullopt: every structure; else only those ids.
std::pair<std::vector<Structure>, std::int64_t> list_structures(Session& s, const std::string& q,
                                                                const std::optional<std::vector<std::int64_t>>& ids,
                                                                std::int64_t page, std::int64_t per_page);
std::vector<std::int64_t> structures_employing(Session& s, std::int64_t user_id, const std::string& on_date);

struct Person {
  std::int64_t id = 0;
  std::string nom, prenom, email;
  bool conseiller_numerique = false;
};
struct Employment {
  std::int64_t id = 0, user_id = 0, structure_id = 0;
  Person user;
  std::string structure_nom, debut;
  std::optional<std::string> fin;
  std::string statut = "confirme";  // en_attente (declared at sign-up) | confirme | refuse
  std::string motif_refus;
};
std::vector<Employment> employments_of_structure(Session& s, std::int64_t structure_id);
std::optional<Employment> employment_by_id(Session& s, std::int64_t id);
std::int64_t create_employment(Session& s, std::int64_t user_id, std::int64_t structure_id, const std::string& debut,
                               const std::optional<std::string>& fin);
void update_employment(Session& s, std::int64_t id, const std::string& debut, const std::optional<std::string>& fin);
std::vector<Employment> employments_of_user(Session& s, std::int64_t user_id);  // every statut

// Teams of coordinators.
struct TeamMember {
  std::int64_t id = 0, coordinateur_id = 0;
  Person mediateur;
  std::string debut;
  std::optional<std::string> fin;
};
std::vector<TeamMember> team_of(Session& s, std::int64_t coordinateur_id);
std::optional<TeamMember> team_member_by_id(Session& s, std::int64_t id);
std::int64_t add_team_member(Session& s, std::int64_t coordinateur_id, std::int64_t mediateur_id, const std::string& debut);
void end_team_member(Session& s, std::int64_t id, const std::optional<std::string>& fin);
bool in_team_now(Session& s, std::int64_t coordinateur_id, std::int64_t mediateur_id);

// Mediators (users holding the mediateur role), for pickers.
std::pair<std::vector<Person>, std::int64_t> list_mediateurs(Session& s, const std::string& q, std::int64_t page,
                                                             std::int64_t per_page);

// Invitations.
struct Invitation {
  std::int64_t id = 0;
  std::string email;
  Role role = Role::mediateur;
  std::optional<std::int64_t> structure_id;
  std::string structure_nom;
  bool conseiller_numerique = false;
  std::int64_t invited_by = 0;
  std::string inviter_nom, inviter_prenom;
  std::string created_at, expires_at;
  std::optional<std::string> accepted_at;
};
std::int64_t create_invitation(Session& s, const std::string& token_hash, const Invitation& inv);
std::optional<Invitation> invitation_by_token_hash(Session& s, const std::string& token_hash);
std::optional<Invitation> invitation_by_id(Session& s, std::int64_t id);
std::vector<Invitation> list_invitations(Session& s, std::optional<std::int64_t> invited_by);
// Marks it accepted unless already accepted (returns false then: a concurrent acceptance won).
bool accept_invitation(Session& s, std::int64_t id, std::int64_t user_id);
// What accepting gives: the invitation's role, its structure (a confirmed employment, or the
// structure managed), the inviting coordinator's team. Marks it accepted first; false (nothing
// done) when it already was.
bool apply_invitation(Session& s, const Invitation& inv, std::int64_t user_id);

std::int64_t count_users(Session& s);

}  // namespace coop::accounts::store
