// The activities store on both engines: the anonymous beneficiary of an individual CRA (one row
// of beneficiaires per CRA, created, updated, removed, binned and restored with it) and the
// followed-only beneficiary list. Real SQLite and real PostgreSQL (COOP_TEST_PG_URL, as
// storage_test.cpp: a fresh schema per test).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "features/activites/store.hpp"
#include "features/beneficiaires/store.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "base_ephemere.hpp"

namespace fs = std::filesystem;
using namespace coop;
using storage::as_int;
using storage::as_opt_text;
using storage::Session;

namespace {

using coop::tests::env;

class ActivitesStoreTest : public ::testing::TestWithParam<std::string>, protected coop::tests::BaseEphemere {
 protected:
  void SetUp() override {
    ouvrir(GetParam(), "activites_store");
    if (HasFatalFailure() || IsSkipped()) return;
    mediateur_ = db_->write_value([](Session& s) {
      return s.insert("INSERT INTO users (email, nom, prenom, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                      {std::string("m@example.org"), std::string("Médiatrice"), std::string("Anne"),
                       std::string("2026-01-01T00:00:00Z"), std::string("2026-01-01T00:00:00Z")});
    });
  }

  void TearDown() override { fermer(); }


  activites::Activite individuel() const {
    activites::Activite a;
    a.mediateur_id = mediateur_;
    a.type = "individuel";
    a.date = "2026-11-20";
    a.duree = 30;
    a.type_lieu = "a_distance";
    a.commune_insee = "69123";
    a.thematiques = {"email"};
    return a;
  }

  activites::store::Vue get(std::int64_t id, bool deleted = false) {
    return db_->read_value([&](Session& s) { return *activites::store::activite_by_id(s, id, deleted); });
  }

  // Every beneficiary row of the mediator: id → (anonyme, deleted).
  struct Row {
    std::int64_t id;
    bool anonyme, deleted;
    std::optional<std::string> genre, commune;
  };
  std::vector<Row> rows() {
    return db_->read_value([&](Session& s) {
      std::vector<Row> out;
      for (auto& r : s.query("SELECT id, anonyme, deleted_at, genre, commune_insee FROM beneficiaires "
                             "WHERE mediateur_id = ? ORDER BY id",
                             {mediateur_})
                         .rows)
        out.push_back({as_int(r[0]), as_int(r[1]) != 0, !std::holds_alternative<std::nullptr_t>(r[2]),
                       as_opt_text(r[3]), as_opt_text(r[4])});
      return out;
    });
  }
  std::int64_t links(std::int64_t activite_id) {
    return db_->read_value([&](Session& s) {
      return as_int(s.query("SELECT COUNT(*) FROM activite_beneficiaires WHERE activite_id = ?", {activite_id})
                        .rows[0][0]);
    });
  }

  std::int64_t mediateur_ = 0;
};

TEST_P(ActivitesStoreTest, IndividualCraWithoutProfileStillGetsItsAnonymousBeneficiary) {
  auto id = db_->write_value([&](Session& s) { return activites::store::insert_activite(s, individuel()); });
  auto r = rows();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].anonyme);
  EXPECT_FALSE(r[0].genre);
  EXPECT_EQ(links(id), 1);
  auto v = get(id);
  ASSERT_TRUE(v.a.beneficiaire_anonyme);
  EXPECT_EQ(*v.a.beneficiaire_anonyme, activites::ProfilAnonyme{});
  EXPECT_FALSE(v.a.beneficiaire_id) << "an anonymous row is never given back as a followed beneficiary";
  ASSERT_TRUE(v.beneficiaire);
  EXPECT_TRUE(v.beneficiaire->anonyme);
  EXPECT_FALSE(v.beneficiaire->nom);
  auto premier = db_->read_value([&](Session& s) {
    return as_int(s.query("SELECT premier_accompagnement FROM activite_beneficiaires WHERE activite_id = ?", {id})
                      .rows[0][0]);
  });
  EXPECT_EQ(premier, 1);
}

