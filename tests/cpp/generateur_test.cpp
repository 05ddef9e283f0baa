// Scale data generator (coop demo --activites): counts, every rule of the activities and
// beneficiaries models on what it wrote, premier_accompagnement, reproducibility, the concentrated
// mode; on SQLite and PostgreSQL (COOP_TEST_PG_URL, as in storage_test.cpp).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>

#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/activites/model.hpp"
#include "features/activites/store.hpp"
#include "features/beneficiaires/model.hpp"
#include "features/generateur/generateur.hpp"
#include "features/referentiel/territoires.hpp"
#include "storage/migrations.hpp"

namespace fs = std::filesystem;
using namespace coop;
using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Session;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

const referentiel::Territoires& territoires() {
  static const referentiel::Territoires t = [] {
    std::string dir = env("COOP_REFERENTIEL_DIR");
    if (dir.empty()) {
      std::error_code ec;
      for (fs::path p = fs::current_path(ec); !p.empty(); p = p.parent_path()) {
        if (fs::exists(p / std::string(referentiel::kDefaultDataDir) / "communes.json", ec)) {
          dir = (p / std::string(referentiel::kDefaultDataDir)).string();
          break;
        }
        if (p == p.parent_path()) break;
      }
    }
    return referentiel::Territoires::load(dir);  // throws (test fails) when missing
  }();
  return t;
}

class Generateur : public ::testing::TestWithParam<std::string> {
 protected:
  void TearDown() override {
    for (auto& db : dbs_) db->close();
    dbs_.clear();
    if (admin_) {
      admin_->write([&](Session& s) {
        for (auto& schema : schemas_) s.exec_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      });
      admin_->close();
    }
    for (auto& d : dirs_) fs::remove_all(d);
  }

  // A fresh migrated database on the engine under test.
  storage::Database& fresh() {
    std::string url;
    if (GetParam() == "sqlite") {
      std::string tmpl = (fs::temp_directory_path() / "coop-gen-test-XXXXXX").string();
      if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
      dirs_.push_back(tmpl);
      url = "sqlite:" + tmpl + "/test.db";
    } else {
      const std::string base = env("COOP_TEST_PG_URL");
      if (base.empty()) {
        if (env("COOP_TEST_NO_PG") == "1") throw std::runtime_error("skip");
        throw std::runtime_error("COOP_TEST_PG_URL is not set (export COOP_TEST_PG_URL=$(scripts/pg-test.sh start))");
      }
      static std::atomic<int> counter{0};
      const auto schema = fmt::format("coop_gen_{}_{}", ::getpid(), counter++);
      if (!admin_) admin_ = storage::open_database(base, {.readers = 1});
      admin_->write([&](Session& s) {
        s.exec_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        s.exec_script("CREATE SCHEMA " + schema);
      });
      schemas_.push_back(schema);
      url = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
    }
    dbs_.push_back(storage::open_database(url, {.readers = 2}));
    storage::migrate(*dbs_.back());
    return *dbs_.back();
  }

  static std::int64_t count(storage::Database& db, const std::string& sql) {
    return db.read_value([&](Session& s) { return as_int(s.query(sql).rows[0][0]); });
  }

  // Every row the generator writes, as text, in id order (reproducibility).
  static std::string dump(storage::Database& db) {
    std::string out;
    db.read([&](Session& s) {
      for (const char* sql : {"SELECT * FROM activites ORDER BY id", "SELECT * FROM beneficiaires ORDER BY id",
                              "SELECT * FROM activite_beneficiaires ORDER BY activite_id, beneficiaire_id",
                              "SELECT * FROM activite_tags ORDER BY activite_id, tag_id",
                              "SELECT mediateur_id, structure_id, debut, fin FROM lieux_activite ORDER BY id",
                              "SELECT email, nom, prenom FROM users ORDER BY id",
                              "SELECT nom, siret, commune_insee FROM structures ORDER BY id",
                              "SELECT coordinateur_id, mediateur_id, debut, fin FROM team_members ORDER BY id"}) {
        for (auto& r : s.query(sql).rows) {
          for (auto& v : r) out += storage::is_null(v) ? "∅" : as_text(v) + "|";
          out += "\n";
        }
      }
    });
    return out;
  }

