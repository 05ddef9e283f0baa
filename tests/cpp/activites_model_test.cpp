// Every rule of the CRA (../shared/reference/activites.md), one test per rule at least.
#include <gtest/gtest.h>

#include "features/activites/model.hpp"
#include "features/referentiel/territoires.hpp"

using namespace coop::activites;
using coop::referentiel::Territoires;

namespace {

const Territoires& territoires() {
  static const Territoires t = Territoires::from_json(
      R"([{"code":"69123","nom":"Lyon","type":"commune-actuelle","departement":"69","region":"84",
           "codesPostaux":["69001","69002"],"population":500000},
          {"code":"42218","nom":"Saint-Étienne","type":"commune-actuelle","departement":"42","region":"84",
           "codesPostaux":["42000","42100"],"population":170000}])",
      R"([{"code":"69","nom":"Rhône","region":"84","zone":"metro"},{"code":"42","nom":"Loire","region":"84","zone":"metro"}])",
      R"([{"code":"84","nom":"Auvergne-Rhône-Alpes","zone":"metro"}])");
  return t;
}

Contexte ctx() {
  return {"2026-11-28", &territoires(), {{7, "2024-01-01", std::nullopt}, {8, "2023-01-01", "2024-06-30"}}};
}

Activite individuel() {
  Activite a;
  a.type = "individuel";
  a.date = "2026-11-20";
  a.duree = 30;
  a.type_lieu = "lieu_activite";
  a.lieu_activite_id = 7;
  a.thematiques = {"email"};
  return a;
}

Activite collectif() {
  Activite a = individuel();
  a.type = "collectif";
  a.titre_atelier = "Découvrir sa messagerie";
  a.niveau = "debutant";
  a.anonymes.total = 3;
  a.anonymes.genre = {1, 2, 0};
  a.anonymes.tranche_age = {0, 0, 0, 1, 1, 1, 0, 0};
  a.anonymes.statut_social = {0, 1, 1, 1, 0};
  a.anonymes.deja_accompagne = {1, 1, 1};
  return a;
}

// The errors of `a`, normalised first like the API does.
FieldErrors errors(Activite a, const Contexte& c = ctx()) {
  normalize(a);
  return validate(a, c);
}

bool names(const FieldErrors& e, const std::string& field) { return e.count(field) == 1; }

}  // namespace

TEST(ActivitesModel, ValidIndividuelAndCollectif) {
  EXPECT_TRUE(errors(individuel()).empty());
  EXPECT_TRUE(errors(collectif()).empty());
}

TEST(ActivitesModel, TypeRequiredAndKnown) {
  auto a = individuel();
  a.type = "";
  EXPECT_TRUE(names(errors(a), "type"));
  a.type = "ponctuel";
  auto e = errors(a);
  ASSERT_TRUE(names(e, "type"));
  EXPECT_NE(e["type"].find("ponctuel"), std::string::npos);
}

TEST(ActivitesModel, DateNotInFutureNorBefore2020) {
  auto a = individuel();
  a.date = "2026-11-29";
  EXPECT_EQ(errors(a)["date"], "La date ne peut pas être dans le futur.");
  a.date = "2019-12-31";
  EXPECT_EQ(errors(a)["date"], "La date ne peut pas être antérieure au 1er janvier 2020.");
  a.date = "2026-02-30";
  EXPECT_TRUE(names(errors(a), "date"));
  a.date = "";
  EXPECT_TRUE(names(errors(a), "date"));
  a.date = "2026-11-28";  // today
  EXPECT_TRUE(errors(a).empty());
  a.date = "2024-01-01";  // back-dating allowed
  EXPECT_TRUE(errors(a).empty());
}

TEST(ActivitesModel, DureePositiveAndAtMost24Hours) {
  auto a = individuel();
  for (std::int64_t bad : {0, -15, 1441}) {
    a.duree = bad;
    EXPECT_TRUE(names(errors(a), "duree")) << bad;
  }
  a.duree = 1440;
  EXPECT_TRUE(errors(a).empty());
  a.duree = 1;
  EXPECT_TRUE(errors(a).empty());
}

TEST(ActivitesModel, TypeLieuKnown) {
  auto a = individuel();
  a.type_lieu = "bureau";
  EXPECT_TRUE(names(errors(a), "type_lieu"));
  a.type_lieu = "";
  EXPECT_TRUE(names(errors(a), "type_lieu"));
}

