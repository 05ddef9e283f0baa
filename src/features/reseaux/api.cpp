#include "features/reseaux/api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/accounts/store.hpp"
#include "features/courriels/model.hpp"
#include "features/courriels/modeles.hpp"
#include "features/courriels/envoi.hpp"
#include "features/courriels/store.hpp"
#include "features/discussion/evenements.hpp"
#include "features/discussion/store.hpp"
#include "features/inscription/store.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/reseaux/canal.hpp"
#include "features/reseaux/model.hpp"
#include "features/reseaux/store.hpp"
#include "http/context.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"
#include "http/router.hpp"

namespace coop::reseaux {

namespace json = boost::json;
using http::Context;
using http::Response;
using storage::Session;

namespace {

json::value nul_ou(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

std::string nom_territoire(const referentiel::Territoires& t, const Territoire& x) {
  if (x.niveau == "departement") {
    const auto* d = t.departement(x.code);
    return d ? d->nom + " (" + d->code + ")" : x.code;
  }
  const auto* c = t.commune(x.code);
  return c ? c->nom + " (" + c->departement + ")" : x.code;
}

std::string nom_commune(const referentiel::Territoires& t, const std::string& code) {
  const auto* c = t.commune(code);
  return c ? c->nom : "";
}

json::array territoires_json(const referentiel::Territoires& t, const std::vector<Territoire>& ts) {
  json::array a;
  for (const auto& x : ts) a.push_back(json::object{{"niveau", x.niveau}, {"code", x.code}, {"nom", nom_territoire(t, x)}});
  return a;
}

store::Reseau lire_ou_404(Session& s, std::int64_t id) {
  auto r = store::lire(s, id);
  if (!r) throw http::not_found("Réseau introuvable.");
  return *r;
}

// The network's page: everything but the directory.
json::object detail_json(Context& ctx, Session& s, const store::Reseau& r) {
  const auto& u = ctx.user();
  const auto today = core::today();
  const auto d = store::droits(s, r.id, u.user_id, today);
  const bool animer = accounts::reseaux_peut_animer(u, d);
  const bool chiffres = accounts::reseaux_peut_voir_chiffres(u, d);
  json::array structures;
  for (const auto& m : store::structures(s, r.id))
    structures.push_back(json::object{{"id", m.structure_id},
                                      {"nom", m.nom},
                                      {"adresse", m.adresse},
                                      {"commune_insee", m.commune_insee},
                                      {"commune", nom_commune(ctx.services.territoires, m.commune_insee)},
                                      {"depuis", m.depuis},
                                      {"peut_retirer", accounts::reseaux_peut_retirer_structure(u, d, m.structure_id)}});
  json::array animateurs;
  for (const auto& a : store::animateurs(s, r.id))
    animateurs.push_back(json::object{{"user_id", a.user_id}, {"prenom", a.prenom}, {"nom", a.nom}, {"role", a.role}});
  json::array invitations;
  if (animer)
    for (const auto& i : store::invitations_du_reseau(s, r.id))
      invitations.push_back(json::object{{"id", i.id},
                                         {"structure_id", i.structure_id},
                                         {"structure_nom", i.structure_nom},
                                         {"invitee_le", i.invitee_le},
                                         {"invitee_par", i.invitee_par_nom}});
  return {{"id", r.id},
          {"nom", r.nom},
          {"description", r.description},
          {"territoires", territoires_json(ctx.services.territoires, r.territoires)},
          {"cree_le", r.cree_le},
          {"modifie_le", r.modifie_le},
          {"structures", std::move(structures)},
          {"animateurs", std::move(animateurs)},
          {"invitations", std::move(invitations)},
          {"canal_id", chiffres ? nul_ou(r.canal_id) : json::value(nullptr)},
          {"perimetre_statistiques", chiffres ? json::value("reseau:" + std::to_string(r.id)) : json::value(nullptr)},
          {"droits", json::object{{"animer", animer},
                                  {"supprimer", accounts::reseaux_peut_supprimer(u, d)},
                                  {"chiffres", chiffres},
                                  {"animateur", d.animateur},
                                  {"membre", d.membre}}}};
}

// nom, description, territoires (["departement:69", "commune:42218"]) from a JSON body.
Saisie lire_saisie(Context& ctx, http::JsonBody& b, const Saisie* avant) {
  Saisie d;
  if (avant) d = *avant;
  if (!avant || b.has("nom")) d.nom = b.text("nom", !avant, max_nom * 4).value_or("");
  if (!avant || b.has("description")) d.description = b.text("description", false, max_description * 4).value_or("");
  if (!avant || b.has("territoires")) {
    d.territoires.clear();
    const auto* raw = b.raw("territoires");
    if (raw && !raw->is_array()) b.add_error("territoires", "Une liste de territoires est attendue (« departement:69 », « commune:69123 »).");
    else if (raw)
      for (const auto& v : raw->as_array()) {
        std::optional<Territoire> t;
        if (v.is_string()) t = territoire_de(std::string_view(v.as_string()));
        if (!t) {
          b.add_error("territoires", "Territoire invalide : « departement:CODE » ou « commune:CODE_INSEE » attendu.");
          break;
        }
        d.territoires.push_back(*t);
      }
  }
  const auto& t = ctx.services.territoires;
  for (auto& [k, v] : valider(d, [&](const Territoire& x) {
         return x.niveau == "departement" ? t.departement(x.code) != nullptr : t.commune(x.code) != nullptr;
       }))
    b.add_error(k, v);
  return d;
}

// Invites a structure: one mail per gestionnaire (or, without one, to the administrators).
void inviter(Context& ctx, Session& s, const store::Reseau& r, std::int64_t structure_id, const std::string& structure_nom) {
  auto inv = store::inviter(s, r.id, structure_id, ctx.user().user_id, core::now_iso());
  if (!inv.nouvelle) return;
  auto ds = inscription::store::gestionnaires_de(s, structure_id);
  const bool sans_gestionnaire = ds.empty();
  if (sans_gestionnaire) ds = inscription::store::administrateurs(s);
  const auto& p = ctx.user();
  for (const auto& d : ds) {
    courriels::Contenu c;
    c.titre = "Invitation au réseau « " + r.nom + " »";
    c.salutation = courriels::modeles::salutation(d.prenom);
    c.paragraphes = {p.prenom + " " + p.nom + " invite la structure « " + structure_nom + " » à rejoindre le réseau local « " + r.nom +
                         " » sur Coop.",
                     "Les structures membres partagent un annuaire, une carte de leurs lieux, les chiffres du réseau et un canal de "
                     "discussion. Acceptez ou déclinez l'invitation depuis Coop."};
    c.bouton_libelle = "Répondre à l'invitation";
    c.bouton_lien = ctx.services.config.public_url + "/reseaux/invitations";
    c.apres = {sans_gestionnaire ? std::string("Vous recevez ce message en tant qu'administrateur de Coop (structure sans gestionnaire).")
                                 : "Vous recevez ce message en tant que gestionnaire de « " + structure_nom + " »."};
    courriels::store::mettre_en_file(s, courriels::composer("invitation_reseau", d.email, "Invitation au réseau « " + r.nom + " »", c, d.id));
  }
}

void synchroniser(Session& s, std::int64_t id, discussion::Journal& j) { synchroniser_canal(s, id, core::today(), &j); }

Response lister(Context& ctx) {
  const auto& u = ctx.user();
  const bool tous = ctx.req.query_param("tous").value_or("") == "1" && u.is_admin();
  json::array items, mon_reseau;
  std::int64_t invitations = 0;
  ctx.db().read([&](Session& s) {
    items.clear();
    mon_reseau.clear();
    const auto today = core::today();
    for (const auto& r : tous ? store::tous(s) : store::de_utilisateur(s, u.user_id, today)) {
      const auto d = store::droits(s, r.id, u.user_id, today);
      items.push_back(json::object{{"id", r.id},
                                   {"nom", r.nom},
                                   {"description", r.description},
                                   {"territoires", territoires_json(ctx.services.territoires, r.territoires)},
                                   {"nb_structures", static_cast<std::int64_t>(store::ids_structures(s, r.id).size())},
                                   {"animateur", d.animateur},
                                   {"membre", d.membre}});
    }
    // « Mon réseau »: the départements of the user's structures (employments today, managed ones).
    std::set<std::string> deps;
    std::set<std::int64_t> sts;
    for (auto id : accounts::store::structures_employing(s, u.user_id, today)) sts.insert(id);
    for (auto id : u.managed_structures()) sts.insert(id);
    for (auto id : sts)
      if (auto st = accounts::store::structure_by_id(s, id))
        if (const auto* c = ctx.services.territoires.commune(st->commune_insee)) deps.insert(c->departement);
    for (const auto& code : deps) {
      const auto* d = ctx.services.territoires.departement(code);
      mon_reseau.push_back(json::object{{"code", code}, {"nom", d ? d->nom : code}});
    }
    invitations = u.is_admin()
                      ? storage::as_int(s.query("SELECT COUNT(*) FROM reseau_invitations WHERE statut = 'en_attente'").rows[0][0])
                      : static_cast<std::int64_t>(store::invitations_pour(s, u.managed_structures()).size());
  });
  return http::json_response(200, json::object{{"items", std::move(items)},
                                               {"mon_reseau", std::move(mon_reseau)},
                                               {"invitations_en_attente", invitations}});
}

Response creer(Context& ctx) {
  http::JsonBody b(ctx.req.body);
  auto d = lire_saisie(ctx, b, nullptr);
  std::vector<std::int64_t> voulues;
  if (const auto* raw = b.raw("structures")) {
    if (!raw->is_array()) b.add_error("structures", "Une liste d'identifiants de structures est attendue.");
    else
      for (const auto& v : raw->as_array()) {
        if (!v.is_int64() || v.as_int64() <= 0) {
          b.add_error("structures", "Une liste d'identifiants de structures est attendue.");
          break;
        }
        voulues.push_back(v.as_int64());
      }
    if (voulues.size() > max_structures) b.add_error("structures", "500 structures au plus à la création.");
  }
  b.done();
  std::sort(voulues.begin(), voulues.end());
  voulues.erase(std::unique(voulues.begin(), voulues.end()), voulues.end());
  const auto& u = ctx.user();
  discussion::Journal j;
  auto id = ctx.db().write_value([&](Session& s) {
    j.vider();
    for (auto sid : voulues)
      if (!accounts::store::structure_by_id(s, sid))
        throw http::validation_error({{"structures", "Structure introuvable : " + std::to_string(sid) + "."}});
    const auto now = core::now_iso();
    auto id = store::creer(s, d, u.user_id, now);
    creer_canal(s, id, d.nom, u.user_id);
    auto r = *store::lire(s, id);
    for (auto sid : voulues) {
      if (accounts::reseaux_ajoute_directement(u, sid)) store::ajouter_structure(s, id, sid, u.user_id, now);
      else inviter(ctx, s, r, sid, accounts::store::structure_by_id(s, sid)->nom);
    }
    synchroniser(s, id, j);
    accounts::store::audit(s, "reseau_cree", u.user_id, u.user_id, "", ctx.ip(), "réseau " + std::to_string(id) + " : " + d.nom);
    return id;
  });
  j.publier(ctx.services.bus);
  courriels::signaler(ctx.services.bus);
  auto o = ctx.db().read_value([&](Session& s) { return detail_json(ctx, s, lire_ou_404(s, id)); });
  return http::json_response(201, o);
}

Response lire_un(Context& ctx) {
  auto id = ctx.path_id("id");
  auto o = ctx.db().read_value([&](Session& s) { return detail_json(ctx, s, lire_ou_404(s, id)); });
  return http::json_response(200, o);
}

// The network, after checking the caller may animate it (403 otherwise).
store::Reseau animable(Context& ctx, Session& s, std::int64_t id) {
  auto r = lire_ou_404(s, id);
  if (!accounts::reseaux_peut_animer(ctx.user(), store::droits(s, id, ctx.user().user_id, core::today())))
    throw http::forbidden("Seuls les animateurs du réseau peuvent le gérer.");
  return r;
}

Response modifier(Context& ctx) {
  auto id = ctx.path_id("id");
  discussion::Journal j;
  ctx.db().write([&](Session& s) {
    j.vider();
    auto r = animable(ctx, s, id);
    http::JsonBody b(ctx.req.body);
    Saisie avant{r.nom, r.description, r.territoires};
    auto d = lire_saisie(ctx, b, &avant);
    b.done();
    store::modifier(s, id, d, core::now_iso());
    if (d.nom != r.nom && r.canal_id)
      if (auto c = discussion::store::canal(s, *r.canal_id)) {
        c->nom = nom_du_canal(d.nom);
        discussion::store::modifier_canal(s, *c);
      }
  });
  auto o = ctx.db().read_value([&](Session& s) { return detail_json(ctx, s, lire_ou_404(s, id)); });
  return http::json_response(200, o);
}

Response supprimer(Context& ctx) {
  auto id = ctx.path_id("id");
  const auto& u = ctx.user();
  ctx.db().write([&](Session& s) {
    auto r = lire_ou_404(s, id);
    if (!accounts::reseaux_peut_supprimer(u, store::droits(s, id, u.user_id, core::today())))
      throw http::forbidden("Seul le créateur du réseau (ou un administrateur) peut le supprimer.");
    // The channel stays readable by its members, archived.
    if (r.canal_id)
      if (auto c = discussion::store::canal(s, *r.canal_id)) {
        c->archive = true;
        discussion::store::modifier_canal(s, *c);
      }
    store::supprimer(s, id);
    accounts::store::audit(s, "reseau_supprime", u.user_id, u.user_id, "", ctx.ip(), "réseau " + std::to_string(id) + " : " + r.nom);
  });
  return http::no_content();
}

Response ajouter_structure(Context& ctx) {
  auto id = ctx.path_id("id");
  const auto& u = ctx.user();
  discussion::Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto r = animable(ctx, s, id);
    http::JsonBody b(ctx.req.body);
    auto sid = b.integer("structure_id", true);
    b.done();
    auto st = accounts::store::structure_by_id(s, *sid);
    if (!st) throw http::validation_error({{"structure_id", "Structure introuvable."}});
    const auto membres = store::ids_structures(s, id);
    if (std::find(membres.begin(), membres.end(), *sid) != membres.end())
      throw http::conflict("Cette structure est déjà membre du réseau.", "deja_membre");
    if (accounts::reseaux_ajoute_directement(u, *sid)) {
      store::ajouter_structure(s, id, *sid, u.user_id, core::now_iso());
      synchroniser(s, id, j);
      return json::object{{"statut", "membre"}, {"invitation_id", nullptr}};
    }
    inviter(ctx, s, r, *sid, st->nom);
    auto inv = store::inviter(s, id, *sid, u.user_id, core::now_iso());
    return json::object{{"statut", "invitee"}, {"invitation_id", inv.id}};
  });
  j.publier(ctx.services.bus);
  courriels::signaler(ctx.services.bus);
  return http::json_response(201, o);
}

Response retirer_structure(Context& ctx) {
  auto id = ctx.path_id("id");
  auto sid = ctx.path_id("sid");
  const auto& u = ctx.user();
  discussion::Journal j;
  ctx.db().write([&](Session& s) {
    j.vider();
    lire_ou_404(s, id);
    if (!accounts::reseaux_peut_retirer_structure(u, store::droits(s, id, u.user_id, core::today()), sid))
      throw http::forbidden("Seuls les animateurs du réseau ou un gestionnaire de la structure peuvent la retirer.");
    if (!store::retirer_structure(s, id, sid)) throw http::not_found("Cette structure n'est pas membre du réseau.");
    synchroniser(s, id, j);
  });
  j.publier(ctx.services.bus);
  return http::no_content();
}

Response ajouter_animateur(Context& ctx) {
  auto id = ctx.path_id("id");
  discussion::Journal j;
  ctx.db().write([&](Session& s) {
    j.vider();
    animable(ctx, s, id);
    http::JsonBody b(ctx.req.body);
    auto uid = b.integer("user_id", true);
    b.done();
    auto user = accounts::store::user_by_id(s, *uid);
    if (!user || user->disabled) throw http::validation_error({{"user_id", "Utilisateur introuvable."}});
    if (!accounts::reseaux_peut_etre_animateur(accounts::store::roles_of(s, *uid)))
      throw http::validation_error({{"user_id", "Un co-animateur est coordinateur ou gestionnaire de structure."}});
    if (!store::ajouter_animateur(s, id, *uid, "co_animateur", core::now_iso()))
      throw http::conflict("Cette personne anime déjà le réseau.", "deja_animateur");
    synchroniser(s, id, j);
  });
  j.publier(ctx.services.bus);
  auto o = ctx.db().read_value([&](Session& s) { return detail_json(ctx, s, lire_ou_404(s, id)); });
  return http::json_response(201, o);
}

Response retirer_animateur(Context& ctx) {
  auto id = ctx.path_id("id");
  auto uid = ctx.path_id("uid");
  const auto& u = ctx.user();
  discussion::Journal j;
  ctx.db().write([&](Session& s) {
    j.vider();
    lire_ou_404(s, id);
    if (!accounts::reseaux_peut_retirer_animateur(u, store::droits(s, id, u.user_id, core::today()), uid))
      throw http::forbidden("Seuls les animateurs du réseau peuvent retirer un co-animateur.");
    auto as = store::animateurs(s, id);
    if (std::none_of(as.begin(), as.end(), [&](const store::Animateur& a) { return a.user_id == uid; }))
      throw http::not_found("Cette personne n'anime pas le réseau.");
    if (as.size() == 1) throw http::conflict("Un réseau garde au moins un animateur.", "dernier_animateur");
    store::retirer_animateur(s, id, uid);
    synchroniser(s, id, j);
  });
  j.publier(ctx.services.bus);
  return http::no_content();
}

// ---- Directory

json::object annuaire_json(Context& ctx, Session& s, const std::vector<std::int64_t>& structures, const std::string& q,
                           const std::optional<std::vector<std::int64_t>>& lieux_donnes = std::nullopt) {
  const auto today = core::today();
  const auto& t = ctx.services.territoires;
  json::array sts, pers, lx;
  std::map<std::int64_t, std::string> noms;
  for (auto sid : structures)
    if (auto st = accounts::store::structure_by_id(s, sid)) {
      noms[sid] = st->nom;
      const auto commune = nom_commune(t, st->commune_insee);
      if (!correspond(q, {st->nom, commune, st->adresse})) continue;
      sts.push_back(json::object{{"id", sid}, {"nom", st->nom}, {"adresse", st->adresse}, {"commune_insee", st->commune_insee},
                                 {"commune", commune}});
    }
  for (const auto& p : store::personnes(s, structures, today)) {
    if (!correspond(q, {p.prenom, p.nom, p.structure_nom})) continue;
    pers.push_back(json::object{{"user_id", p.user_id},
                                {"prenom", p.prenom},
                                {"nom", p.nom},
                                {"role", p.role},
                                {"structure_id", p.structure_id},
                                {"structure_nom", p.structure_nom},
                                {"contact_visible", p.visible},
                                {"email", p.visible ? json::value(p.email) : json::value(nullptr)},
                                {"telephone", p.visible && !p.telephone.empty() ? json::value(p.telephone) : json::value(nullptr)}});
  }
  const auto ids = lieux_donnes ? *lieux_donnes : store::lieux(s, structures, today);
  for (std::size_t i = 0; i < ids.size(); i += 200) {
    storage::Params p;
    std::string in;
    for (std::size_t k = i; k < std::min(ids.size(), i + 200); ++k) {
      in += in.empty() ? "?" : ", ?";
      p.emplace_back(ids[k]);
    }
    for (const auto& row : s.query("SELECT id, nom, adresse, commune, code_postal, services, structure_id, visible_carte, telephone "
                                   "FROM lieux WHERE id IN (" + in + ") ORDER BY nom, id",
                                   p)
                               .rows) {
      const auto nom = storage::as_text(row[1]), commune = storage::as_text(row[3]), services = storage::as_text(row[5]);
      if (!correspond(q, {nom, commune, storage::as_text(row[2]), services})) continue;
      json::array svc;
      std::string cur;
      for (char c : services + "|") {
        if (c == '|') {
          if (!cur.empty()) svc.emplace_back(cur);
          cur.clear();
        } else cur += c;
      }
      lx.push_back(json::object{{"id", storage::as_int(row[0])},
                                {"nom", nom},
                                {"adresse", storage::as_text(row[2])},
                                {"commune", commune},
                                {"code_postal", storage::as_text(row[4])},
                                {"telephone", storage::as_text(row[8])},
                                {"services", std::move(svc)},
                                {"structure_id", storage::is_null(row[6]) ? json::value(nullptr) : json::value(storage::as_int(row[6]))},
                                {"sur_la_carte", storage::as_int(row[7]) != 0 && !services.empty()}});
    }
  }
  return {{"structures", std::move(sts)}, {"personnes", std::move(pers)}, {"lieux", std::move(lx)}};
}

std::string requete_q(Context& ctx) {
  auto q = ctx.req.query_param("q").value_or("");
  if (q.size() > 200) throw http::validation_error({{"q", "q : 200 caractères au plus."}}, "Paramètre de requête invalide.");
  return q;
}

Response annuaire(Context& ctx) {
  auto id = ctx.path_id("id");
  auto q = requete_q(ctx);
  auto o = ctx.db().read_value([&](Session& s) {
    auto r = lire_ou_404(s, id);
    auto o = annuaire_json(ctx, s, store::ids_structures(s, id), q);
    json::array animateurs;
    for (const auto& a : store::animateurs(s, id))
      animateurs.push_back(json::object{{"user_id", a.user_id}, {"prenom", a.prenom}, {"nom", a.nom}, {"role", a.role}});
    o["reseau"] = json::object{{"id", r.id}, {"nom", r.nom}, {"type", "reseau"}, {"departement", nullptr}};
    o["animateurs"] = std::move(animateurs);
    return o;
  });
  return http::json_response(200, o);
}

Response annuaire_departement(Context& ctx) {
  const auto code = ctx.req.params.count("code") ? ctx.req.params.at("code") : std::string();
  const auto* d = ctx.services.territoires.departement(code);
  if (!d) throw http::not_found("Département inconnu.");
  auto q = requete_q(ctx);
  auto o = ctx.db().read_value([&](Session& s) {
    const auto structures = store::structures_du_departement(s, d->code);
    auto o = annuaire_json(ctx, s, structures, q, store::lieux_du_departement(s, d->code, structures, core::today()));
    o["reseau"] = json::object{{"id", nullptr}, {"nom", "Mon réseau · " + d->nom + " (" + d->code + ")"}, {"type", "departement"},
                               {"departement", d->code}};
    o["animateurs"] = json::array{};
    return o;
  });
  return http::json_response(200, o);
}

// ---- Invitations

json::object invitation_json(const store::Invitation& i) {
  return {{"id", i.id},
          {"reseau_id", i.reseau_id},
          {"reseau_nom", i.reseau_nom},
          {"structure_id", i.structure_id},
          {"structure_nom", i.structure_nom},
          {"statut", i.statut},
          {"invitee_le", i.invitee_le},
          {"invitee_par", i.invitee_par_nom}};
}

Response mes_invitations(Context& ctx) {
  const auto& u = ctx.user();
  json::array items;
  ctx.db().read([&](Session& s) {
    items.clear();
    std::vector<store::Invitation> v;
    if (u.is_admin()) {
      for (const auto& r : s.query("SELECT id FROM reseau_invitations WHERE statut = 'en_attente' ORDER BY id").rows)
        if (auto i = store::invitation(s, storage::as_int(r[0]))) v.push_back(*i);
    } else {
      v = store::invitations_pour(s, u.managed_structures());
    }
    for (const auto& i : v) items.push_back(invitation_json(i));
  });
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response repondre(Context& ctx, bool accepte) {
  auto id = ctx.path_id("id");
  const auto& u = ctx.user();
  discussion::Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto i = store::invitation(s, id);
    if (!i) throw http::not_found("Invitation introuvable.");
    if (!accounts::reseaux_peut_repondre(u, i->structure_id))
      throw http::forbidden("Seul un gestionnaire de la structure invitée peut répondre.");
    if (!store::repondre(s, id, accepte, u.user_id, core::now_iso()))
      throw http::conflict("Cette invitation a déjà reçu une réponse.", "deja_repondue");
    if (accepte) synchroniser(s, i->reseau_id, j);
    return invitation_json(*store::invitation(s, id));
  });
  j.publier(ctx.services.bus);
  return http::json_response(200, o);
}

