#include "features/referentiel/territoires.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using coop::referentiel::Commune;
using coop::referentiel::Territoires;

namespace {

// COOP_REFERENTIEL_DIR, else web/node_modules/@etalab/decoupage-administratif/data searched from
// the current directory up to the filesystem root (ctest runs from the build dir).
std::string find_data_dir() {
  if (const char* env = std::getenv("COOP_REFERENTIEL_DIR"); env && *env) return env;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::current_path(ec);
  while (!ec && !dir.empty()) {
    const auto candidate = dir / std::string(coop::referentiel::kDefaultDataDir);
    if (std::filesystem::exists(candidate / "communes.json", ec)) return candidate.string();
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return {};
}

struct Loaded {
  std::unique_ptr<Territoires> t;
  std::string error;
};

const Loaded& shared() {
  static const Loaded loaded = [] {
    Loaded l;
    const std::string dir = find_data_dir();
    if (dir.empty()) {
      l.error = "référentiel introuvable: définissez COOP_REFERENTIEL_DIR ou lancez `npm ci` dans "
                "web/ (web/node_modules/@etalab/decoupage-administratif/data cherché depuis le "
                "répertoire courant et ses parents)";
      return l;
    }
    try {
      l.t = std::make_unique<Territoires>(Territoires::load(dir));
    } catch (const std::exception& e) {
      l.error = e.what();
    }
    return l;
  }();
  return loaded;
}

class Referentiel : public ::testing::Test {
 protected:
  void SetUp() override {
    // Must FAIL (not skip) when the data is missing: the API depends on it.
    ASSERT_TRUE(shared().t) << shared().error;
    t = shared().t.get();
  }
  std::vector<std::string> codes(std::string_view q, std::size_t limit = 10) const {
    std::vector<std::string> out;
    for (const Commune* c : t->search(q, limit)) out.push_back(c->code);
    return out;
  }
  bool contains(std::string_view q, std::string_view code, std::size_t limit = 10) const {
    const auto v = codes(q, limit);
    return std::find(v.begin(), v.end(), code) != v.end();
  }
  const Territoires* t = nullptr;
};

}  // namespace

TEST_F(Referentiel, Counts) {
  EXPECT_GT(t->commune_count(), 34000u);
  EXPECT_EQ(t->arrondissement_count(), 45u);  // Paris 20 + Lyon 9 + Marseille 16
  EXPECT_EQ(t->departements().size(), 101u);   // 96 metropolitan + 5 DROM
  EXPECT_EQ(t->regions().size(), 18u);         // 13 metropolitan + 5 DROM
  for (const auto& d : t->departements()) {
    EXPECT_NE(d.zone, "com") << d.code;
    EXPECT_NE(t->region(d.region), nullptr) << d.code;
  }
}

TEST_F(Referentiel, Lookups) {
  const Commune* lyon = t->commune("69123");
  ASSERT_NE(lyon, nullptr);
  EXPECT_EQ(lyon->nom, "Lyon");
  EXPECT_EQ(lyon->type, "commune-actuelle");
  EXPECT_FALSE(lyon->arrondissement());
  EXPECT_EQ(lyon->departement, "69");
  EXPECT_EQ(lyon->region, "84");
  EXPECT_GT(lyon->population, 400000);
  EXPECT_EQ(lyon->codes_postaux.size(), 9u);

  const Commune* lyon1 = t->commune("69381");
  ASSERT_NE(lyon1, nullptr);
  EXPECT_TRUE(lyon1->arrondissement());
  EXPECT_EQ(lyon1->commune_parente, "69123");
  EXPECT_EQ(lyon1->codes_postaux, std::vector<std::string>{"69001"});
  EXPECT_EQ(lyon1->departement, "69");

  ASSERT_NE(t->commune("2A004"), nullptr);
  EXPECT_EQ(t->commune("2A004")->nom, "Ajaccio");
  EXPECT_EQ(t->commune("2a004"), t->commune("2A004"));
  EXPECT_EQ(t->commune("99999"), nullptr);
  EXPECT_EQ(t->commune(""), nullptr);
  // Communes déléguées are not kept: 01039 Béon is déléguée of Valromey-sur-Séran, while
  // 01015 is both Arboys en Bugey (actuelle, kept) and Arbignieu (déléguée, dropped).
  EXPECT_EQ(t->commune("01039"), nullptr);
  ASSERT_NE(t->commune("01015"), nullptr);
  EXPECT_EQ(t->commune("01015")->nom, "Arboys en Bugey");

  ASSERT_NE(t->departement("69"), nullptr);
  EXPECT_EQ(t->departement("69")->nom, "Rhône");
  ASSERT_NE(t->departement("2B"), nullptr);
  EXPECT_EQ(t->departement("2B")->nom, "Haute-Corse");
  ASSERT_NE(t->departement("974"), nullptr);
  EXPECT_EQ(t->departement("974")->nom, "La Réunion");
  EXPECT_EQ(t->departement("00"), nullptr);
  ASSERT_NE(t->region("84"), nullptr);
  EXPECT_EQ(t->region("84")->nom, "Auvergne-Rhône-Alpes");
  EXPECT_EQ(t->region("99"), nullptr);

  // Collectivités d'outre-mer resolve, though they are not in the official lists.
  const Commune* marigot = t->commune("97801");
  ASSERT_NE(marigot, nullptr);
  ASSERT_NE(t->departement(marigot->departement), nullptr);
  EXPECT_EQ(t->departement(marigot->departement)->nom, "Saint-Martin");
  EXPECT_NE(t->region(marigot->region), nullptr);
}

TEST_F(Referentiel, EveryCommuneResolvesDepartementAndRegion) {
  std::size_t n = 0;
  for (std::string_view code : {"01001", "13055", "2B033", "97411", "97608", "98735"}) {
    const Commune* c = t->commune(code);
    ASSERT_NE(c, nullptr) << code;
    EXPECT_NE(t->departement(c->departement), nullptr) << code;
    EXPECT_NE(t->region(c->region), nullptr) << code;
    ++n;
  }
  EXPECT_EQ(n, 6u);
}

TEST_F(Referentiel, SearchLyon) {
  const auto r = t->search("lyon", 10);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0]->code, "69123");
  ASSERT_NE(t->departement(r[0]->departement), nullptr);
  EXPECT_EQ(t->departement(r[0]->departement)->nom, "Rhône");
  ASSERT_NE(t->region(r[0]->region), nullptr);
  EXPECT_EQ(t->region(r[0]->region)->nom, "Auvergne-Rhône-Alpes");
  // Lyons-la-Forêt (a commune) ranks before the arrondissements of Lyon.
  ASSERT_GE(r.size(), 2u);
  EXPECT_EQ(r[1]->nom, "Lyons-la-Forêt");
  EXPECT_TRUE(contains("Lyon", "69381", 20));
  // With a trailing separator the word is complete.
  EXPECT_FALSE(contains("lyon ", "27377", 50));
  EXPECT_TRUE(contains("lyon ", "69123"));
  EXPECT_EQ(codes("lyon 3", 1), std::vector<std::string>{"69383"});
}

