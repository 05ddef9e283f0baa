// Messages: history pages, posting (markdown, mentions, notifications), edit, delete, move,
// reactions, pins.
#include <algorithm>
#include <chrono>

#include "core/francais.hpp"
#include "core/markdown.hpp"
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

std::string refus_ecriture(const Vue& v) {
  if (v.canal.archive) return "Ce canal est archivé : on le lit, on n'y écrit plus.";
  if (!v.membre) return "Rejoignez ce canal pour y écrire.";
  if (v.canal.type == "annonces") return "Seuls les modérateurs publient dans un canal d'annonces.";
  if (v.droits.en_sourdine)
    return "Un modérateur vous a mis en sourdine dans ce canal " + fin_sourdine(*v.membre->sourdine_jusqu_au) + ".";
  return "Vous ne pouvez pas écrire dans ce canal.";
}

// ---- Rendering and mentions

struct Rendu {
  std::string texte;  // with the names resolved to @**Nom|id**
  markdown::Rendu r;
  std::vector<std::int64_t> mentionnes;  // explicit, members only, not the author
};

Rendu rendre(Context& ctx, Session& s, std::int64_t canal_id, const std::string& texte) {
  Rendu out{.texte = texte, .r = markdown::rendre(texte, {.public_url = ctx.services.config.public_url}), .mentionnes = {}};
  auto membres = store::ids_membres(s, canal_id);
  if (!out.r.noms_sans_id.empty()) {
    // @**Prénom Nom** without id: the member of that name, when there is exactly one.
    auto personnes = store::personnes(s, canal_id);
    bool change = false;
    for (auto& nom : out.r.noms_sans_id) {
      std::optional<std::int64_t> trouve;
      int n = 0;
      for (auto& p : personnes)
        if (core::fold(p.nom) == core::fold(nom)) {
          trouve = p.id;
          ++n;
        }
      if (n != 1) continue;
      auto avant = "@**" + nom + "**";
      auto apres = "@**" + nom + "|" + std::to_string(*trouve) + "**";
      for (auto pos = out.texte.find(avant); pos != std::string::npos; pos = out.texte.find(avant, pos + apres.size())) {
        out.texte.replace(pos, avant.size(), apres);
        change = true;
      }
    }
    if (change) out.r = markdown::rendre(out.texte, {.public_url = ctx.services.config.public_url});
  }
  for (auto& m : out.r.mentions)
    if (m.user_id != ctx.user().user_id && std::binary_search(membres.begin(), membres.end(), m.user_id))
      out.mentionnes.push_back(m.user_id);
  return out;
}

std::string liens(const markdown::Rendu& r) {
  std::string out;
  for (auto& l : r.liens_coop) out += (out.empty() ? "" : "\n") + l;
  return out;
}

// Everyone notified by a message: explicit mentions, plus the members for @canal, or the members
// seen in the last ten minutes for @ici (when allowed in this channel).
std::vector<std::int64_t> destinataires_mentions(Context& ctx, Session& s, const Vue& v, const Rendu& rendu) {
  std::set<std::int64_t> out(rendu.mentionnes.begin(), rendu.mentionnes.end());
  if (rendu.r.mention_canal || rendu.r.mention_ici) {
    auto membres = store::ids_membres(s, v.canal.id);
    if (notification_groupe_permise(static_cast<std::int64_t>(membres.size()), v.moderer)) {
      std::set<std::int64_t> presents;
      if (!rendu.r.mention_canal) {
        auto depuis = core::iso_utc(core::Clock::now() - std::chrono::minutes(10));
        for (auto& r : s.query("SELECT DISTINCT m.user_id FROM discussion_membres m JOIN sessions x ON x.user_id = m.user_id "
                               "WHERE m.canal_id = ? AND x.revoked_at IS NULL AND x.last_seen_at >= ?",
                               {v.canal.id, depuis})
                           .rows)
          presents.insert(storage::as_int(r[0]));
      }
      for (auto id : membres)
        if (rendu.r.mention_canal || presents.contains(id)) out.insert(id);
    }
  }
  out.erase(ctx.user().user_id);
  return {out.begin(), out.end()};
}

