// Ressources search benchmark (bench/search/run.sh), two modes:
//   coop_bench_search generer URL N [SEED]   N resources of digital-inclusion teaching material,
//       written with the server's own store (ressources::store::creer + reindexer, hence
//       francais::indexer and the exact index rows the server writes), 1,000 per transaction.
//   coop_bench_search naif URL REQUETES REPS  the naive baseline: each query of the REQUETES file
//       (lines « classe<TAB>q<TAB>filtres » as in the HTTP part) as LIKE '%…%' scans (see
//       bench/README.md), REPS times; one JSON line per query with the latencies in ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/francais.hpp"
#include "features/ressources/index.hpp"
#include "features/ressources/model.hpp"
#include "features/ressources/store.hpp"
#include "storage/database.hpp"

using namespace coop;
namespace {

const std::vector<std::string> kSujets = {
    "la déclaration de revenus sur impots.gouv", "le compte ameli et l'attestation de droits",
    "l'inscription à France Travail", "la création d'une adresse de messagerie", "la prise en main du smartphone",
    "les mots de passe sécurisés", "la reconnaissance des arnaques par SMS", "FranceConnect", "la carte grise sur l'ANTS",
    "la demande de RSA à la CAF", "la prime d'activité", "le dossier médical partagé", "les visioconférences en famille",
    "les réseaux sociaux et la vie privée", "les achats en ligne sans risque", "la banque en ligne",
    "le traitement de texte", "les tableurs", "la recherche d'emploi en ligne", "le CV numérique",
    "les démarches de retraite", "l'espace numérique de travail des collèges", "Pronote pour les parents",
    "la prise de rendez-vous médical sur Doctolib", "le stockage des photos", "les sauvegardes",
    "l'intelligence artificielle générative", "les applications de mobilité", "la demande de logement social",
    "le chèque énergie", "la tablette pour les seniors", "le hameçonnage", "les mises à jour du téléphone",
    "la messagerie instantanée", "la signature électronique", "les justificatifs scannés"};
const std::vector<std::string> kTitres = {"Fiche pas à pas : ", "Atelier collectif : ", "Tutoriel : ", "Comprendre ",
                                          "Accompagner ", "Découvrir ", "Guide pratique : ", "Kit d'animation : ",
                                          "Diaporama : ", "Premiers pas avec ", "Sécuriser ", "Réussir "};
const std::vector<std::string> kPhrases = {
    "Cette fiche détaille chaque étape, captures d'écran à l'appui, pour les usagers débutants.",
    "L'atelier dure deux heures et s'adresse à des groupes de six à huit participants.",
    "Les médiatrices et médiateurs numériques y trouveront des conseils d'animation testés en médiathèque.",
    "On y explique comment créer un identifiant, choisir un mot de passe robuste et le retenir.",
    "Le déroulé propose des exercices sur smartphone Android et sur iPhone.",
    "Les démarches en ligne sont présentées avec des comptes de démonstration.",
    "Un quiz final permet d'évaluer les acquis des bénéficiaires.",
    "La fiche rappelle les pièges fréquents : faux sites, SMS frauduleux, appels d'escrocs.",
    "Les personnes allophones peuvent suivre grâce aux pictogrammes et aux consignes simplifiées.",
    "On accompagne l'usager jusqu'au téléchargement de l'attestation et à son envoi par courriel.",
    "Des exemples concrets tirés des permanences en France services illustrent chaque partie.",
    "Le support est modifiable et peut être adapté aux publics accompagnés.",
    "Les animateurs installent préalablement les applications nécessaires sur les tablettes prêtées.",
    "Chaque séance commence par un tour de table sur les difficultés rencontrées.",
    "La messagerie sécurisée permet d'échanger avec l'administration sans se déplacer.",
    "Les mises à jour régulières protègent les téléphones contre les failles de sécurité.",
    "Pour les seniors, on privilégie de gros caractères et un rythme plus lent.",
    "Les parents apprennent à suivre la scolarité de leurs enfants sur l'espace numérique.",
    "Une annexe liste les sites officiels : impots.gouv.fr, ameli.fr, francetravail.fr, caf.fr.",
    "Les participants repartent avec un mémo imprimé récapitulant les étapes essentielles."};

template <class T>
const T& choisir(std::mt19937_64& g, const std::vector<T>& v) { return v[g() % v.size()]; }
// Zipf-like choice among the codes of a vocabulary: the first ones are much more frequent.
std::string code_zipf(std::mt19937_64& g, std::span<const activites::Code> codes) {
  std::vector<double> w;
  for (std::size_t i = 0; i < codes.size(); ++i) w.push_back(1.0 / (1.0 + i));
  std::discrete_distribution<std::size_t> d(w.begin(), w.end());
  return std::string(codes[d(g)].code);
}

int generer(const std::string& url, long n, unsigned seed) {
  auto db = storage::open_database(url);
  std::mt19937_64 g(seed);
  std::int64_t auteur = db->read_value([](storage::Session& s) {
    return storage::as_int(s.query("SELECT MIN(id) FROM users").rows.at(0).at(0));
  });
  for (long fait = 0; fait < n;) {
    db->write([&](storage::Session& s) {
      for (int k = 0; k < 1000 && fait < n; ++k, ++fait) {
        ressources::Saisie x;
        const auto& sujet = choisir(g, kSujets);
        x.titre = choisir(g, kTitres) + sujet;
        x.resume = "Support pour " + sujet + ". " + choisir(g, kPhrases);
        for (int p = 0, np = 3 + static_cast<int>(g() % 6); p < np; ++p) x.description += choisir(g, kPhrases) + " ";
        x.description += "Thème principal : " + sujet + ".";
        for (int t = 0, nt = 1 + static_cast<int>(g() % 3); t < nt; ++t) x.thematiques.push_back(code_zipf(g, ressources::thematiques));
        for (int t = 0, nt = 1 + static_cast<int>(g() % 2); t < nt; ++t) x.publics.push_back(code_zipf(g, ressources::publics));
        std::sort(x.thematiques.begin(), x.thematiques.end());
        x.thematiques.erase(std::unique(x.thematiques.begin(), x.thematiques.end()), x.thematiques.end());
        std::sort(x.publics.begin(), x.publics.end());
        x.publics.erase(std::unique(x.publics.begin(), x.publics.end()), x.publics.end());
        x.format = code_zipf(g, ressources::formats);
        x.niveau = code_zipf(g, ressources::niveaux);
        x.licence = code_zipf(g, ressources::licences);
        x.duree_minutes = 30 + static_cast<std::int64_t>(g() % 8) * 15;
        const auto v = g() % 100;
        x.visibilite = v < 85 ? "public" : v < 97 ? "equipe" : "prive";
        x.statut = g() % 100 < 95 ? "publie" : "brouillon";
        const std::string html = "<p>" + x.description + "</p>";
        const auto id = ressources::store::creer(
            s, ressources::store::Ecriture{.saisie = x, .description_html = html, .auteur_id = auteur,
                                          .auteur_nom = "Bench", .origine_id = std::nullopt, .origine_credit = std::nullopt});
        ressources::store::reindexer(s, id);
      }
    });
    std::fprintf(stderr, "\r%ld / %ld", fait, n);
  }
  std::fprintf(stderr, "\n");
  return 0;
}

// Naive folding: lower case, accents removed (the same francais::plier the index uses for its
// words, applied to the raw query), nothing else: no stems, no stop words.
std::string naif_sql_colonne() {
  std::string c = "lower(r.titre || ' ' || r.resume || ' ' || r.description)";
  for (auto [a, b] : {std::pair{"é", "e"}, {"è", "e"}, {"ê", "e"}, {"ë", "e"}, {"à", "a"}, {"â", "a"}, {"ç", "c"},
                      {"î", "i"}, {"ï", "i"}, {"ô", "o"}, {"ù", "u"}, {"û", "u"}, {"É", "e"}, {"È", "e"}, {"À", "a"}})
    c = std::string("replace(") + c + ", '" + a + "', '" + b + "')";
  return c;
}

int naif(const std::string& url, const std::string& fichier, int reps) {
  auto db = storage::open_database(url);
  std::ifstream in(fichier);
  const std::string col = naif_sql_colonne();
  for (std::string ligne; std::getline(in, ligne);) {
    if (ligne.empty() || ligne[0] == '#') continue;
    std::istringstream ls(ligne);
    std::string classe, q, filtres;
    std::getline(ls, classe, '\t');
    std::getline(ls, q, '\t');
    std::getline(ls, filtres, '\t');
    // WHERE shared by every statement: published (what the benchmark's moderator sees),
    // each word as LIKE '%word%' (a trailing * is dropped: LIKE is already a prefix).
    auto where = [&](const std::string& sauf, storage::Params& p) {
      std::string w = "r.statut = 'publie'";
      std::istringstream ws(francais::plier(q));
      for (std::string mot; ws >> mot;) {
        if (!mot.empty() && mot.back() == '*') mot.pop_back();
        w += " AND " + col + " LIKE ?";
        p.emplace_back("%" + mot + "%");
      }
      std::istringstream fs(filtres);
      for (std::string kv; std::getline(fs, kv, '&');) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) continue;
        std::string f = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (f == sauf) continue;
        p.emplace_back(v);
        if (f == "thematique") w += " AND r.id IN (SELECT ressource_id FROM ressources_thematiques WHERE code = ?)";
        else if (f == "public") w += " AND r.id IN (SELECT ressource_id FROM ressources_publics WHERE code = ?)";
        else w += " AND r." + f + " = ?";
      }
      return w;
    };
    std::vector<double> ms;
    std::int64_t total = 0;
    for (int i = 0; i <= reps; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      db->read([&](storage::Session& s) {
        storage::Params p;
        const auto w = where("", p);
        total = storage::as_int(s.query("SELECT COUNT(*) FROM ressources r WHERE " + w, p).rows[0][0]);
        s.query("SELECT r.id FROM ressources r WHERE " + w + " ORDER BY COALESCE(r.publie_le, r.modifie_le) DESC, r.id DESC LIMIT 20", p);
        for (std::string f : {"thematique", "public", "format", "niveau", "licence"}) {
          storage::Params pf;
          const auto wf = where(f, pf);
          if (f == "thematique" || f == "public")
            s.query("SELECT code, COUNT(*) FROM ressources_" + std::string(f == "public" ? "publics" : "thematiques") +
                        " WHERE ressource_id IN (SELECT r.id FROM ressources r WHERE " + wf + ") GROUP BY code", pf);
          else
            s.query("SELECT r." + f + ", COUNT(*) FROM ressources r WHERE " + wf + " GROUP BY r." + f, pf);
        }
      });
      if (i > 0) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::cout << "{\"classe\":\"" << classe << "\",\"q\":\"" << q << "\",\"filtres\":\"" << filtres << "\",\"total\":" << total
              << ",\"ms\":[";
    for (std::size_t i = 0; i < ms.size(); ++i) std::cout << (i ? "," : "") << ms[i];
    std::cout << "]}" << std::endl;
  }
  return 0;
}

