// « Mot de passe oublié »: the pure rules (limits, states of a link, mails) and the links' SQL on
// both engines.
#include <gtest/gtest.h>

#include "base_ephemere.hpp"
#include "features/motdepasse/model.hpp"
#include "features/motdepasse/store.hpp"

using namespace coop;
using namespace coop::motdepasse;

TEST(MotDePasseLimites, TheIpAddressFirstThenTheAddressThenTheAccount) {
  const Limites l{3, 2, 20, std::chrono::minutes(60)};
  EXPECT_EQ(limite_atteinte({0, 0, 0}, l), Limite::aucune);
  EXPECT_EQ(limite_atteinte({2, 1, 19}, l), Limite::aucune);
  EXPECT_EQ(limite_atteinte({3, 0, 0}, l), Limite::adresse);
  EXPECT_EQ(limite_atteinte({0, 2, 0}, l), Limite::compte);
  EXPECT_EQ(limite_atteinte({0, 0, 20}, l), Limite::ip);
  // The IP address wins: it is the only limit that changes the answer, and it says nothing about
  // the address asked.
  EXPECT_EQ(limite_atteinte({5, 5, 25}, l), Limite::ip);
  EXPECT_EQ(limite_atteinte({5, 5, 0}, l), Limite::adresse);
  EXPECT_EQ(nom_limite(Limite::ip), "ip");
  EXPECT_EQ(nom_limite(Limite::adresse), "adresse");
  EXPECT_EQ(nom_limite(Limite::compte), "compte");
  EXPECT_EQ(nom_limite(Limite::aucune), "");
}

TEST(MotDePasseLien, StatesOfALink) {
  const std::string now = "2026-12-07T10:00:00.000Z";
  EXPECT_EQ(etat_lien({"2026-12-07T10:30:00.000Z", std::nullopt, std::nullopt, false}, now), EtatLien::valide);
  EXPECT_EQ(etat_lien({"2026-12-07T10:00:00.000Z", std::nullopt, std::nullopt, false}, now), EtatLien::expire)
      << "expires at its expiry instant";
  EXPECT_EQ(etat_lien({"2026-12-07T09:59:59.999Z", std::nullopt, std::nullopt, false}, now), EtatLien::expire);
  EXPECT_EQ(etat_lien({"2026-12-07T10:30:00.000Z", now, std::nullopt, false}, now), EtatLien::utilise);
  EXPECT_EQ(etat_lien({"2026-12-07T10:30:00.000Z", std::nullopt, now, false}, now), EtatLien::annule);
  // Used or cancelled says so even once expired: the password was changed, that is the news.
  EXPECT_EQ(etat_lien({"2026-12-07T09:00:00.000Z", now, std::nullopt, false}, now), EtatLien::utilise);
  EXPECT_EQ(etat_lien({"2026-12-07T09:00:00.000Z", std::nullopt, now, false}, now), EtatLien::annule);
  EXPECT_EQ(etat_lien({"2026-12-07T10:30:00.000Z", std::nullopt, std::nullopt, true}, now), EtatLien::compte_desactive);
  EXPECT_EQ(nom_etat(EtatLien::expire), "expire");
  EXPECT_EQ(validite_lien, std::chrono::minutes(60));
  EXPECT_EQ(octets_jeton * 8, 256u);
}

TEST(MotDePasseCourriels, ResetMailCarriesTheLinkItsValidityAndNoPassword) {
  auto m = courriel_reinitialisation("Camille", "camille@example.org", 7, "https://coop.example/reinitialisation/abc_DEF-123");
  EXPECT_EQ(m.modele, "reinitialisation_mot_de_passe");
  EXPECT_EQ(m.destinataire, "camille@example.org");
  EXPECT_EQ(m.user_id, 7);
  EXPECT_EQ(m.texte.rfind("Bonjour Camille,\n", 0), 0u);
  EXPECT_NE(m.texte.find("\nhttps://coop.example/reinitialisation/abc_DEF-123\n"), std::string::npos);
  EXPECT_NE(m.texte.find("valable 1 heure"), std::string::npos);
  EXPECT_NE(m.texte.find("ignorez ce message"), std::string::npos);
  EXPECT_NE(m.html.find("href=\"https://coop.example/reinitialisation/abc_DEF-123\""), std::string::npos);
  // Unknown person (no first name): the default greeting.
  EXPECT_EQ(courriel_reinitialisation("", "x@example.org", std::nullopt, "u").texte.rfind("Bonjour,\n", 0), 0u);
}

