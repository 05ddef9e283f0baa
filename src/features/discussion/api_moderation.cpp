// Moderation: reports and their queue, bans from the discussion space. Every decision is
// written to the audit log (accounts::store::audit).
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/discussion/api_commun.hpp"
#include "features/discussion/model.hpp"
#include "features/fichiers/store.hpp"
#include "http/json.hpp"

namespace coop::discussion::api {

using http::JsonBody;
using http::Response;

namespace {

json::object signalement_json(const store::Signalement& g) {
  return {{"id", g.id},
          {"message_id", g.message_id},
          {"canal_id", g.canal_id},
          {"motif", g.motif},
          {"cree_le", g.cree_le},
          {"signale_par", personne_json(g.signale_par, g.signale_par_nom)},
          {"decision", g.decision ? json::value(*g.decision) : json::value(nullptr)}};
}

Response signaler(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto motif = b.text("motif", true, max_motif).value_or("");
  b.done();
  std::vector<std::int64_t> moderateurs;
  std::string canal_nom;
  auto o = ctx.db().write_value([&](Session& s) {
    auto m = store::message(s, id);
    if (!m) throw http::not_found("Message introuvable.");
    auto v = charger(ctx, s, m->canal_id);
    if (m->supprime_le) throw http::not_found("Ce message a été supprimé.");
    if (m->auteur_id == ctx.user().user_id)
      throw http::validation_error({{"message_id", "Vous ne pouvez pas signaler votre propre message."}});
    auto gid = store::signaler(s, id, m->canal_id, ctx.user().user_id, motif);
    if (gid == 0) throw http::conflict("Vous avez déjà signalé ce message.", "deja_signale");
    accounts::store::audit(s, "discussion_signalement", m->auteur_id, ctx.user().user_id, "", ctx.ip(),
                           "message " + std::to_string(id) + " du canal " + std::to_string(m->canal_id) + " : " + motif);
    // The channel's moderators are told (the administrators read the queue).
    moderateurs.clear();
    for (auto& p : store::membres(s, m->canal_id, core::today()))
      if (p.role == "moderateur" && p.id != ctx.user().user_id) moderateurs.push_back(p.id);
    canal_nom = v.canal.nom;
    return signalement_json(*store::signalement(s, gid));
  });
  for (auto u : moderateurs)
    ctx.services.bus.publish({"notification", u,
                              json::serialize(json::object{{"type", "notification"},
                                                           {"kind", "discussion_signalement"},
                                                           {"message", "Un message de « " + canal_nom + " » a été signalé."},
                                                           {"canal_id", o.at("canal_id")},
                                                           {"message_id", id},
                                                           {"at", core::now_iso()}})});
  return http::json_response(201, o);
}

Response file(Context& ctx) {
  auto o = ctx.db().read_value([&](Session& s) {
    verifier_non_banni(ctx, s);
    const bool admin = ctx.user().is_admin();
    auto canaux = store::canaux_moderes(s, ctx.user().user_id);
    if (!admin && canaux.empty())
      throw http::forbidden("La file des signalements est celle des modérateurs et des administrateurs.");
    json::array items;
    for (auto& g : store::signalements(s, admin, canaux)) {
      auto m = store::message(s, g.message_id);
      auto c = store::canal(s, g.canal_id);
      if (!m || !c) continue;
      auto o = signalement_json(g);
      o["message"] = message_json(s, *m, ctx.user().user_id, true);
      o["canal"] = json::object{{"id", c->id}, {"nom", c->nom}, {"type", c->type}};
      items.push_back(std::move(o));
    }
    return json::object{{"items", std::move(items)}};
  });
  return http::json_response(200, o);
}

Response decider(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto decision = b.text("decision", true, 20).value_or("");
  if (!decision.empty() && decision != "supprimer" && decision != "rejeter")
    b.add_error("decision", "Décision invalide (supprimer ou rejeter).");
  b.done();
  Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto g = store::signalement(s, id);
    if (!g) throw http::not_found("Signalement introuvable.");
    auto c = store::canal(s, g->canal_id);
    auto m = store::membre(s, g->canal_id, ctx.user().user_id);
    accounts::DroitsCanal d{.type = c->type,
                            .archive = c->archive,
                            .membre = m.has_value(),
                            .moderateur = m && m->role == "moderateur",
                            .en_sourdine = false,
                            .banni = store::banni(s, ctx.user().user_id)};
    if (!accounts::discussion_peut_moderer(ctx.user(), d))
      throw http::forbidden("Seuls les modérateurs du canal et les administrateurs traitent ce signalement.");
    if (g->decision) throw http::conflict("Ce signalement a déjà été traité.", "deja_traite");
    auto msg = store::message(s, g->message_id);
    if (decision == "supprimer") {
      if (msg && !msg->supprime_le) {
        store::supprimer_message(s, msg->id, ctx.user().user_id);
        fichiers::store::dereferencer(s, domaine_fichiers, msg->id);
        store::recalculer_sujet(s, msg->sujet_id);
        j.canal(s, msg->canal_id, "message_supprime", json::object{{"message_id", msg->id}, {"sujet_id", msg->sujet_id}});
      }
      // Every pending report of that message is settled by the deletion.
      for (auto& autre : store::signalements(s, false, {g->canal_id}))
        if (autre.message_id == g->message_id) store::decider(s, autre.id, "supprimer", ctx.user().user_id);
    } else {
      store::decider(s, id, "rejeter", ctx.user().user_id);
    }
    accounts::store::audit(s, "discussion_moderation", msg ? msg->auteur_id : std::nullopt, ctx.user().user_id, "",
                           ctx.ip(), "signalement " + std::to_string(id) + " : " + decision);
    return signalement_json(*store::signalement(s, id));
  });
  publier(ctx, j);
  return http::json_response(200, o);
}

