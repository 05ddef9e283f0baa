#include "features/inscription/api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <tuple>

#include "core/security.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/api.hpp"
#include "features/accounts/policy.hpp"
#include "features/discussion/adhesions.hpp"
#include "features/accounts/sessions.hpp"
#include "features/accounts/store.hpp"
#include "features/activites/api.hpp"
#include "features/activites/model.hpp"
#include "features/activites/store.hpp"
#include "features/courriels/envoi.hpp"
#include "features/courriels/modeles.hpp"
#include "features/courriels/store.hpp"
#include "features/inscription/modeles.hpp"
#include "features/inscription/model.hpp"
#include "features/inscription/store.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/statistiques/synchro.hpp"
#include "http/app.hpp"
#include "http/json.hpp"

namespace coop::inscription {

namespace json = boost::json;
namespace acc = accounts;
using http::ApiError;
using http::Context;
using http::JsonBody;
using http::Response;
using storage::Session;

namespace {

// The one answer of the form and of « renvoyer le lien », whatever the address.
constexpr const char* kReponse =
    "Si cette adresse peut être utilisée, un e-mail vient de lui être envoyé : ouvrez le lien qu'il contient pour "
    "activer votre compte (il est valable 24 heures).";

void notify(Context& ctx, std::int64_t user_id, const std::string& kind, const std::string& message) {
  ctx.services.bus.publish({"notification", user_id,
                            json::serialize(json::object{{"type", "notification"},
                                                         {"kind", kind},
                                                         {"message", message},
                                                         {"at", core::now_iso()}})});
}

Limites limites(const Context& ctx) {
  return {ctx.services.config.signup_max_per_ip, ctx.services.config.signup_max_per_address};
}

// Counts the sign-up requests of the last hour from this client and for this address (both the
// form and the resend) and refuses beyond the limits: the same refusal whether the address has an
// account or not.
void verifier_limites(Context& ctx, Session& s, const std::string& email) {
  const std::string since = core::iso_utc(core::Clock::now() - fenetre_limite);
  const std::string ip = ctx.ip();
  auto par_ip = acc::store::count_events_since(s, "inscription_demandee", nullptr, &ip, since);
  auto par_adresse = acc::store::count_events_since(s, "inscription_demandee", &email, nullptr, since);
  if (limite_atteinte(par_ip, par_adresse, limites(ctx)))
    throw ApiError(429, "trop_de_tentatives",
                   "Trop de demandes d'inscription. Patientez une heure avant de réessayer.");
}

// A new confirmation link for a signed-up account, and its mail, in the caller's transaction.
void envoyer_lien(Context& ctx, Session& s, const acc::store::User& u) {
  std::string token = core::random_token(32);
  store::creer_jeton(s, u.id, core::sha256_hex(token), core::iso_utc(core::Clock::now() + validite_lien));
  courriels::store::mettre_en_file(
      s, modeles::confirmation(u.email, u.prenom, ctx.services.config.public_url + "/inscription/confirmer/" + token, u.id));
}

Response post_inscription(Context& ctx) {
  JsonBody b(ctx.req.body);
  Demande d;
  d.email = b.text("email", false, 254).value_or("");
  d.prenom = core::trim(b.text("prenom", false, 100).value_or(""));
  d.nom = core::trim(b.text("nom", false, 100).value_or(""));
  d.password = b.text("password", false, 256).value_or("");
  d.cgu = b.boolean("cgu").value_or(false);
  for (auto& [k, v] : check_demande(d)) b.add_error(k, v);
  b.done();
  const std::string email = acc::normalize_email(d.email);
  // Hashed whatever the address, so that an existing address answers as slowly as a new one.
  const std::string hash = core::hash_password(d.password);
  ctx.db().write([&](Session& s) {
    verifier_limites(ctx, s, email);
    auto existing = acc::store::user_by_email(s, email);
    std::string detail;
    if (existing && existing->email_confirme) {
      detail = "adresse déjà inscrite";
      courriels::store::mettre_en_file(
          s, modeles::deja_inscrit(email, existing->prenom, ctx.services.config.public_url + "/connexion", existing->id));
    } else if (existing) {
      // Signed up before and never confirmed: the newer form wins, with a new link (the older
      // ones stop working). Confirming asks for this form's password.
      detail = "inscription non confirmée remplacée";
      store::remplacer_inscription(s, existing->id, d.nom, d.prenom, hash);
      existing->prenom = d.prenom;
      envoyer_lien(ctx, s, *existing);
    } else {
      acc::store::NewUser nu{email, d.nom, d.prenom, std::nullopt, hash};
      nu.email_confirme = false;
      auto id = acc::store::create_user(s, nu);
      store::noter_cgu(s, id);
      detail = "compte créé";
      envoyer_lien(ctx, s, *acc::store::user_by_id(s, id));
    }
    acc::store::audit(s, "inscription_demandee", existing ? std::optional(existing->id) : std::nullopt, std::nullopt,
                      email, ctx.ip(), detail);
  });
  courriels::signaler(ctx.services.bus);  // deliver now rather than at the next poll
  return http::json_response(202, json::object{{"message", kReponse}});
}

Response post_renvoyer(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto email_raw = b.text("email", true, 254);
  if (email_raw && !email_raw->empty())
    if (auto e = acc::check_email(*email_raw)) b.add_error("email", *e);
  b.done();
  const std::string email = acc::normalize_email(*email_raw);
  ctx.db().write([&](Session& s) {
    verifier_limites(ctx, s, email);
    auto u = acc::store::user_by_email(s, email);
    std::string detail = "renvoi : aucun compte en attente";
    if (u && !u->email_confirme && !u->disabled) {
      envoyer_lien(ctx, s, *u);
      detail = "renvoi du lien";
    }
    acc::store::audit(s, "inscription_demandee", u ? std::optional(u->id) : std::nullopt, std::nullopt, email, ctx.ip(),
                      detail);
  });
  courriels::signaler(ctx.services.bus);  // deliver now rather than at the next poll
  return http::json_response(202, json::object{{"message", kReponse}});
}

store::Jeton jeton_utilisable(Session& s, const std::string& token) {
  auto j = token.empty() || token.size() > 128 ? std::nullopt : store::jeton_par_hash(s, core::sha256_hex(token));
  if (!j) throw http::not_found("Ce lien de confirmation n'existe pas. Vérifiez le lien reçu.", "lien_inconnu");
  if (j->used_at)
    throw ApiError(410, "lien_utilise",
                   "Ce lien a déjà été utilisé ou remplacé par un lien plus récent. Connectez-vous, ou demandez un "
                   "nouveau lien.");
  if (j->expires_at < core::now_iso())
    throw ApiError(410, "lien_expire", "Ce lien a expiré (il est valable 24 heures). Demandez un nouveau lien.");
  return *j;
}

Response post_confirmer(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto token = b.text("token", true, 200);
  auto password = b.text("password", true, 256);
  b.done();
  store::Jeton jeton;  // not a structured binding: clang < 16 cannot capture those in lambdas
  acc::store::User user;
  ctx.db().read([&](Session& s) {
    jeton = jeton_utilisable(s, *token);
    auto u = acc::store::user_by_id(s, jeton.user_id);
    if (!u) throw http::not_found("Ce lien de confirmation n'existe pas. Vérifiez le lien reçu.", "lien_inconnu");
    user = *u;
  });
  // The link proves the mailbox; the password proves that this is the person who filled the form
  // (a link clicked by someone else cannot activate an account they did not ask for).
  if (!core::verify_password(user.password_hash, *password)) {
    ctx.db().write([&](Session& s) {
      acc::store::audit(s, "inscription_confirmation_refusee", user.id, std::nullopt, user.email, ctx.ip(),
                        "mot de passe incorrect");
    });
    throw http::validation_error({{"password", "Ce n'est pas le mot de passe choisi à l'inscription."}});
  }
  if (user.disabled) throw ApiError(403, "compte_desactive", "Ce compte est désactivé. Contactez votre administrateur.");
  std::string session_token;
  std::vector<std::int64_t> inviteurs;
  auto confirmed = ctx.db().write_value([&](Session& s) {
    if (!store::utiliser_jeton(s, jeton.id))
      throw ApiError(410, "lien_utilise", "Ce lien a déjà été utilisé. Connectez-vous.");
    store::confirmer_email(s, user.id);
    // Pending invitations for this address: the person signed up instead of following them;
    // confirming the address accepts them (their role, structure and team), as the invitation
    // link would have.
    for (auto& inv : store::invitations_en_cours(s, user.email, core::now_iso()))
      if (acc::store::apply_invitation(s, inv, user.id)) {
        inviteurs.push_back(inv.invited_by);
        acc::store::audit(s, "invitation_accepted", user.id, user.id, user.email, ctx.ip(),
                          std::string(acc::role_name(inv.role)) + " (à la confirmation de l'inscription)");
      }
    acc::store::audit(s, "inscription_confirmee", user.id, user.id, user.email, ctx.ip(), "");
    courriels::store::mettre_en_file(
        s, courriels::modeles::bienvenue(ctx.services.config.public_url, user.email, user.prenom, user.id));
    session_token = acc::open_session(s, user.id, ctx.ip(), ctx.req.header("user-agent").value_or(""),
                                      ctx.services.config.session_idle);
    acc::store::set_last_login(s, user.id);
    acc::store::audit(s, "login_succeeded", user.id, user.id, user.email, ctx.ip(), "confirmation de l'inscription");
    return *acc::store::user_by_id(s, user.id);
  });
  for (auto id : inviteurs)
    notify(ctx, id, "invitation_acceptee",
           confirmed.prenom + " " + confirmed.nom + " (" + confirmed.email + ") a rejoint Coop : votre invitation est acceptée.");
  if (!inviteurs.empty()) statistiques::mediateur_modifie(ctx.services.bus, confirmed.id);
  ctx.extra_headers.emplace_back(
      "Set-Cookie", http::session_cookie_header(session_token, http::request_is_secure(ctx.req, ctx.services.config),
                                                ctx.services.config.session_idle));
  courriels::signaler(ctx.services.bus);  // deliver now rather than at the next poll
  auto me = ctx.db().read_value([&](Session& s) { return acc::me_to_json(s, confirmed); });
  return http::json_response(200, me);
}

// ---- The steps after confirmation ----

json::object parcours_json(Context& ctx, std::int64_t uid) {
  EtatParcours e;
  std::vector<acc::store::Employment> emplois;
  ctx.db().read([&](Session& s) {
    e.roles = acc::store::roles_of(s, uid);
    emplois = acc::store::employments_of_user(s, uid);
    e.lieux = static_cast<std::size_t>(store::nombre_lieux(s, uid));
  });
  json::array arr;
  for (auto& em : emplois) {
    e.statuts_emplois.push_back(em.statut);
    arr.push_back(acc::employment_to_json(em));
  }
  std::optional<std::string> profil;
  for (auto& g : e.roles) {
    if (g.role == acc::Role::mediateur) profil = g.conseiller_numerique ? "conseiller_numerique" : "mediateur";
    if (g.role == acc::Role::coordinateur && !profil) profil = "coordinateur";
  }
  return {{"etape", etape_name(etape_courante(e))},
          {"profil", profil ? json::value(*profil) : json::value(nullptr)},
          {"emplois", std::move(arr)},
          {"lieux", static_cast<std::int64_t>(e.lieux)}};
}

Response get_parcours(Context& ctx) { return http::json_response(200, parcours_json(ctx, ctx.user().user_id)); }

Response post_profil(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto p = b.text("profil", true, 40);
  std::optional<Profil> profil;
  if (p && !p->empty()) {
    profil = parse_profil(*p);
    if (!profil) b.add_error("profil", "Choisissez médiateur, conseiller numérique ou coordinateur.");
  }
  b.done();
  if (!acc::can_choose_profile(ctx.user()))
    throw http::forbidden("Votre profil est déjà choisi : pour le changer, contactez un administrateur.");
  const auto uid = ctx.user().user_id;
  ctx.db().write([&](Session& s) {
    if (!acc::store::roles_of(s, uid).empty())
      throw http::forbidden("Votre profil est déjà choisi : pour le changer, contactez un administrateur.");
    acc::store::add_role(s, uid, profil_grant(*profil));
    acc::store::audit(s, "inscription_profil", uid, uid, ctx.user().email, ctx.ip(), std::string(profil_name(*profil)));
  });
  statistiques::mediateur_modifie(ctx.services.bus, uid);  // conseiller numérique
  return http::json_response(200, parcours_json(ctx, uid));
}

json::object structure_trouvee_json(Context& ctx, const acc::store::Structure& st) {
  return acc::structure_to_json(st, ctx.services.territoires);
}

Response get_structures(Context& ctx) {
  auto siret = ctx.req.query_param("siret").value_or("");
  auto q = core::trim(ctx.req.query_param("q").value_or(""));
  if (siret.empty() && q.size() < 2)
    throw http::validation_error({{"siret", "Indiquez un SIRET (14 chiffres) ou au moins 2 lettres du nom."}},
                                 "Paramètre de requête invalide.");
  if (!siret.empty())
    if (auto e = acc::check_siret(siret)) throw http::validation_error({{"siret", *e}}, "Paramètre de requête invalide.");
  auto items = ctx.db().read_value([&](Session& s) {
    if (!siret.empty()) {
      auto st = store::structure_par_siret(s, acc::normalize_siret(siret));
      return st ? std::vector{*st} : std::vector<acc::store::Structure>{};
    }
    return store::structures_par_nom(s, core::utf8_prefix(q, 100), 10);
  });
  json::array arr;
  for (auto& st : items) arr.push_back(structure_trouvee_json(ctx, st));
  return http::json_response(200, json::object{{"items", std::move(arr)}});
}

// Reads a new structure's fields (nom, commune, adresse; siret already read) into st.
void lire_nouvelle_structure(JsonBody& b, const Context& ctx, acc::store::Structure& st, bool adresse_requise) {
  auto nom = b.text("nom", false, 200);
  auto commune = b.text("commune_insee", false, 5);
  auto adresse = b.text("adresse", false, 300);
  st.nom = core::trim(nom.value_or(""));
  if (st.nom.empty()) b.add_error("nom", "Indiquez le nom de la structure.");
  st.adresse = core::trim(adresse.value_or(""));
  if (adresse_requise && st.adresse.empty()) b.add_error("adresse", "Indiquez l'adresse de la structure.");
  if (!commune || commune->empty()) b.add_error("commune_insee", "Choisissez la commune.");
  else if (acc::check_insee(*commune) || !ctx.services.territoires.commune(*commune))
    b.add_error("commune_insee", "Commune inconnue.");
  else st.commune_insee = *commune;
}

// Everyone who must confirm an employment at this structure: its gestionnaires, or (none) the
// administrators.
std::pair<std::vector<store::Destinataire>, bool> qui_decide(Session& s, std::int64_t structure_id) {
  auto g = store::gestionnaires_de(s, structure_id);
  if (!g.empty()) return {std::move(g), false};
  return {store::administrateurs(s), true};
}

Response post_employeur(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto siret_raw = b.text("siret", true, 20);
  acc::store::Structure nouvelle;
  if (siret_raw && !siret_raw->empty()) {
    if (auto e = acc::check_siret(*siret_raw)) b.add_error("siret", *e);
    else nouvelle.siret = acc::normalize_siret(*siret_raw);
  }
  b.done();
  if (!acc::can_declare_employer(ctx.user()))
    throw http::forbidden("Choisissez d'abord votre profil (médiateur, conseiller numérique ou coordinateur).");
  const auto& me = ctx.user();
  auto existante = ctx.db().read_value([&](Session& s) { return store::structure_par_siret(s, nouvelle.siret); });
  if (!existante) {
    // Not known yet: the form gives its name, commune and address.
    JsonBody b2(ctx.req.body);
    b2.text("siret", false, 20);
    lire_nouvelle_structure(b2, ctx, nouvelle, true);
    b2.done();
  }
  std::vector<store::Destinataire> decideurs;
  bool sans_gestionnaire = false;
  bool creee = false;
  auto emploi = ctx.db().write_value([&](Session& s) {
    auto st = store::structure_par_siret(s, nouvelle.siret);
    if (!st) {
      nouvelle.id = acc::store::create_structure(s, nouvelle);
      acc::store::audit(s, "structure_created", std::nullopt, me.user_id, me.email, ctx.ip(),
                        nouvelle.nom + " (inscription)");
      st = acc::store::structure_by_id(s, nouvelle.id);
      creee = true;
    }
    for (auto& e : acc::store::employments_of_user(s, me.user_id))
      if (e.structure_id == st->id && e.statut != "refuse" && !e.fin)
        throw http::conflict("Vous êtes déjà rattaché(e) à cette structure.", "doublon",
                             {{"siret", "Vous êtes déjà rattaché(e) à cette structure."}});
    auto eid = store::declarer_emploi(s, me.user_id, st->id, core::today());
    acc::store::audit(s, "employment_declared", me.user_id, me.user_id, me.email, ctx.ip(),
                      "structure " + std::to_string(st->id));
    std::tie(decideurs, sans_gestionnaire) = qui_decide(s, st->id);
    const std::string personne = me.prenom + " " + me.nom + " (" + me.email + ")";
    const std::string lien = ctx.services.config.public_url + "/structures/" + std::to_string(st->id);
    for (auto& d : decideurs)
      courriels::store::mettre_en_file(
          s, modeles::emploi_a_confirmer(d.email, d.prenom, personne, st->nom, lien, d.id, sans_gestionnaire));
    return *acc::store::employment_by_id(s, eid);
  });
  for (auto& d : decideurs)
    notify(ctx, d.id, "emploi_a_confirmer",
           me.prenom + " " + me.nom + " indique travailler pour « " + emploi.structure_nom +
               " » : confirmez ou refusez ce rattachement sur la page de la structure.");
  statistiques::mediateur_modifie(ctx.services.bus, me.user_id);  // employments (pending: not counted yet)
  auto out = acc::employment_to_json(emploi);
  courriels::signaler(ctx.services.bus);  // deliver now rather than at the next poll
  return http::json_response(201, json::object{{"emploi", std::move(out)},
                                               {"structure_creee", creee},
                                               {"sans_gestionnaire", sans_gestionnaire}});
}

// A new place (a structure without a SIRET, or with one not known yet) becomes a lieu d'activité
// of the mediator, in one transaction. Existing places are added with POST /api/lieux-activite.
Response post_lieu(Context& ctx) {
  JsonBody b(ctx.req.body);
  acc::store::Structure st;
  auto siret = b.text("siret", false, 20);
  if (siret && !siret->empty()) {
    if (auto e = acc::check_siret(*siret)) b.add_error("siret", *e);
    else st.siret = acc::normalize_siret(*siret);
  }
  lire_nouvelle_structure(b, ctx, st, false);
  b.done();
  const auto& me = ctx.user();
  auto l = ctx.db().write_value([&](Session& s) {
    if (!st.siret.empty() && store::structure_par_siret(s, st.siret))
      throw http::conflict("Ce lieu existe déjà : recherchez-le par son SIRET pour l'ajouter.", "doublon",
                           {{"siret", "Ce lieu existe déjà : recherchez-le par son SIRET pour l'ajouter."}});
    st.id = acc::store::create_structure(s, st);
    acc::store::audit(s, "structure_created", std::nullopt, me.user_id, me.email, ctx.ip(), st.nom + " (lieu d'activité)");
    return *activites::store::lieu_by_id(s, activites::store::create_lieu(s, me.user_id, st.id, core::today(), std::nullopt));
  });
  return http::json_response(201, activites::lieu_to_json(ctx, l));
}

// ---- The gestionnaire's decision ----

Response decider(Context& ctx, Decision decision) {
  auto id = ctx.path_id("id");
  auto eid = ctx.path_id("eid");
  JsonBody b(ctx.req.body);
  std::string motif;
  if (decision == Decision::refuser) motif = core::trim(b.text("motif", false, motif_max).value_or(""));
  b.done();
  if (!acc::can_decide_employment(ctx.user(), id)) throw http::forbidden();
  const auto& me = ctx.user();
  const std::string statut(statut_apres(decision));
  auto e = ctx.db().write_value([&](Session& s) {
    auto e = acc::store::employment_by_id(s, eid);
    if (!e || e->structure_id != id) throw http::not_found("Rattachement introuvable.");
    if (auto refus = check_decision(e->statut)) throw http::conflict(*refus);
    if (!store::decider_emploi(s, eid, statut, motif, me.user_id)) throw http::conflict("Ce rattachement a déjà été traité.");
    acc::store::audit(s, decision == Decision::confirmer ? "employment_confirmed" : "employment_refused", e->user_id,
                      me.user_id, e->user.email, ctx.ip(), "structure " + std::to_string(id) + (motif.empty() ? "" : " : " + motif));
    courriels::store::mettre_en_file(
        s, modeles::emploi_decide(e->user.email, e->user.prenom, e->structure_nom, decision == Decision::confirmer, motif,
                                  ctx.services.config.public_url + "/premiers-pas", e->user_id));
    return *acc::store::employment_by_id(s, eid);
  });
  notify(ctx, e.user_id, decision == Decision::confirmer ? "emploi_confirme" : "emploi_refuse",
         decision == Decision::confirmer
             ? "Votre rattachement à « " + e.structure_nom + " » est confirmé."
             : "Votre rattachement à « " + e.structure_nom + " » a été refusé" + (motif.empty() ? "." : " : " + motif));
  statistiques::mediateur_modifie(ctx.services.bus, e.user_id);  // structure employeuse
  discussion::resynchroniser(ctx.db(), ctx.services.bus, ctx.services.territoires, e.user_id);
  courriels::signaler(ctx.services.bus);  // deliver now rather than at the next poll
  return http::json_response(200, acc::employment_to_json(e));
}

Response post_confirmer_emploi(Context& ctx) { return decider(ctx, Decision::confirmer); }
Response post_refuser_emploi(Context& ctx) { return decider(ctx, Decision::refuser); }

}  // namespace

void register_routes(http::Router& r) {
  using namespace acc::access;
  r.add("POST", "/api/inscription", anyone(), post_inscription);
  r.add("POST", "/api/inscription/renvoyer", anyone(), post_renvoyer);
  r.add("POST", "/api/inscription/confirmer", anyone(), post_confirmer);
  r.add("GET", "/api/inscription/parcours", logged_in(), get_parcours);
  r.add("POST", "/api/inscription/profil", logged_in(), post_profil);
  r.add("GET", "/api/inscription/structures", logged_in(), get_structures);
  r.add("POST", "/api/inscription/employeur", logged_in(), post_employeur);
  r.add("POST", "/api/inscription/lieux", mediateur(), post_lieu);
  r.add("POST", "/api/structures/{id}/employes/{eid}/confirmer", structure_staff(), post_confirmer_emploi);
  r.add("POST", "/api/structures/{id}/employes/{eid}/refuser", structure_staff(), post_refuser_emploi);
}

}  // namespace coop::inscription
