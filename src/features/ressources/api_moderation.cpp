// Reports, the moderators' queue, hide and restore. Every decision goes to the audit log.
#include "features/accounts/store.hpp"
#include "features/ressources/api_commun.hpp"

namespace coop::ressources::api {

using http::JsonBody;

namespace {

json::object signalement_json(const store::Signalement& g) {
  return {{"id", g.id},
          {"ressource", json::object{{"id", g.ressource_id}, {"titre", g.ressource_titre}}},
          {"signale_par", personne_json(g.auteur_id, g.auteur_nom)},
          {"motif", g.motif},
          {"cree_le", g.cree_le},
          {"traite_le", g.traite_le ? json::value(*g.traite_le) : json::value(nullptr)},
          {"decision", g.decision ? json::value(*g.decision) : json::value(nullptr)}};
}

Response signaler(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto motif = b.text("motif", true, kMotifMax).value_or("");
  b.done();
  auto o = ctx.db().write_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (v.droits.auteur) throw http::validation_error({{"motif", "Vous ne signalez pas votre propre ressource : modifiez-la."}});
    auto gid = store::signaler(s, id, ctx.user().user_id, motif);
    if (gid == 0) throw http::conflict("Vous avez déjà signalé cette ressource.", "deja_signale");
    accounts::store::audit(s, "ressource_signalement", v.r.auteur_id, ctx.user().user_id, "", ctx.ip(),
                           "ressource " + std::to_string(id) + " : " + motif);
    return signalement_json(*store::signalement(s, gid));
  });
  return http::json_response(201, o);
}

Response file_attente(Context& ctx) {
  const bool tous = ctx.req.query_param("tous").value_or("") == "1";
  auto o = ctx.db().read_value([&](Session& s) {
    json::array a;
    for (const auto& g : store::signalements(s, !tous, 500)) a.push_back(signalement_json(g));
    return json::object{{"items", std::move(a)}};
  });
  return http::json_response(200, o);
}

Response masquer(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto motif = b.text("motif", true, kMotifMax).value_or("");
  b.done();
  auto o = ctx.db().write_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (v.r.masque_le) throw http::conflict("Cette ressource est déjà masquée.", "deja_masquee");
    store::masquer(s, id, ctx.user().user_id, motif);
    store::traiter(s, id, ctx.user().user_id, "masquee");
    accounts::store::audit(s, "ressource_masquee", v.r.auteur_id, ctx.user().user_id, "", ctx.ip(),
                           "ressource " + std::to_string(id) + " : " + motif);
    return ressource_json(s, ctx, charger(ctx, s, id));
  });
  return http::json_response(200, o);
}

Response restaurer(Context& ctx) {
  auto id = ctx.path_id("id");
  auto o = ctx.db().write_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (!v.r.masque_le) throw http::conflict("Cette ressource n'est pas masquée.", "non_masquee");
    store::restaurer(s, id);
    accounts::store::audit(s, "ressource_restauree", v.r.auteur_id, ctx.user().user_id, "", ctx.ip(), "ressource " + std::to_string(id));
    return ressource_json(s, ctx, charger(ctx, s, id));
  });
  return http::json_response(200, o);
}

Response rejeter(Context& ctx) {
  auto id = ctx.path_id("id");
  auto o = ctx.db().write_value([&](Session& s) {
    auto g = store::signalement(s, id);
    if (!g) throw http::not_found("Signalement introuvable.");
    if (g->traite_le) throw http::conflict("Ce signalement est déjà traité.", "deja_traite");
    store::traiter(s, g->ressource_id, ctx.user().user_id, "rejete");
    accounts::store::audit(s, "ressource_signalement_rejete", g->auteur_id, ctx.user().user_id, "", ctx.ip(),
                           "ressource " + std::to_string(g->ressource_id));
    return signalement_json(*store::signalement(s, id));
  });
  return http::json_response(200, o);
}

}  // namespace

void routes_moderation(http::Router& r) {
  r.add("POST", "/api/ressources/{id}/signalements", accounts::access::logged_in(), signaler);
  auto mod = accounts::access::admin();  // accounts::ressources_peut_moderer
  r.add("GET", "/api/ressources/moderation", mod, file_attente);
  r.add("POST", "/api/ressources/{id}/masquer", mod, masquer);
  r.add("POST", "/api/ressources/{id}/restaurer", mod, restaurer);
  r.add("POST", "/api/ressources/signalements/{id}/rejeter", mod, rejeter);
}

}  // namespace coop::ressources::api
