#include "features/accounts/store.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"

namespace coop::accounts::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Params;
using storage::Value;

namespace {


// Case-insensitive "contains" pattern: the columns are compared as lower(col).
std::string like_pattern(const std::string& q) {
  std::string lower = q;
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return storage::like_contains(lower);
}
// Every row through `from`, or the first one.
template <class F>
auto map_rows(const storage::Rows& rows, F from) {
  std::vector<std::invoke_result_t<F, const std::vector<Value>&>> out;
  out.reserve(rows.size());
  for (auto& r : rows.rows) out.push_back(from(r));
  return out;
}
template <class F>
auto first_row(const storage::Rows& rows, F from) -> std::optional<std::invoke_result_t<F, const std::vector<Value>&>> {
  if (rows.empty()) return std::nullopt;
  return from(rows.rows[0]);
}

constexpr const char* kUserColumns =
    "id, email, nom, prenom, telephone, COALESCE(password_hash, ''), disabled, created_at, last_login_at, email_confirme";

User user_from(const std::vector<Value>& r) {
  User u;
  u.id = as_int(r[0]);
  u.email = as_text(r[1]);
  u.nom = as_text(r[2]);
  u.prenom = as_text(r[3]);
  u.telephone = as_opt_text(r[4]);
  u.password_hash = as_text(r[5]);
  u.disabled = as_int(r[6]) != 0;
  u.created_at = as_text(r[7]);
  u.last_login_at = as_opt_text(r[8]);
  u.email_confirme = as_int(r[9]) != 0;
  return u;
}

constexpr const char* kStructureColumns = "id, nom, COALESCE(siret, ''), adresse, commune_insee, created_at";

Structure structure_from(const std::vector<Value>& r) {
  return {as_int(r[0]), as_text(r[1]), as_text(r[2]), as_text(r[3]), as_text(r[4]), as_text(r[5])};
}

constexpr const char* kInvitationSelect =
    "SELECT i.id, i.email, i.role, i.structure_id, COALESCE(s.nom, ''), i.conseiller_numerique, i.invited_by, "
    "u.nom, u.prenom, i.created_at, i.expires_at, i.accepted_at FROM invitations i "
    "JOIN users u ON u.id = i.invited_by LEFT JOIN structures s ON s.id = i.structure_id ";

Invitation invitation_from(const std::vector<Value>& r) {
  Invitation i;
  i.id = as_int(r[0]);
  i.email = as_text(r[1]);
  i.role = parse_role(as_text(r[2])).value_or(Role::mediateur);
  i.structure_id = as_opt_int(r[3]);
  i.structure_nom = as_text(r[4]);
  i.conseiller_numerique = as_int(r[5]) != 0;
  i.invited_by = as_int(r[6]);
  i.inviter_nom = as_text(r[7]);
  i.inviter_prenom = as_text(r[8]);
  i.created_at = as_text(r[9]);
  i.expires_at = as_text(r[10]);
  i.accepted_at = as_opt_text(r[11]);
  return i;
}

}  // namespace

std::optional<User> user_by_id(Session& s, std::int64_t id) {
  auto rows = s.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  User u = user_from(rows.rows[0]);
  u.roles = roles_of(s, id);
  return u;
}

std::optional<User> user_by_email(Session& s, const std::string& email) {
  auto rows = s.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?", {email});
  if (rows.empty()) return std::nullopt;
  User u = user_from(rows.rows[0]);
  u.roles = roles_of(s, u.id);
  return u;
}

std::int64_t create_user(Session& s, const NewUser& u) {
  auto now = core::now_iso();
  return s.insert(
      "INSERT INTO users (email, nom, prenom, telephone, password_hash, created_at, updated_at, email_confirme) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {u.email, u.nom, u.prenom, storage::nullable(u.telephone), u.password_hash.empty() ? Value(nullptr) : Value(u.password_hash),
       now, now, std::int64_t(u.email_confirme ? 1 : 0)});
}

void update_user(Session& s, const User& u) {
  s.exec("UPDATE users SET email = ?, nom = ?, prenom = ?, telephone = ?, disabled = ?, updated_at = ? WHERE id = ?",
         {u.email, u.nom, u.prenom, storage::nullable(u.telephone), std::int64_t(u.disabled ? 1 : 0), core::now_iso(), u.id});
}

void set_password_hash(Session& s, std::int64_t user_id, const std::string& hash) {
  s.exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", {hash, core::now_iso(), user_id});
}

void set_last_login(Session& s, std::int64_t user_id) {
  s.exec("UPDATE users SET last_login_at = ? WHERE id = ?", {core::now_iso(), user_id});
}