  // Every activity through activites::validate, every followed beneficiary through
  // beneficiaires::validate; returns the number of activities checked.
  static std::int64_t check_rules(storage::Database& db) {
    const auto today = core::today();
    std::int64_t checked = 0;
    db.read([&](Session& s) {
      std::map<std::int64_t, std::vector<activites::LieuPeriode>> lieux;
      for (auto& r : s.query("SELECT id FROM activites ORDER BY id").rows) {
        auto v = activites::store::activite_by_id(s, as_int(r[0]), true);
        ASSERT_TRUE(v);
        auto& a = v->a;
        if (!lieux.count(a.mediateur_id))
          lieux[a.mediateur_id] = activites::store::periodes(activites::store::lieux_of(s, a.mediateur_id));
        activites::Contexte ctx{today, &territoires(), lieux[a.mediateur_id]};
        auto copy = a;
        activites::normalize(copy);
        EXPECT_EQ(copy.thematiques, a.thematiques) << "activity " << a.id << " is not normalized";
        auto errors = activites::validate(a, ctx);
        std::string text;
        for (auto& [k, m] : errors) text += k + ": " + m + "; ";
        EXPECT_TRUE(errors.empty()) << "activity " << a.id << " (" << a.type << ", " << a.date << "): " << text;
        ++checked;
      }
      const int year = std::stoi(today.substr(0, 4));
      for (auto& r : s.query("SELECT id, mediateur_id, anonyme, prenom, nom, annee_naissance, telephone, pas_de_telephone, "
                             "email, commune_insee, code_postal, genre, tranche_age, statut_social FROM beneficiaires")
                         .rows) {
        beneficiaires::Beneficiaire b;
        b.id = as_int(r[0]);
        b.mediateur_id = as_int(r[1]);
        b.anonyme = as_int(r[2]) != 0;
        b.prenom = as_opt_text(r[3]);
        b.nom = as_opt_text(r[4]);
        b.annee_naissance = as_opt_int(r[5]);
        b.telephone = as_opt_text(r[6]);
        b.pas_de_telephone = as_int(r[7]) != 0;
        b.email = as_opt_text(r[8]);
        b.commune_insee = as_opt_text(r[9]);
        b.code_postal = as_opt_text(r[10]);
        b.genre = as_opt_text(r[11]);
        b.tranche_age = as_opt_text(r[12]);
        b.statut_social = as_opt_text(r[13]);
        auto errors = beneficiaires::validate(b, territoires(), year);
        std::string text;
        for (auto& [k, m] : errors) text += k + ": " + m + "; ";
        EXPECT_TRUE(errors.empty()) << "beneficiaire " << b.id << ": " << text;
      }
    });
    return checked;
  }

  std::vector<std::unique_ptr<storage::Database>> dbs_;
  std::unique_ptr<storage::Database> admin_;
  std::vector<std::string> schemas_, dirs_;
};

#define FRESH_OR_SKIP(var)                                                   \
  storage::Database* var##_ptr = nullptr;                                    \
  try {                                                                      \
    var##_ptr = &fresh();                                                    \
  } catch (const std::runtime_error& e) {                                    \
    if (std::string(e.what()) == "skip") GTEST_SKIP() << "COOP_TEST_NO_PG=1"; \
    FAIL() << e.what();                                                      \
  }                                                                          \
  storage::Database& var = *var##_ptr