TEST(MotDePasseCourriels, NoticeSaysWhenAndThatSessionsWereClosed) {
  auto m = courriel_mot_de_passe_modifie("Camille", "camille@example.org", 7, "2026-12-01", "https://coop.example");
  EXPECT_EQ(m.modele, "mot_de_passe_modifie");
  EXPECT_EQ(m.sujet, "Votre mot de passe a été modifié");
  EXPECT_NE(m.texte.find("le 1er décembre 2026"), std::string::npos);
  EXPECT_NE(m.texte.find("toutes les sessions ouvertes"), std::string::npos);
  EXPECT_NE(m.texte.find("\nhttps://coop.example/connexion\n"), std::string::npos);
  EXPECT_NE(m.texte.find("https://coop.example/mot-de-passe-oublie"), std::string::npos);
}

TEST(MotDePasseCourriels, DatesInWords) {
  EXPECT_EQ(date_en_toutes_lettres("2026-08-15"), "15 août 2026");
  EXPECT_EQ(date_en_toutes_lettres("2027-01-01"), "1er janvier 2027");
  EXPECT_EQ(date_en_toutes_lettres("2026-02-30"), "2026-02-30");
  EXPECT_EQ(date_en_toutes_lettres("n'importe"), "n'importe");
}

class MotDePasseLiens : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "motdepasse"); }
  void TearDown() override { fermer(); }
};

TEST_P(MotDePasseLiens, ALinkIsUsedOnceAndAResetCancelsTheOthers) {
  if (HasFatalFailure() || IsSkipped()) return;
  const std::int64_t uid = db_->write_value([](storage::Session& s) {
    return s.insert("INSERT INTO users (email, nom, prenom, password_hash, created_at, updated_at) VALUES "
                    "('a@example.org', 'A', 'B', '', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')");
  });
  const std::string t0 = "2026-12-07T10:00:00.000Z", t1 = "2026-12-07T10:10:00.000Z", exp = "2026-12-07T11:00:00.000Z";
  std::int64_t a = 0, b = 0;
  db_->write([&](storage::Session& s) {
    a = store::creer_lien(s, "hash-a", uid, t0, exp, "10.0.0.1");
    b = store::creer_lien(s, "hash-b", uid, t1, exp, "10.0.0.1");
  });
  db_->read([&](storage::Session& s) {
    EXPECT_EQ(store::liens_envoyes(s, uid, t0), 2);
    EXPECT_EQ(store::liens_envoyes(s, uid, "2026-12-07T10:05:00.000Z"), 1);
    EXPECT_EQ(store::liens_envoyes(s, 0, t0), 0);
    auto l = store::lien_par_hash(s, "hash-b");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->id, b);
    EXPECT_EQ(l->user_id, uid);
    EXPECT_EQ(l->expires_at, exp);
    EXPECT_FALSE(l->used_at || l->revoked_at);
    EXPECT_FALSE(store::lien_par_hash(s, "autre"));
  });
  db_->write([&](storage::Session& s) {
    EXPECT_FALSE(store::marquer_utilise(s, b, exp)) << "not once expired";
    EXPECT_TRUE(store::marquer_utilise(s, b, "2026-12-07T10:20:00.000Z"));
    EXPECT_FALSE(store::marquer_utilise(s, b, "2026-12-07T10:21:00.000Z")) << "once only";
    EXPECT_EQ(store::annuler_liens(s, uid, "2026-12-07T10:20:00.000Z"), 1) << "the other link, not the used one";
    EXPECT_FALSE(store::marquer_utilise(s, a, "2026-12-07T10:22:00.000Z")) << "a cancelled link cannot be used";
  });
  db_->read([&](storage::Session& s) {
    auto la = store::lien_par_hash(s, "hash-a");
    auto lb = store::lien_par_hash(s, "hash-b");
    EXPECT_EQ(la->revoked_at, "2026-12-07T10:20:00.000Z");
    EXPECT_FALSE(la->used_at);
    EXPECT_EQ(lb->used_at, "2026-12-07T10:20:00.000Z");
    EXPECT_FALSE(lb->revoked_at);
  });
}

INSTANTIATE_TEST_SUITE_P(Engines, MotDePasseLiens, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