TEST(ActivitesModel, LieuRequiredAndOneOfTheMediatorsOnThatDate) {
  auto a = individuel();
  a.lieu_activite_id.reset();
  EXPECT_EQ(errors(a)["lieu_activite_id"], "Choisissez le lieu d'activité.");
  a.lieu_activite_id = 99;  // not theirs
  EXPECT_EQ(errors(a)["lieu_activite_id"], "Ce lieu ne fait pas partie de vos lieux d'activité.");
  a.lieu_activite_id = 8;  // theirs until 2024-06-30
  EXPECT_EQ(errors(a)["lieu_activite_id"], "Ce lieu ne faisait pas partie de vos lieux d'activité à cette date.");
  a.date = "2024-06-30";
  EXPECT_TRUE(errors(a).empty());
  a.lieu_activite_id = 7;  // theirs from 2024-01-01
  a.date = "2023-12-31";
  EXPECT_TRUE(names(errors(a), "lieu_activite_id"));
}

TEST(ActivitesModel, NoCommuneWithALieuActivite) {
  auto a = individuel();
  a.commune_insee = "69123";
  EXPECT_TRUE(names(errors(a), "commune_insee"));
  a.commune_insee.reset();
  a.code_postal = "69001";
  EXPECT_TRUE(names(errors(a), "code_postal"));
}

TEST(ActivitesModel, CommuneRequiredAndKnownElsewhere) {
  for (auto where : {"domicile", "a_distance", "autre"}) {
    auto a = individuel();
    a.type_lieu = where;
    a.lieu_activite_id.reset();
    EXPECT_EQ(errors(a)["commune_insee"], "La commune est obligatoire hors d'un lieu d'activité.") << where;
    a.commune_insee = "00000";
    EXPECT_EQ(errors(a)["commune_insee"], "Commune inconnue.") << where;
    a.commune_insee = "69123";
    EXPECT_TRUE(errors(a).empty()) << where;
    a.code_postal = "42000";  // not Lyon's
    EXPECT_TRUE(names(errors(a), "code_postal")) << where;
    a.code_postal = "69002";
    EXPECT_TRUE(errors(a).empty()) << where;
    a.lieu_activite_id = 7;  // a lieu only with type_lieu lieu_activite
    EXPECT_TRUE(names(errors(a), "lieu_activite_id")) << where;
  }
  auto a = individuel();
  a.type_lieu = "domicile";
  a.lieu_activite_id.reset();
  a.commune_insee = "69123";
  Contexte none = ctx();
  none.territoires = nullptr;
  EXPECT_TRUE(names(errors(a, none), "commune_insee"));
}

TEST(ActivitesModel, MaterielKnownAndAucunExclusive) {
  auto a = individuel();
  a.materiel = {"ordinateur", "telephone"};
  EXPECT_TRUE(errors(a).empty());
  a.materiel = {"aucun"};
  EXPECT_TRUE(errors(a).empty());
  a.materiel = {"aucun", "tablette"};
  EXPECT_EQ(errors(a)["materiel"], "« Pas de matériel » ne se combine pas avec un autre matériel.");
  a.materiel = {"imprimante"};
  EXPECT_TRUE(names(errors(a), "materiel"));
}

TEST(ActivitesModel, AtLeastOneKnownThematique) {
  auto a = individuel();
  a.thematiques.clear();
  EXPECT_EQ(errors(a)["thematiques"], "Choisissez au moins une thématique.");
  a.thematiques = {"email", "cuisine"};
  EXPECT_NE(errors(a)["thematiques"].find("cuisine"), std::string::npos);
  a.thematiques = {"email", "sante", "intelligence_artificielle"};
  EXPECT_TRUE(errors(a).empty());
}

TEST(ActivitesModel, DemarchesOnlyWithAideAuxDemarches) {
  auto a = individuel();
  a.demarches = {"logement"};
  EXPECT_EQ(errors(a)["demarches"],
            "Les démarches ne s'indiquent qu'avec la thématique « Aide aux démarches administratives ».");
  a.thematiques.push_back("aide_aux_demarches_administratives");
  EXPECT_TRUE(errors(a).empty());
  a.demarches = {"logement", "vacances"};
  EXPECT_TRUE(names(errors(a), "demarches"));
  a.demarches = {"logement"};
  a.precisions_demarche = "Dossier APL";
  EXPECT_TRUE(errors(a).empty());
  a.thematiques = {"email"};
  a.demarches.clear();
  EXPECT_TRUE(names(errors(a), "precisions_demarche"));
}

