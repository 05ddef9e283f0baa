// Demo discussion space: the automatic channels (Général, régions, départements of the demo
// structures), thematic and announcement channels with topics, a private group, conversations,
// mentions, reactions, a pinned message and a report waiting in the moderators' queue. Messages
// are dated over the last days so that day separators and unread counts show.
#include <algorithm>
#include <chrono>
#include <map>

#include "app/demo.hpp"
#include "core/francais.hpp"
#include "core/markdown.hpp"
#include "core/time.hpp"
#include "features/discussion/adhesions.hpp"
#include "features/discussion/store.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop::app {

namespace ds = coop::discussion::store;
using storage::Session;

namespace {

struct Demo {
  Session& s;
  std::map<std::string, std::int64_t> u;  // short name → user id
  std::map<std::int64_t, std::string> noms;

  std::string mention(const std::string& qui) { return "@**" + noms[u[qui]] + "|" + std::to_string(u[qui]) + "**"; }

  std::int64_t poster(std::int64_t canal, const std::string& sujet, const std::string& qui, const std::string& texte,
                      int minutes_avant) {
    auto t = ds::sujet_par_titre(s, canal, sujet);
    auto sujet_id = t ? t->id : ds::creer_sujet(s, canal, sujet, u[qui]);
    auto r = markdown::rendre(texte, {.public_url = ""});
    std::string liens;
    for (auto& l : r.liens_coop) liens += (liens.empty() ? "" : "\n") + l;
    auto id = ds::creer_message(s, {.canal_id = canal,
                                    .sujet_id = sujet_id,
                                    .auteur_id = u[qui],
                                    .texte = texte,
                                    .html = r.html,
                                    .liens = liens,
                                    .index = francais::indexer(texte)});
    auto le = core::iso_utc(core::Clock::now() - std::chrono::minutes(minutes_avant));
    s.exec("UPDATE discussion_messages SET cree_le = ? WHERE id = ?", {le, id});
    s.exec("UPDATE discussion_sujets SET dernier_message_le = ? WHERE id = ?", {le, sujet_id});
    s.exec("UPDATE discussion_canaux SET dernier_message_le = ? WHERE id = ?", {le, canal});
    std::vector<std::int64_t> mentionnes;
    for (auto& m : r.mentions)
      if (m.user_id != u[qui]) mentionnes.push_back(m.user_id);
    ds::mentionner(s, id, canal, mentionnes);
    return id;
  }

  // The author has read the channel up to their message (as posting does in the API).
  void lu(const std::string& qui, std::int64_t canal, std::int64_t jusqu_a) { ds::lire_canal(s, u[qui], canal, jusqu_a); }
};

}  // namespace