TEST_F(Referentiel, SearchSaintEtienne) {
  for (std::string_view q : {"saint etienne", "st etienne", "SAINT-ÉTIENNE", "Saint-Étienne",
                             "st-etienne", "St Étienne", "saint-etienne", "ST ETIENNE"}) {
    const auto r = codes(q);
    ASSERT_FALSE(r.empty()) << q;
    EXPECT_EQ(r[0], "42218") << q;
  }
  // A word in the middle of the name.
  EXPECT_EQ(codes("etienne", 1), std::vector<std::string>{"42218"});
  EXPECT_TRUE(contains("etienne du", "76575"));  // Saint-Étienne-du-Rouvray
  EXPECT_TRUE(contains("ste foy les lyon", "69202"));  // Sainte-Foy-lès-Lyon
  // "st" as an unfinished word is a plain prefix (Strasbourg); "st " means "saint ".
  EXPECT_EQ(codes("st", 1), std::vector<std::string>{"67482"});
  const auto st = t->search("st ", 20);
  ASSERT_EQ(st.size(), 20u);
  for (const Commune* c : st) {
    EXPECT_TRUE(c->nom.rfind("Saint", 0) == 0 || c->nom.rfind("Le Saint", 0) == 0) << c->nom;
    EXPECT_EQ(c->nom.rfind("Saintes", 0), std::string::npos) << c->nom;
  }
  EXPECT_TRUE(contains("saint", "17415", 50));  // Saintes (not a whole word, but a prefix)
}

TEST_F(Referentiel, SearchAccentsAndArticles) {
  const auto r = codes("haÿ");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0], "94038");  // L'Haÿ-les-Roses (31k) before Hayange (16k)
  EXPECT_TRUE(contains("l'hay les roses", "94038"));
  EXPECT_TRUE(contains("L’HAŸ-LES-ROSES", "94038"));
  EXPECT_EQ(codes("rochelle", 1), std::vector<std::string>{"17300"});   // La Rochelle
  EXPECT_EQ(codes("la rochelle", 1), std::vector<std::string>{"17300"});
  EXPECT_EQ(codes("orleans", 1), std::vector<std::string>{"45234"});
  EXPECT_EQ(codes("ÎLE-SAINT-DENIS", 1), std::vector<std::string>{"93039"});  // L'Île-Saint-Denis
}