TEST(ActivitesModel, TextLengths) {
  auto a = individuel();
  a.notes = std::string(max_notes + 1, 'x');
  EXPECT_TRUE(names(errors(a), "notes"));
  a = collectif();
  a.titre_atelier = std::string(max_titre + 1, 'x');
  EXPECT_TRUE(names(errors(a), "titre_atelier"));
}

TEST(ActivitesModel, AutonomieOnlyForIndividuelAndKnown) {
  auto a = individuel();
  a.autonomie = "autonome";
  EXPECT_TRUE(errors(a).empty());
  a.autonomie = "tres_autonome";
  EXPECT_TRUE(names(errors(a), "autonomie"));
  auto c = collectif();
  c.autonomie = "autonome";
  EXPECT_TRUE(names(errors(c), "autonomie"));
}

TEST(ActivitesModel, StructureDeRedirectionIffOriented) {
  auto a = individuel();
  a.oriente_vers_structure = true;
  EXPECT_EQ(errors(a)["structure_de_redirection"], "Indiquez vers quelle structure la personne a été orientée.");
  a.structure_de_redirection = "aide_sociale";
  EXPECT_TRUE(errors(a).empty());
  a.structure_de_redirection = "caf";
  EXPECT_TRUE(names(errors(a), "structure_de_redirection"));
  a.oriente_vers_structure = false;
  a.structure_de_redirection = "aide_sociale";
  EXPECT_TRUE(names(errors(a), "structure_de_redirection"));
  auto c = collectif();
  c.oriente_vers_structure = true;
  c.structure_de_redirection = "administration";
  EXPECT_TRUE(names(errors(c), "oriente_vers_structure"));
}

TEST(ActivitesModel, TitreAndNiveauForCollectifOnly) {
  auto c = collectif();
  c.titre_atelier.reset();
  EXPECT_EQ(errors(c)["titre_atelier"], "Le titre de l'atelier est obligatoire.");
  c = collectif();
  c.niveau = "expert";
  EXPECT_TRUE(names(errors(c), "niveau"));
  c.niveau.reset();  // optional
  EXPECT_TRUE(errors(c).empty());
  auto a = individuel();
  a.titre_atelier = "Atelier";
  a.niveau = "debutant";
  auto e = errors(a);
  EXPECT_TRUE(names(e, "titre_atelier"));
  EXPECT_TRUE(names(e, "niveau"));
}

TEST(ActivitesModel, ParticipantsBelongToCollectif) {
  auto a = individuel();
  a.participants = {1, 2};
  EXPECT_TRUE(names(errors(a), "participants"));
  a = individuel();
  a.anonymes.total = 1;
  a.anonymes.genre = {1, 0, 0};
  EXPECT_TRUE(names(errors(a), "participants_anonymes"));
  auto c = collectif();
  c.beneficiaire_id = 4;
  EXPECT_TRUE(names(errors(c), "beneficiaire_id"));
}

TEST(ActivitesModel, AnonymousCountsEachAddUpToTheTotal) {
  auto c = collectif();
  c.anonymes.genre = {1, 1, 0};
  EXPECT_EQ(errors(c)["participants_anonymes.genre"], "La répartition par genre doit totaliser les 3 participants anonymes.");
  c = collectif();
  c.anonymes.tranche_age = {0, 0, 0, 0, 0, 0, 0, 4};
  EXPECT_TRUE(names(errors(c), "participants_anonymes.tranche_age"));
  c = collectif();
  c.anonymes.statut_social = {0, 0, 0, 0, 0};
  EXPECT_TRUE(names(errors(c), "participants_anonymes.statut_social"));
  c = collectif();
  c.anonymes.deja_accompagne = {3, 1, 0};
  auto e = errors(c);
  EXPECT_TRUE(names(e, "participants_anonymes.deja_accompagne"));
  EXPECT_EQ(e.size(), 1u);
  c = collectif();
  c.anonymes.genre = {-1, 4, 0};
  EXPECT_TRUE(names(errors(c), "participants_anonymes.total"));
}

TEST(ActivitesModel, AnAtelierHasAtLeastOneParticipant) {
  auto c = collectif();
  c.anonymes = {};
  EXPECT_TRUE(names(errors(c), "participants"));
  c.participants = {12};
  EXPECT_TRUE(errors(c).empty());
}