std::vector<RoleGrant> roles_of(Session& s, std::int64_t user_id) {
  auto rows = s.query(
      "SELECT role, structure_id, conseiller_numerique, territoire FROM user_roles WHERE user_id = ? ORDER BY id",
      {user_id});
  std::vector<RoleGrant> out;
  for (auto& r : rows.rows) {
    auto role = parse_role(as_text(r[0]));
    if (role) out.push_back({*role, as_opt_int(r[1]), as_int(r[2]) != 0, as_opt_text(r[3])});
  }
  return out;
}

void replace_roles(Session& s, std::int64_t user_id, const std::vector<RoleGrant>& roles) {
  s.exec("DELETE FROM user_roles WHERE user_id = ?", {user_id});
  for (auto& g : roles) add_role(s, user_id, g);
}

void add_role(Session& s, std::int64_t user_id, const RoleGrant& g) {
  for (auto& existing : roles_of(s, user_id))
    if (existing.role == g.role && existing.structure_id == g.structure_id && existing.territoire == g.territoire) {
      if (existing.conseiller_numerique != g.conseiller_numerique && g.conseiller_numerique)
        s.exec("UPDATE user_roles SET conseiller_numerique = 1 WHERE user_id = ? AND role = ?",
               {user_id, std::string(role_name(g.role))});
      return;
    }
  s.exec("INSERT INTO user_roles (user_id, role, structure_id, conseiller_numerique, territoire, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?)",
         {user_id, std::string(role_name(g.role)), storage::nullable(g.structure_id), std::int64_t(g.conseiller_numerique ? 1 : 0),
          storage::nullable(g.territoire), core::now_iso()});
}

UserPage list_users(Session& s, const std::string& q, std::optional<Role> role, std::int64_t page,
                    std::int64_t per_page) {
  std::string where = " WHERE 1 = 1";
  Params params;
  if (!q.empty()) {
    where += " AND (lower(email) LIKE ? ESCAPE '\\' OR lower(nom) LIKE ? ESCAPE '\\' OR lower(prenom) LIKE ? ESCAPE '\\')";
    auto p = like_pattern(q);
    params.insert(params.end(), {p, p, p});
  }
  if (role) {
    where += " AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND r.role = ?)";
    params.emplace_back(std::string(role_name(*role)));
  }
  UserPage out;
  out.total = as_int(s.query("SELECT COUNT(*) FROM users" + where, params).rows.at(0).at(0));
  params.emplace_back(per_page);
  params.emplace_back((page - 1) * per_page);
  auto rows = s.query(std::string("SELECT ") + kUserColumns + " FROM users" + where +
                          " ORDER BY nom, prenom, id LIMIT ? OFFSET ?",
                      params);
  for (auto& r : rows.rows) {
    User u = user_from(r);
    u.roles = roles_of(s, u.id);
    out.items.push_back(std::move(u));
  }
  return out;
}

std::int64_t create_session(Session& s, std::int64_t user_id, const std::string& token_hash,
                            const std::string& expires_at, const std::string& ip, const std::string& user_agent) {
  auto now = core::now_iso();
  return s.insert(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, ip, user_agent) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {token_hash, user_id, now, expires_at, now, ip, core::utf8_prefix(user_agent, 300)});
}

std::optional<LoginSession> session_by_token_hash(Session& s, const std::string& token_hash) {
  auto rows = s.query("SELECT id, user_id, expires_at, last_seen_at, revoked_at FROM sessions WHERE token_hash = ?",
                      {token_hash});
  if (rows.empty()) return std::nullopt;
  auto& r = rows.rows[0];
  return LoginSession{as_int(r[0]), as_int(r[1]), as_text(r[2]), as_text(r[3]), !storage::is_null(r[4])};
}

void touch_session(Session& s, std::int64_t session_id, const std::string& expires_at) {
  s.exec("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?", {core::now_iso(), expires_at, session_id});
}

void revoke_session(Session& s, std::int64_t session_id) {
  s.exec("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {core::now_iso(), session_id});
}

std::vector<std::int64_t> revoke_user_sessions(Session& s, std::int64_t user_id, std::int64_t except_session) {
  auto rows = s.query("SELECT id FROM sessions WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
                      {user_id, except_session});
  std::vector<std::int64_t> ids;
  for (auto& r : rows.rows) ids.push_back(as_int(r[0]));
  s.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
         {core::now_iso(), user_id, except_session});
  return ids;
}

