// Réseaux locaux (features/reseaux): the pure rules, the access rules of policy.hpp, and the
// store with the channel's synchronisation on both engines.
#include <gtest/gtest.h>

#include <algorithm>

#include "base_ephemere.hpp"
#include "features/accounts/policy.hpp"
#include "features/accounts/store.hpp"
#include "features/discussion/store.hpp"
#include "features/reseaux/canal.hpp"
#include "features/reseaux/model.hpp"
#include "features/reseaux/store.hpp"

namespace {

using namespace coop;
using coop::reseaux::Territoire;

TEST(ReseauxModel, ValidationNamesEachField) {
  auto tous = [](const Territoire&) { return true; };
  reseaux::Saisie ok{"  Réseau du Rhône  ", "", {{"departement", "69"}, {"commune", "69123"}, {"departement", "69"}}};
  EXPECT_TRUE(reseaux::valider(ok, tous).empty());
  EXPECT_EQ(ok.nom, "Réseau du Rhône");
  ASSERT_EQ(ok.territoires.size(), 2u);  // sorted, de-duplicated
  EXPECT_EQ(ok.territoires[0], (Territoire{"commune", "69123"}));

  reseaux::Saisie vide{"", std::string(2001, 'x'), {}};
  auto e = reseaux::valider(vide, tous);
  EXPECT_TRUE(e.count("nom") && e.count("description") && e.count("territoires"));
  reseaux::Saisie long_nom{std::string(121, 'a'), "", {{"departement", "69"}}};
  EXPECT_TRUE(reseaux::valider(long_nom, tous).count("nom"));
  reseaux::Saisie accents{std::string(60, 'a'), "", {{"departement", "69"}}};
  for (int i = 0; i < 60; ++i) accents.nom += "é";  // 120 characters, 180 bytes
  EXPECT_TRUE(reseaux::valider(accents, tous).empty());
  reseaux::Saisie inconnu{"X", "", {{"departement", "00"}}};
  auto e2 = reseaux::valider(inconnu, [](const Territoire& t) { return t.code != "00"; });
  ASSERT_TRUE(e2.count("territoires"));
  EXPECT_NE(e2["territoires"].find("00"), std::string::npos);
}

TEST(ReseauxModel, TerritoriesSearchAndChannelName) {
  EXPECT_EQ(reseaux::territoire_de("departement:2a"), (Territoire{"departement", "2A"}));
  EXPECT_EQ(reseaux::territoire_de("commune:69123"), (Territoire{"commune", "69123"}));
  EXPECT_FALSE(reseaux::territoire_de("region:84"));
  EXPECT_FALSE(reseaux::territoire_de("departement:"));
  EXPECT_FALSE(reseaux::territoire_de("departement:69;DROP"));
  EXPECT_EQ(reseaux::texte_de({"commune", "42218"}), "commune:42218");
  EXPECT_TRUE(reseaux::correspond("", {"x"}));
  EXPECT_TRUE(reseaux::correspond("mediath bach", {"Médiathèque du Bachut", "Lyon"}));
  EXPECT_TRUE(reseaux::correspond("LYON", {"Médiathèque du Bachut", "Lyon"}));
  EXPECT_FALSE(reseaux::correspond("thèque", {"Médiathèque"}));  // word starts only
  EXPECT_FALSE(reseaux::correspond("lyon rennes", {"Lyon"}));
  EXPECT_EQ(reseaux::nom_du_canal("Loire"), "Réseau · Loire");
  std::string long_nom;
  for (int i = 0; i < 100; ++i) long_nom += "é";
  auto c = reseaux::nom_du_canal(long_nom);
  std::size_t n = 0;
  for (unsigned char ch : c) n += (ch & 0xC0) != 0x80;
  EXPECT_EQ(n, 80u);
}

accounts::Principal avec(std::int64_t id, std::vector<accounts::RoleGrant> roles) {
  accounts::Principal p;
  p.user_id = id;
  p.roles = std::move(roles);
  return p;
}

TEST(ReseauxPolicy, WhoMayDoWhat) {
  using accounts::Role;
  const auto med = avec(1, {{Role::mediateur}});
  const auto coord = avec(2, {{Role::coordinateur}});
  const auto gest = avec(3, {{Role::gestionnaire_structure, 7}});
  const auto admin = avec(4, {{Role::admin}});
  EXPECT_FALSE(accounts::reseaux_peut_creer(med));
  EXPECT_TRUE(accounts::reseaux_peut_creer(coord) && accounts::reseaux_peut_creer(gest) && accounts::reseaux_peut_creer(admin));
  const accounts::DroitsReseau rien{}, animateur{true, false, false}, createur{true, true, false}, membre{false, false, true};
  EXPECT_FALSE(accounts::reseaux_peut_animer(coord, rien));
  EXPECT_TRUE(accounts::reseaux_peut_animer(coord, animateur));
  EXPECT_TRUE(accounts::reseaux_peut_animer(admin, rien));
  EXPECT_FALSE(accounts::reseaux_peut_supprimer(coord, animateur));
  EXPECT_TRUE(accounts::reseaux_peut_supprimer(coord, createur));
  EXPECT_TRUE(accounts::reseaux_peut_voir_chiffres(med, membre));
  EXPECT_FALSE(accounts::reseaux_peut_voir_chiffres(med, rien));
  EXPECT_TRUE(accounts::reseaux_ajoute_directement(gest, 7));
  EXPECT_FALSE(accounts::reseaux_ajoute_directement(gest, 8));
  EXPECT_FALSE(accounts::reseaux_ajoute_directement(coord, 7));
  EXPECT_TRUE(accounts::reseaux_peut_repondre(gest, 7));
  EXPECT_FALSE(accounts::reseaux_peut_repondre(med, 7));
  EXPECT_TRUE(accounts::reseaux_peut_retirer_structure(gest, rien, 7));  // leaving
  EXPECT_FALSE(accounts::reseaux_peut_retirer_structure(gest, rien, 8));
  EXPECT_TRUE(accounts::reseaux_peut_retirer_animateur(med, rien, 1));  // oneself
  EXPECT_FALSE(accounts::reseaux_peut_retirer_animateur(med, rien, 2));
  EXPECT_FALSE(accounts::reseaux_peut_etre_animateur(med.roles));
  EXPECT_TRUE(accounts::reseaux_peut_etre_animateur(gest.roles));
}

class ReseauxStore : public ::testing::TestWithParam<std::string>, protected coop::tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "reseaux"); }
  void TearDown() override { fermer(); }
};