TEST(ActivitesModel, NormalizeSortsDedupesAndTrims) {
  Activite a = individuel();
  a.thematiques = {"sante", "email", "sante"};
  a.materiel = {"tablette", "ordinateur"};
  a.notes = "   ";
  a.participants = {3, 1, 3};
  normalize(a);
  EXPECT_EQ(a.thematiques, (std::vector<std::string>{"email", "sante"}));
  EXPECT_EQ(a.materiel, (std::vector<std::string>{"ordinateur", "tablette"}));
  EXPECT_FALSE(a.notes.has_value());
  EXPECT_EQ(a.participants, (std::vector<std::int64_t>{1, 3}));
}

TEST(ActivitesModel, CodesJoinAndSplit) {
  EXPECT_EQ(join_codes({"email", "sante"}), "email,sante");
  EXPECT_EQ(split_codes("email,sante"), (std::vector<std::string>{"email", "sante"}));
  EXPECT_TRUE(split_codes("").empty());
  EXPECT_EQ(split_codes(join_codes({"a"})), (std::vector<std::string>{"a"}));
}

TEST(ActivitesModel, VocabularyHasFrenchLabels) {
  EXPECT_EQ(std::size(thematiques), 19u);
  EXPECT_EQ(std::size(demarches), 11u);
  EXPECT_EQ(*label(thematiques, "aide_aux_demarches_administratives"), "Aide aux démarches administratives");
  EXPECT_EQ(*label(types_lieu, "a_distance"), "À distance");
  EXPECT_FALSE(label(thematiques, "inconnue").has_value());
  for (auto list : {std::span<const Code>(types), std::span<const Code>(materiels), std::span<const Code>(thematiques),
                    std::span<const Code>(demarches), std::span<const Code>(structures_redirection)})
    for (auto& c : list) EXPECT_FALSE(c.label.empty()) << c.code;
}

TEST(ActivitesModel, LieuPeriods) {
  EXPECT_TRUE(check_lieu_period("2024-01-01", std::nullopt).empty());
  EXPECT_TRUE(names(check_lieu_period("2024-13-01", std::nullopt), "debut"));
  EXPECT_TRUE(names(check_lieu_period("2024-01-01", std::string("2023-12-31")), "fin"));
  LieuPeriode l{1, "2024-01-01", std::string("2024-12-31")};
  EXPECT_TRUE(l.valid_on("2024-12-31"));
  EXPECT_FALSE(l.valid_on("2025-01-01"));
  EXPECT_FALSE(l.valid_on("2023-12-31"));
}

// ---- Anonymous beneficiary of an individual CRA (beneficiaire_anonyme) ----

ProfilAnonyme profil() { return {"feminin", "soixante_dix_plus", "retraite", "69123", "69001"}; }

TEST(ActivitesModel, AnonymousProfileIsValidWithEveryFieldOrNone) {
  Activite a = individuel();
  a.beneficiaire_anonyme = profil();
  EXPECT_TRUE(errors(a).empty());
  a.beneficiaire_anonyme = ProfilAnonyme{};
  EXPECT_TRUE(errors(a).empty()) << "every field of the profile is optional";
  a.beneficiaire_anonyme.reset();
  EXPECT_TRUE(errors(a).empty()) << "no profile at all: an anonymous beneficiary all the same";
}

TEST(ActivitesModel, AnonymousProfileAndFollowedBeneficiaryAreExclusive) {
  Activite a = individuel();
  a.beneficiaire_id = 12;
  a.beneficiaire_anonyme = profil();
  auto e = errors(a);
  ASSERT_TRUE(names(e, "beneficiaire_anonyme"));
  EXPECT_NE(e["beneficiaire_anonyme"].find("pas les deux"), std::string::npos);
}

TEST(ActivitesModel, AnonymousProfileOnlyForAnIndividualCra) {
  Activite a = collectif();
  a.beneficiaire_anonyme = ProfilAnonyme{};
  EXPECT_TRUE(names(errors(a), "beneficiaire_anonyme"));
}

TEST(ActivitesModel, AnonymousProfileCodesAreNational) {
  Activite a = individuel();
  a.beneficiaire_anonyme = ProfilAnonyme{"femme", "vieux", "chomeur", std::nullopt, std::nullopt};
  auto e = errors(a);
  EXPECT_EQ(e["beneficiaire_anonyme.genre"], "Genre inconnu : « femme ».");
  EXPECT_EQ(e["beneficiaire_anonyme.tranche_age"], "Tranche d'âge inconnue : « vieux ».");
  EXPECT_EQ(e["beneficiaire_anonyme.statut_social"], "Statut social inconnu : « chomeur ».");
  EXPECT_EQ(e.size(), 3u);
}