TEST_P(ActivitesStoreTest, ProfileIsStoredUpdatedInPlaceAndRemovedWhenFollowed) {
  auto a = individuel();
  a.beneficiaire_anonyme = activites::ProfilAnonyme{"feminin", "soixante_dix_plus", "retraite", "69123", "69001"};
  auto id = db_->write_value([&](Session& s) { return activites::store::insert_activite(s, a); });
  auto v = get(id);
  ASSERT_TRUE(v.a.beneficiaire_anonyme);
  EXPECT_EQ(*v.a.beneficiaire_anonyme, *a.beneficiaire_anonyme);
  const auto anon_id = rows().at(0).id;

  // Edit: the same row, new profile.
  a.id = id;
  a.version = v.a.version;
  a.beneficiaire_anonyme = activites::ProfilAnonyme{"masculin", std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  ASSERT_TRUE(db_->write_value([&](Session& s) { return activites::store::update_activite(s, a); }));
  auto r = rows();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].id, anon_id);
  EXPECT_EQ(r[0].genre, "masculin");
  EXPECT_FALSE(r[0].commune);

  // Switch to a followed beneficiary: the anonymous row goes.
  auto followed = db_->write_value([&](Session& s) {
    beneficiaires::Beneficiaire b;
    b.mediateur_id = mediateur_;
    b.anonyme = false;
    b.prenom = "Jeanne";
    b.nom = "Martin";
    return beneficiaires::store::create(s, b);
  });
  a.version = get(id).a.version;
  a.beneficiaire_anonyme.reset();
  a.beneficiaire_id = followed;
  ASSERT_TRUE(db_->write_value([&](Session& s) { return activites::store::update_activite(s, a); }));
  r = rows();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].id, followed);
  EXPECT_EQ(links(id), 1);
  v = get(id);
  EXPECT_EQ(v.a.beneficiaire_id, followed);
  EXPECT_FALSE(v.a.beneficiaire_anonyme);

  // And back to anonymous: a new row, the followed one untouched.
  a.version = v.a.version;
  a.beneficiaire_id.reset();
  ASSERT_TRUE(db_->write_value([&](Session& s) { return activites::store::update_activite(s, a); }));
  r = rows();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].anonyme);
  EXPECT_TRUE(r[1].anonyme);
  EXPECT_EQ(links(id), 1);
}

TEST_P(ActivitesStoreTest, CollectifLosesTheAnonymousRowOfTheIndividualItWas) {
  auto a = individuel();
  auto id = db_->write_value([&](Session& s) { return activites::store::insert_activite(s, a); });
  a.id = id;
  a.type = "collectif";
  a.titre_atelier = "Atelier";
  a.anonymes.total = 2;
  a.anonymes.genre = {2, 0, 0};
  ASSERT_TRUE(db_->write_value([&](Session& s) { return activites::store::update_activite(s, a); }));
  EXPECT_TRUE(rows().empty());
  EXPECT_EQ(links(id), 0);
}

TEST_P(ActivitesStoreTest, BinAndRestoreMoveTheAnonymousRowWithTheCra) {
  auto id = db_->write_value([&](Session& s) { return activites::store::insert_activite(s, individuel()); });
  ASSERT_TRUE(db_->write_value([&](Session& s) { return activites::store::soft_delete(s, id, mediateur_); }));
  auto r = rows();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].deleted);
  EXPECT_EQ(links(id), 1) << "the link stays: restoring brings everything back";
  ASSERT_TRUE(db_->write_value(
      [&](Session& s) { return activites::store::restore(s, id, mediateur_, "2000-01-01T00:00:00Z"); }));
  r = rows();
  EXPECT_FALSE(r.at(0).deleted);
  EXPECT_TRUE(get(id).a.beneficiaire_anonyme);
}