// The search alone, in this process (no HTTP, no cards): ressources::Index::rechercher as the
// administrator of the dataset sees it, REPS times per query after one warm-up.
int index(const std::string& url, const std::string& fichier, int reps) {
  auto db = storage::open_database(url);
  ressources::Index idx;
  const auto t0 = std::chrono::steady_clock::now();
  db->read([&](storage::Session& s) { idx.synchroniser(s); });
  std::fprintf(stderr, "index: %zu ressources en %.0f ms\n", idx.etat().ressources,
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  const ressources::store::Lecteur l{.user_id = db->read_value([](storage::Session& s) {
                                       return storage::as_int(s.query("SELECT MIN(id) FROM users").rows.at(0).at(0));
                                     }),
                                     .moderateur = true, .aujourdhui = "2026-12-07"};
  std::ifstream in(fichier);
  for (std::string ligne; std::getline(in, ligne);) {
    if (ligne.empty() || ligne[0] == '#') continue;
    std::istringstream ls(ligne);
    std::string classe, q, filtres;
    std::getline(ls, classe, '\t');
    std::getline(ls, q, '\t');
    std::getline(ls, filtres, '\t');
    ressources::store::Recherche r;
    const bool prefixe = classe.starts_with("préfixe");
    r.fts5 = francais::requete_fts5(q, prefixe);
    r.tsquery = francais::requete_tsquery(q, prefixe);
    r.tri = "pertinence";
    std::istringstream fs(filtres);
    for (std::string kv; std::getline(fs, kv, '&');)
      if (auto eq = kv.find('='); eq != std::string::npos) r.filtres[kv.substr(0, eq)].push_back(kv.substr(eq + 1));
    std::vector<double> ms;
    std::int64_t total = 0;
    for (int i = 0; i <= reps; ++i) {
      auto t = std::chrono::steady_clock::now();
      total = db->read_value([&](storage::Session& s) { return idx.rechercher(s, l, r).total; });
      if (i > 0) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
    }
    std::cout << "{\"classe\":\"" << classe << "\",\"q\":\"" << q << "\",\"filtres\":\"" << filtres << "\",\"total\":" << total
              << ",\"ms\":[";
    for (std::size_t i = 0; i < ms.size(); ++i) std::cout << (i ? "," : "") << ms[i];
    std::cout << "]}" << std::endl;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "generer" && argc >= 4) return generer(argv[2], std::stol(argv[3]), argc > 4 ? std::stoul(argv[4]) : 1);
    if (mode == "naif" && argc >= 5) return naif(argv[2], argv[3], std::stoi(argv[4]));
    if (mode == "index" && argc >= 5) return index(argv[2], argv[3], std::stoi(argv[4]));
    std::fprintf(stderr, "usage: coop_bench_search generer URL N [SEED] | naif URL REQUETES REPS | index URL REQUETES REPS\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coop_bench_search: %s\n", e.what());
    return 1;
  }
}