void notifier(Context& ctx, const std::vector<std::int64_t>& users, const store::Message& m, const std::string& canal_nom) {
  for (auto u : users)
    ctx.services.bus.publish({"notification", u,
                              json::serialize(json::object{
                                  {"type", "notification"},
                                  {"kind", "discussion_mention"},
                                  {"message", m.auteur_nom + " vous a mentionné dans « " + canal_nom + " »."},
                                  {"canal_id", m.canal_id},
                                  {"sujet_id", m.sujet_id},
                                  {"message_id", m.id},
                                  {"at", core::now_iso()}})});
}

// ---- History

Response lister(Context& ctx) {
  auto id = ctx.path_id("id");
  const auto& req = ctx.req;
  auto limite = http::query_int(req, "limite", 50, 1, 200);
  std::optional<std::int64_t> sujet_id, avant, apres, autour;
  if (req.query_param("sujet")) sujet_id = http::query_int(req, "sujet", 0, 1, INT64_MAX);
  if (req.query_param("avant")) avant = http::query_int(req, "avant", 0, 1, INT64_MAX);
  if (req.query_param("apres")) apres = http::query_int(req, "apres", 0, 0, INT64_MAX);
  if (req.query_param("autour")) autour = http::query_int(req, "autour", 0, 1, INT64_MAX);
  if ((avant ? 1 : 0) + (apres ? 1 : 0) + (autour ? 1 : 0) > 1)
    throw http::validation_error({{"avant", "Choisissez un seul de avant, apres ou autour."}});
  auto o = ctx.db().read_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (sujet_id) {
      auto t = store::sujet(s, *sujet_id);
      if (!t || t->canal_id != id) throw http::not_found("Sujet introuvable.");
    }
    std::vector<store::Message> ms;
    bool plus_anciens = false, plus_recents = false;
    if (autour) {
      ms = store::page(s, id, sujet_id, store::Sens::avant, *autour + 1, std::max<std::int64_t>(1, limite / 2));
      auto apres_ms = store::page(s, id, sujet_id, store::Sens::apres, *autour,
                                  std::max<std::int64_t>(0, limite - static_cast<std::int64_t>(ms.size())));
      ms.insert(ms.end(), apres_ms.begin(), apres_ms.end());
    } else if (apres) {
      ms = store::page(s, id, sujet_id, store::Sens::apres, *apres, limite);
    } else if (avant) {
      ms = store::page(s, id, sujet_id, store::Sens::avant, *avant, limite);
    } else {
      ms = store::page(s, id, sujet_id, store::Sens::derniers, 0, limite);
    }
    if (!ms.empty()) {
      plus_anciens = store::existe(s, id, sujet_id, true, ms.front().id);
      plus_recents = store::existe(s, id, sujet_id, false, ms.back().id);
    } else if (apres) {
      plus_anciens = store::existe(s, id, sujet_id, true, *apres + 1);
    } else if (avant) {
      plus_recents = store::existe(s, id, sujet_id, false, *avant - 1);
    }
    std::optional<std::int64_t> premier;
    if (v.membre) premier = store::premier_non_lu(s, ctx.user().user_id, id, sujet_id);
    return json::object{{"items", messages_json(s, ms, ctx.user().user_id, v.moderer)},
                        {"plus_anciens", plus_anciens},
                        {"plus_recents", plus_recents},
                        {"premier_non_lu", premier ? json::value(*premier) : json::value(nullptr)}};
  });
  return http::json_response(200, o);
}

// ---- Posting