TEST_P(Generateur, CountsRulesFirstAccompanimentsAndReproducibility) {
  FRESH_OR_SKIP(db);
  generateur::Options o;
  o.activites = 2000;
  o.seed = 42;
  o.par_transaction = 700;  // several transactions and partial batches
  const auto r = generateur::generer(db, territoires(), o);

  EXPECT_EQ(r.activites, 2000);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activites"), 2000);
  EXPECT_GE(r.mediateurs, 3);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM user_roles WHERE role = 'mediateur'"), r.mediateurs);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM user_roles WHERE role = 'coordinateur'"), r.coordinateurs);
  EXPECT_GE(r.coordinateurs, 1);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM beneficiaires"), r.beneficiaires);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activite_beneficiaires"), r.liens_beneficiaires);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activite_tags"), r.liens_tags);
  EXPECT_GT(r.liens_tags, 0);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activites WHERE deleted_at IS NOT NULL"), r.supprimees);
  // Every mediator's lieux d'activité: 1 to 3, all in the département of their structures' communes.
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM (SELECT mediateur_id FROM lieux_activite GROUP BY mediateur_id "
                      "HAVING COUNT(*) > 3) x"),
            0);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM (SELECT l.mediateur_id FROM lieux_activite l JOIN structures st ON "
                      "st.id = l.structure_id GROUP BY l.mediateur_id HAVING COUNT(DISTINCT SUBSTR(st.commune_insee, 1, 2)) > 1) x"),
            0);
  // Types: ≈ 85 % individuel.
  const auto collectifs = count(db, "SELECT COUNT(*) FROM activites WHERE type = 'collectif'");
  EXPECT_GT(collectifs, 200);
  EXPECT_LT(collectifs, 400);
  // An individual CRA has exactly one beneficiary; anonymous ones have their own row.
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activites a WHERE a.type = 'individuel' AND (SELECT COUNT(*) FROM "
                      "activite_beneficiaires ab WHERE ab.activite_id = a.id) <> 1"),
            0);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM beneficiaires b WHERE b.anonyme = 1 AND (SELECT COUNT(*) FROM "
                      "activite_beneficiaires ab WHERE ab.beneficiaire_id = b.id) <> 1"),
            0);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activite_beneficiaires ab JOIN beneficiaires b ON b.id = ab.beneficiaire_id "
                      "WHERE b.anonyme = 1 AND ab.premier_accompagnement <> 1"),
            0);
  // An anonymous beneficiary is in the bin exactly when its activity is.
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activite_beneficiaires ab JOIN beneficiaires b ON b.id = ab.beneficiaire_id "
                      "JOIN activites a ON a.id = ab.activite_id WHERE b.anonyme = 1 AND "
                      "(a.deleted_at IS NULL) <> (b.deleted_at IS NULL)"),
            0);
  // Ateliers: 3 to 12 participants, followed ones plus anonymous counts.
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activites a WHERE a.type = 'collectif' AND a.anonymes_total + (SELECT COUNT(*) "
                      "FROM activite_beneficiaires ab WHERE ab.activite_id = a.id) NOT BETWEEN 3 AND 12"),
            0);
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM activites a WHERE a.type = 'collectif' AND EXISTS (SELECT 1 FROM "
                      "activite_beneficiaires ab WHERE ab.activite_id = a.id)"),
            0);
  // Followed beneficiaries come back: fewer followed rows than followed links.
  const auto suivis = count(db, "SELECT COUNT(*) FROM beneficiaires WHERE anonyme = 0");
  const auto liens_suivis = count(db, "SELECT COUNT(*) FROM activite_beneficiaires ab JOIN beneficiaires b ON "
                                      "b.id = ab.beneficiaire_id WHERE b.anonyme = 0");
  EXPECT_EQ(suivis, r.beneficiaires_suivis);
  EXPECT_GT(suivis, 0);
  EXPECT_GT(liens_suivis, suivis + suivis / 4);
  // premier_accompagnement: exactly what the store computes (earliest live activity of each).
  const auto before = dump(db);
  db.write([&](Session& s) {
    std::vector<std::int64_t> ids;
    for (auto& row : s.query("SELECT id FROM beneficiaires WHERE anonyme = 0").rows) ids.push_back(as_int(row[0]));
    activites::store::recompute_premier(s, ids);
  });
  EXPECT_EQ(dump(db), before) << "premier_accompagnement differs from activites::store::recompute_premier";
  // Dates: 2020 to today, several years, weekdays mostly.
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activites WHERE date < '2020-01-01' OR date > '" + core::today() + "'"), 0);
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM activites WHERE date >= '2024-01-01'"),
            2 * count(db, "SELECT COUNT(*) FROM activites WHERE date < '2022-01-01'"));

  EXPECT_EQ(check_rules(db), 2000);

  // The identity sequences moved past the generated ids: a CRA saved afterwards gets a new id.
  db.write([&](Session& s) {
    auto a = activites::store::activite_by_id(s, 1, true)->a;
    a.beneficiaire_id.reset();
    a.participants.clear();
    const auto id = activites::store::insert_activite(s, a);
    EXPECT_GT(id, 2000);
  });

  // Same seed on a fresh database: the very same rows; another seed: other rows; the same seed
  // twice in one database is refused.
  auto& again = fresh();
  generateur::generer(again, territoires(), o);
  auto& other = fresh();
  auto o2 = o;
  o2.seed = 43;
  generateur::generer(other, territoires(), o2);
  auto& first_copy = fresh();
  generateur::generer(first_copy, territoires(), o);
  EXPECT_EQ(dump(again), dump(first_copy));
  EXPECT_NE(dump(again), dump(other));
  EXPECT_THROW(generateur::generer(again, territoires(), o), std::invalid_argument);
}