TEST_P(ActivitesStoreTest, BeneficiaryListShowsFollowedOnlyUnlessAsked) {
  db_->write([&](Session& s) {
    for (int i = 0; i < 3; ++i) activites::store::insert_activite(s, individuel());
    beneficiaires::Beneficiaire b;
    b.mediateur_id = mediateur_;
    b.anonyme = false;
    b.prenom = "Jeanne";
    b.nom = "Martin";
    beneficiaires::store::create(s, b);
  });
  auto [followed, total] = db_->read_value(
      [&](Session& s) { return beneficiaires::store::list(s, mediateur_, "", 1, 100); });
  EXPECT_EQ(total, 1);
  ASSERT_EQ(followed.size(), 1u);
  EXPECT_FALSE(followed[0].b.anonyme);
  auto [all, total_all] = db_->read_value(
      [&](Session& s) { return beneficiaires::store::list(s, mediateur_, "", 1, 100, true); });
  EXPECT_EQ(total_all, 4);
  EXPECT_EQ(all.size(), 4u);
  EXPECT_EQ(db_->read_value([&](Session& s) { return beneficiaires::store::all_followed(s, mediateur_).size(); }), 1u);
}

TEST_P(ActivitesStoreTest, DuplicatingAnAnonymousCraGivesItItsOwnRow) {
  auto a = individuel();
  a.beneficiaire_anonyme = activites::ProfilAnonyme{"feminin", std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  auto id = db_->write_value([&](Session& s) { return activites::store::insert_activite(s, a); });
  auto copy = get(id).a;  // what POST /dupliquer inserts again
  auto id2 = db_->write_value([&](Session& s) { return activites::store::insert_activite(s, copy); });
  auto r = rows();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].genre, "feminin");
  EXPECT_NE(db_->read_value([&](Session& s) { return *activites::store::beneficiaire_anonyme_of(s, id); }),
            db_->read_value([&](Session& s) { return *activites::store::beneficiaire_anonyme_of(s, id2); }));
}

// Offline entry: an idempotency key is unique per mediator (primary key of activites_cles), the
// same key of another mediator is another key, and the key goes with its CRA at the purge.
TEST_P(ActivitesStoreTest, IdempotencyKeyIsUniquePerMediatorAndPurgedWithItsCra) {
  const std::string cle = "3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3b";
  auto id = db_->write_value([&](Session& s) {
    auto id = activites::store::insert_activite(s, individuel());
    activites::store::enregistrer_cle(s, mediateur_, cle, id);
    return id;
  });
  EXPECT_EQ(db_->read_value([&](Session& s) { return activites::store::activite_par_cle(s, mediateur_, cle); }), id);
  // A second row with the same (mediator, key) is refused by the database itself.
  try {
    db_->write([&](Session& s) {
      auto other = activites::store::insert_activite(s, individuel());
      activites::store::enregistrer_cle(s, mediateur_, cle, other);
    });
    ADD_FAILURE() << "a second use of the key was stored";
  } catch (const storage::DbError& e) {
    EXPECT_EQ(e.kind, storage::DbError::Kind::unique_violation) << e.what();
  }
  // Rolled back with its CRA: only the first one exists.
  EXPECT_EQ(db_->read_value([&](Session& s) {
              return as_int(s.query("SELECT COUNT(*) FROM activites WHERE mediateur_id = ?", {mediateur_}).rows[0][0]);
            }),
            1);
  // Another mediator's same key is independent.
  auto autre = db_->write_value([](Session& s) {
    return s.insert("INSERT INTO users (email, nom, prenom, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    {std::string("b@example.org"), std::string("Autre"), std::string("Bea"),
                     std::string("2026-01-01T00:00:00Z"), std::string("2026-01-01T00:00:00Z")});
  });
  EXPECT_FALSE(db_->read_value([&](Session& s) { return activites::store::activite_par_cle(s, autre, cle); }));
  db_->write([&](Session& s) {
    auto a = individuel();
    a.mediateur_id = autre;
    activites::store::enregistrer_cle(s, autre, cle, activites::store::insert_activite(s, a));
  });
  EXPECT_NE(db_->read_value([&](Session& s) { return activites::store::activite_par_cle(s, autre, cle); }), id);
  // The purge deletes the binned CRA for real, and its key with it.
  db_->write([&](Session& s) {
    ASSERT_TRUE(activites::store::soft_delete(s, id, mediateur_));
    EXPECT_EQ(activites::store::purge_deleted(s, "9999-01-01T00:00:00Z", 10), 1);
  });
  EXPECT_FALSE(db_->read_value([&](Session& s) { return activites::store::activite_par_cle(s, mediateur_, cle); }));
}