Response bannir(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto user_id = b.integer("user_id", true);
  auto motif = b.text("motif", true, max_motif).value_or("");
  if (user_id && *user_id == ctx.user().user_id) b.add_error("user_id", "Vous ne pouvez pas vous exclure vous-même.");
  b.done();
  if (!accounts::discussion_peut_bannir(ctx.user())) throw http::forbidden();
  auto o = ctx.db().write_value([&](Session& s) {
    if (store::utilisateurs_existants(s, {*user_id}).empty())
      throw http::validation_error({{"user_id", "Cette personne n'existe pas."}});
    store::bannir(s, *user_id, motif, ctx.user().user_id);
    accounts::store::audit(s, "discussion_bannissement", *user_id, ctx.user().user_id, "", ctx.ip(), motif);
    return json::object{{"user_id", *user_id}, {"motif", motif}};
  });
  return http::json_response(201, o);
}

Response lever(Context& ctx) {
  auto user_id = ctx.path_id("user_id");
  if (!accounts::discussion_peut_bannir(ctx.user())) throw http::forbidden();
  ctx.db().write([&](Session& s) {
    if (!store::lever_bannissement(s, user_id)) throw http::not_found("Cette personne n'est pas exclue.");
    accounts::store::audit(s, "discussion_bannissement_leve", user_id, ctx.user().user_id, "", ctx.ip(), "");
  });
  return http::no_content();
}

Response bannis(Context& ctx) {
  if (!accounts::discussion_peut_bannir(ctx.user())) throw http::forbidden();
  auto items = ctx.db().read_value([&](Session& s) {
    json::array out;
    for (auto& b : store::bannissements(s))
      out.push_back(json::object{{"user_id", b.user_id},
                                 {"nom", b.nom},
                                 {"motif", b.motif},
                                 {"le", b.le},
                                 {"par", personne_json(b.par, b.par_nom)}});
    return out;
  });
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void routes_moderation(http::Router& r) {
  auto tous = accounts::access::logged_in();
  r.add("POST", "/api/discussion/messages/{id}/signalements", tous, signaler);
  r.add("GET", "/api/discussion/moderation/signalements", tous, file);
  r.add("POST", "/api/discussion/moderation/signalements/{id}", tous, decider);
  r.add("GET", "/api/discussion/bannissements", accounts::access::admin(), bannis);
  r.add("POST", "/api/discussion/bannissements", accounts::access::admin(), bannir);
  r.add("DELETE", "/api/discussion/bannissements/{user_id}", accounts::access::admin(), lever);
}

}  // namespace coop::discussion::api