// The topic named in a body (sujet_id, or sujet: a title found or created), in this channel.
std::int64_t sujet_vise(Context& ctx, Session& s, Journal& j, const Vue& v, std::optional<std::int64_t> sujet_id,
                        const std::optional<std::string>& titre) {
  // A conversation has its one topic, whatever title is given.
  if (v.canal.type == "direct" && !sujet_id) {
    auto ts = store::sujets(s, v.canal.id);
    if (!ts.empty()) return ts.back().id;
  }
  if (sujet_id) {
    auto t = store::sujet(s, *sujet_id);
    if (!t || t->canal_id != v.canal.id) throw http::validation_error({{"sujet_id", "Ce sujet n'existe pas dans ce canal."}});
    return t->id;
  }
  if (titre) {
    if (auto t = store::sujet_par_titre(s, v.canal.id, *titre)) return t->id;
    auto id = store::creer_sujet(s, v.canal.id, *titre, ctx.user().user_id);
    j.canal(s, v.canal.id, "sujet", json::object{{"action", "cree"}, {"sujet_id", id}, {"titre", *titre}});
    return id;
  }
  throw http::validation_error({{"sujet", "Choisissez un sujet ou donnez-en un titre."}});
}

struct Sujet {
  std::optional<std::int64_t> id;
  std::optional<std::string> titre;
};

Sujet lire_sujet(JsonBody& b) {
  Sujet out;
  out.id = b.integer("sujet_id");
  auto t = b.text("sujet", false, 1000);
  if (t && !t->empty()) {
    if (auto e = verifier_titre_sujet(*t)) b.add_error("sujet", *e);
    else out.titre = core::trim(*t);
  }
  return out;
}

Response poster(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  const auto taille = ctx.services.config.discussion_taille_max;
  auto texte = b.has("texte") && b.raw("texte")->is_string() ? std::string(b.raw("texte")->as_string()) : std::string();
  if (!b.has("texte")) b.add_error("texte", "Ce champ est obligatoire.");
  else if (!b.raw("texte")->is_string()) b.add_error("texte", "Doit être une chaîne de caractères.");
  else if (auto e = verifier_texte(texte, taille)) b.add_error("texte", *e);
  auto sujet = lire_sujet(b);
  std::vector<std::string> fichiers;
  if (const auto* f = b.raw("fichiers"); f && !f->is_null()) {
    if (!f->is_array() || f->as_array().size() > max_fichiers) {
      b.add_error("fichiers", "Au plus " + std::to_string(max_fichiers) + " pièces jointes (empreintes SHA-256).");
    } else {
      for (auto& x : f->as_array()) {
        if (!x.is_string() || !empreinte_valide(x.as_string())) {
          b.add_error("fichiers", "Empreinte SHA-256 attendue (64 caractères hexadécimaux minuscules).");
          break;
        }
        std::string h(x.as_string());
        if (std::find(fichiers.begin(), fichiers.end(), h) == fichiers.end()) fichiers.push_back(h);
      }
    }
  }
  b.done();
  while (!texte.empty() && (texte.back() == '\n' || texte.back() == ' ' || texte.back() == '\r')) texte.pop_back();
  Journal j;
  std::vector<std::int64_t> notifies;
  std::string canal_nom;
  json::object o;
  store::Message cree;
  ctx.db().write([&](Session& s) {
    j.vider();
    auto v = charger(ctx, s, id);
    if (!v.ecrire) throw http::forbidden(refus_ecriture(v));
    const auto par_minute = ctx.services.config.discussion_messages_par_minute;
    auto depuis = core::iso_utc(core::Clock::now() - std::chrono::minutes(1));
    if (debit_depasse(store::messages_depuis(s, ctx.user().user_id, depuis), par_minute))
      throw http::ApiError(429, "trop_de_messages",
                           "Vous envoyez beaucoup de messages : attendez une minute avant d'en envoyer d'autres (au plus " +
                               std::to_string(par_minute) + " par minute).");
    auto sujet_id = sujet_vise(ctx, s, j, v, sujet.id, sujet.titre);
    auto rendu = rendre(ctx, s, id, texte);
    const std::int64_t cree_le_us =
        std::chrono::duration_cast<std::chrono::microseconds>(core::Clock::now().time_since_epoch()).count();
    auto mid = store::creer_message(s, {.canal_id = id,
                                        .sujet_id = sujet_id,
                                        .auteur_id = ctx.user().user_id,
                                        .texte = rendu.texte,
                                        .html = rendu.r.html,
                                        .liens = liens(rendu.r),
                                        .index = francais::indexer(rendu.texte)});
    // Attachments: files the author uploaded; members may then read them (fichiers::autoriser_domaine).
    for (auto& h : fichiers)
      if (!fichiers::store::referencer(s, h, domaine_fichiers, mid, ctx.user().user_id))
        throw http::validation_error({{"fichiers", "Pièce jointe inconnue : téléversez d'abord le fichier (POST /api/fichiers)."}});
    notifies = destinataires_mentions(ctx, s, v, rendu);
    store::mentionner(s, mid, id, notifies);
    // Writing in a topic reads it up to there.
    auto base = v.membre->lu_jusqu_a;
    if (store::marqueur(s, ctx.user().user_id, sujet_id, base) < mid) store::lire_sujet(s, ctx.user().user_id, sujet_id, mid);
    cree = *store::message(s, mid);
    // cree_le_us: the creation instant as a number (µs since the epoch, last key of the data), so
    // that a client measures delivery latency without parsing dates (bench/chat).
    auto donnees = message_json(s, cree, 0, false);
    donnees["cree_le_us"] = cree_le_us;
    j.canal(s, id, "message_cree", donnees);
    for (auto u : rendu.mentionnes)
      j.personnel(s, u, id, "mention", json::object{{"message_id", mid}, {"sujet_id", sujet_id}});
    canal_nom = v.canal.type == "direct" ? std::string("votre conversation") : v.canal.nom;
    o = message_json(s, cree, ctx.user().user_id, v.moderer);
  });
  publier(ctx, j);
  notifier(ctx, notifies, cree, canal_nom);
  return http::json_response(201, o);
}