void audit(Session& s, const std::string& event, std::optional<std::int64_t> user_id,
           std::optional<std::int64_t> actor_id, const std::string& subject_email, const std::string& ip,
           const std::string& detail) {
  s.exec("INSERT INTO audit_log (at, event, user_id, actor_id, subject_email, ip, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
         {core::now_iso(), event, storage::nullable(user_id), storage::nullable(actor_id), subject_email, ip, detail});
}

std::int64_t count_events_since(Session& s, const std::string& event, const std::string* email,
                                const std::string* ip, const std::string& since) {
  if (email)
    return as_int(s.query("SELECT COUNT(*) FROM audit_log WHERE event = ? AND subject_email = ? AND at >= ?",
                          {event, *email, since})
                      .rows.at(0).at(0));
  return as_int(
      s.query("SELECT COUNT(*) FROM audit_log WHERE event = ? AND ip = ? AND at >= ?", {event, ip ? *ip : "", since})
          .rows.at(0).at(0));
}

std::pair<std::vector<AuditEntry>, std::int64_t> list_audit(Session& s, std::optional<std::int64_t> user_id,
                                                             std::int64_t page, std::int64_t per_page) {
  std::string where = user_id ? " WHERE a.user_id = ?" : "";
  Params params;
  if (user_id) params.emplace_back(*user_id);
  auto total = as_int(s.query("SELECT COUNT(*) FROM audit_log a" + where, params).rows.at(0).at(0));
  params.emplace_back(per_page);
  params.emplace_back((page - 1) * per_page);
  auto rows = s.query(
      "SELECT a.id, a.at, a.event, a.user_id, a.actor_id, COALESCE(u.email, ''), a.subject_email, a.ip, a.detail "
      "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id" +
          where + " ORDER BY a.id DESC LIMIT ? OFFSET ?",
      params);
  std::vector<AuditEntry> out;
  for (auto& r : rows.rows)
    out.push_back({as_int(r[0]), as_text(r[1]), as_text(r[2]), as_opt_int(r[3]), as_opt_int(r[4]), as_text(r[5]),
                   as_text(r[6]), as_text(r[7]), as_text(r[8])});
  return {std::move(out), total};
}

std::optional<Structure> structure_by_id(Session& s, std::int64_t id) {
  return first_row(s.query(std::string("SELECT ") + kStructureColumns + " FROM structures WHERE id = ?", {id}), structure_from);
}

