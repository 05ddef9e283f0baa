#include "features/courriels/api.hpp"

#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/accounts/store.hpp"
#include "features/courriels/envoi.hpp"
#include "features/courriels/store.hpp"
#include "http/app.hpp"
#include "http/json.hpp"

namespace coop::courriels {

namespace json = boost::json;
using http::Context;
using http::Response;
using storage::Session;

namespace {

json::value opt(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object ligne_json(const store::Ligne& l) {
  return {{"id", l.id},
          {"modele", l.courriel.modele},
          {"destinataire", l.courriel.destinataire},
          {"user_id", l.courriel.user_id ? json::value(*l.courriel.user_id) : json::value(nullptr)},
          {"sujet", l.courriel.sujet},
          {"statut", l.statut},
          {"essais", l.essais},
          {"derniere_erreur", l.derniere_erreur},
          {"created_at", l.created_at},
          {"prochain_essai_at", l.prochain_essai_at},
          {"envoye_at", opt(l.envoye_at)}};
}

Response lister(Context& ctx) {
  auto page = http::query_int(ctx.req, "page", 1, 1, 1'000'000);
  auto per_page = http::query_int(ctx.req, "per_page", 20, 1, 100);
  store::Filtre f;
  f.statut = ctx.req.query_param("statut").value_or("");
  if (!f.statut.empty() && f.statut != "en_attente" && f.statut != "envoye" && f.statut != "abandonne")
    throw http::validation_error({{"statut", "Statut inconnu (en_attente, envoye ou abandonne)."}},
                                 "Paramètre de requête invalide.");
  f.destinataire = ctx.req.query_param("q").value_or("");
  if (f.destinataire.size() > 254)
    throw http::validation_error({{"q", "Recherche trop longue (254 caractères au plus)."}}, "Paramètre de requête invalide.");
  f.modele = ctx.req.query_param("modele").value_or("");
  if (f.modele.size() > 60)
    throw http::validation_error({{"modele", "Modèle inconnu."}}, "Paramètre de requête invalide.");
  auto p = ctx.db().read_value([&](Session& s) { return store::lister(s, f, page, per_page); });
  json::array items;
  for (auto& l : p.items) items.push_back(ligne_json(l));
  return http::json_response(200, json::object{{"items", std::move(items)}, {"total", p.total}, {"page", page},
                                               {"per_page", per_page}});
}

Response detail(Context& ctx) {
  auto id = ctx.path_id("id");
  auto l = ctx.db().read_value([&](Session& s) { return store::par_id(s, id); });
  if (!l) throw http::not_found("Courriel introuvable.");
  auto o = ligne_json(*l);
  o["texte"] = l->courriel.texte;
  o["html"] = l->courriel.html;
  return http::json_response(200, o);
}

Response renvoyer(Context& ctx) {
  auto id = ctx.path_id("id");
  auto l = ctx.db().write_value([&](Session& s) {
    auto l = store::par_id(s, id);
    if (!l) throw http::not_found("Courriel introuvable.");
    if (!store::renvoyer(s, id, core::now_iso()))
      throw http::conflict("Seul un courriel abandonné peut être renvoyé.", "courriel_non_abandonne");
    accounts::store::audit(s, "courriel_renvoye", l->courriel.user_id, ctx.user().user_id, l->courriel.destinataire,
                           ctx.ip(), std::to_string(id) + " " + l->courriel.modele);
    return *store::par_id(s, id);
  });
  signaler(ctx.services.bus);
  return http::json_response(200, ligne_json(l));
}

}  // namespace

void register_routes(http::Router& r) {
  r.add("GET", "/api/admin/courriels", accounts::access::admin(), lister);
  r.add("GET", "/api/admin/courriels/{id}", accounts::access::admin(), detail);
  r.add("POST", "/api/admin/courriels/{id}/renvoyer", accounts::access::admin(), renvoyer);
}

}  // namespace coop::courriels