TEST_F(Referentiel, SearchRankingByPopulation) {
  const auto r = t->search("mar", 5);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0]->code, "13055");  // Marseille
  for (std::size_t i = 1; i < r.size(); ++i) {
    EXPECT_GE(r[i - 1]->population, r[i]->population);
  }
  EXPECT_EQ(codes("paris", 1), std::vector<std::string>{"75056"});
  EXPECT_EQ(codes("paris 16", 1), std::vector<std::string>{"75116"});
}

TEST_F(Referentiel, SearchPostalCode) {
  // Postal code first: Lyon itself (it has every 6900x postal code), then its 1st
  // arrondissement; then the commune whose INSEE code is 69001 (Affoux, postal code 69170).
  EXPECT_EQ(codes("69001"), (std::vector<std::string>{"69123", "69381", "69001"}));
  EXPECT_EQ(codes(" 69001 "), (std::vector<std::string>{"69123", "69381", "69001"}));
  EXPECT_EQ(codes("69001", 2), (std::vector<std::string>{"69123", "69381"}));
  // Postal code shared by several communes: all of them, biggest first, then the INSEE match
  // (51300 Isle-sur-Marne, postal code 51290).
  const auto r = t->search("51300", 100);
  ASSERT_GT(r.size(), 40u);
  EXPECT_EQ(r.back()->code, "51300");
  for (std::size_t i = 0; i + 1 < r.size(); ++i) {
    EXPECT_NE(std::find(r[i]->codes_postaux.begin(), r[i]->codes_postaux.end(), "51300"),
              r[i]->codes_postaux.end());
    if (i > 0) {
      EXPECT_GE(r[i - 1]->population, r[i]->population);
    }
  }
  // Prefix.
  const auto p = t->search("690", 50);
  ASSERT_FALSE(p.empty());
  EXPECT_EQ(p[0]->code, "69123");
  for (const Commune* c : p) {
    EXPECT_TRUE(std::any_of(c->codes_postaux.begin(), c->codes_postaux.end(),
                            [](const std::string& cp) { return cp.rfind("690", 0) == 0; }))
        << c->code;
  }
  EXPECT_EQ(codes("42", 1), std::vector<std::string>{"42218"});
}

TEST_F(Referentiel, SearchInseeCode) {
  EXPECT_EQ(codes("75056"), std::vector<std::string>{"75056"});
  EXPECT_EQ(codes("2A004"), std::vector<std::string>{"2A004"});
  EXPECT_EQ(codes("2a004"), std::vector<std::string>{"2A004"});
  EXPECT_EQ(codes("69381"), std::vector<std::string>{"69381"});
  // 75016 is a postal code (Paris, Paris 16e has 75016 and 75116) and not an INSEE code.
  const auto r = codes("75016");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0], "75056");
}

TEST_F(Referentiel, SearchEmptyAndNonsense) {
  EXPECT_TRUE(t->search("", 10).empty());
  EXPECT_TRUE(t->search("   ", 10).empty());
  EXPECT_TRUE(t->search("'-", 10).empty());
  EXPECT_TRUE(t->search("lyon", 0).empty());
  EXPECT_TRUE(t->search("xqzwkjvbn", 10).empty());
  EXPECT_TRUE(t->search("00000", 10).empty());
  EXPECT_TRUE(t->search("123456", 10).empty());
  EXPECT_TRUE(t->search("\xFF\xFE", 10).empty());
}

TEST_F(Referentiel, LimitRespected) {
  EXPECT_EQ(t->search("saint", 5).size(), 5u);
  EXPECT_EQ(t->search("s", 1).size(), 1u);
  EXPECT_EQ(t->search("69", 3).size(), 3u);
  EXPECT_EQ(t->search("51300", 7).size(), 7u);
  EXPECT_EQ(t->search("saint", 50).size(), 50u);
  // No duplicates even when a name matches several ways.
  for (std::string_view q : {"saint", "la", "s", "sur", "13", "le"}) {
    auto r = t->search(q, 200);
    std::sort(r.begin(), r.end());
    EXPECT_EQ(std::adjacent_find(r.begin(), r.end()), r.end()) << q;
  }
}