std::pair<store::Message, Vue> message_et_canal(Context& ctx, Session& s, std::int64_t message_id) {
  auto m = store::message(s, message_id);
  if (!m) throw http::not_found("Message introuvable.");
  auto v = charger(ctx, s, m->canal_id);
  return {*m, v};
}

Response modifier(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto texte = b.has("texte") && b.raw("texte")->is_string() ? std::string(b.raw("texte")->as_string()) : std::string();
  if (!b.has("texte")) b.add_error("texte", "Ce champ est obligatoire.");
  else if (!b.raw("texte")->is_string()) b.add_error("texte", "Doit être une chaîne de caractères.");
  else if (auto e = verifier_texte(texte, ctx.services.config.discussion_taille_max)) b.add_error("texte", *e);
  b.done();
  while (!texte.empty() && (texte.back() == '\n' || texte.back() == ' ' || texte.back() == '\r')) texte.pop_back();
  Journal j;
  std::vector<std::int64_t> nouveaux;
  store::Message apres;
  std::string canal_nom;
  json::object o;
  ctx.db().write([&](Session& s) {
    j.vider();
    nouveaux.clear();
    auto [m, v] = message_et_canal(ctx, s, id);
    const bool auteur = m.auteur_id == ctx.user().user_id;
    if (m.supprime_le) throw http::not_found("Ce message a été supprimé.");
    if (!accounts::discussion_peut_modifier_message(ctx.user(), v.droits, auteur))
      throw http::forbidden(auteur ? refus_ecriture(v) : "Seul son auteur modifie un message.");
    auto rendu = rendre(ctx, s, m.canal_id, texte);
    store::modifier_message(s, id, rendu.texte, rendu.r.html, liens(rendu.r), francais::indexer(rendu.texte));
    auto deja = store::mentionnes(s, id);
    for (auto u : destinataires_mentions(ctx, s, v, rendu))
      if (!deja.contains(u)) nouveaux.push_back(u);
    store::mentionner(s, id, m.canal_id, nouveaux);
    apres = *store::message(s, id);
    j.canal(s, m.canal_id, "message_modifie", message_json(s, apres, 0, false));
    for (auto u : nouveaux)
      if (std::find(rendu.mentionnes.begin(), rendu.mentionnes.end(), u) != rendu.mentionnes.end())
        j.personnel(s, u, m.canal_id, "mention", json::object{{"message_id", id}, {"sujet_id", m.sujet_id}});
    canal_nom = v.canal.type == "direct" ? std::string("votre conversation") : v.canal.nom;
    o = message_json(s, apres, ctx.user().user_id, v.moderer);
  });
  publier(ctx, j);
  notifier(ctx, nouveaux, apres, canal_nom);
  return http::json_response(200, o);
}