TEST_P(ReseauxStore, MembersInvitationsDirectoryAndChannel) {
  if (HasFatalFailure() || IsSkipped()) return;
  using accounts::Role;
  db_->write([&](storage::Session& s) {
    namespace as = accounts::store;
    auto structure = [&](const char* nom, const char* insee) {
      as::Structure x;
      x.nom = nom;
      x.commune_insee = insee;
      return as::create_structure(s, x);
    };
    const auto s1 = structure("Médiathèque", "69388"), s2 = structure("Association", "42218"), s3 = structure("Ailleurs", "35238");
    auto user = [&](const char* email, Role r, std::optional<std::int64_t> sid) {
      auto id = as::create_user(s, {email, "Nom", "Prénom", std::string("+33612345678"), "", true});
      as::replace_roles(s, id, {{r, r == Role::gestionnaire_structure ? sid : std::nullopt}});
      if (sid && r != Role::gestionnaire_structure) as::create_employment(s, id, *sid, "2024-01-01", std::nullopt);
      return id;
    };
    const auto coord = user("coord@x.fr", Role::coordinateur, s1);
    const auto gest = user("gest@x.fr", Role::gestionnaire_structure, s1);
    const auto med1 = user("med1@x.fr", Role::mediateur, s1);
    const auto med2 = user("med2@x.fr", Role::mediateur, s2);
    const auto med3 = user("med3@x.fr", Role::mediateur, s3);
    const auto parti = user("parti@x.fr", Role::mediateur, std::nullopt);
    as::create_employment(s, parti, s1, "2020-01-01", std::string("2021-01-01"));  // left long ago
    const auto today = std::string("2026-12-08"), now = std::string("2026-12-08T02:00:00.000Z");

    reseaux::Saisie d{"Réseau test", "", {{"departement", "69"}}};
    const auto r = reseaux::store::creer(s, d, coord, now);
    const auto canal = reseaux::creer_canal(s, r, d.nom, coord);
    EXPECT_EQ(reseaux::store::lire(s, r)->canal_id, canal);
    EXPECT_EQ(reseaux::store::lire(s, r)->territoires, d.territoires);
    EXPECT_TRUE(reseaux::store::droits(s, r, coord, today).createur);

    auto inv = reseaux::store::inviter(s, r, s1, coord, now);
    EXPECT_TRUE(inv.nouvelle);
    EXPECT_FALSE(reseaux::store::inviter(s, r, s1, coord, now).nouvelle);  // one pending per pair
    EXPECT_EQ(reseaux::store::invitations_pour(s, {s1}).size(), 1u);
    EXPECT_TRUE(reseaux::store::repondre(s, inv.id, true, gest, now));
    EXPECT_FALSE(reseaux::store::repondre(s, inv.id, false, gest, now));  // already answered
    auto inv2 = reseaux::store::inviter(s, r, s2, coord, now);
    EXPECT_TRUE(reseaux::store::repondre(s, inv2.id, false, gest, now));
    EXPECT_EQ(reseaux::store::ids_structures(s, r), std::vector<std::int64_t>{s1});
    EXPECT_TRUE(reseaux::store::ajouter_structure(s, r, s2, coord, now));
    EXPECT_FALSE(reseaux::store::ajouter_structure(s, r, s2, coord, now));

    // People of the members today: the coordinator, the gestionnaire, two mediators; not the
    // one who left, not the mediator of a structure outside the network.
    std::vector<std::int64_t> ids;
    for (const auto& p : reseaux::store::personnes(s, reseaux::store::ids_structures(s, r), today)) ids.push_back(p.user_id);
    std::sort(ids.begin(), ids.end());
    std::vector<std::int64_t> attendus{coord, gest, med1, med2};
    std::sort(attendus.begin(), attendus.end());
    EXPECT_EQ(ids, attendus);
    EXPECT_TRUE(reseaux::store::droits(s, r, med2, today).membre);
    EXPECT_FALSE(reseaux::store::droits(s, r, med3, today).membre);
    EXPECT_FALSE(reseaux::store::droits(s, r, parti, today).membre);
    // Contact only when chosen.
    for (const auto& p : reseaux::store::personnes(s, {s1}, today)) EXPECT_TRUE(p.email.empty());
    reseaux::store::choisir_visibilite(s, med1, true, now);
    reseaux::store::choisir_visibilite(s, med1, true, now);  // upsert
    for (const auto& p : reseaux::store::personnes(s, {s1}, today))
      EXPECT_EQ(p.email.empty(), p.user_id != med1) << p.user_id;

    // The channel: exactly these people, the animator as moderator; follows a departure.
    EXPECT_EQ(reseaux::synchroniser_canal(s, r, today, nullptr), 4);
    EXPECT_EQ(reseaux::synchroniser_canal(s, r, today, nullptr), 0);
    auto membres = discussion::store::ids_membres(s, canal);
    std::sort(membres.begin(), membres.end());
    EXPECT_EQ(membres, attendus);
    EXPECT_EQ(discussion::store::membre(s, canal, coord)->role, "moderateur");
    EXPECT_TRUE(reseaux::store::retirer_structure(s, r, s2));
    reseaux::synchroniser_canal(s, r, today, nullptr);
    EXPECT_FALSE(discussion::store::membre(s, canal, med2));
    // A member added by hand stays.
    discussion::store::ajouter_membre(s, canal, med3, "membre", false, "invitation", coord);
    reseaux::synchroniser_canal(s, r, today, nullptr);
    EXPECT_TRUE(discussion::store::membre(s, canal, med3));

    EXPECT_EQ(reseaux::store::structures_du_departement(s, "69"), std::vector<std::int64_t>{s1});
    EXPECT_EQ(reseaux::store::coordinateurs(s, {s1, s2}), std::vector<std::int64_t>{coord});
    EXPECT_EQ(reseaux::store::de_utilisateur(s, med1, today).size(), 1u);
    EXPECT_TRUE(reseaux::store::de_utilisateur(s, med3, today).empty());
    reseaux::store::supprimer(s, r);
    EXPECT_FALSE(reseaux::store::lire(s, r));
  });
}

INSTANTIATE_TEST_SUITE_P(Engines, ReseauxStore, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
