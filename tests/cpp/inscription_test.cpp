// Sign-up rules (features/inscription/model.hpp) and its mails (modeles.hpp): pure, no database.
#include <gtest/gtest.h>

#include "features/accounts/policy.hpp"
#include "features/inscription/model.hpp"
#include "features/inscription/modeles.hpp"

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
