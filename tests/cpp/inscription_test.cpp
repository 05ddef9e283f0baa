// Sign-up rules (features/inscription/model.hpp) and its mails (modeles.hpp), pure; then its store
// on both engines.
#include <gtest/gtest.h>

#include "base_ephemere.hpp"
#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/accounts/store.hpp"
#include "features/inscription/model.hpp"
#include "features/inscription/modeles.hpp"
#include "features/inscription/store.hpp"
#include "features/purge/purge.hpp"

using namespace coop;
using namespace coop::inscription;
using accounts::Role;
using accounts::RoleGrant;

TEST(InscriptionModel, ProfilsEtRoles) {
  EXPECT_EQ(parse_profil("conseiller_numerique"), Profil::conseiller_numerique);
  EXPECT_EQ(parse_profil("gestionnaire_structure"), std::nullopt);
  EXPECT_EQ(parse_profil(""), std::nullopt);
  EXPECT_EQ(profil_grant(Profil::conseiller_numerique), (RoleGrant{Role::mediateur, std::nullopt, true}));
  EXPECT_EQ(profil_grant(Profil::mediateur), (RoleGrant{Role::mediateur}));
  EXPECT_EQ(profil_grant(Profil::coordinateur), (RoleGrant{Role::coordinateur}));
  for (auto p : {Profil::mediateur, Profil::conseiller_numerique, Profil::coordinateur})
    EXPECT_EQ(parse_profil(profil_name(p)), p);
  // Every grant of a profile is valid for the accounts model.
  for (auto p : {Profil::mediateur, Profil::conseiller_numerique, Profil::coordinateur})
    EXPECT_TRUE(accounts::check_role_grants({profil_grant(p)}).empty());
}

TEST(InscriptionModel, EtapeCourante) {
  EtatParcours e;
  EXPECT_EQ(etape_courante(e), Etape::profil);
  e.roles = {RoleGrant{Role::admin}};
  EXPECT_EQ(etape_courante(e), Etape::termine);
  e.roles = {RoleGrant{Role::mediateur, std::nullopt, true}};
  EXPECT_EQ(etape_courante(e), Etape::structure);
  e.statuts_emplois = {"refuse"};  // a refused employment: name another structure
  EXPECT_EQ(etape_courante(e), Etape::structure);
  e.statuts_emplois = {"refuse", "en_attente"};
  EXPECT_EQ(etape_courante(e), Etape::lieux);
  e.lieux = 1;
  EXPECT_EQ(etape_courante(e), Etape::premiers_pas);
  // A coordinator has no lieux d'activité step.
  EtatParcours c;
  c.roles = {RoleGrant{Role::coordinateur}};
  c.statuts_emplois = {"confirme"};
  EXPECT_EQ(etape_courante(c), Etape::premiers_pas);
}

TEST(InscriptionModel, Limites) {
  Limites l{20, 3};
  EXPECT_FALSE(limite_atteinte(0, 0, l));
  EXPECT_FALSE(limite_atteinte(19, 2, l));
  EXPECT_TRUE(limite_atteinte(19, 3, l));
  EXPECT_TRUE(limite_atteinte(20, 0, l));
}

TEST(InscriptionModel, DecisionSurUnRattachement) {
  EXPECT_EQ(check_decision("en_attente"), std::nullopt);
  EXPECT_TRUE(check_decision("confirme").has_value());
  EXPECT_TRUE(check_decision("refuse").has_value());
  EXPECT_EQ(statut_apres(Decision::confirmer), "confirme");
  EXPECT_EQ(statut_apres(Decision::refuser), "refuse");
}

TEST(InscriptionModel, FormulaireDInscription) {
  Demande d{"camille@exemple.fr", "Camille", "Martin", "un mot de passe long", true};
  EXPECT_TRUE(check_demande(d).empty());
  Demande bad{"pas-une-adresse", "", "Martin", "court", false};
  auto errs = check_demande(bad);
  EXPECT_EQ(errs.count("email"), 1u);
  EXPECT_EQ(errs.count("prenom"), 1u);
  EXPECT_EQ(errs.count("nom"), 0u);
  EXPECT_EQ(errs.count("password"), 1u);  // the project's password rules
  EXPECT_EQ(errs.count("cgu"), 1u);
}

TEST(InscriptionPolicy, ProfilEmployeurDecision) {
  accounts::Principal nouveau;
  nouveau.user_id = 7;
  EXPECT_TRUE(accounts::can_choose_profile(nouveau));
  EXPECT_FALSE(accounts::can_declare_employer(nouveau));
  nouveau.roles = {RoleGrant{Role::mediateur}};
  EXPECT_FALSE(accounts::can_choose_profile(nouveau));
  EXPECT_TRUE(accounts::can_declare_employer(nouveau));
  accounts::Principal gestion;
  gestion.roles = {RoleGrant{Role::gestionnaire_structure, 3}};
  EXPECT_TRUE(accounts::can_decide_employment(gestion, 3));
  EXPECT_FALSE(accounts::can_decide_employment(gestion, 4));  // another structure
  EXPECT_FALSE(accounts::can_declare_employer(gestion));
  accounts::Principal admin;
  admin.roles = {RoleGrant{Role::admin}};
  EXPECT_TRUE(accounts::can_decide_employment(admin, 4));
}