std::int64_t create_structure(Session& s, const Structure& st) {
  auto now = core::now_iso();
  return s.insert(
      "INSERT INTO structures (nom, siret, adresse, commune_insee, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      {st.nom, st.siret.empty() ? Value(nullptr) : Value(st.siret), st.adresse, st.commune_insee, now, now});
}

void update_structure(Session& s, const Structure& st) {
  const auto now = core::now_iso();
  s.exec("UPDATE structures SET nom = ?, siret = ?, adresse = ?, commune_insee = ?, updated_at = ? WHERE id = ?",
         {st.nom, st.siret.empty() ? Value(nullptr) : Value(st.siret), st.adresse, st.commune_insee, now, st.id});
  // The lieux d'activité at this structure show its name, address and commune (public API feed
  // /api/v1/lieux-activite, keyset on their updated_at): they changed too.
  s.exec("UPDATE lieux_activite SET updated_at = ? WHERE structure_id = ?", {now, st.id});
}

std::pair<std::vector<Structure>, std::int64_t> list_structures(Session& s, const std::string& q,
                                                                const std::optional<std::vector<std::int64_t>>& ids,
                                                                std::int64_t page, std::int64_t per_page) {
  std::string where = " WHERE 1 = 1";
  Params params;
  if (!q.empty()) {
    where += " AND (lower(nom) LIKE ? ESCAPE '\\' OR siret LIKE ? ESCAPE '\\')";
    auto p = like_pattern(q);
    params.insert(params.end(), {p, p});
  }
  if (ids) {
    if (ids->empty()) return {{}, 0};
    where += " AND id IN (";
    for (std::size_t i = 0; i < ids->size(); ++i) {
      where += i ? ", ?" : "?";
      params.emplace_back((*ids)[i]);
    }
    where += ")";
  }
  auto total = as_int(s.query("SELECT COUNT(*) FROM structures" + where, params).rows.at(0).at(0));
  params.emplace_back(per_page);
  params.emplace_back((page - 1) * per_page);
  auto rows = s.query(std::string("SELECT ") + kStructureColumns + " FROM structures" + where +
                          " ORDER BY nom, id LIMIT ? OFFSET ?",
                      params);
  std::vector<Structure> out;
  for (auto& r : rows.rows) out.push_back(structure_from(r));
  return {std::move(out), total};
}

std::vector<std::int64_t> structures_employing(Session& s, std::int64_t user_id, const std::string& on_date) {
  auto rows = s.query(
      "SELECT DISTINCT structure_id FROM employments WHERE user_id = ? AND statut = 'confirme' AND debut <= ? AND "
      "(fin IS NULL OR fin >= ?)",
      {user_id, on_date, on_date});
  std::vector<std::int64_t> out;
  for (auto& r : rows.rows) out.push_back(as_int(r[0]));
  return out;
}

namespace {
constexpr const char* kEmploymentSelect =
    "SELECT e.id, e.user_id, e.structure_id, u.nom, u.prenom, u.email, s.nom, e.debut, e.fin, "
    "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'mediateur' AND r.conseiller_numerique = 1), "
    "e.statut, e.motif_refus "
    "FROM employments e JOIN users u ON u.id = e.user_id JOIN structures s ON s.id = e.structure_id ";

Employment employment_from(const std::vector<Value>& r) {
  Employment e;
  e.id = as_int(r[0]);
  e.user_id = as_int(r[1]);
  e.structure_id = as_int(r[2]);
  e.user = {e.user_id, as_text(r[3]), as_text(r[4]), as_text(r[5]), as_int(r[9]) != 0};
  e.structure_nom = as_text(r[6]);
  e.debut = as_text(r[7]);
  e.fin = as_opt_text(r[8]);
  e.statut = as_text(r[10]);
  e.motif_refus = as_text(r[11]);
  return e;
}

constexpr const char* kTeamSelect =
    "SELECT t.id, t.coordinateur_id, u.id, u.nom, u.prenom, u.email, t.debut, t.fin, "
    "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'mediateur' AND r.conseiller_numerique = 1) "
    "FROM team_members t JOIN users u ON u.id = t.mediateur_id ";

TeamMember team_member_from(const std::vector<Value>& r) {
  TeamMember m;
  m.id = as_int(r[0]);
  m.coordinateur_id = as_int(r[1]);
  m.mediateur = {as_int(r[2]), as_text(r[3]), as_text(r[4]), as_text(r[5]), as_int(r[8]) != 0};
  m.debut = as_text(r[6]);
  m.fin = as_opt_text(r[7]);
  return m;
}
}  // namespace

std::vector<Employment> employments_of_structure(Session& s, std::int64_t structure_id) {
  return map_rows(s.query(std::string(kEmploymentSelect) +
                          "WHERE e.structure_id = ? ORDER BY (e.fin IS NOT NULL), u.nom, u.prenom, e.id",
                      {structure_id}), employment_from);
}

std::optional<Employment> employment_by_id(Session& s, std::int64_t id) {
  return first_row(s.query(std::string(kEmploymentSelect) + "WHERE e.id = ?", {id}), employment_from);
}

std::int64_t create_employment(Session& s, std::int64_t user_id, std::int64_t structure_id, const std::string& debut,
                               const std::optional<std::string>& fin) {
  return s.insert("INSERT INTO employments (user_id, structure_id, debut, fin, created_at) VALUES (?, ?, ?, ?, ?)",
                  {user_id, structure_id, debut, storage::nullable(fin), core::now_iso()});
}

void update_employment(Session& s, std::int64_t id, const std::string& debut, const std::optional<std::string>& fin) {
  s.exec("UPDATE employments SET debut = ?, fin = ? WHERE id = ?", {debut, storage::nullable(fin), id});
}

std::vector<Employment> employments_of_user(Session& s, std::int64_t user_id) {
  return map_rows(s.query(std::string(kEmploymentSelect) + "WHERE e.user_id = ? ORDER BY e.id", {user_id}),
                  employment_from);
}

std::vector<TeamMember> team_of(Session& s, std::int64_t coordinateur_id) {
  return map_rows(s.query(std::string(kTeamSelect) +
                          "WHERE t.coordinateur_id = ? ORDER BY (t.fin IS NOT NULL), u.nom, u.prenom, t.id",
                      {coordinateur_id}), team_member_from);
}

std::optional<TeamMember> team_member_by_id(Session& s, std::int64_t id) {
  return first_row(s.query(std::string(kTeamSelect) + "WHERE t.id = ?", {id}), team_member_from);
}

std::int64_t add_team_member(Session& s, std::int64_t coordinateur_id, std::int64_t mediateur_id,
                             const std::string& debut) {
  return s.insert("INSERT INTO team_members (coordinateur_id, mediateur_id, debut, created_at) VALUES (?, ?, ?, ?)",
                  {coordinateur_id, mediateur_id, debut, core::now_iso()});
}

void end_team_member(Session& s, std::int64_t id, const std::optional<std::string>& fin) {
  s.exec("UPDATE team_members SET fin = ? WHERE id = ?", {storage::nullable(fin), id});
}

bool in_team_now(Session& s, std::int64_t coordinateur_id, std::int64_t mediateur_id) {
  return !s.query("SELECT 1 FROM team_members WHERE coordinateur_id = ? AND mediateur_id = ? AND fin IS NULL",
                  {coordinateur_id, mediateur_id})
              .empty();
}

std::pair<std::vector<Person>, std::int64_t> list_mediateurs(Session& s, const std::string& q, std::int64_t page,
                                                             std::int64_t per_page) {
  std::string where = " WHERE r.role = 'mediateur' AND u.disabled = 0";
  Params params;
  if (!q.empty()) {
    where += " AND (lower(u.email) LIKE ? ESCAPE '\\' OR lower(u.nom) LIKE ? ESCAPE '\\' OR lower(u.prenom) LIKE ? ESCAPE '\\')";
    auto p = like_pattern(q);
    params.insert(params.end(), {p, p, p});
  }
  std::string from = " FROM users u JOIN user_roles r ON r.user_id = u.id";
  auto total = as_int(s.query("SELECT COUNT(*)" + from + where, params).rows.at(0).at(0));
  params.emplace_back(per_page);
  params.emplace_back((page - 1) * per_page);
  auto rows = s.query("SELECT u.id, u.nom, u.prenom, u.email, r.conseiller_numerique" + from + where +
                          " ORDER BY u.nom, u.prenom, u.id LIMIT ? OFFSET ?",
                      params);
  std::vector<Person> out;
  for (auto& r : rows.rows) out.push_back({as_int(r[0]), as_text(r[1]), as_text(r[2]), as_text(r[3]), as_int(r[4]) != 0});
  return {std::move(out), total};
}

std::int64_t create_invitation(Session& s, const std::string& token_hash, const Invitation& inv) {
  return s.insert(
      "INSERT INTO invitations (token_hash, email, role, structure_id, conseiller_numerique, invited_by, created_at, "
      "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {token_hash, inv.email, std::string(role_name(inv.role)), storage::nullable(inv.structure_id),
       std::int64_t(inv.conseiller_numerique ? 1 : 0), inv.invited_by, inv.created_at, inv.expires_at});
}

