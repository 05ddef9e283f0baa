// HTTP handlers of the accounts feature: authentication, profile, users and roles,
// structures and employments, teams, invitations, audit log.
#include <spdlog/spdlog.h>

#include <tuple>

#include "core/security.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/api.hpp"
#include "features/accounts/sessions.hpp"
#include "features/accounts/store.hpp"
#include "features/courriels/compte.hpp"
#include "features/courriels/envoi.hpp"
#include "features/courriels/modeles.hpp"
#include "features/courriels/store.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/discussion/adhesions.hpp"
#include "features/statistiques/synchro.hpp"
#include "http/app.hpp"
#include "http/json.hpp"

namespace coop::accounts {

namespace json = boost::json;
using http::ApiError;
using http::Context;
using http::JsonBody;
using http::Response;
using storage::Session;

namespace {

json::value opt_json(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt_json(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object role_json(const RoleGrant& g) {
  return {{"role", role_name(g.role)}, {"structure_id", opt_json(g.structure_id)},
          {"conseiller_numerique", g.conseiller_numerique}, {"territoire", opt_json(g.territoire)}};
}

json::object user_json(const store::User& u) {
  json::array roles;
  for (auto& g : u.roles) roles.push_back(role_json(g));
  return {{"id", u.id},           {"email", u.email},         {"nom", u.nom},
          {"prenom", u.prenom},   {"telephone", opt_json(u.telephone)}, {"roles", std::move(roles)},
          {"created_at", u.created_at}, {"disabled", u.disabled}, {"last_login_at", opt_json(u.last_login_at)},
          {"email_confirme", u.email_confirme}};
}

json::object person_json(const store::Person& p) {
  return {{"id", p.id}, {"nom", p.nom}, {"prenom", p.prenom}, {"email", p.email},
          {"conseiller_numerique", p.conseiller_numerique}};
}

json::object structure_json(const store::Structure& s, const referentiel::Territoires& t) {
  const referentiel::Commune* c = t.commune(s.commune_insee);
  return {{"id", s.id},
          {"nom", s.nom},
          {"siret", s.siret.empty() ? json::value(nullptr) : json::value(s.siret)},
          {"adresse", s.adresse},
          {"commune_insee", s.commune_insee},
          {"commune_nom", c ? json::value(c->nom) : json::value(nullptr)},
          {"code_postal", c && !c->codes_postaux.empty() ? json::value(c->codes_postaux.front()) : json::value(nullptr)},
          {"created_at", s.created_at}};
}

json::object employment_json(const store::Employment& e) {
  return {{"id", e.id},
          {"user_id", e.user_id},
          {"structure_id", e.structure_id},
          {"user", person_json(e.user)},
          {"structure_nom", e.structure_nom},
          {"debut", e.debut},
          {"fin", opt_json(e.fin)},
          {"statut", e.statut},
          {"motif_refus", e.motif_refus}};
}

json::object team_member_json(const store::TeamMember& m) {
  return {{"id", m.id}, {"coordinateur_id", m.coordinateur_id}, {"mediateur", person_json(m.mediateur)},
          {"debut", m.debut}, {"fin", opt_json(m.fin)}};
}

json::object invitation_json(const store::Invitation& i) {
  return {{"id", i.id},
          {"email", i.email},
          {"role", role_name(i.role)},
          {"structure_id", opt_json(i.structure_id)},
          {"structure_nom", i.structure_nom.empty() ? json::value(nullptr) : json::value(i.structure_nom)},
          {"conseiller_numerique", i.conseiller_numerique},
          {"invited_by", json::object{{"id", i.invited_by}, {"nom", i.inviter_nom}, {"prenom", i.inviter_prenom}}},
          {"created_at", i.created_at},
          {"expires_at", i.expires_at},
          {"accepted_at", opt_json(i.accepted_at)}};
}

json::object page_json(json::array items, std::int64_t total, std::int64_t page, std::int64_t per_page) {
  return {{"items", std::move(items)}, {"total", total}, {"page", page}, {"per_page", per_page}};
}

std::pair<std::int64_t, std::int64_t> paging(const http::Request& req) {
  return {http::query_int(req, "page", 1, 1, 1'000'000), http::query_int(req, "per_page", 20, 1, 100)};
}

void notify(Context& ctx, std::int64_t user_id, const std::string& kind, const std::string& message) {
  ctx.services.bus.publish({"notification", user_id,
                            json::serialize(json::object{{"type", "notification"},
                                                         {"kind", kind},
                                                         {"message", message},
                                                         {"at", core::now_iso()}})});
}

store::User load_user(Session& s, std::int64_t id) {
  auto u = store::user_by_id(s, id);
  if (!u) throw http::not_found("Utilisateur introuvable.");
  return *u;
}

// Reads the profile fields shared by profile edition, user creation and invitation acceptance.
struct ProfileFields {
  std::optional<std::string> email, nom, prenom, telephone;
};
ProfileFields read_profile(JsonBody& b, bool required) {
  ProfileFields f;
  f.email = b.text("email", required && true, 254);
  f.nom = b.text("nom", required, 100);
  f.prenom = b.text("prenom", required, 100);
  f.telephone = b.text("telephone", false, 30);
  if (f.email && !f.email->empty())
    if (auto e = check_email(*f.email)) b.add_error("email", *e);
  if (f.nom)
    if (auto e = check_name(*f.nom, required)) b.add_error("nom", *e);
  if (f.prenom)
    if (auto e = check_name(*f.prenom, required)) b.add_error("prenom", *e);
  if (f.telephone && !f.telephone->empty())
    if (auto e = check_phone(*f.telephone)) b.add_error("telephone", *e);
  return f;
}

void apply_profile(store::User& u, const ProfileFields& f) {
  if (f.email && !f.email->empty()) u.email = normalize_email(*f.email);
  if (f.nom && !f.nom->empty()) u.nom = *f.nom;
  if (f.prenom && !f.prenom->empty()) u.prenom = *f.prenom;
  if (f.telephone) u.telephone = f.telephone->empty() ? std::nullopt : std::optional(normalize_phone(*f.telephone));
}

std::vector<RoleGrant> read_roles(JsonBody& b) {
  std::vector<RoleGrant> out;
  const json::value* v = b.raw("roles");
  if (!v || !v->is_array()) {
    b.add_error("roles", "La liste des rôles est obligatoire.");
    return out;
  }
  for (auto& item : v->as_array()) {
    if (!item.is_object()) { b.add_error("roles", "Rôle invalide."); continue; }
    auto& o = item.as_object();
    auto* r = o.if_contains("role");
    auto role = r && r->is_string() ? parse_role(std::string(r->as_string())) : std::nullopt;
    if (!role) { b.add_error("roles", "Rôle inconnu."); continue; }
    RoleGrant g{*role, std::nullopt, false, std::nullopt};
    if (auto* sid = o.if_contains("structure_id"); sid && !sid->is_null()) {
      if (sid->is_int64()) g.structure_id = sid->as_int64();
      else b.add_error("roles", "structure_id doit être un nombre entier.");
    }
    if (auto* cn = o.if_contains("conseiller_numerique"); cn && !cn->is_null()) {
      if (cn->is_bool()) g.conseiller_numerique = cn->as_bool();
      else b.add_error("roles", "conseiller_numerique doit être vrai ou faux.");
    }
    if (auto* t = o.if_contains("territoire"); t && !t->is_null()) {
      if (t->is_string()) g.territoire = std::string(t->as_string());
      else b.add_error("roles", "territoire doit être une chaîne (« departement:69 » ou « region:84 »).");
    }
    out.push_back(g);
  }
  for (auto& [k, v2] : check_role_grants(out)) b.add_error(k, v2);
  return out;
}

void check_structures_exist(Session& s, const std::vector<RoleGrant>& roles) {
  for (auto& g : roles)
    if (g.structure_id && !store::structure_by_id(s, *g.structure_id))
      throw http::validation_error({{"roles", "La structure " + std::to_string(*g.structure_id) + " n'existe pas."}});
}

// A territorial grant names a département or a région of the référentiel.
void check_territoires_exist(const Context& ctx, const std::vector<RoleGrant>& roles) {
  for (auto& g : roles) {
    if (!g.territoire) continue;
    auto t = parse_territoire(*g.territoire);
    bool known = t && (t->niveau == "departement" ? ctx.services.territoires.departement(t->code) != nullptr
                                                  : ctx.services.territoires.region(t->code) != nullptr);
    if (!known) throw http::validation_error({{"roles", "Le territoire « " + *g.territoire + " » est inconnu."}});
  }
}

void notify_role_changes(Context& ctx, std::int64_t user_id, const std::vector<RoleGrant>& before,
                         const std::vector<RoleGrant>& after) {
  auto contains = [](const std::vector<RoleGrant>& v, const RoleGrant& g) {
    for (auto& x : v)
      if (x.role == g.role && x.structure_id == g.structure_id && x.territoire == g.territoire) return true;
    return false;
  };
  for (auto& g : after)
    if (!contains(before, g))
      notify(ctx, user_id, "role_attribue", "Le rôle « " + std::string(role_label(g.role)) + " » vous a été attribué.");
  for (auto& g : before)
    if (!contains(after, g))
      notify(ctx, user_id, "role_retire", "Le rôle « " + std::string(role_label(g.role)) + " » vous a été retiré.");
}

std::string roles_summary(const std::vector<RoleGrant>& roles) {
  std::string s;
  for (auto& g : roles) {
    if (!s.empty()) s += ",";
    s += role_name(g.role);
    if (g.structure_id) s += "@" + std::to_string(*g.structure_id);
    if (g.conseiller_numerique) s += "+cn";
    if (g.territoire) s += "@" + *g.territoire;
  }
  return s;
}

// ---- Authentication and profile ----

json::object me_json(Session& s, const store::User& u);

Response login_handler(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto email = b.text("email", true, 254);
  auto password = b.text("password", true, 256);
  b.done();
  LoginLimits limits{ctx.services.config.login_max_failures_per_account, ctx.services.config.login_max_failures_per_ip,
                     std::chrono::minutes(15), ctx.services.config.session_idle};
  auto result = accounts::login(ctx.db(), *email, *password, ctx.ip(), ctx.req.header("user-agent").value_or(""), limits);
  if (auto* f = std::get_if<LoginFailure>(&result)) {
    switch (*f) {
      case LoginFailure::rate_limited:
        throw ApiError(429, "trop_de_tentatives",
                       "Trop de tentatives de connexion. Patientez 15 minutes avant de réessayer.");
      case LoginFailure::disabled:
        throw ApiError(403, "compte_desactive", "Ce compte est désactivé. Contactez votre administrateur.");
      case LoginFailure::bad_credentials:
        throw ApiError(401, "identifiants_invalides", "Adresse e-mail ou mot de passe incorrect.");
      case LoginFailure::email_non_confirme:
        throw ApiError(403, "email_non_confirme",
                       "Votre adresse e-mail n'est pas encore confirmée : ouvrez le lien reçu par e-mail lors de "
                       "votre inscription, ou demandez un nouveau lien.");
    }
  }
  auto& ok = std::get<LoginOk>(result);
  bool secure = http::request_is_secure(ctx.req, ctx.services.config);
  ctx.extra_headers.emplace_back("Set-Cookie", http::session_cookie_header(ok.token, secure, ctx.services.config.session_idle));
  auto out = ctx.db().read_value([&](Session& s) { return me_json(s, load_user(s, ok.user_id)); });
  return http::json_response(200, out);
}

Response logout_handler(Context& ctx) {
  accounts::logout(ctx.db(), ctx.user(), ctx.ip());
  ctx.services.bus.publish({"session_closed", ctx.user().user_id, std::to_string(ctx.user().session_id)});
  ctx.extra_headers.emplace_back("Set-Cookie",
                                 http::clear_session_cookie_header(http::request_is_secure(ctx.req, ctx.services.config)));
  return http::no_content();
}

// GET/PATCH /api/me: the user, their CRA reminder choice and their pending change of address.
json::object me_json(Session& s, const store::User& u) {
  auto o = user_json(u);
  o["rappels_cra"] = courriels::compte::rappels_actives(s, u.id);
  auto c = courriels::compte::en_cours(s, u.id, core::now_iso());
  o["changement_courriel"] = c ? json::value(json::object{{"nouvel_email", c->nouvel_email},
                                                          {"created_at", c->created_at},
                                                          {"expires_at", c->expires_at}})
                               : json::value(nullptr);
  return o;
}

Response get_me(Context& ctx) {
  auto out = ctx.db().read_value([&](Session& s) { return me_json(s, load_user(s, ctx.user().user_id)); });
  return http::json_response(200, out);
}

Response patch_me(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto f = read_profile(b, false);
  auto rappels = b.boolean("rappels_cra");
  b.done();
  // A new address is not applied here: it waits for the confirmation link sent to it
  // (courriels/compte.hpp), and the old address is told.
  const std::string jeton = core::random_token(32);
  bool mails = false;
  auto out = ctx.db().write_value([&](Session& s) {
    auto u = load_user(s, ctx.user().user_id);
    std::string old_email = u.email;
    apply_profile(u, f);
    if (u.email != old_email) {
      if (store::user_by_email(s, u.email))
        throw http::conflict("Cette adresse e-mail est déjà utilisée.", "doublon",
                             {{"email", "Cette adresse e-mail est déjà utilisée."}});
      const std::string nouvel = u.email;
      u.email = old_email;
      courriels::compte::demander(s, ctx.services.config.public_url, u.id, u.prenom, old_email, nouvel, jeton,
                                  core::now_iso());
      store::audit(s, "email_change_requested", u.id, u.id, old_email, ctx.ip(), old_email + " -> " + nouvel);
      mails = true;
    }
    if (rappels) courriels::compte::regler_rappels(s, u.id, *rappels);
    store::update_user(s, u);
    return me_json(s, u);
  });
  if (mails) courriels::signaler(ctx.services.bus);
  return http::json_response(200, out);
}

// POST /api/me/courriel/confirmer {jeton}: the link of the confirmation mail. The token alone
// proves the new mailbox is the user's (no session needed: the link may be opened elsewhere).
Response confirm_email_change(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto jeton = b.text("jeton", true, 128);
  b.done();
  auto email = ctx.db().write_value([&](Session& s) {
    auto c = courriels::compte::par_jeton(s, *jeton);
    if (!c) throw http::not_found("Ce lien de confirmation n'existe pas. Vérifiez le lien reçu.", "changement_inconnu");
    if (c->confirme_at) throw ApiError(410, "changement_utilise", "Ce lien de confirmation a déjà été utilisé.");
    const std::string now = core::now_iso();
    if (c->annule_at || c->expires_at <= now)
      throw ApiError(410, "changement_expire",
                     "Ce lien de confirmation a expiré ou a été annulé. Refaites la demande depuis « Mon compte ».");
    auto u = load_user(s, c->user_id);
    if (auto other = store::user_by_email(s, c->nouvel_email); other && other->id != u.id)
      throw http::conflict("Cette adresse e-mail est déjà utilisée par un autre compte.", "doublon",
                           {{"jeton", "Cette adresse e-mail est déjà utilisée par un autre compte."}});
    if (!courriels::compte::marquer_confirme(s, c->id, now))
      throw ApiError(410, "changement_utilise", "Ce lien de confirmation a déjà été utilisé.");
    const std::string old_email = u.email;
    u.email = c->nouvel_email;
    store::update_user(s, u);
    store::audit(s, "email_changed", u.id, u.id, u.email, ctx.ip(), old_email + " -> " + u.email);
    return u.email;
  });
  return http::json_response(200, json::object{{"email", email}});
}

// DELETE /api/me/courriel: cancels the pending change of address.
Response cancel_email_change(Context& ctx) {
  ctx.db().write([&](Session& s) {
    auto u = load_user(s, ctx.user().user_id);
    auto c = courriels::compte::en_cours(s, u.id, core::now_iso());
    if (!c || !courriels::compte::annuler(s, u.id, core::now_iso()))
      throw http::not_found("Aucun changement d'adresse en attente.");
    store::audit(s, "email_change_cancelled", u.id, u.id, u.email, ctx.ip(), c->nouvel_email);
  });
  return http::no_content();
}

Response change_password(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto current = b.text("current_password", true, 256);
  auto next = b.text("new_password", true, 256);
  if (next)
    if (auto e = check_password(*next)) b.add_error("new_password", *e);
  b.done();
  auto user = ctx.db().read_value([&](Session& s) { return load_user(s, ctx.user().user_id); });
  if (!core::verify_password(user.password_hash, *current)) {
    ctx.db().write([&](Session& s) {
      store::audit(s, "password_change_failed", user.id, user.id, user.email, ctx.ip(), "mot de passe actuel incorrect");
    });
    throw http::validation_error({{"current_password", "Le mot de passe actuel est incorrect."}});
  }
  std::string hash = core::hash_password(*next);
  std::vector<std::int64_t> closed;
  ctx.db().write([&](Session& s) {
    store::set_password_hash(s, user.id, hash);
    // Every other session of the account is closed: a password change evicts whoever else was in.
    closed = store::revoke_user_sessions(s, user.id, ctx.user().session_id);
    store::audit(s, "password_changed", user.id, user.id, user.email, ctx.ip(),
                 std::to_string(closed.size()) + " autre(s) session(s) fermée(s)");
  });
  for (auto id : closed) ctx.services.bus.publish({"session_closed", user.id, std::to_string(id)});
  return http::no_content();
}

// ---- Users (admin) ----

Response list_users(Context& ctx) {
  std::int64_t page = 0, per_page = 0;  // not a structured binding: clang < 16 cannot capture those in lambdas
  std::tie(page, per_page) = paging(ctx.req);
  std::optional<Role> role;
  if (auto r = ctx.req.query_param("role"); r && !r->empty()) {
    role = parse_role(*r);
    if (!role) throw http::validation_error({{"role", "Rôle inconnu."}}, "Paramètre de requête invalide.");
  }
  auto q = ctx.req.query_param("q").value_or("");
  auto result = ctx.db().read_value([&](Session& s) { return store::list_users(s, q, role, page, per_page); });
  json::array items;
  for (auto& u : result.items) items.push_back(user_json(u));
  return http::json_response(200, page_json(std::move(items), result.total, page, per_page));
}

Response create_user(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto f = read_profile(b, true);
  auto password = b.text("password", false, 256);
  if (password && !password->empty())
    if (auto e = check_password(*password)) b.add_error("password", *e);
  auto roles = b.has("roles") ? read_roles(b) : std::vector<RoleGrant>{};
  b.done();
  std::string hash = password && !password->empty() ? core::hash_password(*password) : "";
  auto user = ctx.db().write_value([&](Session& s) {
    std::string email = normalize_email(*f.email);
    if (store::user_by_email(s, email))
      throw http::conflict("Cette adresse e-mail est déjà utilisée.", "doublon",
                           {{"email", "Cette adresse e-mail est déjà utilisée."}});
    check_structures_exist(s, roles);
    check_territoires_exist(ctx, roles);
    store::User u;
    apply_profile(u, f);
    auto id = store::create_user(s, {u.email, u.nom, u.prenom, u.telephone, hash});
    store::replace_roles(s, id, roles);
    store::audit(s, "user_created", id, ctx.user().user_id, u.email, ctx.ip(), roles_summary(roles));
    // Welcome now if the account can log in; one without a password gets it when its owner sets
    // one by accepting an invitation.
    if (!hash.empty())
      courriels::store::mettre_en_file(
          s, courriels::modeles::bienvenue(ctx.services.config.public_url, u.email, u.prenom, id));
    return load_user(s, id);
  });
  courriels::signaler(ctx.services.bus);
  return http::json_response(201, user_json(user));
}

Response get_user(Context& ctx) {
  auto id = ctx.path_id("id");
  auto user = ctx.db().read_value([&](Session& s) { return load_user(s, id); });
  return http::json_response(200, user_json(user));
}

Response patch_user(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto f = read_profile(b, false);
  auto disabled = b.boolean("disabled");
  b.done();
  if (disabled && *disabled && id == ctx.user().user_id)
    throw http::validation_error({{"disabled", "Vous ne pouvez pas désactiver votre propre compte."}});
  std::vector<std::int64_t> closed;
  auto user = ctx.db().write_value([&](Session& s) {
    auto u = load_user(s, id);
    std::string old_email = u.email;
    apply_profile(u, f);
    if (u.email != old_email && store::user_by_email(s, u.email))
      throw http::conflict("Cette adresse e-mail est déjà utilisée.", "doublon",
                           {{"email", "Cette adresse e-mail est déjà utilisée."}});
    if (disabled && *disabled != u.disabled) {
      u.disabled = *disabled;
      store::audit(s, *disabled ? "user_disabled" : "user_enabled", id, ctx.user().user_id, u.email, ctx.ip(), "");
      if (*disabled) closed = store::revoke_user_sessions(s, id, 0);
    }
    store::update_user(s, u);
    return u;
  });
  for (auto sid : closed) ctx.services.bus.publish({"session_closed", id, std::to_string(sid)});
  return http::json_response(200, user_json(user));
}

Response put_roles(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto roles = read_roles(b);
  b.done();
  if (id == ctx.user().user_id && !std::any_of(roles.begin(), roles.end(), [](auto& g) { return g.role == Role::admin; }))
    throw http::validation_error({{"roles", "Vous ne pouvez pas retirer votre propre rôle d'administrateur."}});
  std::vector<RoleGrant> before;
  auto user = ctx.db().write_value([&](Session& s) {
    auto u = load_user(s, id);
    before = u.roles;
    check_structures_exist(s, roles);
    check_territoires_exist(ctx, roles);
    store::replace_roles(s, id, roles);
    store::audit(s, "roles_changed", id, ctx.user().user_id, u.email, ctx.ip(),
                 roles_summary(before) + " -> " + roles_summary(roles));
    return load_user(s, id);
  });
  notify_role_changes(ctx, id, before, user.roles);
  statistiques::mediateur_modifie(ctx.services.bus, id);  // conseiller numérique
  discussion::resynchroniser(ctx.db(), ctx.services.bus, ctx.services.territoires, id);  // managed structures, territoire
  return http::json_response(200, user_json(user));
}

// ---- Structures ----

store::Structure read_structure(JsonBody& b, const referentiel::Territoires& t, bool required) {
  store::Structure st;
  auto nom = b.text("nom", required, 200);
  auto siret = b.text("siret", false, 20);
  auto adresse = b.text("adresse", false, 300);
  auto commune = b.text("commune_insee", required, 5);
  if (nom) st.nom = *nom;
  if (siret && !siret->empty()) {
    if (auto e = check_siret(*siret)) b.add_error("siret", *e);
    else st.siret = normalize_siret(*siret);
  }
  if (adresse) st.adresse = *adresse;
  if (commune && !commune->empty()) {
    if (check_insee(*commune) || !t.commune(*commune)) b.add_error("commune_insee", "Commune inconnue.");
    else st.commune_insee = *commune;
  }
  return st;
}

bool employed_at(Session& s, const Principal& p, std::int64_t structure_id) {
  auto ids = store::structures_employing(s, p.user_id, core::today());
  return std::find(ids.begin(), ids.end(), structure_id) != ids.end();
}

Response list_structures(Context& ctx) {
  std::int64_t page = 0, per_page = 0;  // not a structured binding: clang < 16 cannot capture those in lambdas
  std::tie(page, per_page) = paging(ctx.req);
  auto q = ctx.req.query_param("q").value_or("");
  const auto& p = ctx.user();
  auto [items, total] = ctx.db().read_value([&](Session& s) {
    std::optional<std::vector<std::int64_t>> ids;
    if (!p.is_admin()) {
      auto mine = p.managed_structures();
      for (auto id : store::structures_employing(s, p.user_id, core::today())) mine.push_back(id);
      ids = std::move(mine);
    }
    return store::list_structures(s, q, ids, page, per_page);
  });
  json::array arr;
  for (auto& st : items) arr.push_back(structure_json(st, ctx.services.territoires));
  return http::json_response(200, page_json(std::move(arr), total, page, per_page));
}

Response create_structure(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto st = read_structure(b, ctx.services.territoires, true);
  b.done();
  auto created = ctx.db().write_value([&](Session& s) {
    if (!st.siret.empty() && !store::list_structures(s, st.siret, std::nullopt, 1, 1).first.empty())
      throw http::conflict("Une structure avec ce SIRET existe déjà.", "doublon",
                           {{"siret", "Une structure avec ce SIRET existe déjà."}});
    st.id = store::create_structure(s, st);
    store::audit(s, "structure_created", std::nullopt, ctx.user().user_id, "", ctx.ip(), st.nom);
    return *store::structure_by_id(s, st.id);
  });
  return http::json_response(201, structure_json(created, ctx.services.territoires));
}

store::Structure load_structure(Session& s, std::int64_t id) {
  auto st = store::structure_by_id(s, id);
  if (!st) throw http::not_found("Structure introuvable.");
  return *st;
}

Response get_structure(Context& ctx) {
  auto id = ctx.path_id("id");
  auto st = ctx.db().read_value([&](Session& s) {
    auto st = load_structure(s, id);
    if (!can_view_structure(ctx.user(), id, employed_at(s, ctx.user(), id))) throw http::forbidden();
    return st;
  });
  return http::json_response(200, structure_json(st, ctx.services.territoires));
}

Response patch_structure(Context& ctx) {
  auto id = ctx.path_id("id");
  if (!can_manage_structure(ctx.user(), id)) throw http::forbidden();
  JsonBody b(ctx.req.body);
  auto patch = read_structure(b, ctx.services.territoires, false);
  b.done();
  auto st = ctx.db().write_value([&](Session& s) {
    auto st = load_structure(s, id);
    if (b.has("nom") && !patch.nom.empty()) st.nom = patch.nom;
    if (b.has("siret")) st.siret = patch.siret;
    if (b.has("adresse")) st.adresse = patch.adresse;
    if (!patch.commune_insee.empty()) st.commune_insee = patch.commune_insee;
    store::update_structure(s, st);
    store::audit(s, "structure_updated", std::nullopt, ctx.user().user_id, "", ctx.ip(), std::to_string(id));
    return st;
  });
  statistiques::structure_modifiee(ctx.services.bus, id);  // the commune of its activities
  return http::json_response(200, structure_json(st, ctx.services.territoires));
}

Response list_employments(Context& ctx) {
  auto id = ctx.path_id("id");
  if (!can_manage_structure(ctx.user(), id)) throw http::forbidden();
  auto items = ctx.db().read_value([&](Session& s) {
    load_structure(s, id);
    return store::employments_of_structure(s, id);
  });
  json::array arr;
  for (auto& e : items) arr.push_back(employment_json(e));
  return http::json_response(200, json::object{{"items", std::move(arr)}});
}

Response create_employment(Context& ctx) {
  auto id = ctx.path_id("id");
  if (!can_manage_structure(ctx.user(), id)) throw http::forbidden();
  JsonBody b(ctx.req.body);
  auto user_id = b.integer("user_id", true);
  auto debut = b.text("debut", true, 10);
  auto fin = b.text("fin", false, 10);
  if (fin && fin->empty()) fin.reset();
  if (debut)
    for (auto& [k, v] : check_period(*debut, fin)) b.add_error(k, v);
  b.done();
  auto e = ctx.db().write_value([&](Session& s) {
    load_structure(s, id);
    auto u = store::user_by_id(s, *user_id);
    if (!u) throw http::validation_error({{"user_id", "Utilisateur introuvable."}});
    auto eid = store::create_employment(s, *user_id, id, *debut, fin);
    store::audit(s, "employment_created", *user_id, ctx.user().user_id, u->email, ctx.ip(),
                 "structure " + std::to_string(id));
    return *store::employment_by_id(s, eid);
  });
  statistiques::mediateur_modifie(ctx.services.bus, e.user_id);  // structure employeuse
  discussion::resynchroniser(ctx.db(), ctx.services.bus, ctx.services.territoires, e.user_id);
  return http::json_response(201, employment_json(e));
}

Response patch_employment(Context& ctx) {
  auto id = ctx.path_id("id");
  auto eid = ctx.path_id("eid");
  if (!can_manage_structure(ctx.user(), id)) throw http::forbidden();
  JsonBody b(ctx.req.body);
  auto debut = b.text("debut", false, 10);
  bool fin_null = false;
  auto fin = b.nullable_text("fin", &fin_null, 10);
  b.done();
  auto e = ctx.db().write_value([&](Session& s) {
    auto e = store::employment_by_id(s, eid);
    if (!e || e->structure_id != id) throw http::not_found("Contrat introuvable.");
    std::string d = debut && !debut->empty() ? *debut : e->debut;
    std::optional<std::string> f = fin_null ? std::nullopt : (fin && !fin->empty() ? fin : e->fin);
    if (auto errs = check_period(d, f); !errs.empty()) throw http::validation_error(errs);
    store::update_employment(s, eid, d, f);
    store::audit(s, "employment_updated", e->user_id, ctx.user().user_id, e->user.email, ctx.ip(),
                 d + " -> " + f.value_or("…"));
    return *store::employment_by_id(s, eid);
  });
  statistiques::mediateur_modifie(ctx.services.bus, e.user_id);  // structure employeuse
  discussion::resynchroniser(ctx.db(), ctx.services.bus, ctx.services.territoires, e.user_id);
  return http::json_response(200, employment_json(e));
}

// ---- Teams ----

Response get_team(Context& ctx) {
  auto items = ctx.db().read_value([&](Session& s) { return store::team_of(s, ctx.user().user_id); });
  json::array arr;
  for (auto& m : items) arr.push_back(team_member_json(m));
  return http::json_response(200, json::object{{"items", std::move(arr)}});
}

Response add_team_member(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto mediateur_id = b.integer("mediateur_id", true);
  auto debut = b.text("debut", false, 10);
  std::string d = debut && !debut->empty() ? *debut : core::today();
  if (!core::valid_date(d)) b.add_error("debut", "Date de début invalide (format AAAA-MM-JJ).");
  b.done();
  auto m = ctx.db().write_value([&](Session& s) {
    auto u = store::user_by_id(s, *mediateur_id);
    if (!u || !std::any_of(u->roles.begin(), u->roles.end(), [](auto& g) { return g.role == Role::mediateur; }))
      throw http::validation_error({{"mediateur_id", "Ce compte n'est pas celui d'un médiateur."}});
    if (store::in_team_now(s, ctx.user().user_id, *mediateur_id))
      throw http::conflict("Ce médiateur fait déjà partie de votre équipe.", "doublon",
                           {{"mediateur_id", "Ce médiateur fait déjà partie de votre équipe."}});
    auto id = store::add_team_member(s, ctx.user().user_id, *mediateur_id, d);
    store::audit(s, "team_member_added", *mediateur_id, ctx.user().user_id, u->email, ctx.ip(), d);
    return *store::team_member_by_id(s, id);
  });
  notify(ctx, m.mediateur.id, "equipe_rejointe",
         "Vous avez rejoint l'équipe de " + ctx.user().prenom + " " + ctx.user().nom + ".");
  return http::json_response(201, team_member_json(m));
}

Response end_team_member(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  bool fin_null = false;
  auto fin = b.nullable_text("fin", &fin_null, 10);
  b.done();
  auto m = ctx.db().write_value([&](Session& s) {
    auto m = store::team_member_by_id(s, id);
    if (!m) throw http::not_found("Membre introuvable.");
    if (!can_manage_team_member(ctx.user(), m->coordinateur_id)) throw http::forbidden();
    std::optional<std::string> f = fin_null ? std::nullopt : std::optional(fin && !fin->empty() ? *fin : core::today());
    if (auto errs = check_period(m->debut, f); !errs.empty()) throw http::validation_error(errs);
    store::end_team_member(s, id, f);
    store::audit(s, f ? "team_member_ended" : "team_member_resumed", m->mediateur.id, ctx.user().user_id,
                 m->mediateur.email, ctx.ip(), f.value_or(""));
    return *store::team_member_by_id(s, id);
  });
  return http::json_response(200, team_member_json(m));
}

Response list_mediateurs(Context& ctx) {
  std::int64_t page = 0, per_page = 0;  // not a structured binding: clang < 16 cannot capture those in lambdas
  std::tie(page, per_page) = paging(ctx.req);
  auto q = ctx.req.query_param("q").value_or("");
  auto [items, total] = ctx.db().read_value([&](Session& s) { return store::list_mediateurs(s, q, page, per_page); });
  json::array arr;
  for (auto& p : items) arr.push_back(person_json(p));
  return http::json_response(200, page_json(std::move(arr), total, page, per_page));
}

// ---- Invitations ----

constexpr int kInvitationDays = 14;

Response create_invitation(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto email = b.text("email", true, 254);
  auto role_s = b.text("role", true, 40);
  auto structure_id = b.integer("structure_id");
  auto cn = b.boolean("conseiller_numerique");
  if (email && !email->empty())
    if (auto e = check_email(*email)) b.add_error("email", *e);
  std::optional<Role> role;
  if (role_s && !role_s->empty()) {
    role = parse_role(*role_s);
    if (!role) b.add_error("role", "Rôle inconnu.");
  }
  if (role == Role::gestionnaire_structure && !structure_id)
    b.add_error("structure_id", "Choisissez la structure à gérer.");
  if (cn.value_or(false) && role && role != Role::mediateur)
    b.add_error("conseiller_numerique", "Le statut conseiller numérique ne s'applique qu'au rôle médiateur.");
  b.done();
  if (auto refusal = check_invitation_rights(ctx.user(), *role, structure_id)) throw http::forbidden(*refusal);
  std::string token = core::random_token(32);
  auto inv = ctx.db().write_value([&](Session& s) {
    if (structure_id && !store::structure_by_id(s, *structure_id))
      throw http::validation_error({{"structure_id", "Structure introuvable."}});
    store::Invitation i;
    i.email = normalize_email(*email);
    i.role = *role;
    i.structure_id = structure_id;
    i.conseiller_numerique = cn.value_or(false);
    i.invited_by = ctx.user().user_id;
    auto now = core::Clock::now();
    i.created_at = core::iso_utc(now);
    i.expires_at = core::iso_utc(now + std::chrono::days(kInvitationDays));
    auto id = store::create_invitation(s, core::sha256_hex(token), i);
    store::audit(s, "invitation_created", std::nullopt, ctx.user().user_id, i.email, ctx.ip(),
                 std::string(role_name(i.role)));
    auto created = *store::invitation_by_id(s, id);
    // The mail is queued in the invitation's transaction: both exist, or neither.
    const std::string& e = created.expires_at;
    courriels::store::mettre_en_file(
        s, courriels::modeles::invitation(created.email, ctx.services.config.public_url + "/invitation/" + token,
                                          std::string(role_label(created.role)),
                                          core::trim(ctx.user().prenom + " " + ctx.user().nom), created.structure_nom,
                                          e.substr(8, 2) + "/" + e.substr(5, 2) + "/" + e.substr(0, 4)));
    return created;
  });
  courriels::signaler(ctx.services.bus);
  std::string link = ctx.services.config.public_url + "/invitation/" + token;
  // The link is also shown to the inviter and logged for the operator (no SMTP server needed).
  spdlog::info("invitation {} for {} ({}) : {}", inv.id, inv.email, role_name(inv.role), link);
  auto out = invitation_json(inv);
  out["lien"] = link;
  return http::json_response(201, out);
}

Response list_invitations(Context& ctx) {
  const auto& p = ctx.user();
  auto items = ctx.db().read_value([&](Session& s) {
    return store::list_invitations(s, p.is_admin() ? std::nullopt : std::optional(p.user_id));
  });
  json::array arr;
  for (auto& i : items) arr.push_back(invitation_json(i));
  return http::json_response(200, json::object{{"items", std::move(arr)}});
}

store::Invitation usable_invitation(Session& s, const std::string& token) {
  auto inv = token.size() > 128 ? std::nullopt : store::invitation_by_token_hash(s, core::sha256_hex(token));
  if (!inv) throw http::not_found("Cette invitation n'existe pas. Vérifiez le lien reçu.", "invitation_inconnue");
  if (inv->accepted_at) throw ApiError(410, "invitation_utilisee", "Cette invitation a déjà été utilisée.");
  if (inv->expires_at < core::now_iso())
    throw ApiError(410, "invitation_expiree", "Cette invitation a expiré. Demandez-en une nouvelle.");
  return *inv;
}

Response get_invitation(Context& ctx) {
  auto token = ctx.req.params.at("token");
  auto inv = ctx.db().read_value([&](Session& s) { return usable_invitation(s, token); });
  return http::json_response(200, invitation_json(inv));
}

Response accept_invitation(Context& ctx) {
  auto token = ctx.req.params.at("token");
  JsonBody b(ctx.req.body);
  auto f = read_profile(b, false);
  if (!f.nom || f.nom->empty()) b.add_error("nom", "Ce champ est obligatoire.");
  if (!f.prenom || f.prenom->empty()) b.add_error("prenom", "Ce champ est obligatoire.");
  auto password = b.text("password", false, 256);
  b.done();
  auto inv = ctx.db().read_value([&](Session& s) { return usable_invitation(s, token); });
  auto existing = ctx.db().read_value([&](Session& s) { return store::user_by_email(s, inv.email); });
  // A new account needs a password; an existing account proves itself with its own password.
  if (!password || password->empty()) throw http::validation_error({{"password", "Ce champ est obligatoire."}});
  // An account created by an administrator without a password sets it here, like a new one.
  const bool has_password = existing && !existing->password_hash.empty();
  if (has_password) {
    if (!core::verify_password(existing->password_hash, *password))
      throw http::validation_error({{"password", "Un compte existe déjà pour cette adresse : saisissez son mot de passe."}});
  } else if (auto e = check_password(*password)) {
    throw http::validation_error({{"password", *e}});
  }
  std::string hash = has_password ? "" : core::hash_password(*password);
  std::string session_token;
  std::vector<RoleGrant> before;
  auto user = ctx.db().write_value([&](Session& s) {
    std::int64_t uid;
    if (existing) {
      uid = existing->id;
      before = existing->roles;
      if (!has_password) store::set_password_hash(s, uid, hash);
    } else {
      store::User u;
      u.email = inv.email;
      apply_profile(u, f);
      uid = store::create_user(s, {u.email, u.nom, u.prenom, u.telephone, hash});
    }
    if (!store::apply_invitation(s, inv, uid))
      throw ApiError(410, "invitation_utilisee", "Cette invitation a déjà été utilisée.");
    // The invitation reached this address: it is confirmed (an account signed up and not yet
    // confirmed becomes usable).
    if (existing && !existing->email_confirme)
      s.exec("UPDATE users SET email_confirme = 1 WHERE id = ?", {uid});
    store::audit(s, "invitation_accepted", uid, uid, inv.email, ctx.ip(), std::string(role_name(inv.role)));
    if (!existing || !has_password)  // an account opened now (not an existing one given a role)
      courriels::store::mettre_en_file(
          s, courriels::modeles::bienvenue(ctx.services.config.public_url, inv.email,
                                           existing ? existing->prenom : f.prenom.value_or(""), uid));
    session_token = open_session(s, uid, ctx.ip(), ctx.req.header("user-agent").value_or(""),
                                 ctx.services.config.session_idle);
    store::set_last_login(s, uid);
    return load_user(s, uid);
  });
  auto out = ctx.db().read_value([&](Session& s) { return me_json(s, user); });
  courriels::signaler(ctx.services.bus);
  notify(ctx, inv.invited_by, "invitation_acceptee",
         user.prenom + " " + user.nom + " (" + user.email + ") a accepté votre invitation.");
  if (existing) notify_role_changes(ctx, user.id, before, user.roles);
  statistiques::mediateur_modifie(ctx.services.bus, user.id);  // new role or employment
  ctx.extra_headers.emplace_back(
      "Set-Cookie", http::session_cookie_header(session_token, http::request_is_secure(ctx.req, ctx.services.config),
                                                ctx.services.config.session_idle));
  return http::json_response(200, out);
}

// ---- Audit ----

Response list_audit(Context& ctx) {
  std::int64_t page = 0, per_page = 0;  // not a structured binding: clang < 16 cannot capture those in lambdas
  std::tie(page, per_page) = paging(ctx.req);
  std::optional<std::int64_t> uid;
  if (ctx.req.query_param("user_id")) uid = http::query_int(ctx.req, "user_id", 0, 1, INT64_MAX);
  auto [items, total] = ctx.db().read_value([&](Session& s) { return store::list_audit(s, uid, page, per_page); });
  json::array arr;
  for (auto& a : items)
    arr.push_back(json::object{{"id", a.id},
                               {"at", a.at},
                               {"event", a.event},
                               {"user_id", opt_json(a.user_id)},
                               {"actor_id", opt_json(a.actor_id)},
                               {"user_email", a.user_email.empty() ? a.subject_email : a.user_email},
                               {"ip", a.ip},
                               {"detail", a.detail}});
  return http::json_response(200, page_json(std::move(arr), total, page, per_page));
}

}  // namespace

json::object me_to_json(Session& s, const store::User& u) { return me_json(s, u); }

json::object user_to_json(const store::User& u) { return user_json(u); }
json::object structure_to_json(const store::Structure& s, const referentiel::Territoires& t) { return structure_json(s, t); }
json::object employment_to_json(const store::Employment& e) { return employment_json(e); }

void register_routes(http::Router& r) {
  r.add("POST", "/api/auth/login", access::anyone(), login_handler);
  r.add("POST", "/api/auth/logout", access::logged_in(), logout_handler);
  r.add("GET", "/api/me", access::logged_in(), get_me);
  r.add("PATCH", "/api/me", access::logged_in(), patch_me);
  r.add("POST", "/api/me/password", access::logged_in(), change_password);
  r.add("POST", "/api/me/courriel/confirmer", access::anyone(), confirm_email_change);
  r.add("DELETE", "/api/me/courriel", access::logged_in(), cancel_email_change);

  r.add("GET", "/api/users", access::admin(), list_users);
  r.add("POST", "/api/users", access::admin(), create_user);
  r.add("GET", "/api/users/{id}", access::admin(), get_user);
  r.add("PATCH", "/api/users/{id}", access::admin(), patch_user);
  r.add("PUT", "/api/users/{id}/roles", access::admin(), put_roles);

  r.add("GET", "/api/structures", access::logged_in(), list_structures);
  r.add("POST", "/api/structures", access::admin(), create_structure);
  r.add("GET", "/api/structures/{id}", access::logged_in(), get_structure);
  r.add("PATCH", "/api/structures/{id}", access::structure_staff(), patch_structure);
  r.add("GET", "/api/structures/{id}/employes", access::structure_staff(), list_employments);
  r.add("POST", "/api/structures/{id}/employes", access::structure_staff(), create_employment);
  r.add("PATCH", "/api/structures/{id}/employes/{eid}", access::structure_staff(), patch_employment);

  r.add("GET", "/api/equipe", access::coordinateur(), get_team);
  r.add("POST", "/api/equipe/membres", access::coordinateur(), add_team_member);
  r.add("PATCH", "/api/equipe/membres/{id}", access::coordinateur(), end_team_member);
  r.add("GET", "/api/mediateurs", access::people_managers(), list_mediateurs);

  r.add("POST", "/api/invitations", access::people_managers(), create_invitation);
  r.add("GET", "/api/invitations", access::people_managers(), list_invitations);
  r.add("GET", "/api/invitations/{token}", access::anyone(), get_invitation);
  r.add("POST", "/api/invitations/{token}/accept", access::anyone(), accept_invitation);

  r.add("GET", "/api/audit", access::admin(), list_audit);
}

}  // namespace coop::accounts