TEST_P(Generateur, ConcentratesOnOneMediator) {
  FRESH_OR_SKIP(db);
  std::int64_t mediatrice = 0;
  db.write([&](Session& s) {
    mediatrice = accounts::store::create_user(s, {"m@coop.example", "Médiatrice", "Maëlle", std::nullopt, "x"});
    accounts::RoleGrant g;
    g.role = accounts::Role::mediateur;
    accounts::store::replace_roles(s, mediatrice, {g});
    accounts::store::Structure st;
    st.nom = "Médiathèque";
    st.commune_insee = "35238";
    const auto sid = accounts::store::create_structure(s, st);
    activites::store::create_lieu(s, mediatrice, sid, "2024-01-01", std::nullopt);
  });
  generateur::Options o;
  o.activites = 1500;
  o.seed = 7;
  o.mediateur_email = "m@coop.example";
  const auto r = generateur::generer(db, territoires(), o);
  EXPECT_EQ(r.mediateurs, 1);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM users"), 1);
  EXPECT_EQ(count(db, fmt::format("SELECT COUNT(*) FROM activites WHERE mediateur_id = {}", mediatrice)), 1500);
  // Its places stay in its département (Ille-et-Vilaine).
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM structures WHERE commune_insee NOT LIKE '35%'"), 0);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activites WHERE commune_insee IS NOT NULL AND commune_insee NOT LIKE '35%'"), 0);
  EXPECT_EQ(check_rules(db), 1500);

  o.mediateur_email = "personne@coop.example";
  EXPECT_THROW(generateur::generer(db, territoires(), o), std::invalid_argument);
  o.mediateur_email.reset();
  o.activites = 0;
  EXPECT_THROW(generateur::generer(db, territoires(), o), std::invalid_argument);
  o.activites = generateur::max_activites + 1;
  EXPECT_THROW(generateur::generer(db, territoires(), o), std::invalid_argument);
}