Response supprimer(Context& ctx) {
  auto id = ctx.path_id("id");
  Journal j;
  ctx.db().write([&](Session& s) {
    j.vider();
    auto [m, v] = message_et_canal(ctx, s, id);
    const bool auteur = m.auteur_id == ctx.user().user_id;
    if (!accounts::discussion_peut_supprimer_message(ctx.user(), v.droits, auteur))
      throw http::forbidden("Seuls l'auteur du message et les modérateurs le suppriment.");
    if (m.supprime_le) return;  // already deleted: nothing more to do
    store::supprimer_message(s, id, ctx.user().user_id);
    fichiers::store::dereferencer(s, domaine_fichiers, id);
    store::recalculer_sujet(s, m.sujet_id);
    if (!auteur)
      accounts::store::audit(s, "discussion_message_supprime", m.auteur_id, ctx.user().user_id, "", ctx.ip(),
                             "message " + std::to_string(id) + " du canal " + std::to_string(m.canal_id));
    j.canal(s, m.canal_id, "message_supprime", json::object{{"message_id", id}, {"sujet_id", m.sujet_id}});
  });
  publier(ctx, j);
  return http::no_content();
}

Response deplacer(Context& ctx) {
  JsonBody b(ctx.req.body);
  std::vector<std::int64_t> ids;
  const auto* raw = b.raw("message_ids");
  if (!raw || !raw->is_array() || raw->as_array().empty()) {
    b.add_error("message_ids", "Choisissez au moins un message.");
  } else {
    for (auto& x : raw->as_array()) {
      if (!x.is_int64() || x.as_int64() <= 0) {
        b.add_error("message_ids", "Identifiants de messages attendus.");
        break;
      }
      ids.push_back(x.as_int64());
    }
    if (ids.size() > 500) b.add_error("message_ids", "Au plus 500 messages à la fois.");
  }
  auto sujet = lire_sujet(b);
  if (!sujet.id && !sujet.titre && b.ok()) b.add_error("sujet", "Choisissez un sujet ou donnez-en un titre.");
  b.done();
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto ms = store::messages(s, ids);
    if (ms.size() != ids.size()) throw http::not_found("Message introuvable.");
    auto canal_id = ms.front().canal_id;
    for (auto& m : ms)
      if (m.canal_id != canal_id)
        throw http::validation_error({{"message_ids", "Les messages déplacés doivent être du même canal."}});
    auto v = charger(ctx, s, canal_id);
    if (!v.moderer) throw http::forbidden("Seuls les modérateurs du canal et les administrateurs déplacent des messages.");
    auto cible = sujet_vise(ctx, s, j, v, sujet.id, sujet.titre);
    std::set<std::int64_t> origines;
    for (auto& m : ms) origines.insert(m.sujet_id);
    store::deplacer(s, ids, cible);
    json::array jids, jorig;
    for (auto i : ids) jids.push_back(i);
    for (auto i : origines) jorig.push_back(i);
    j.canal(s, canal_id, "sujet",
            json::object{{"action", "deplacement"}, {"message_ids", jids}, {"sujet_id", cible}, {"depuis", jorig}});
    accounts::store::audit(s, "discussion_deplacement", std::nullopt, ctx.user().user_id, "", ctx.ip(),
                           std::to_string(ids.size()) + " message(s) du canal " + std::to_string(canal_id) +
                               " vers le sujet " + std::to_string(cible));
    auto nl = store::non_lus_par_sujet(s, ctx.user().user_id, canal_id);
    return sujet_json(*store::sujet(s, cible), nl[cible]);
  });
  publier(ctx, j);
  return http::json_response(200, o);
}