Response accepter(Context& ctx) { return repondre(ctx, true); }
Response refuser(Context& ctx) { return repondre(ctx, false); }

// ---- Contact visibility

Response ma_visibilite(Context& ctx) {
  auto v = ctx.db().read_value([&](Session& s) { return store::visible(s, ctx.user().user_id); });
  return http::json_response(200, json::object{{"visible", v}});
}

Response choisir_visibilite(Context& ctx) {
  http::JsonBody b(ctx.req.body);
  auto v = b.boolean("visible", true);
  b.done();
  ctx.db().write([&](Session& s) { store::choisir_visibilite(s, ctx.user().user_id, *v, core::now_iso()); });
  return http::json_response(200, json::object{{"visible", *v}});
}

// Structures to add or invite, by name (every Coop structure: GET /api/structures lists only one's own).
Response chercher_structures(Context& ctx) {
  auto q = requete_q(ctx);
  json::array items;
  ctx.db().read([&](Session& s) {
    items.clear();
    for (const auto& st : accounts::store::list_structures(s, q, std::nullopt, 1, 20).first)
      items.push_back(json::object{{"id", st.id}, {"nom", st.nom}, {"commune_insee", st.commune_insee},
                                   {"commune", nom_commune(ctx.services.territoires, st.commune_insee)}});
  });
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void register_routes(http::Router& r) {
  using namespace accounts::access;
  r.add("GET", "/api/reseaux", logged_in(), lister);
  r.add("POST", "/api/reseaux", people_managers(), creer);
  r.add("GET", "/api/reseaux/invitations", logged_in(), mes_invitations);
  r.add("GET", "/api/reseaux/structures", people_managers(), chercher_structures);
  r.add("POST", "/api/reseaux/invitations/{id}/accepter", logged_in(), accepter);
  r.add("POST", "/api/reseaux/invitations/{id}/refuser", logged_in(), refuser);
  r.add("GET", "/api/reseaux/visibilite", logged_in(), ma_visibilite);
  r.add("PUT", "/api/reseaux/visibilite", logged_in(), choisir_visibilite);
  r.add("GET", "/api/reseaux/departements/{code}/annuaire", logged_in(), annuaire_departement);
  r.add("GET", "/api/reseaux/{id}", logged_in(), lire_un);
  r.add("PATCH", "/api/reseaux/{id}", logged_in(), modifier);
  r.add("DELETE", "/api/reseaux/{id}", logged_in(), supprimer);
  r.add("GET", "/api/reseaux/{id}/annuaire", logged_in(), annuaire);
  r.add("POST", "/api/reseaux/{id}/structures", logged_in(), ajouter_structure);
  r.add("DELETE", "/api/reseaux/{id}/structures/{sid}", logged_in(), retirer_structure);
  r.add("POST", "/api/reseaux/{id}/animateurs", logged_in(), ajouter_animateur);
  r.add("DELETE", "/api/reseaux/{id}/animateurs/{uid}", logged_in(), retirer_animateur);
}

}  // namespace coop::reseaux