std::optional<Invitation> invitation_by_token_hash(Session& s, const std::string& token_hash) {
  return first_row(s.query(std::string(kInvitationSelect) + "WHERE i.token_hash = ?", {token_hash}), invitation_from);
}

std::optional<Invitation> invitation_by_id(Session& s, std::int64_t id) {
  return first_row(s.query(std::string(kInvitationSelect) + "WHERE i.id = ?", {id}), invitation_from);
}

std::vector<Invitation> list_invitations(Session& s, std::optional<std::int64_t> invited_by) {
  auto rows = invited_by ? s.query(std::string(kInvitationSelect) + "WHERE i.invited_by = ? ORDER BY i.id DESC LIMIT 500",
                                   {*invited_by})
                         : s.query(std::string(kInvitationSelect) + "ORDER BY i.id DESC LIMIT 500");
  std::vector<Invitation> out;
  for (auto& r : rows.rows) out.push_back(invitation_from(r));
  return out;
}

bool accept_invitation(Session& s, std::int64_t id, std::int64_t user_id) {
  return s.exec("UPDATE invitations SET accepted_at = ?, accepted_user_id = ? WHERE id = ? AND accepted_at IS NULL",
                {core::now_iso(), user_id, id}) == 1;
}

bool apply_invitation(Session& s, const Invitation& inv, std::int64_t uid) {
  if (!accept_invitation(s, inv.id, uid)) return false;
  RoleGrant g{inv.role, inv.role == Role::gestionnaire_structure ? inv.structure_id : std::nullopt,
              inv.conseiller_numerique, std::nullopt};
  add_role(s, uid, g);
  const auto today = core::today();
  if (inv.structure_id && inv.role != Role::gestionnaire_structure)
    create_employment(s, uid, *inv.structure_id, today, std::nullopt);
  auto inviter = user_by_id(s, inv.invited_by);
  if (inv.role == Role::mediateur && inviter &&
      std::any_of(inviter->roles.begin(), inviter->roles.end(), [](auto& r) { return r.role == Role::coordinateur; }) &&
      !in_team_now(s, inv.invited_by, uid))
    add_team_member(s, inv.invited_by, uid, today);
  return true;
}

std::int64_t count_users(Session& s) { return as_int(s.query("SELECT COUNT(*) FROM users").rows.at(0).at(0)); }

}  // namespace coop::accounts::store