// Large loads (Options::sans_index_des, forced here on a small N): on PostgreSQL one transaction
// drops the secondary indexes and re-creates them; afterwards the schema's indexes are exactly
// those the migrations made, the rows are those of the ordinary path, and an interrupted load
// leaves nothing behind (indexes included). SQLite ignores the option.
TEST_P(Generateur, LargeLoadRebuildsTheSameIndexesAndWritesTheSameRows) {
  FRESH_OR_SKIP(db);
  auto indexes = [](storage::Database& d) {
    return d.read_value([](Session& s) {
      std::vector<std::string> out;
      const char* sql = s.dialect() == storage::Dialect::postgres
                            ? "SELECT indexname || ': ' || replace(indexdef, current_schema() || '.', '') FROM pg_indexes "
                              "WHERE schemaname = current_schema() ORDER BY 1"
                            : "SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY 1";
      for (auto& r : s.query(sql).rows) out.push_back(as_text(r[0]));
      return out;
    });
  };
  const auto migrated = indexes(db);
  ASSERT_GT(migrated.size(), 10u);
  if (GetParam() == "postgres") {
    std::string joined;
    for (auto& line : migrated) joined += line + "\n";
    for (const char* name : {"activites_mediateur_date", "activites_mediateur_lieu_date", "beneficiaires_mediateur",
                             "activite_beneficiaires_beneficiaire", "activite_tags_tag"})
      EXPECT_NE(joined.find(std::string(name) + ": "), std::string::npos) << name;
  }

  generateur::Options o;
  o.activites = 1500;
  o.seed = 11;
  o.today = "2026-06-30";
  o.par_transaction = 400;
  o.sans_index_des = 1;
  // Interrupted after the first transaction's worth of activities: nothing stays.
  std::int64_t seen = 0;
  o.progression = [&](std::int64_t n) {
    seen = n;
    throw std::runtime_error("interrompu");
  };
  EXPECT_THROW(generateur::generer(db, territoires(), o), std::runtime_error);
  EXPECT_EQ(seen, 400);
  const auto committed = count(db, "SELECT COUNT(*) FROM activites");
  if (GetParam() == "postgres") {
    EXPECT_EQ(committed, 0);
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM users"), 0);
  } else {
    EXPECT_EQ(committed, 400);  // SQLite: transactions of par_transaction activities
  }
  EXPECT_EQ(indexes(db), migrated);

  o.progression = nullptr;
  auto& large = fresh();
  const auto r = generateur::generer(large, territoires(), o);
  EXPECT_EQ(indexes(large), migrated);
  EXPECT_EQ(check_rules(large), 1500);
  auto& ordinary = fresh();
  o.sans_index_des = generateur::max_activites + 1;
  const auto r2 = generateur::generer(ordinary, territoires(), o);
  EXPECT_EQ(dump(large), dump(ordinary));
  EXPECT_EQ(r.lignes, r2.lignes);
  EXPECT_EQ(r.beneficiaires, r2.beneficiaires);
  // Planner statistics were gathered (ANALYZE at the end).
  if (GetParam() == "postgres") {
    EXPECT_GT(count(large, "SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'activites'"), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, Generateur, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace

// With lieux in the database, the oriented individual CRAs get a lieu and one of its services
// (the orientation wizard's record), valid under the activities' rules.
TEST_P(Generateur, OrientsTowardsTheLieuxOfTheDatabase) {
  FRESH_OR_SKIP(db);
  db.write([&](Session& s) {
    for (int i = 0; i < 3; ++i)
      s.insert("INSERT INTO lieux (cle_source, ident, nom, services, cree_le, modifie_le) VALUES ('t', ?, 'L', ?, 'x', 'x')",
               {"l" + std::to_string(i), std::string(i == 0 ? "Aide aux démarches administratives|Utilisation sécurisée du numérique"
                                                            : "Loisirs et créations numériques")});
  });
  generateur::Options o;
  o.activites = 800;
  o.seed = 11;
  generateur::generer(db, territoires(), o);
  const auto orientees = count(db, "SELECT COUNT(*) FROM activites WHERE orientation_lieu_id IS NOT NULL");
  EXPECT_GT(orientees, 0);
  EXPECT_EQ(orientees, count(db, "SELECT COUNT(*) FROM activites WHERE oriente_vers_structure = 1"));
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activites WHERE orientation_lieu_id IS NOT NULL AND type <> 'individuel'"), 0);
  // Each service is one of its lieu's.
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM activites a JOIN lieux l ON l.id = a.orientation_lieu_id "
                      "WHERE '|' || l.services || '|' NOT LIKE '%|' || a.orientation_services || '|%'"),
            0);
  EXPECT_EQ(check_rules(db), 800);
}