// ---- Reactions and pins

Response reaction(Context& ctx, bool ajout) {
  auto id = ctx.path_id("id");
  auto emoji = ctx.req.params["emoji"];
  if (auto e = verifier_emoji(emoji)) throw http::validation_error({{"emoji", *e}});
  Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto [m, v] = message_et_canal(ctx, s, id);
    if (m.supprime_le) throw http::not_found("Ce message a été supprimé.");
    if (!accounts::discussion_peut_reagir(ctx.user(), v.droits)) throw http::forbidden(refus_ecriture(v));
    bool change = ajout ? store::reagir(s, id, ctx.user().user_id, emoji) : store::retirer_reaction(s, id, ctx.user().user_id, emoji);
    auto rs = store::reactions(s, {id}, ctx.user().user_id);
    std::int64_t nb = 0;
    for (auto& r : rs[id])
      if (r.emoji == emoji) nb = r.nb;
    if (change)
      j.canal(s, m.canal_id, "reaction",
              json::object{{"message_id", id}, {"emoji", emoji}, {"user_id", ctx.user().user_id},
                           {"action", ajout ? "ajout" : "retrait"}, {"nb", nb}});
    return message_json(s, m, ctx.user().user_id, v.moderer);
  });
  publier(ctx, j);
  return http::json_response(200, o);
}

Response epingle(Context& ctx, bool oui) {
  auto id = ctx.path_id("id");
  Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto [m, v] = message_et_canal(ctx, s, id);
    if (m.supprime_le) throw http::not_found("Ce message a été supprimé.");
    if (!accounts::discussion_peut_epingler(ctx.user(), v.droits))
      throw http::forbidden("Seuls les modérateurs épinglent des messages dans ce canal.");
    if (m.epingle_le.has_value() != oui) {
      store::epingler(s, id, oui ? std::optional<std::int64_t>(ctx.user().user_id) : std::nullopt);
      j.canal(s, m.canal_id, "epingle", json::object{{"message_id", id}, {"epingle", oui}, {"par", ctx.user().user_id}});
    }
    return message_json(s, *store::message(s, id), ctx.user().user_id, v.moderer);
  });
  publier(ctx, j);
  return http::json_response(200, o);
}

Response epingles(Context& ctx) {
  auto id = ctx.path_id("id");
  auto items = ctx.db().read_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    return messages_json(s, store::epingles(s, id), ctx.user().user_id, v.moderer);
  });
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void routes_messages(http::Router& r) {
  auto tous = accounts::access::logged_in();
  r.add("GET", "/api/discussion/canaux/{id}/messages", tous, lister);
  r.add("POST", "/api/discussion/canaux/{id}/messages", tous, poster);
  r.add("PATCH", "/api/discussion/messages/{id}", tous, modifier);
  r.add("DELETE", "/api/discussion/messages/{id}", tous, supprimer);
  r.add("POST", "/api/discussion/messages/deplacement", tous, deplacer);
  r.add("PUT", "/api/discussion/messages/{id}/reactions/{emoji}", tous, [](Context& c) { return reaction(c, true); });
  r.add("DELETE", "/api/discussion/messages/{id}/reactions/{emoji}", tous, [](Context& c) { return reaction(c, false); });
  r.add("PUT", "/api/discussion/messages/{id}/epingle", tous, [](Context& c) { return epingle(c, true); });
  r.add("DELETE", "/api/discussion/messages/{id}/epingle", tous, [](Context& c) { return epingle(c, false); });
  r.add("GET", "/api/discussion/canaux/{id}/epingles", tous, epingles);
}

}  // namespace coop::discussion::api