TEST_F(Referentiel, ThousandSearches) {
  const std::vector<std::string> queries = {"lyon",    "saint etienne", "st e",  "s",
                                            "69001",   "75",            "haÿ",   "mar",
                                            "rochelle", "sur",          "2A004", "bourg en"};
  std::size_t total = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) total += t->search(queries[i % queries.size()], 10).size();
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  EXPECT_GT(total, 0u);
  std::printf("[ info     ] 1000 searches in %lld us (%.1f us/search)\n",
              static_cast<long long>(us), static_cast<double>(us) / 1000.0);
}

TEST_F(Referentiel, ConcurrentReaders) {
  const std::vector<std::string> queries = {"lyon", "st etienne", "s", "69001", "la", "mar"};
  std::vector<std::vector<const Commune*>> expected;
  for (const auto& q : queries) expected.push_back(t->search(q, 20));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < 300; ++i) {
        const std::size_t k = static_cast<std::size_t>(i + th) % queries.size();
        if (t->search(queries[k], 20) != expected[k]) ++mismatches[th];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(ReferentielLoad, MissingDirectoryNamesTheFile) {
  try {
    (void)Territoires::load("/nonexistent/coop-referentiel");
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("données de référence introuvables"), std::string::npos) << msg;
    EXPECT_NE(msg.find("/nonexistent/coop-referentiel/communes.json"), std::string::npos) << msg;
    EXPECT_NE(msg.find("npm ci"), std::string::npos) << msg;
  }
}

TEST(ReferentielLoad, FromJsonFixture) {
  const auto t = Territoires::from_json(
      R"([
        {"code":"01001","nom":"L'Abergement-Clémenciat","type":"commune-actuelle",
         "departement":"01","region":"84","codesPostaux":["01400"],"population":860},
        {"code":"01002","nom":"Bourg","type":"commune-actuelle","departement":"01","region":"84",
         "codesPostaux":["01400","01500"],"population":5000},
        {"code":"01003","nom":"Bourg","type":"commune-actuelle","departement":"01","region":"84",
         "codesPostaux":["01600"],"population":5000},
        {"code":"01004","nom":"Ancienne","type":"commune-deleguee","departement":"01","region":"84"},
        {"code":"01005","nom":"Sans Population","type":"commune-actuelle","departement":"01",
         "region":"84"}
      ])",
      R"([{"code":"01","nom":"Ain","region":"84","zone":"metro"}])",
      R"([{"code":"84","nom":"Auvergne-Rhône-Alpes","zone":"metro"}])");
  EXPECT_EQ(t.commune_count(), 4u);
  EXPECT_EQ(t.arrondissement_count(), 0u);
  EXPECT_EQ(t.commune("01004"), nullptr);
  ASSERT_NE(t.commune("01005"), nullptr);
  EXPECT_EQ(t.commune("01005")->population, 0);
  EXPECT_TRUE(t.commune("01005")->codes_postaux.empty());
  // Same name and population: tie broken by code, deterministically.
  const auto bourg = t.search("bourg", 10);
  ASSERT_EQ(bourg.size(), 2u);
  EXPECT_EQ(bourg[0]->code, "01002");
  EXPECT_EQ(bourg[1]->code, "01003");
  const auto cp = t.search("01400", 10);
  ASSERT_EQ(cp.size(), 2u);
  EXPECT_EQ(cp[0]->code, "01002");  // bigger first
  EXPECT_EQ(t.search("abergement", 10).size(), 1u);
  EXPECT_EQ(t.departements().size(), 1u);
  EXPECT_EQ(t.regions().size(), 1u);
}

TEST(ReferentielLoad, InvalidJsonIsReported) {
  EXPECT_THROW((void)Territoires::from_json("[", "[]", "[]"), std::runtime_error);
  EXPECT_THROW((void)Territoires::from_json("{}", "[]", "[]"), std::runtime_error);
  EXPECT_THROW((void)Territoires::from_json(R"([{"type":"commune-actuelle"}])", "[]", "[]"),
               std::runtime_error);
  try {
    (void)Territoires::from_json("[]", "[1]", "[]");
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("données de référence invalides: departements.json"),
              std::string::npos)
        << e.what();
  }
}

TEST(ReferentielLoad, EmptyTerritoires) {
  const Territoires t;
  EXPECT_EQ(t.commune_count(), 0u);
  EXPECT_TRUE(t.search("lyon", 10).empty());
  EXPECT_TRUE(t.search("69001", 10).empty());
  EXPECT_EQ(t.commune("69123"), nullptr);
  EXPECT_EQ(t.departement("69"), nullptr);
}