INSTANTIATE_TEST_SUITE_P(Engines, ActivitesStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace

// The orientation (lieu of the table lieux + matched services) is stored, read back with the
// lieu's name, replaced, removed; a deleted lieu leaves the CRA without its lieu.
TEST_P(ActivitesStoreTest, OrientationIsStoredReadBackReplacedAndLostWithItsLieu) {
  auto lieu = [&](const std::string& ident, const std::string& nom) {
    return db_->write_value([&](Session& s) {
      return s.insert("INSERT INTO lieux (cle_source, ident, nom, commune, code_postal, services, cree_le, modifie_le) "
                      "VALUES ('test', ?, ?, 'Lyon', '69001', 'Aide aux démarches administratives', 'x', 'x')",
                      {ident, nom});
    });
  };
  const auto l1 = lieu("a", "Médiathèque"), l2 = lieu("b", "Maison France services");
  auto a = individuel();
  a.orientation_lieu_id = l1;
  a.orientation_services = {"Aide aux démarches administratives"};
  auto id = db_->write_value([&](Session& s) { return activites::store::insert_activite(s, a); });
  auto v = get(id);
  EXPECT_EQ(v.a.orientation_lieu_id, l1);
  EXPECT_EQ(v.a.orientation_services, a.orientation_services);
  EXPECT_EQ(v.orientation_lieu_nom, "Médiathèque");
  EXPECT_EQ(v.orientation_lieu_commune, "Lyon");
  EXPECT_EQ(db_->read_value([&](Session& s) { return activites::store::services_du_lieu(s, l1); }),
            std::vector<std::string>{"Aide aux démarches administratives"});
  EXPECT_FALSE(db_->read_value([&](Session& s) { return activites::store::services_du_lieu(s, l2 + 100); }).has_value());

  a = v.a;
  a.orientation_lieu_id = l2;
  a.orientation_services.clear();
  ASSERT_TRUE(db_->write_value([&](Session& s) { return activites::store::update_activite(s, a); }));
  v = get(id);
  EXPECT_EQ(v.a.orientation_lieu_id, l2);
  EXPECT_TRUE(v.a.orientation_services.empty());
  EXPECT_EQ(v.orientation_lieu_nom, "Maison France services");

  // A merge of duplicates moves the orientations to the lieu kept.
  auto moved = db_->write_value([&](Session& s) { return activites::store::deplacer_orientations(s, l2, l1); });
  EXPECT_EQ(moved, std::vector<std::int64_t>{id});
  EXPECT_EQ(get(id).a.orientation_lieu_id, l1);
  EXPECT_TRUE(db_->write_value([&](Session& s) { return activites::store::deplacer_orientations(s, l2, l1); }).empty());
  a = get(id).a;
  a.orientation_lieu_id = l2;
  ASSERT_TRUE(db_->write_value([&](Session& s) { return activites::store::update_activite(s, a); }));
  db_->write([&](Session& s) { s.exec("DELETE FROM lieux WHERE id = ?", {l2}); });
  v = get(id);
  EXPECT_FALSE(v.a.orientation_lieu_id.has_value());
  EXPECT_FALSE(v.orientation_lieu_nom.has_value());
}