void load_demo_discussion(storage::Database& db, const referentiel::Territoires& territoires) {
  discussion::synchroniser_tous(db, territoires);
  db.write([&](Session& s) {
    Demo d{s, {}, {}};
    const std::pair<const char*, const char*> comptes[] = {
        {"admin", "admin@coop.example"},
        {"gestion", "gestion@coop.example"},
        {"coordination", "coordination@coop.example"},
        {"mediatrice", "mediatrice@coop.example"},
        {"lyon", "mediateur.lyon@coop.example"},
        {"stetienne", "mediatrice.stetienne@coop.example"},
        {"rennes", "mediateur.rennes@coop.example"},
        {"marseille", "mediatrice.marseille@coop.example"},
        {"tulle", "mediateur.tulle@coop.example"},
    };
    for (auto& [court, email] : comptes) {
      auto r = s.query("SELECT id, TRIM(prenom || ' ' || nom) FROM users WHERE email = ?", {std::string(email)});
      if (r.empty()) return;  // not the demo data set
      d.u[court] = storage::as_int(r.rows[0][0]);
      d.noms[d.u[court]] = storage::as_text(r.rows[0][1]);
    }
    auto general = ds::canal_par_code(s, "general", "")->id;
    auto rhone = ds::canal_par_code(s, "departement", "69");
    auto aura = ds::canal_par_code(s, "region", "84");

    const int jour = 24 * 60;
    // Général
    d.poster(general, "Bienvenue sur Coop", "admin",
             "Bonjour à toutes et à tous ! Voici l'espace de discussion de **Coop**.\n\n"
             "Chaque message appartient à un *sujet* : choisissez-en un existant ou créez-en un nouveau, "
             "la conversation reste lisible même à plusieurs milliers.",
             6 * jour);
    d.poster(general, "Bienvenue sur Coop", "mediatrice", "Merci ! Enfin un espace relié à nos structures 🎉", 6 * jour - 30);
    d.poster(general, "Bienvenue sur Coop", "rennes", "Bonjour depuis Rennes Nord ! Ravi de vous lire.", 6 * jour - 45);
    auto epingle = d.poster(general, "Pass numérique : vos retours", "coordination",
                            "Comment utilisez-vous les **Pass numériques** cette année ?\n\n"
                            "- combien de chèques distribués ?\n- quels ateliers ?\n- des difficultés avec les partenaires ?",
                            3 * jour);
    d.poster(general, "Pass numérique : vos retours", "marseille",
             "À la Belle de Mai, une quarantaine distribués depuis septembre, surtout pour les ateliers *smartphone*.",
             3 * jour - 60);
    d.poster(general, "Pass numérique : vos retours", "tulle",
             "Chez nous les chèques partent vite pour les démarches administratives en ligne.", 2 * jour);
    auto signale = d.poster(general, "Pass numérique : vos retours", "stetienne",
                            "Quelqu'un a un contact chez le distributeur ? Les délais de remboursement sont longs.", 2 * jour - 20);
    d.poster(general, "Accessibilité des démarches en ligne", "lyon",
             "Je partage ce [guide de l'accessibilité](https://accessibilite.numerique.gouv.fr) pour préparer nos ateliers.",
             jour + 120);
    d.poster(general, "Accessibilité des démarches en ligne", "mediatrice",
             d.mention("lyon") + " merci, je l'utilise pour l'atelier du jeudi. Voir aussi mes [activités](/activites).", jour);
    d.poster(general, "Accessibilité des démarches en ligne", "rennes",
             "Les personnes malvoyantes que j'accompagne utilisent beaucoup la synthèse vocale du téléphone.", 90);
    s.exec("UPDATE discussion_messages SET epingle_le = ?, epingle_par = ? WHERE id = ?",
           {core::now_iso(), d.u["admin"], epingle});
    for (auto* qui : {"mediatrice", "marseille", "tulle", "rennes"}) ds::reagir(s, epingle, d.u[qui], "👍");
    ds::reagir(s, epingle, d.u["lyon"], "❤️");
    ds::signaler(s, signale, general, d.u["tulle"], "Demande de contact commercial hors sujet ?");
    d.lu("admin", general, epingle);

    // Département du Rhône and région Auvergne-Rhône-Alpes (the demo's Lyon and Saint-Étienne structures).
    if (rhone) {
      d.poster(rhone->id, "Permanences à Lyon 8e", "gestion",
               "La Médiathèque du Bachut ouvre une permanence le **samedi matin** à partir de janvier.", 4 * jour);
      d.poster(rhone->id, "Permanences à Lyon 8e", "lyon", "Je peux en assurer une sur deux.", 4 * jour - 50);
      d.poster(rhone->id, "Permanences à Lyon 8e", "mediatrice",
               d.mention("coordination") + " peux-tu valider le planning des permanences ?", 5 * 60);
      d.poster(rhone->id, "Formation France Services", "coordination",
               "Session départementale de formation le 15 : inscriptions ouvertes auprès de la coordination.", 2 * jour);
      d.poster(rhone->id, "Permanences à Lyon 8e", "coordination",
               d.mention("mediatrice") + " c'est validé : samedi matin une semaine sur deux avec " + d.mention("lyon") + ".",
               4 * 60);
    }
    if (aura)
      d.poster(aura->id, "Rencontre régionale des médiateurs", "stetienne",
               "La rencontre régionale aura lieu à Saint-Étienne au printemps. Des idées d'ateliers à partager ?", 5 * jour);

    // Thematic and announcement channels.
    auto aide = ds::creer_canal(s, "theme", "", "Aide à la plateforme Coop", "Questions sur l'outil : CRA, statistiques, exports.",
                                d.u["admin"]);
    auto metier = ds::creer_canal(s, "theme", "", "Métier de la médiation", "Pratiques, outils et situations d'accompagnement.",
                                  d.u["coordination"]);
    auto ressources = ds::creer_canal(s, "theme", "", "Ressourcerie", "Supports d'ateliers et fiches pratiques à partager.",
                                      d.u["mediatrice"]);
    auto annonces = ds::creer_canal(s, "annonces", "", "Actualités du programme",
                                    "Les annonces de l'équipe nationale (seuls les modérateurs y publient).", d.u["admin"]);
    ds::ajouter_membre(s, aide, d.u["admin"], "moderateur", false, "creation", d.u["admin"]);
    ds::ajouter_membre(s, metier, d.u["coordination"], "moderateur", false, "creation", d.u["coordination"]);
    ds::ajouter_membre(s, ressources, d.u["mediatrice"], "moderateur", false, "creation", d.u["mediatrice"]);
    ds::ajouter_membre(s, annonces, d.u["admin"], "moderateur", false, "creation", d.u["admin"]);
    for (auto* qui : {"mediatrice", "lyon", "stetienne", "tulle", "gestion"})
      ds::ajouter_membre(s, aide, d.u[qui], "membre", false, "adhesion", d.u[qui]);
    for (auto* qui : {"mediatrice", "lyon", "rennes", "marseille", "stetienne"})
      ds::ajouter_membre(s, metier, d.u[qui], "membre", false, "adhesion", d.u[qui]);
    for (auto* qui : {"lyon", "marseille", "coordination"}) ds::ajouter_membre(s, ressources, d.u[qui], "membre", false, "adhesion", d.u[qui]);
    for (auto* qui : {"mediatrice", "coordination", "gestion", "lyon", "rennes", "marseille", "tulle", "stetienne"})
      ds::ajouter_membre(s, annonces, d.u[qui], "membre", false, "adhesion", d.u[qui]);

    d.poster(aide, "Export des CRA", "tulle", "Comment exporter mes CRA du trimestre en tableur ?", 3 * jour);
    d.poster(aide, "Export des CRA", "admin",
             "Depuis **Mes activités**, bouton « Exporter » : choisissez la période puis le format *XLSX* ou *CSV*.", 3 * jour - 15);
    d.poster(aide, "Export des CRA", "tulle", "Parfait, merci !", 3 * jour - 20);
    d.poster(aide, "Statistiques de la structure", "gestion",
             "Les statistiques de la structure comptent-elles les ateliers collectifs ?", jour + 60);
    d.poster(aide, "Export des CRA", "admin", d.mention("tulle") + " l'export reprend aussi les ateliers collectifs.", 2 * jour);
    d.poster(aide, "Statistiques de la structure", "mediatrice",
             "Oui, chaque participant d'un atelier collectif compte comme un accompagnement.", jour);

    d.poster(metier, "Accompagner sans faire à la place", "coordination",
             "Vos astuces pour rendre les personnes **autonomes** sur leurs démarches ?", 5 * jour);
    d.poster(metier, "Accompagner sans faire à la place", "marseille",
             "Je fais verbaliser chaque étape avant de cliquer, et je laisse la souris à la personne.", 5 * jour - 90);
    d.poster(metier, "Accompagner sans faire à la place", "rennes",
             "Une fiche mémo imprimée avec les étapes : ça rassure beaucoup.", 4 * jour);
    d.poster(metier, "Arnaques par SMS", "stetienne",
             "Beaucoup de personnes âgées reçoivent de faux SMS de livraison en ce moment. Vous avez un support d'atelier ?",
             2 * 60);

    d.poster(ressources, "Ateliers tablette", "mediatrice",
             "Je dépose ici mon déroulé d'atelier « Premiers pas sur la tablette » :\n\n"
             "1. allumer, déverrouiller\n2. les gestes (toucher, glisser, pincer)\n3. installer une application",
             6 * jour);
    d.poster(ressources, "Ateliers tablette", "lyon", "Super, je le teste la semaine prochaine.", 6 * jour - 120);

    d.poster(annonces, "Nouvelle version de Coop", "admin",
             "La **discussion** arrive dans Coop : canaux par région, département et thème, messages privés et recherche.",
             jour / 2);

    // A private group of the team.
    auto groupe = ds::creer_canal(s, "groupe", "", "Équipe de Camille", "Le groupe privé de l'équipe de coordination.",
                                  d.u["coordination"]);
    ds::ajouter_membre(s, groupe, d.u["coordination"], "moderateur", false, "creation", d.u["coordination"]);
    for (auto* qui : {"mediatrice", "lyon", "stetienne", "rennes"})
      ds::ajouter_membre(s, groupe, d.u[qui], "membre", false, "invitation", d.u["coordination"]);
    d.poster(groupe, "Réunion d'équipe", "coordination", "Réunion d'équipe mardi à 14 h en visio, l'ordre du jour suit.", 2 * jour);
    d.poster(groupe, "Réunion d'équipe", "lyon", "Je serai là.", 2 * jour - 10);
    d.poster(groupe, "Réunion d'équipe", "mediatrice", "Moi aussi, j'ajoute un point sur les permanences.", 100);

    // Conversations (direct messages): one topic each, « Conversation ».
    auto direct = [&](std::vector<std::string> qui) {
      std::vector<std::int64_t> ids;
      for (auto& q : qui) ids.push_back(d.u[q]);
      std::sort(ids.begin(), ids.end());
      std::string code;
      for (auto id : ids) code += (code.empty() ? "" : ",") + std::to_string(id);
      auto c = ds::creer_canal(s, "direct", code, "Conversation", "", ids.front());
      for (auto id : ids) ds::ajouter_membre(s, c, id, "membre", false, "conversation", ids.front());
      ds::creer_sujet(s, c, "Conversation", ids.front());
      return c;
    };
    auto d1 = direct({"mediatrice", "lyon"});
    d.poster(d1, "Conversation", "lyon", "Salut Maëlle, tu as encore des tablettes de prêt ?", 3 * 60);
    d.poster(d1, "Conversation", "mediatrice", "Oui, deux. Je te les laisse à l'accueil demain.", 2 * 60);
    d.poster(d1, "Conversation", "lyon", "Merci beaucoup !", 110);
    auto d2 = direct({"coordination", "mediatrice"});
    d.poster(d2, "Conversation", "coordination", "Tu peux m'envoyer ton bilan d'ateliers avant vendredi ?", jour);
    d.poster(d2, "Conversation", "mediatrice", "C'est noté, je te l'envoie jeudi.", jour - 30);
    auto d3 = direct({"mediatrice", "lyon", "stetienne"});
    d.poster(d3, "Conversation", "stetienne", "On prépare ensemble l'atelier arnaques par SMS ?", 4 * 60);
    d.poster(d3, "Conversation", "mediatrice", "Bonne idée, je propose jeudi prochain.", 3 * 60 + 30);
    auto d4 = direct({"admin", "gestion"});
    d.poster(d4, "Conversation", "admin", "Bonjour Gérard, la permanence du samedi est-elle confirmée ?", 6 * 60);
    auto d5 = direct({"rennes", "mediatrice"});
    d.poster(d5, "Conversation", "rennes", "Maëlle, tu peux m'envoyer ton déroulé d'atelier tablette ?", 5 * 60);
    d.poster(d5, "Conversation", "mediatrice", "Il est dans la Ressourcerie, sujet « Ateliers tablette » !", 4 * 60 + 40);
    auto d6 = direct({"tulle", "coordination"});
    d.poster(d6, "Conversation", "coordination", "Pierre, bienvenue dans le réseau ! Besoin d'aide pour démarrer ?", 2 * jour);
    d.poster(d6, "Conversation", "tulle", "Merci Camille, je reviens vers toi pour les exports.", 2 * jour - 60);
    d.poster(d6, "Conversation", "coordination", "Avec plaisir, la réponse est dans « Aide à la plateforme Coop ».", 3 * 60);
    auto d7 = direct({"marseille", "stetienne", "rennes"});
    d.poster(d7, "Conversation", "marseille", "On se retrouve à la rencontre régionale ?", 8 * 60);
  });
}

}  // namespace coop::app