TEST(InscriptionModeles, LiensEtContenu) {
  auto c = modeles::confirmation("camille@exemple.fr", "Camille", "https://coop.example/inscription/confirmer/abc", 5);
  EXPECT_EQ(c.modele, "inscription_confirmation");
  EXPECT_EQ(c.destinataire, "camille@exemple.fr");
  EXPECT_NE(c.texte.find("https://coop.example/inscription/confirmer/abc"), std::string::npos);
  EXPECT_NE(c.texte.find("24 heures"), std::string::npos);
  auto r = modeles::emploi_decide("c@e.fr", "Camille", "Médiathèque <Bachut>", false, "Inconnue chez nous", "https://x/premiers-pas", 5);
  EXPECT_EQ(r.modele, "inscription_emploi_refuse");
  EXPECT_NE(r.texte.find("Inconnue chez nous"), std::string::npos);
  EXPECT_EQ(r.html.find("<Bachut>"), std::string::npos);  // escaped in the HTML part
  auto a = modeles::emploi_a_confirmer("admin@e.fr", "Alex", "Camille Martin", "Asso", "https://x/structures/3", 1, true);
  EXPECT_NE(a.texte.find("pas de gestionnaire"), std::string::npos);
}

// ---- The store, on both engines ----


namespace {

class InscriptionStore : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "inscription"); }
  void TearDown() override { fermer(); }
};

namespace ast = accounts::store;
namespace ist = inscription::store;

TEST_P(InscriptionStore, LinksAreSingleUseAndANewOneVoidsTheOlder) {
  if (HasFatalFailure() || IsSkipped()) return;
  db_->write([&](storage::Session& s) {
    ast::NewUser nu{"camille@exemple.fr", "Martin", "Camille", std::nullopt, "hash"};
    nu.email_confirme = false;
    auto uid = ast::create_user(s, nu);
    EXPECT_FALSE(ast::user_by_id(s, uid)->email_confirme);
    ist::creer_jeton(s, uid, "h1", "2099-01-01T00:00:00.000Z");
    ist::creer_jeton(s, uid, "h2", "2099-01-01T00:00:00.000Z");
    EXPECT_TRUE(ist::jeton_par_hash(s, "h1")->used_at.has_value()) << "the newer link voids the older one";
    auto j = ist::jeton_par_hash(s, "h2");
    ASSERT_TRUE(j);
    EXPECT_FALSE(j->used_at);
    EXPECT_TRUE(ist::utiliser_jeton(s, j->id));
    EXPECT_FALSE(ist::utiliser_jeton(s, j->id)) << "once";
    EXPECT_FALSE(ist::jeton_par_hash(s, "inconnu"));
    ist::confirmer_email(s, uid);
    EXPECT_TRUE(ast::user_by_id(s, uid)->email_confirme);
    // Accounts created any other way are confirmed.
    auto other = ast::create_user(s, {"admin@exemple.fr", "A", "B", std::nullopt, "hash"});
    EXPECT_TRUE(ast::user_by_id(s, other)->email_confirme);
  });
}

TEST_P(InscriptionStore, PendingEmploymentsCountOnlyOnceConfirmed) {
  if (HasFatalFailure() || IsSkipped()) return;
  db_->write([&](storage::Session& s) {
    auto uid = ast::create_user(s, {"m@exemple.fr", "M", "M", std::nullopt, "hash"});
    auto gid = ast::create_user(s, {"g@exemple.fr", "G", "G", std::nullopt, "hash"});
    auto aid = ast::create_user(s, {"a@exemple.fr", "A", "A", std::nullopt, "hash"});
    ast::add_role(s, aid, {Role::admin});
    auto sid = ast::create_structure(s, {0, "Asso", "73282932000074", "1 rue", "69383", ""});
    auto sid2 = ast::create_structure(s, {0, "Autre", "", "", "69383", ""});
    ast::add_role(s, gid, {Role::gestionnaire_structure, sid});
    EXPECT_EQ(ist::structure_par_siret(s, "73282932000074")->id, sid);
    EXPECT_FALSE(ist::structure_par_siret(s, "12345678901234"));
    EXPECT_EQ(ist::gestionnaires_de(s, sid).size(), 1u);
    EXPECT_TRUE(ist::gestionnaires_de(s, sid2).empty());
    ASSERT_EQ(ist::administrateurs(s).size(), 1u);
    EXPECT_EQ(ist::administrateurs(s)[0].email, "a@exemple.fr");

    const auto today = core::today();
    auto eid = ist::declarer_emploi(s, uid, sid, today);
    EXPECT_EQ(ast::employment_by_id(s, eid)->statut, "en_attente");
    EXPECT_TRUE(ast::structures_employing(s, uid, today).empty()) << "pending: no access to the structure";
    EXPECT_TRUE(ist::decider_emploi(s, eid, "confirme", "", gid));
    EXPECT_FALSE(ist::decider_emploi(s, eid, "refuse", "trop tard", gid)) << "decided once";
    EXPECT_EQ(ast::employment_by_id(s, eid)->statut, "confirme");
    EXPECT_EQ(ast::structures_employing(s, uid, today), std::vector<std::int64_t>{sid});

    auto e2 = ist::declarer_emploi(s, uid, sid2, today);
    EXPECT_TRUE(ist::decider_emploi(s, e2, "refuse", "Inconnu ici", aid));
    auto refused = ast::employment_by_id(s, e2);
    EXPECT_EQ(refused->statut, "refuse");
    EXPECT_EQ(refused->motif_refus, "Inconnu ici");
    EXPECT_EQ(ast::structures_employing(s, uid, today), std::vector<std::int64_t>{sid});
    EXPECT_EQ(ast::employments_of_user(s, uid).size(), 2u);
  });
}

