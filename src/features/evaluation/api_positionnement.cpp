// The positioning test (issue 13 point 3): a logged-in user starts a test across all competences or
// on one, answers the engine's questions one at a time (graded here with the bank's rules, the
// solution never sent before the answer, the timer of an item with `temps:` enforced here), leaves
// and resumes whenever (the engine state is in evaluation_tests), and gets pix and a level per
// competence, kept with their history (evaluation_resultats). docs/api-contract.md « Évaluation ».
#include <algorithm>
#include <memory>
#include <mutex>
#include <random>

#include "core/markdown.hpp"
#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/activites/model.hpp"
#include "features/evaluation/api.hpp"
#include "features/evaluation/banque.hpp"
#include "features/evaluation/moteur_banque.hpp"
#include "features/evaluation/store.hpp"
#include "http/app.hpp"
#include "http/json.hpp"

namespace coop::evaluation {

namespace json = boost::json;
using http::Context;
using http::Response;
using storage::Session;

namespace {

constexpr int kLongueurTout = 20;        // questions of a test across all competences
constexpr int kLongueurCompetence = 4;   // of a test on one competence (its 4 tubes, one each)
constexpr int kGraceSecondes = 5;        // network and display margin on an item's timer
constexpr int kPixRecommandes = 500;     // the « ≈ 500 pix recommandés » marker for conseillers

// The two engines of this bank (all competences, one competence), built once per bank and cap.
struct Moteurs {
  const Banque* banque = nullptr;
  int plafond = 0;
  std::unique_ptr<moteur::Moteur> tout, competence;
};

const Moteurs& moteurs(Context& ctx) {
  static std::mutex m;
  static Moteurs cache;
  const Banque* b = ctx.services.evaluation;
  if (!b) throw http::ApiError(503, "evaluation_indisponible", "La banque d'items n'est pas chargée sur ce serveur.");
  const int plafond = ctx.services.config.evaluation_plafond;
  std::lock_guard lock(m);
  if (cache.banque != b || cache.plafond != plafond) {
    auto items = items_moteur(*b);
    moteur::Config c;
    c.plafond_defaut = plafond;
    c.longueur_min = 16;  // every competence visited
    c.longueur_max = kLongueurTout;
    c.ecart_type_arret = 0.3;
    cache.tout = std::make_unique<moteur::Moteur>(items, c);
    c.longueur_min = kLongueurCompetence;
    c.longueur_max = kLongueurCompetence;
    c.ecart_type_arret = 0;
    cache.competence = std::make_unique<moteur::Moteur>(std::move(items), c);
    cache.banque = b;
    cache.plafond = plafond;
  }
  return cache;
}

const moteur::Moteur& moteur_de(const Moteurs& m, const store::Test& t) {
  return t.perimetre == "tout" ? *m.tout : *m.competence;
}

std::string titre_competence(const Banque& b, const std::string& code) {
  const Competence* c = b.referentiel.competence(code);
  return c ? c->titre : code;
}

std::string url_media(const std::string& chemin) {
  return "/api/evaluation/medias/" + chemin.substr(std::string_view("medias/").size());
}
json::value media_json(const std::optional<Media>& m) {
  if (!m) return nullptr;
  return json::object{{"url", url_media(m->chemin)}, {"texte", m->texte}};
}

json::array thematiques_json(const Item& it) {
  json::array out;
  for (const auto& code : it.thematiques) {
    std::string libelle = code;
    for (const auto& t : activites::thematiques)
      if (t.code == code) libelle = std::string(t.label);
    out.push_back(json::object{{"code", code}, {"libelle", libelle}});
  }
  return out;
}

moteur::EtatSession etat_de(const store::Test& t) {
  std::string erreur;
  auto e = moteur::deserialiser(t.etat, &erreur);
  if (!e) throw std::runtime_error("évaluation : état du test " + std::to_string(t.id) + " illisible : " + erreur);
  return *e;
}

std::string date_plus(const std::string& instant, int jours) {
  const auto t = core::parse_iso(instant);
  return core::date_in_paris((t ? *t : core::Clock::now()) + std::chrono::hours(24) * jours);
}

// "2026-12-12" → "12/12/2026".
std::string date_fr(const std::string& d) {
  if (d.size() < 10) return d;
  return d.substr(8, 2) + "/" + d.substr(5, 2) + "/" + d.substr(0, 4);
}

// Finishes the test: the engine's estimate per competence, stored with the history.
void terminer(Session& s, const store::Test& t, const moteur::Moteur& mo, const moteur::EtatSession& etat,
              const std::string& maintenant) {
  const auto est = mo.estimer(etat);
  std::vector<store::ResultatCompetence> res;
  for (const auto& c : est.competences) {
    if (c.questions == 0 && t.perimetre != "tout") continue;
    res.push_back(store::ResultatCompetence{.test_id = t.id, .competence = c.competence, .niveau = c.niveau, .pix = c.pix,
                                            .obtenu_le = maintenant});
  }
  std::int64_t total = 0;
  for (const auto& r : res) total += r.pix;
  store::terminer(s, t, moteur::serialiser(etat), total, res, maintenant);
}

// Brings the test to its next step: a pending timed question whose time ran out is counted as
// skipped; then the engine serves the next question (counted in the exposures) or the test ends.
void avancer(Session& s, const Banque& b, store::Test t, const moteur::Moteur& mo) {
  if (t.statut != "en_cours") return;
  const std::string maintenant = core::now_iso();
  auto etat = etat_de(t);
  auto servie = t.question_servie_le;
  if (!etat.questions.empty() && !etat.questions.back().resultat && servie) {
    const Item* it = b.item(etat.questions.back().item);
    const auto debut = core::parse_iso(*servie);
    if (it && it->temps && debut &&
        core::Clock::now() > *debut + std::chrono::seconds(*it->temps + kGraceSecondes)) {
      mo.repondre(etat, it->id, moteur::Resultat::passe);
      store::ajouter_reponse(s, t.id, store::ReponseEnregistree{.rang = static_cast<int>(etat.questions.size()),
                                                                .item_id = it->id,
                                                                .resultat = "passe",
                                                                .reponse = "{}",
                                                                .repondu_le = maintenant,
                                                                .temps_depasse = true});
      servie.reset();
    }
  }
  const std::size_t avant = etat.questions.size();
  const bool en_attente = !etat.questions.empty() && !etat.questions.back().resultat;
  const auto expo = store::expositions(s, mo.items());
  const moteur::Item* q = mo.prochaine(etat, &expo);
  if (!q) {
    terminer(s, t, mo, etat, maintenant);
    return;
  }
  if (etat.questions.size() != avant || !en_attente) {
    store::compter_item(s, q->id);
    servie = maintenant;
  }
  store::enregistrer_etat(s, t.id, moteur::serialiser(etat), servie, maintenant);
}

store::Test test_du_candidat(Context& ctx, Session& s) {
  const auto id = ctx.path_id("id");
  auto t = store::test(s, id);
  if (!t) throw http::not_found("Test introuvable.");
  if (!accounts::owns_evaluation_test(ctx.user(), t->user_id)) throw http::forbidden("Ce test de positionnement n'est pas le vôtre.");
  return *t;
}

json::object question_json(const Banque& b, const Item& it, int rang, const std::optional<std::string>& servie) {
  json::object o{{"rang", rang},
                 {"item", it.id},
                 {"competence", it.competence},
                 {"competence_titre", titre_competence(b, it.competence)},
                 {"type", nom(it.type)},
                 {"consigne_html", markdown::rendre(it.consigne).html},
                 {"image", media_json(it.image)},
                 {"piece_jointe", media_json(it.piece_jointe)},
                 {"temps", it.temps ? json::value(*it.temps) : json::value(nullptr)},
                 {"temps_restant", nullptr}};
  json::array props;
  for (const auto& p : it.propositions) props.push_back(json::value(p));
  o["propositions"] = std::move(props);
  json::array champs;
  for (const auto& c : it.champs) champs.push_back(json::object{{"nom", c.nom}, {"libelle", c.libelle}});
  o["champs"] = std::move(champs);
  if (it.temps && servie) {
    if (const auto debut = core::parse_iso(*servie)) {
      const auto reste = std::chrono::duration_cast<std::chrono::seconds>(*debut + std::chrono::seconds(*it.temps) -
                                                                          core::Clock::now())
                             .count();
      o["temps_restant"] = std::max<std::int64_t>(0, reste);
    }
  }
  return o;
}

json::object test_json(Session& s, const Banque& b, const Moteurs& ms, const store::Test& t) {
  const auto& mo = moteur_de(ms, t);
  const auto etat = etat_de(t);
  json::object o{{"id", t.id},
                 {"perimetre", t.perimetre},
                 {"perimetre_titre", t.perimetre == "tout" ? std::string("Toutes les compétences") : titre_competence(b, t.perimetre)},
                 {"statut", t.statut},
                 {"commence_le", t.commence_le},
                 {"termine_le", t.termine_le ? json::value(*t.termine_le) : json::value(nullptr)},
                 {"repondues", etat.repondues()},
                 {"longueur_max", mo.config().longueur_max},
                 {"question", nullptr},
                 {"resultat", nullptr},
                 {"corrections", nullptr}};
  if (t.statut == "en_cours") {
    if (!etat.questions.empty() && !etat.questions.back().resultat)
      if (const Item* it = b.item(etat.questions.back().item))
        o["question"] = question_json(b, *it, static_cast<int>(etat.questions.size()), t.question_servie_le);
    return o;
  }
  const auto est = mo.estimer(etat);
  json::array comps;
  for (const auto& c : est.competences) {
    if (c.questions == 0 && t.perimetre != "tout") continue;
    comps.push_back(json::object{{"competence", c.competence},
                                 {"titre", titre_competence(b, c.competence)},
                                 {"niveau", c.niveau},
                                 {"pix", c.pix},
                                 {"questions", c.questions}});
  }
  o["resultat"] = json::object{{"pix_total", t.pix_total.value_or(0)}, {"competences", std::move(comps)}};
  json::array corr;
  for (const auto& r : store::reponses(s, t.id)) {
    const Item* it = b.item(r.item_id);
    if (!it) continue;  // left the bank since
    corr.push_back(json::object{{"rang", r.rang},
                                {"item", it->id},
                                {"competence", it->competence},
                                {"competence_titre", titre_competence(b, it->competence)},
                                {"consigne_html", markdown::rendre(it->consigne).html},
                                {"correct", r.resultat == "juste"},
                                {"temps_depasse", r.temps_depasse},
                                {"explication_html", markdown::rendre(it->explication).html},
                                {"thematiques", thematiques_json(*it)}});
  }
  o["corrections"] = std::move(corr);
  return o;
}

Response commencer(Context& ctx) {
  const auto& ms = moteurs(ctx);
  const Banque& b = *ms.banque;
  http::JsonBody body(ctx.req.body);
  const auto competence = body.text("competence", false, 10);
  if (competence && !b.referentiel.competence(*competence))
    body.add_error("competence", "Compétence inconnue (1.1 … 5.2).");
  body.done();
  const std::string perimetre = competence.value_or("tout");
  const auto& u = ctx.user();
  json::object out;
  int status = 201;
  ctx.db().write([&](Session& s) {
    if (auto encours = store::test_en_cours(s, u.user_id))
      throw http::conflict("Vous avez déjà un test en cours (" +
                               (encours->perimetre == "tout" ? std::string("toutes les compétences")
                                                             : "compétence " + encours->perimetre) +
                               ") : reprenez-le ou terminez-le avant d'en commencer un autre.",
                           "test_en_cours", {{"test_id", std::to_string(encours->id)}});
    // « Améliorer » again only after the delay.
    std::optional<std::string> dernier = store::dernier_termine(s, u.user_id, perimetre);
    if (competence)
      for (const auto& r : store::resultats(s, u.user_id))
        if (r.competence == *competence && (!dernier || r.obtenu_le > *dernier)) dernier = r.obtenu_le;
    const int delai = ctx.services.config.evaluation_delai_jours;
    if (dernier && delai > 0) {
      const std::string possible = date_plus(*dernier, delai);
      if (core::today() < possible)
        throw http::conflict("Vous avez passé ce test récemment : vous pourrez l'améliorer à partir du " + date_fr(possible) + ".",
                             "delai_amelioration", {{"competence", "Possible à partir du " + date_fr(possible) + "."}});
    }
    moteur::EtatSession etat;
    std::random_device rd;
    etat.graine = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    if (competence) etat.competences = {*competence};
    const auto now = core::now_iso();
    const auto id = store::creer_test(s, u.user_id, perimetre, moteur::serialiser(etat), now);
    store::compter_test(s);
    auto t = store::test(s, id);
    const auto& mo = perimetre == "tout" ? *ms.tout : *ms.competence;
    avancer(s, b, *t, mo);
    out = test_json(s, b, ms, *store::test(s, id));
  });
  return http::json_response(status, out);
}

Response lire(Context& ctx) {
  const auto& ms = moteurs(ctx);
  json::object out;
  ctx.db().write([&](Session& s) {
    auto t = test_du_candidat(ctx, s);
    avancer(s, *ms.banque, t, moteur_de(ms, t));
    out = test_json(s, *ms.banque, ms, *store::test(s, t.id));
  });
  return http::json_response(200, out);
}

Response repondre(Context& ctx) {
  const auto& ms = moteurs(ctx);
  const Banque& b = *ms.banque;
  http::JsonBody body(ctx.req.body);
  json::object out;
  bool temps_depasse = false;
  ctx.db().write([&](Session& s) {
    auto t = test_du_candidat(ctx, s);
    const auto item_id = body.text("item", true, 100);
    body.done();
    if (t.statut != "en_cours") throw http::conflict("Ce test est terminé.", "test_termine");
    const auto& mo = moteur_de(ms, t);
    auto etat = etat_de(t);
    if (etat.questions.empty() || etat.questions.back().resultat || etat.questions.back().item != *item_id)
      throw http::conflict("Cette question n'est plus la question en cours : rechargez le test.", "question_perimee",
                           {{"item", "Ce n'est pas la question en cours."}});
    const Item* it = b.item(*item_id);
    if (!it) throw http::conflict("Cette question n'est plus dans la banque : rechargez le test.", "question_perimee");
    const std::string maintenant = core::now_iso();
    const auto debut = t.question_servie_le ? core::parse_iso(*t.question_servie_le) : std::nullopt;
    temps_depasse = it->temps && debut && core::Clock::now() > *debut + std::chrono::seconds(*it->temps + kGraceSecondes);
    moteur::Resultat res = moteur::Resultat::passe;
    std::string reponse = "{}";
    if (!temps_depasse) {
      const Reponse r = lire_reponse(*it, body);
      res = corriger(*it, r).correct ? moteur::Resultat::juste : moteur::Resultat::faux;
      json::object rj;
      json::array choix;
      for (int c : r.choix) choix.push_back(c);
      rj["choix"] = std::move(choix);
      json::object valeurs;
      for (const auto& [k, v] : r.valeurs) valeurs[k] = v;
      rj["valeurs"] = std::move(valeurs);
      reponse = json::serialize(rj);
    }
    mo.repondre(etat, it->id, res);
    store::ajouter_reponse(s, t.id, store::ReponseEnregistree{.rang = static_cast<int>(etat.questions.size()),
                                                              .item_id = it->id,
                                                              .resultat = std::string(moteur::nom_resultat(res)),
                                                              .reponse = reponse,
                                                              .repondu_le = maintenant,
                                                              .temps_depasse = temps_depasse});
    store::enregistrer_etat(s, t.id, moteur::serialiser(etat), std::nullopt, maintenant);
    avancer(s, b, *store::test(s, t.id), mo);
    out = test_json(s, b, ms, *store::test(s, t.id));
  });
  out["temps_depasse"] = temps_depasse;
  return http::json_response(200, out);
}

Response profil(Context& ctx) {
  const auto& ms = moteurs(ctx);
  const Banque& b = *ms.banque;
  const auto& u = ctx.user();
  const int delai = ctx.services.config.evaluation_delai_jours;
  const int plafond = ctx.services.config.evaluation_plafond;
  json::object out;
  ctx.db().read([&](Session& s) {
    const auto res = store::resultats(s, u.user_id);
    std::map<std::string, const store::ResultatCompetence*> dernier;
    for (const auto& r : res) dernier[r.competence] = &r;  // oldest first: the last one wins
    const std::string aujourdhui = core::today();
    json::array comps;
    std::int64_t total = 0;
    for (const auto& c : b.referentiel.competences) {
      const auto d = dernier.find(c.code);
      json::object o{{"code", c.code}, {"domaine", c.domaine}, {"titre", c.titre}, {"niveau", nullptr},
                     {"pix", nullptr}, {"obtenu_le", nullptr}, {"ameliorable_le", nullptr}};
      if (d != dernier.end()) {
        o["niveau"] = d->second->niveau;
        o["pix"] = d->second->pix;
        o["obtenu_le"] = d->second->obtenu_le;
        const std::string possible = date_plus(d->second->obtenu_le, delai);
        if (aujourdhui < possible) o["ameliorable_le"] = possible;
        total += d->second->pix;
      }
      comps.push_back(std::move(o));
    }
    json::array historique;
    for (const auto& t : store::tests_termines(s, u.user_id))
      historique.push_back(json::object{{"test_id", t.id},
                                        {"perimetre", t.perimetre},
                                        {"termine_le", t.termine_le.value_or("")},
                                        {"pix_total", t.pix_total.value_or(0)}});
    // The total profile after each finished test (the last result of every competence so far).
    json::array progression;
    std::map<std::string, int> courant;
    for (std::size_t i = 0; i < res.size(); ++i) {
      courant[res[i].competence] = res[i].pix;
      if (i + 1 == res.size() || res[i + 1].test_id != res[i].test_id) {
        int somme = 0;
        for (const auto& [k, v] : courant) somme += v;
        progression.push_back(json::object{{"test_id", res[i].test_id}, {"date", res[i].obtenu_le}, {"pix_total", somme}});
      }
    }
    const auto encours = store::test_en_cours(s, u.user_id);
    out = json::object{{"competences", std::move(comps)},
                       {"pix_total", total},
                       {"pix_max", static_cast<std::int64_t>(8 * plafond * b.referentiel.competences.size())},
                       {"pix_recommandes", kPixRecommandes},
                       {"delai_jours", delai},
                       {"historique", std::move(historique)},
                       {"progression", std::move(progression)},
                       {"test_en_cours", encours ? json::value(json::object{{"id", encours->id}, {"perimetre", encours->perimetre}})
                                                 : json::value(nullptr)}};
  });
  return http::json_response(200, out);
}

}  // namespace

void register_routes_positionnement(http::Router& r) {
  r.add("GET", "/api/evaluation/profil", accounts::access::logged_in(), profil);
  r.add("POST", "/api/evaluation/tests", accounts::access::logged_in(), commencer);
  r.add("GET", "/api/evaluation/tests/{id}", accounts::access::logged_in(), lire);
  r.add("POST", "/api/evaluation/tests/{id}/reponses", accounts::access::logged_in(), repondre);
}

}  // namespace coop::evaluation