TEST(ActivitesModel, AnonymousProfileCommuneAndPostalCode) {
  Activite a = individuel();
  a.beneficiaire_anonyme = ProfilAnonyme{std::nullopt, std::nullopt, std::nullopt, "99999", std::nullopt};
  EXPECT_EQ(errors(a)["beneficiaire_anonyme.commune_insee"], "Commune de résidence inconnue.");
  a.beneficiaire_anonyme = ProfilAnonyme{std::nullopt, std::nullopt, std::nullopt, "69123", "42000"};
  EXPECT_EQ(errors(a)["beneficiaire_anonyme.code_postal"], "Ce code postal n'est pas celui de la commune Lyon.");
  a.beneficiaire_anonyme = ProfilAnonyme{std::nullopt, std::nullopt, std::nullopt, std::nullopt, "69001"};
  EXPECT_TRUE(names(errors(a), "beneficiaire_anonyme.commune_insee")) << "a postal code needs its commune";
  a.beneficiaire_anonyme = ProfilAnonyme{std::nullopt, std::nullopt, std::nullopt, "69123", std::nullopt};
  EXPECT_TRUE(errors(a).empty());
  Contexte no_referentiel = ctx();
  no_referentiel.territoires = nullptr;
  EXPECT_TRUE(names(errors(a, no_referentiel), "beneficiaire_anonyme.commune_insee"));
}

TEST(ActivitesModel, NormalizeTrimsTheAnonymousProfile) {
  Activite a = individuel();
  a.beneficiaire_anonyme = ProfilAnonyme{" feminin ", "  ", std::nullopt, " 69123", ""};
  normalize(a);
  ASSERT_TRUE(a.beneficiaire_anonyme);
  EXPECT_EQ(a.beneficiaire_anonyme->genre, "feminin");
  EXPECT_FALSE(a.beneficiaire_anonyme->tranche_age);
  EXPECT_EQ(a.beneficiaire_anonyme->commune_insee, "69123");
  EXPECT_FALSE(a.beneficiaire_anonyme->code_postal);
  EXPECT_TRUE(validate(a, ctx()).empty());
}

TEST(ActivitesModel, CleIdempotenceIsACanonicalUuid) {
  EXPECT_EQ(cle_idempotence("3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3b"), "3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3b");
  EXPECT_EQ(cle_idempotence("3F2B8C1E-9D4A-4F6B-8A2E-1C5D7E9F0A3B"), "3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3b");
  EXPECT_FALSE(cle_idempotence(""));
  EXPECT_FALSE(cle_idempotence("3f2b8c1e9d4a4f6b8a2e1c5d7e9f0a3b"));       // no dashes
  EXPECT_FALSE(cle_idempotence("3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3"));     // one digit short
  EXPECT_FALSE(cle_idempotence("3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3bb"));   // one too many
  EXPECT_FALSE(cle_idempotence("3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3g"));    // not hexadecimal
  EXPECT_FALSE(cle_idempotence("3f2b8c1e-9d4a-4f6b_8a2e-1c5d7e9f0a3b"));    // wrong separator
  EXPECT_FALSE(cle_idempotence("3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3\n"));
}

TEST(ActivitesModel, OrientationLieuIndividuelOnlyServicesOfTheStandardWithALieu) {
  auto a = individuel();
  a.orientation_lieu_id = 42;
  a.orientation_services = {" Utilisation sécurisée du numérique", "Aide aux démarches administratives",
                            "Utilisation sécurisée du numérique", ""};
  EXPECT_TRUE(errors(a).empty());
  normalize(a);
  // The standard's order, trimmed, without duplicates nor blanks.
  EXPECT_EQ(a.orientation_services,
            (std::vector<std::string>{"Aide aux démarches administratives", "Utilisation sécurisée du numérique"}));

  auto c = collectif();
  c.orientation_lieu_id = 42;
  EXPECT_TRUE(names(errors(c), "orientation_lieu_id"));

  auto sans_lieu = individuel();
  sans_lieu.orientation_services = {"Aide aux démarches administratives"};
  EXPECT_TRUE(names(errors(sans_lieu), "orientation_services"));

  auto inconnu = individuel();
  inconnu.orientation_lieu_id = 42;
  inconnu.orientation_services = {"Réparer des vélos"};
  auto e = errors(inconnu);
  ASSERT_TRUE(names(e, "orientation_services"));
  EXPECT_NE(e.at("orientation_services").find("Réparer des vélos"), std::string::npos);

  auto negatif = individuel();
  negatif.orientation_lieu_id = -1;
  EXPECT_TRUE(names(errors(negatif), "orientation_lieu_id"));
}