TEST_P(InscriptionStore, PendingInvitationsAreThoseNeitherAcceptedNorExpired) {
  if (HasFatalFailure() || IsSkipped()) return;
  db_->write([&](storage::Session& s) {
    auto inviter = ast::create_user(s, {"g@exemple.fr", "G", "G", std::nullopt, "hash"});
    auto sid = ast::create_structure(s, {0, "Asso", "", "", "69383", ""});
    auto make = [&](const std::string& hash, const std::string& expires) {
      ast::Invitation i;
      i.email = "invitee@exemple.fr";
      i.role = Role::mediateur;
      i.structure_id = sid;
      i.invited_by = inviter;
      i.created_at = core::now_iso();
      i.expires_at = expires;
      return ast::create_invitation(s, hash, i);
    };
    make("expiree", "2020-01-01T00:00:00.000Z");
    auto valid = make("valide", "2099-01-01T00:00:00.000Z");
    auto now = core::now_iso();
    auto pending = ist::invitations_en_cours(s, "invitee@exemple.fr", now);
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].id, valid);
    auto uid = ast::create_user(s, {"invitee@exemple.fr", "I", "I", std::nullopt, "hash"});
    EXPECT_TRUE(ast::apply_invitation(s, pending[0], uid));
    EXPECT_FALSE(ast::apply_invitation(s, pending[0], uid)) << "accepted once";
    EXPECT_TRUE(ist::invitations_en_cours(s, "invitee@exemple.fr", now).empty());
    EXPECT_EQ(ast::roles_of(s, uid), (std::vector<RoleGrant>{{Role::mediateur}}));
    auto emplois = ast::employments_of_user(s, uid);
    ASSERT_EQ(emplois.size(), 1u);
    EXPECT_EQ(emplois[0].statut, "confirme") << "an invitation's employment needs no confirmation";
  });
}

TEST_P(InscriptionStore, TheHourlyPurgeDeletesSignUpsNeverConfirmedAWeekAfterTheirLastLink) {
  if (HasFatalFailure() || IsSkipped()) return;
  std::int64_t ancienne = 0, renvoyee = 0, confirmee = 0, recente = 0;
  db_->write([&](storage::Session& s) {
    auto make = [&](const std::string& email, bool confirme) {
      ast::NewUser nu{email, "N", "P", std::nullopt, "hash"};
      nu.email_confirme = confirme;
      return ast::create_user(s, nu);
    };
    ancienne = make("ancienne@exemple.fr", false);
    renvoyee = make("renvoyee@exemple.fr", false);
    confirmee = make("confirmee@exemple.fr", true);
    recente = make("recente@exemple.fr", false);
    for (auto id : {ancienne, renvoyee, confirmee})
      s.exec("UPDATE users SET created_at = '2026-01-01T00:00:00.000Z' WHERE id = ?", {id});
    ist::creer_jeton(s, ancienne, "vieux", "2026-01-02T00:00:00.000Z");
    s.exec("UPDATE inscription_jetons SET created_at = '2026-01-01T00:00:00.000Z' WHERE token_hash = 'vieux'");
    ist::creer_jeton(s, renvoyee, "recent", "2099-01-01T00:00:00.000Z");  // « renvoyer le lien » today
  });
  auto r = purge::run(*db_);
  EXPECT_EQ(r.inscriptions, 1);
  EXPECT_NE(purge::describe(r).find("1 inscription(s) jamais confirmée(s)"), std::string::npos);
  db_->read([&](storage::Session& s) {
    EXPECT_FALSE(ast::user_by_id(s, ancienne));
    EXPECT_FALSE(ist::jeton_par_hash(s, "vieux"));
    EXPECT_TRUE(ast::user_by_id(s, renvoyee));
    EXPECT_TRUE(ast::user_by_id(s, confirmee));
    EXPECT_TRUE(ast::user_by_id(s, recente));
  });
}

INSTANTIATE_TEST_SUITE_P(Engines, InscriptionStore, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
