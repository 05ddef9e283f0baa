// The e-mail contract: composer() (layout, escaping) and the outbox insert on both engines.
#include <gtest/gtest.h>

#include "base_ephemere.hpp"
#include "features/courriels/model.hpp"
#include "features/courriels/store.hpp"

using namespace coop;

TEST(CourrielComposer, TextAndHtmlCarryTheSameContentAndHtmlIsEscaped) {
  courriels::Contenu c;
  c.titre = "Réinitialisez <votre> mot de passe";
  c.salutation = "Bonjour Camille & Co,";
  c.paragraphes = {"Vous avez demandé à changer de mot de passe."};
  c.bouton_libelle = "Choisir un mot de passe";
  c.bouton_lien = "https://coop.example/reinitialisation/abc?x=1&y=\"2\"";
  c.apres = {"Ce lien est valable une heure."};
  auto m = courriels::composer("reinitialisation", "camille@example.org", "Votre mot de passe", c, 42);
  EXPECT_EQ(m.modele, "reinitialisation");
  EXPECT_EQ(m.user_id, 42);
  EXPECT_NE(m.texte.find("Bonjour Camille & Co,\n"), std::string::npos);
  EXPECT_NE(m.texte.find("Choisir un mot de passe :\nhttps://coop.example/reinitialisation/abc?x=1&y=\"2\"\n"),
            std::string::npos);
  EXPECT_NE(m.texte.find("Ce lien est valable une heure."), std::string::npos);
  EXPECT_NE(m.html.find("Réinitialisez &lt;votre&gt; mot de passe"), std::string::npos);
  EXPECT_NE(m.html.find("href=\"https://coop.example/reinitialisation/abc?x=1&amp;y=&quot;2&quot;\""),
            std::string::npos);
  EXPECT_EQ(m.html.find("<votre>"), std::string::npos);
  EXPECT_NE(m.html.find("<html lang=\"fr\">"), std::string::npos);
}

TEST(CourrielComposer, NoButtonWithoutLabelAndDefaultGreeting) {
  courriels::Contenu c;
  c.titre = "Bienvenue";
  c.paragraphes = {"Votre compte est prêt."};
  auto m = courriels::composer("bienvenue", "a@example.org", "Bienvenue sur Coop", c);
  EXPECT_EQ(m.texte.rfind("Bonjour,\n\n", 0), 0u);
  EXPECT_EQ(m.html.find("<a href"), std::string::npos);
  EXPECT_FALSE(m.user_id.has_value());
}

class CourrielFile : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "courriels"); }
  void TearDown() override { fermer(); }
};

TEST_P(CourrielFile, AMailIsQueuedOnlyWhenItsTransactionCommits) {
  if (HasFatalFailure() || IsSkipped()) return;
  courriels::Contenu c;
  c.titre = "T";
  auto m = courriels::composer("test", "x@example.org", "Sujet é", c);
  std::int64_t id = db_->write_value([&](storage::Session& s) { return courriels::store::mettre_en_file(s, m); });
  EXPECT_GT(id, 0);
  EXPECT_THROW(db_->write([&](storage::Session& s) {
    courriels::store::mettre_en_file(s, m);
    throw std::runtime_error("the event failed");
  }),
               std::runtime_error);
  auto rows = db_->read_value([](storage::Session& s) {
    return s.query("SELECT destinataire, sujet, statut, essais FROM courriels ORDER BY id");
  });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(storage::as_text(rows.rows[0][0]), "x@example.org");
  EXPECT_EQ(storage::as_text(rows.rows[0][1]), "Sujet é");
  EXPECT_EQ(storage::as_text(rows.rows[0][2]), "en_attente");
  EXPECT_EQ(storage::as_int(rows.rows[0][3]), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, CourrielFile, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
