// The bin purge (features/purge) on SQLite and on PostgreSQL: what is purged at 31 days, what is
// kept (and still restorable) at 29, live rows untouched, links and traces, idempotence, two
// instances purging at once. Deletion dates are set directly with SQL.
//
// PostgreSQL comes from COOP_TEST_PG_URL, as in storage_test.cpp (COOP_TEST_NO_PG=1 skips).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "core/time.hpp"
#include "features/activites/store.hpp"
#include "features/beneficiaires/store.hpp"
#include "features/discussion/evenements.hpp"
#include "http/application.hpp"
#include "features/purge/purge.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "base_ephemere.hpp"

namespace fs = std::filesystem;
using namespace coop;
using storage::as_int;
using storage::Session;

namespace {

using coop::tests::env;

class PurgeTest : public ::testing::TestWithParam<std::string>, protected coop::tests::BaseEphemere {
 protected:
  void SetUp() override {
    ouvrir(GetParam(), "purge");
    if (HasFatalFailure() || IsSkipped()) return;
    now_ = core::Clock::now();
    db_->write([&](Session& s) {
      auto t = core::iso_utc(now_);
      mediateur_ = s.insert("INSERT INTO users (email, nom, created_at, updated_at) VALUES ('m@x.fr', 'M', ?, ?)", {t, t});
      tag_ = s.insert("INSERT INTO tags (nom, portee, owner_id, created_at) VALUES ('T', 'personnel', ?, ?)", {mediateur_, t});
    });
  }

  void TearDown() override { fermer(); }


  std::string days_ago(int d) { return core::iso_utc(now_ - std::chrono::days(d)); }

  // An activity deleted `deleted_days` ago (live when negative), linked to `beneficiaires` and tag_.
  std::int64_t activite(int deleted_days, const std::vector<std::int64_t>& beneficiaires = {}) {
    return db_->write_value([&](Session& s) {
      auto t = core::iso_utc(now_);
      auto id = s.insert(
          "INSERT INTO activites (mediateur_id, type, date, duree, type_lieu, commune_insee, thematiques, created_at, "
          "updated_at, deleted_at) VALUES (?, 'collectif', '2026-01-05', 60, 'a_distance', '69123', 'email', ?, ?, ?)",
          {mediateur_, t, t, deleted_days < 0 ? storage::Value(nullptr) : storage::Value(days_ago(deleted_days))});
      for (auto b : beneficiaires)
        s.exec("INSERT INTO activite_beneficiaires (activite_id, beneficiaire_id) VALUES (?, ?)", {id, b});
      s.exec("INSERT INTO activite_tags (activite_id, tag_id) VALUES (?, ?)", {id, tag_});
      return id;
    });
  }

  std::int64_t beneficiaire(int deleted_days, const std::string& nom = "Durand") {
    return db_->write_value([&](Session& s) {
      auto t = core::iso_utc(now_);
      return s.insert(
          "INSERT INTO beneficiaires (mediateur_id, anonyme, prenom, nom, nom_recherche, telephone, created_at, "
          "updated_at, deleted_at) VALUES (?, 0, 'Léa', ?, 'lea durand', '0612345678', ?, ?, ?)",
          {mediateur_, nom, t, t, deleted_days < 0 ? storage::Value(nullptr) : storage::Value(days_ago(deleted_days))});
    });
  }

  std::int64_t count(const std::string& sql, const storage::Params& p = {}) {
    return db_->read_value([&](Session& s) { return as_int(s.query(sql, p).rows.at(0).at(0)); });
  }

