// The 14-day CRA reminder on both engines: who gets it (docs/operations.md), once per inactivity,
// again after a new CRA and 14 more days, never after opting out, once with two instances at once.
#include <gtest/gtest.h>

#include <thread>

#include "base_ephemere.hpp"
#include "features/courriels/rappels.hpp"

using namespace coop;
using namespace std::chrono_literals;

namespace {

const std::string kVieux = "2020-01-01T00:00:00.000Z";

class CourrielRappels : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "courriels_rappels"); }
  void TearDown() override { fermer(); }

  std::int64_t compte(const std::string& email, const std::string& role, bool connecte = true, bool desactive = false) {
    return db_->write_value([&](storage::Session& s) {
      auto id = s.insert(
          "INSERT INTO users (email, nom, prenom, disabled, created_at, updated_at, last_login_at) "
          "VALUES (?, 'Nom', 'Zoé', ?, ?, ?, ?)",
          {email, std::int64_t(desactive ? 1 : 0), kVieux, kVieux,
           connecte ? storage::Value(kVieux) : storage::Value(nullptr)});
      s.exec("INSERT INTO user_roles (user_id, role, conseiller_numerique, created_at) VALUES (?, ?, 0, ?)",
             {id, role, kVieux});
      return id;
    });
  }
  void cra(std::int64_t mediateur, const std::string& created_at) {
    db_->write([&](storage::Session& s) {
      s.exec("INSERT INTO activites (mediateur_id, type, date, duree, type_lieu, thematiques, created_at, updated_at) "
             "VALUES (?, 'individuel', ?, 30, 'a_distance', 'email', ?, ?)",
             {mediateur, created_at.substr(0, 10), created_at, created_at});
    });
  }
  std::int64_t rappels(const std::string& email) {
    return db_->read_value([&](storage::Session& s) {
      return storage::as_int(
          s.query("SELECT COUNT(*) FROM courriels WHERE modele = 'rappel_cra' AND destinataire = ?", {email}).rows[0][0]);
    });
  }
};

TEST_P(CourrielRappels, WhoGetsItAndHowOften) {
  if (HasFatalFailure() || IsSkipped()) return;
  auto inactif = compte("inactif@x.fr", "mediateur");
  auto actif = compte("actif@x.fr", "mediateur");
  compte("jamais@x.fr", "mediateur", /*connecte=*/false);
  compte("desactive@x.fr", "mediateur", true, /*desactive=*/true);
  compte("coord@x.fr", "coordinateur");
  auto sans_cra = compte("sanscra@x.fr", "mediateur");  // never recorded one: counted from the account's creation
  (void)sans_cra;
  cra(inactif, "2020-02-01T00:00:00.000Z");
  cra(actif, core::now_iso());
  const std::string url = "https://coop.exemple.fr";
  auto now = core::Clock::now();
  EXPECT_EQ(courriels::envoyer_rappels(*db_, url, now), 2);
  EXPECT_EQ(rappels("inactif@x.fr"), 1);
  EXPECT_EQ(rappels("sanscra@x.fr"), 1);
  for (auto e : {"actif@x.fr", "jamais@x.fr", "desactive@x.fr", "coord@x.fr"}) EXPECT_EQ(rappels(e), 0) << e;
  EXPECT_EQ(courriels::envoyer_rappels(*db_, url, now + 24h), 0) << "one per inactivity";
  // A CRA recorded after the reminder, then 14 more days: one more.
  cra(inactif, core::iso_utc(now + 1h));
  EXPECT_EQ(courriels::envoyer_rappels(*db_, url, now + 10 * 24h), 0) << "active 9 days ago";
  EXPECT_EQ(courriels::envoyer_rappels(*db_, url, now + 15 * 24h), 2) << "inactif again, actif for the first time";
  EXPECT_EQ(rappels("inactif@x.fr"), 2);
  EXPECT_EQ(rappels("actif@x.fr"), 1);
  EXPECT_EQ(rappels("sanscra@x.fr"), 1) << "no CRA since its reminder: no other one";
  // Opted out: none.
  cra(inactif, core::iso_utc(now + 16 * 24h));
  db_->write([&](storage::Session& s) { s.exec("UPDATE users SET rappels_cra = 0 WHERE id = ?", {inactif}); });
  EXPECT_EQ(courriels::envoyer_rappels(*db_, url, now + 40 * 24h), 0);
  EXPECT_EQ(rappels("inactif@x.fr"), 2);
  db_->write([&](storage::Session& s) { s.exec("UPDATE users SET rappels_cra = 1 WHERE id = ?", {inactif}); });
  EXPECT_EQ(courriels::envoyer_rappels(*db_, url, now + 40 * 24h), 1) << "opted in again: its last CRA is 24 days old";
}

TEST_P(CourrielRappels, TwoInstancesAtOnceQueueOneMail) {
  if (HasFatalFailure() || IsSkipped()) return;
  for (int i = 0; i < 20; ++i) compte("m" + std::to_string(i) + "@x.fr", "mediateur");
  auto autre = storage::open_database(url_);
  auto now = core::Clock::now();
  int n1 = 0, n2 = 0;
  std::thread a([&] { n1 = courriels::envoyer_rappels(*db_, "https://c", now); });
  std::thread b([&] { n2 = courriels::envoyer_rappels(*autre, "https://c", now); });
  a.join();
  b.join();
  autre->close();
  EXPECT_EQ(n1 + n2, 20);
  auto total = db_->read_value([](storage::Session& s) {
    return storage::as_int(s.query("SELECT COUNT(*) FROM courriels WHERE modele = 'rappel_cra'").rows[0][0]);
  });
  EXPECT_EQ(total, 20);
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Engines, CourrielRappels, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