  core::Clock::time_point now_;
  std::int64_t mediateur_ = 0, tag_ = 0;
};

TEST_P(PurgeTest, ActivitiesDeletedMoreThan30DaysAgoArePurgedWithTheirLinks) {
  auto b = beneficiaire(-1);
  auto old = activite(31, {b});
  auto recent = activite(29, {b});
  auto live = activite(-1, {b});

  auto r = purge::run(*db_, now_);
  EXPECT_EQ(r.activites, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM activites WHERE id = ?", {old}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM activite_beneficiaires WHERE activite_id = ?", {old}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM activite_tags WHERE activite_id = ?", {old}), 0);
  // 29 days: still in the bin, and restorable.
  EXPECT_EQ(count("SELECT COUNT(*) FROM activite_beneficiaires WHERE activite_id = ?", {recent}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM activite_tags WHERE activite_id = ?", {recent}), 1);
  EXPECT_TRUE(db_->write_value(
      [&](Session& s) { return activites::store::restore(s, recent, mediateur_, purge::bin_since(now_)); }));
  // Live: untouched (its beneficiary too).
  EXPECT_EQ(count("SELECT COUNT(*) FROM activites WHERE id = ? AND deleted_at IS NULL", {live}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM activite_beneficiaires WHERE activite_id = ?", {live}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM beneficiaires WHERE id = ? AND nom = 'Durand'", {b}), 1);

  // Idempotent: nothing more the second time.
  EXPECT_TRUE(purge::run(*db_, now_).empty());
}

TEST_P(PurgeTest, BeneficiariesPurgedKeptOrErasedAsTheirLinksRequire) {
  auto gone = beneficiaire(31);
  auto recent = beneficiaire(29);
  auto live = beneficiaire(-1);
  auto in_use = beneficiaire(31, "Martin");  // an activity still counts them
  activite(-1, {in_use});
  auto target = beneficiaire(31, "Cible");  // target of a merge trace
  auto source = beneficiaire(31, "Source");
  db_->write([&](Session& s) {
    s.exec("UPDATE beneficiaires SET merged_into_id = ? WHERE id = ?", {target, source});
    s.exec("INSERT INTO beneficiaire_fusions (mediateur_id, source_id, cible_id, at) VALUES (?, ?, ?, ?)",
           {mediateur_, source, target, days_ago(31)});
  });

  auto r = purge::run(*db_, now_);
  EXPECT_EQ(r.beneficiaires_supprimes, 2);   // gone, source
  EXPECT_EQ(r.beneficiaires_anonymises, 2);  // in_use, target
  EXPECT_EQ(count("SELECT COUNT(*) FROM beneficiaires WHERE id IN (?, ?)", {gone, source}), 0);
  for (auto id : {in_use, target}) {
    EXPECT_EQ(count("SELECT COUNT(*) FROM beneficiaires WHERE id = ? AND nom IS NULL AND prenom IS NULL AND "
                    "telephone IS NULL AND anonyme = 1 AND efface_at IS NOT NULL",
                    {id}),
              1);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM activite_beneficiaires WHERE beneficiaire_id = ?", {in_use}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM beneficiaire_fusions WHERE cible_id = ? AND source_id = ?", {target, source}), 1);
  // 29 days: kept, listed in the bin, restorable; live: untouched.
  auto bin = db_->read_value([&](Session& s) { return beneficiaires::store::corbeille(s, mediateur_, purge::bin_since(now_)); });
  ASSERT_EQ(bin.size(), 1u);
  EXPECT_EQ(bin[0].b.id, recent);
  EXPECT_TRUE(db_->write_value(
      [&](Session& s) { return beneficiaires::store::restore(s, mediateur_, recent, purge::bin_since(now_)); }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM beneficiaires WHERE id = ? AND deleted_at IS NULL AND nom = 'Durand'", {recent}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM beneficiaires WHERE id = ? AND deleted_at IS NULL AND nom = 'Durand'", {live}), 1);

  EXPECT_TRUE(purge::run(*db_, now_).empty());
  // Once the activity that needed it is purged, the erased row goes too.
  db_->write([&](Session& s) { s.exec("UPDATE activites SET deleted_at = ?", {days_ago(40)}); });
  r = purge::run(*db_, now_);
  EXPECT_EQ(r.activites, 1);
  EXPECT_EQ(r.beneficiaires_supprimes, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM beneficiaires WHERE id = ?", {in_use}), 0);
}

TEST_P(PurgeTest, ExpiredImportAnalysesLoseTheirPayloadThenAreForgotten) {
  db_->write([&](Session& s) {
    auto ins = [&](const std::string& expires) {
      return s.insert("INSERT INTO imports_beneficiaires (mediateur_id, payload, lignes, created_at, expires_at) "
                      "VALUES (?, '[{}]', 1, ?, ?)",
                      {mediateur_, expires, expires});
    };
    ins(core::iso_utc(now_ - std::chrono::hours(25)));  // forgotten
    ins(core::iso_utc(now_ - std::chrono::hours(2)));   // kept (410), payload dropped
    ins(core::iso_utc(now_ + std::chrono::hours(1)));   // pending: untouched
  });
  auto r = purge::run(*db_, now_);
  EXPECT_EQ(r.imports, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM imports_beneficiaires"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM imports_beneficiaires WHERE payload = ''"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM imports_beneficiaires WHERE payload = '[{}]' AND expires_at > ?",
                  {core::iso_utc(now_)}),
            1);
}

TEST_P(PurgeTest, MailsSentOrAbandonedLongAgoAreDeletedNeverOnesStillToSend) {
  db_->write([&](Session& s) {
    auto ins = [&](const std::string& statut, int days) {
      s.insert("INSERT INTO courriels (modele, destinataire, sujet, texte, html, statut, created_at, prochain_essai_at) "
               "VALUES ('invitation', 'a@x.fr', 'S', 'T', '<p>T</p>', ?, ?, ?)",
               {statut, days_ago(days), days_ago(days)});
    };
    ins("envoye", 91);      // deleted
    ins("abandonne", 120);  // deleted
    ins("envoye", 89);      // kept: recent
    ins("en_attente", 200); // kept: still to send, however old
  });
  auto r = purge::run(*db_, now_);
  EXPECT_EQ(r.courriels, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM courriels"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM courriels WHERE statut = 'en_attente'"), 1);
  EXPECT_NE(purge::describe(r).find("2 courriel(s) envoyé(s) ou abandonné(s) depuis plus de 90 jours"), std::string::npos);
  EXPECT_EQ(purge::run(*db_, now_).courriels, 0) << "idempotent";
}

TEST_P(PurgeTest, SmallBatchesAndTwoInstancesAtOncePurgeEachRowOnce) {
  constexpr int kRows = 60;
  for (int i = 0; i < kRows; ++i) activite(31 + i % 3, {beneficiaire(31)});
  activite(-1);
  // A second handle on the same database: another instance.
  auto other = storage::open_database(url_);
  purge::Report a, b;
  std::thread t([&] { a = purge::run(*other, now_, 7); });
  b = purge::run(*db_, now_, 7);
  t.join();
  other->close();
  EXPECT_EQ(a.activites + b.activites, kRows);
  EXPECT_EQ(a.beneficiaires_supprimes + b.beneficiaires_supprimes, kRows);
  EXPECT_EQ(a.beneficiaires_anonymises + b.beneficiaires_anonymises, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM activites"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM beneficiaires"), 0);
}

// The resources' search log (ressources_changements) keeps a day, and always its newest row.
TEST_P(PurgeTest, TheResourcesSearchLogKeepsADay) {
  db_->write([&](Session& s) {
    for (int age : {5, 3, 2, 0}) s.exec("INSERT INTO ressources_changements (ressource_id, cree_le) VALUES (1, ?)", {days_ago(age)});
  });
  auto r = purge::run(*db_, now_, 2, {}, 30);
  EXPECT_EQ(r.changements, 3);
  EXPECT_NE(purge::describe(r).find("3 ligne(s) du journal de l'index des ressources"), std::string::npos) << purge::describe(r);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ressources_changements"), 1);
  db_->write([&](Session& s) { s.exec("UPDATE ressources_changements SET cree_le = ?", {days_ago(9)}); });
  EXPECT_TRUE(purge::run(*db_, now_, 2, {}, 30).empty()) << "the newest row stays: it is the index's mark";
}

// The discussion's event log keeps `evenements_jours` days (never its newest event); a resume
// from before the oldest kept event is refused as incomplete (http::ReplayGone, last seq).
TEST_P(PurgeTest, DiscussionEventsOlderThanTheRetentionArePurgedAndTheResumeSaysSo) {
  std::vector<std::int64_t> seqs;
  db_->write([&](Session& s) {
    for (int age : {40, 35, 31, 29, 1, 0})
      seqs.push_back(s.insert("INSERT INTO discussion_evenements (canal_id, user_id, type, donnees, cree_le) "
                              "VALUES (NULL, ?, 'test', '{}', ?)",
                              {mediateur_, days_ago(age)}));
  });
  auto r = purge::run(*db_, now_, 2, {}, 30);  // batches of two
  EXPECT_EQ(r.evenements, 3);
  EXPECT_NE(purge::describe(r).find("3 événement(s) de la discussion de plus de 30 jours"), std::string::npos)
      << purge::describe(r);
  EXPECT_EQ(count("SELECT COUNT(*) FROM discussion_evenements"), 3);
  EXPECT_EQ(count("SELECT MIN(id) FROM discussion_evenements"), seqs[3]);
  EXPECT_TRUE(purge::run(*db_, now_, 2, {}, 30).empty()) << "idempotent";

  // From the last purged seq on, nothing is missing; from before it, the resume is incomplete.
  auto replay = discussion::rejouer(*db_, mediateur_, seqs[2], 10);
  ASSERT_EQ(replay.size(), 3u);
  EXPECT_EQ(replay.front().first, seqs[3]);
  try {
    discussion::rejouer(*db_, mediateur_, seqs[1], 10);
    ADD_FAILURE() << "a resume from a purged seq must throw ReplayGone";
  } catch (const http::ReplayGone& g) {
    EXPECT_EQ(g.dernier, seqs[5]);
  }

  // Even when every event is old, the newest stays: a resume from it is complete.
  db_->write([&](Session& s) { s.exec("UPDATE discussion_evenements SET cree_le = ?", {days_ago(90)}); });
  EXPECT_EQ(purge::run(*db_, now_, 500, {}, 30).evenements, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM discussion_evenements"), 1);
  EXPECT_TRUE(discussion::rejouer(*db_, mediateur_, seqs[5], 10).empty());
  EXPECT_THROW(discussion::rejouer(*db_, mediateur_, seqs[3], 10), http::ReplayGone);
}

TEST_P(PurgeTest, WorkerPurgesAtStartAndStopsPromptly) {
  auto old = activite(31);
  auto started = std::chrono::steady_clock::now();
  {
    purge::PurgeWorker w(*db_, std::chrono::hours(1));
    for (int i = 0; i < 200 && count("SELECT COUNT(*) FROM activites WHERE id = ?", {old}) == 1; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    w.stop();
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM activites WHERE id = ?", {old}), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(6));
}

INSTANTIATE_TEST_SUITE_P(Engines, PurgeTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
