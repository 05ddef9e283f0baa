// The item bank's parser and validator (features/evaluation/banque.hpp): a valid file is read
// whole, and each refusal rule of docs/evaluation-items.md has its own bad fixture, which must be
// refused with the right line and key (removing a rule makes its test fail).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <sstream>

#include "core/installation.hpp"
#include "features/evaluation/banque.hpp"
#include "features/evaluation/verification.hpp"

namespace ev = coop::evaluation;

namespace {

constexpr std::string_view kReferentiel =
    "# test\n"
    "domaine: 1 | Informations et données\n"
    "competence: 1.1 | Mener une recherche et une veille d'information\n"
    "competence: 1.2 | Gérer des données\n";

ev::Banque banque_vide() {
  std::vector<ev::Erreur> e;
  ev::Banque b;
  b.referentiel = ev::lire_referentiel(kReferentiel, "referentiel.txt", e);
  EXPECT_TRUE(e.empty());
  return b;
}

struct Lu {
  ev::Banque banque;
  std::vector<ev::Erreur> erreurs;
};

// Reads one file of competence 1.1 (and optionally a file of 1.2), then validates; media files
// "medias/present.svg" and "medias/present.csv" exist.
Lu lire(const std::string& texte, const std::string& autre = "") {
  Lu l{.banque = banque_vide(), .erreurs = {}};
  ev::lire_competence(texte, "banque/1.1.txt", l.banque, l.erreurs);
  if (!autre.empty()) ev::lire_competence(autre, "banque/1.2.txt", l.banque, l.erreurs);
  ev::valider(l.banque, [](const std::string& p) { return p == "medias/present.svg" || p == "medias/present.csv"; }, l.erreurs);
  return l;
}

std::string tout(const std::vector<ev::Erreur>& es) {
  std::string s;
  for (const auto& e : es) s += ev::format(e) + "\n";
  return s;
}

constexpr std::string_view kEntete =
    "competence: 1.1\n"                                       // 1
    "\n"                                                      // 2
    "tube: @motsCles | Choisir les mots d'une recherche\n"   // 3
    "tube: @sources | Évaluer une source\n"                  // 4
    "\n";                                                     // 5

// A valid QCU starting at line 6.
std::string qcu(std::string_view remplacer = "", std::string_view par = "") {
  std::string s = std::string(kEntete) +
                  "item: c11-motscles-1a\n"                     // 6
                  "acquis: @motsCles1\n"                        // 7
                  "type: QCU\n"                                 // 8
                  "consigne:\n"                                 // 9
                  "> Samia cherche les horaires de sa CAF.\n"  // 10
                  "> Que tape-t-elle ?\n"                       // 11
                  "propositions:\n"                             // 12
                  "- horaires CAF Lyon\n"                       // 13
                  "- bonjour\n"                                 // 14
                  "- CAF\n"                                     // 15
                  "reponse: 1\n"                                // 16
                  "explication:\n"                              // 17
                  "> Les mots utiles, sans politesse.\n"        // 18
                  "thematiques: navigation_sur_internet\n";     // 19
  if (!remplacer.empty()) {
    const auto p = s.find(remplacer);
    EXPECT_NE(p, std::string::npos) << remplacer;
    s.replace(p, remplacer.size(), par);
  }
  return s;
}

// Expects exactly one refusal, at `ligne` with key `cle`, whose message contains `extrait`.
void refuse(const std::string& texte, int ligne, std::string_view cle, std::string_view extrait, const std::string& autre = "") {
  const Lu l = lire(texte, autre);
  ASSERT_EQ(l.erreurs.size(), 1u) << tout(l.erreurs) << texte;
  EXPECT_EQ(l.erreurs[0].ligne, ligne) << tout(l.erreurs);
  EXPECT_EQ(l.erreurs[0].cle, cle) << tout(l.erreurs);
  EXPECT_NE(l.erreurs[0].message.find(extrait), std::string::npos) << tout(l.erreurs);
  EXPECT_EQ(l.erreurs[0].fichier, autre.empty() ? "banque/1.1.txt" : l.erreurs[0].fichier);
}

}  // namespace

TEST(EvaluationReferentiel, LitDomainesEtCompetences) {
  std::vector<ev::Erreur> e;
  const auto r = ev::lire_referentiel(kReferentiel, "referentiel.txt", e);
  EXPECT_TRUE(e.empty()) << tout(e);
  ASSERT_EQ(r.domaines.size(), 1u);
  ASSERT_EQ(r.competences.size(), 2u);
  EXPECT_EQ(r.competences[1].titre, "Gérer des données");
  EXPECT_EQ(r.competence("1.1")->domaine, "1");
}

TEST(EvaluationReferentiel, RefuseLignesMalFormees) {
  std::vector<ev::Erreur> e;
  ev::lire_referentiel("domaine: 1 | A\ncompetence: 2.1 | B\ncompetence 1.1\ncompetence: 1.1 | C\ncompetence: 1.1 | D\n", "r", e);
  ASSERT_EQ(e.size(), 3u) << tout(e);
  EXPECT_EQ(e[0].ligne, 2);  // domain 2 not declared
  EXPECT_EQ(e[1].ligne, 3);  // no colon
  EXPECT_EQ(e[2].ligne, 5);  // twice
}

TEST(EvaluationReferentiel, LeVraiReferentielA16Competences) {
  // build/coop_tests → the repository's evaluation/ (core/installation.hpp's development layout).
  const auto dir = coop::core::installation::find(coop::core::installation::executable_path(),
                                                  coop::core::installation::Data::evaluation);
  ASSERT_TRUE(dir.found);
  const auto c = ev::charger(*dir.found);
  EXPECT_TRUE(c.erreurs.empty()) << tout(c.erreurs);
  EXPECT_EQ(c.banque.referentiel.domaines.size(), 5u);
  ASSERT_EQ(c.banque.referentiel.competences.size(), 16u);
  EXPECT_EQ(c.banque.referentiel.competences[15].code, "5.2");
  EXPECT_EQ(c.banque.referentiel.competence("2.4")->titre, "S'insérer dans le monde numérique");
}

TEST(EvaluationBanque, LitUnItemValide) {
  const Lu l = lire(qcu());
  ASSERT_TRUE(l.erreurs.empty()) << tout(l.erreurs);
  ASSERT_EQ(l.banque.tubes.size(), 2u);
  EXPECT_EQ(l.banque.tubes[1].titre, "Évaluer une source");
  ASSERT_EQ(l.banque.items.size(), 1u);
  const auto& it = l.banque.items[0];
  EXPECT_EQ(it.id, "c11-motscles-1a");
  EXPECT_EQ(it.competence, "1.1");
  EXPECT_EQ(it.tube, "motsCles");
  EXPECT_EQ(it.niveau, 1);
  EXPECT_EQ(it.type, ev::Type::qcu);
  EXPECT_EQ(it.consigne, "Samia cherche les horaires de sa CAF.\nQue tape-t-elle ?");
  ASSERT_EQ(it.propositions.size(), 3u);
  EXPECT_EQ(it.propositions[2], "CAF");
  EXPECT_EQ(it.reponse, std::vector<int>{1});
  EXPECT_EQ(it.thematiques, std::vector<std::string>{"navigation_sur_internet"});
  EXPECT_EQ(it.ligne, 6);
}

TEST(EvaluationBanque, LitLesTypesLibresEtLesOptions) {
  const std::string texte = std::string(kEntete) +
                            "# un commentaire\n"
                            "item: c11-qroc\n"
                            "acquis: @sources8\n"
                            "type: QROC\n"
                            "temps: 60\n"
                            "numerique: oui\n"
                            "image: medias/present.svg | Capture d'écran\n"
                            "piece-jointe: medias/present.csv | Le tableau\n"
                            "consigne:\n"
                            "> Combien ?\n"
                            ">\n"
                            "> Vraiment.\n"
                            "reponses:\n"
                            "- 3,5 | 3.5\n"
                            "explication:\n"
                            "> Parce que.\n"
                            "\n"
                            "item: c11-ind\n"
                            "acquis: @sources3\n"
                            "type: QROCM-ind\n"
                            "tolerances: t1 t2\n"
                            "consigne:\n"
                            "> Complétez.\n"
                            "champs:\n"
                            "- ext: Extension\n"
                            "- site: Site\n"
                            "reponses:\n"
                            "- site: impots.gouv.fr\n"
                            "- ext: pdf | .pdf\n"
                            "explication:\n"
                            "> Voilà.\n"
                            "item: c11-dep\n"
                            "acquis: @sources4\n"
                            "type: QROCM-dep\n"
                            "tolerances: aucune\n"
                            "consigne:\n"
                            "> Deux organismes ?\n"
                            "champs:\n"
                            "- a: Premier\n"
                            "- b: Second\n"
                            "reponses:\n"
                            "- CAF | Caisse d'allocations familiales\n"
                            "- CPAM\n"
                            "- URSSAF\n"
                            "explication:\n"
                            "> Voilà.\n";
  const Lu l = lire(texte);
  ASSERT_TRUE(l.erreurs.empty()) << tout(l.erreurs);
  ASSERT_EQ(l.banque.items.size(), 3u);
  const auto& q = l.banque.items[0];
  EXPECT_EQ(q.type, ev::Type::qroc);
  EXPECT_EQ(q.niveau, 8);
  EXPECT_TRUE(q.numerique);
  EXPECT_EQ(q.temps, 60);
  EXPECT_EQ(q.consigne, "Combien ?\n\nVraiment.");
  ASSERT_TRUE(q.image);
  EXPECT_EQ(q.image->texte, "Capture d'écran");
  EXPECT_EQ(q.piece_jointe->chemin, "medias/present.csv");
  ASSERT_EQ(q.champs.size(), 1u);
  EXPECT_EQ(q.champs[0].nom, "reponse");
  EXPECT_EQ(q.solutions, (std::vector<std::vector<std::string>>{{"3,5", "3.5"}}));
  const auto& ind = l.banque.items[1];
  EXPECT_FALSE(ind.tolerances.t3);
  EXPECT_TRUE(ind.tolerances.t1 && ind.tolerances.t2);
  ASSERT_EQ(ind.solutions.size(), 2u);
  EXPECT_EQ(ind.solutions[0], (std::vector<std::string>{"pdf", ".pdf"}));  // in the order of champs
  EXPECT_EQ(ind.solutions[1], (std::vector<std::string>{"impots.gouv.fr"}));
  const auto& dep = l.banque.items[2];
  EXPECT_FALSE(dep.tolerances.t1 || dep.tolerances.t2 || dep.tolerances.t3);
  EXPECT_EQ(dep.solutions.size(), 3u);
}

// --- One fixture per refusal rule -------------------------------------------------------------

TEST(EvaluationRefus, SansExplication) {
  refuse(qcu("explication:\n> Les mots utiles, sans politesse.\n", ""), 6, "explication", "obligatoire");
}
TEST(EvaluationRefus, SansConsigne) {
  refuse(qcu("consigne:\n> Samia cherche les horaires de sa CAF.\n> Que tape-t-elle ?\n", ""), 6, "consigne", "obligatoire");
}
TEST(EvaluationRefus, SansAcquis) { refuse(qcu("acquis: @motsCles1\n", ""), 6, "acquis", "obligatoire"); }
TEST(EvaluationRefus, SansType) { refuse(qcu("type: QCU\n", ""), 6, "type", "obligatoire"); }
TEST(EvaluationRefus, TypeInconnu) { refuse(qcu("type: QCU\n", "type: QCX\n"), 8, "type", "inconnu"); }
TEST(EvaluationRefus, CleInconnue) { refuse(qcu("type: QCU\n", "type: QCU\ndifficulte: 3\n"), 9, "difficulte", "clé inconnue"); }
TEST(EvaluationRefus, CleRepetee) { refuse(qcu("type: QCU\n", "type: QCU\ntype: QCU\n"), 9, "type", "répétée"); }
TEST(EvaluationRefus, CleHorsSujetPourLeType) {
  refuse(qcu("reponse: 1\n", "reponse: 1\nnumerique: oui\n"), 17, "numerique", "sans objet");
}
TEST(EvaluationRefus, LigneInattendue) { refuse(qcu("reponse: 1\n", "reponse: 1\nn'importe quoi\n"), 17, "", "ligne inattendue"); }
TEST(EvaluationRefus, LigneDeBlocOrpheline) { refuse(qcu("reponse: 1\n", "reponse: 1\n> perdu\n"), 17, "", "ligne de bloc"); }
TEST(EvaluationRefus, BlocVide) { refuse(qcu("explication:\n> Les mots utiles, sans politesse.\n", "explication:\n"), 17, "explication", "bloc vide"); }
TEST(EvaluationRefus, ValeurSurUneCleDeBloc) {
  refuse(qcu("explication:\n> Les mots utiles, sans politesse.\n", "explication: en ligne\n"), 17, "explication", "clé de bloc");
}
TEST(EvaluationRefus, CompetenceAbsenteEnTete) {
  std::string t = qcu();
  t.erase(0, std::string("competence: 1.1\n").size());
  const Lu l = lire(t);
  ASSERT_FALSE(l.erreurs.empty());
  EXPECT_EQ(l.erreurs[0].cle, "tube");
  EXPECT_NE(l.erreurs[0].message.find("commencer par"), std::string::npos) << tout(l.erreurs);
}
TEST(EvaluationRefus, CompetenceDifferenteDuNomDeFichier) {
  refuse(qcu("competence: 1.1\n", "competence: 1.2\n"), 1, "competence", "nom du fichier");
}
TEST(EvaluationRefus, CompetenceHorsReferentiel) {
  refuse(qcu("competence: 1.1\n", "competence: 9.9\n"), 1, "competence", "référentiel");
}
TEST(EvaluationRefus, AcquisTubeNonDeclare) { refuse(qcu("acquis: @motsCles1\n", "acquis: @motClef1\n"), 6, "acquis", "non déclaré"); }
TEST(EvaluationRefus, AcquisNiveauHorsBornes) {
  refuse(qcu("acquis: @motsCles1\n", "acquis: @motsCles9\n"), 7, "acquis", "hors de 1..8");
  refuse(qcu("acquis: @motsCles1\n", "acquis: @motsCles0\n"), 7, "acquis", "hors de 1..8");
}
TEST(EvaluationRefus, AcquisMalForme) { refuse(qcu("acquis: @motsCles1\n", "acquis: motsCles\n"), 7, "acquis", "@tubeN"); }
TEST(EvaluationRefus, AcquisTubeDUneAutreCompetence) {
  const std::string autre = "competence: 1.2\ntube: @fichiers | Ranger ses fichiers\n";
  refuse(qcu("acquis: @motsCles1\n", "acquis: @fichiers1\n"), 6, "acquis", "compétence 1.2", autre);
}
TEST(EvaluationRefus, TubeDuplique) {
  const std::string autre = "competence: 1.2\ntube: @sources | Encore\n";
  const Lu l = lire(qcu(), autre);
  ASSERT_EQ(l.erreurs.size(), 1u) << tout(l.erreurs);
  EXPECT_EQ(l.erreurs[0].fichier, "banque/1.2.txt");
  EXPECT_EQ(l.erreurs[0].ligne, 2);
  EXPECT_EQ(l.erreurs[0].cle, "tube");
  EXPECT_NE(l.erreurs[0].message.find("banque/1.1.txt:4"), std::string::npos);
}
TEST(EvaluationRefus, TubeMalForme) {
  refuse(qcu("tube: @sources | Évaluer une source\n", "tube: @Sources | Évaluer une source\n"), 4, "tube", "camelCase");
  refuse(qcu("tube: @sources | Évaluer une source\n", "tube: @sources\n"), 4, "tube", "forme attendue");
}
TEST(EvaluationRefus, TubeApresUnItem) {
  refuse(qcu() + "tube: @tard | Trop tard\n", 20, "tube", "avant le premier item");
}
TEST(EvaluationRefus, ItemDuplique) {
  const std::string autre = "competence: 1.2\ntube: @fichiers | Ranger\n" + qcu().substr(kEntete.size());
  std::string a = autre;
  a.replace(a.find("@motsCles1"), 10, "@fichiers1");
  const Lu l = lire(qcu(), a);
  ASSERT_EQ(l.erreurs.size(), 1u) << tout(l.erreurs);
  EXPECT_EQ(l.erreurs[0].fichier, "banque/1.2.txt");
  EXPECT_EQ(l.erreurs[0].cle, "item");
  EXPECT_NE(l.erreurs[0].message.find("déjà défini (banque/1.1.txt:6)"), std::string::npos) << tout(l.erreurs);
}
TEST(EvaluationRefus, ItemIdInvalide) { refuse(qcu("item: c11-motscles-1a\n", "item: C11_a\n"), 6, "item", "invalide"); }
TEST(EvaluationRefus, PropositionsEgalesApresT1) {
  refuse(qcu("- CAF\n", "- Horaires  CAF  lyon\n"), 15, "propositions", "propositions 1 et 3 identiques");
  refuse(qcu("- bonjour\n", "- BONJOUR\n- Bônjour\n"), 15, "propositions", "propositions 2 et 3");
}
TEST(EvaluationRefus, PropositionsTropPeu) {
  refuse(qcu("- bonjour\n- CAF\n", ""), 12, "propositions", "au moins 2");
}
TEST(EvaluationRefus, QcmTroisPropositionsAuMoins) {
  std::string t = qcu("type: QCU\n", "type: QCM\n");
  t = t.replace(t.find("- CAF\n"), 6, "");
  refuse(t, 12, "propositions", "au moins 3");
}
TEST(EvaluationRefus, QcuSansExactementUneReponse) {
  refuse(qcu("reponse: 1\n", "reponse: 1,3\n"), 16, "reponse", "exactement une");
  refuse(qcu("reponse: 1\n", ""), 6, "reponse", "obligatoire");
}
TEST(EvaluationRefus, QcmSansReponseOuToutJuste) {
  refuse(qcu("type: QCU\n", "type: QCM\n").replace(qcu().find("reponse: 1\n"), 11, "reponse: 1,2,3\n"), 16, "reponse", "toutes les propositions");
  refuse(qcu("type: QCU\n", "type: QCM\n").replace(qcu().find("reponse: 1\n"), 11, ""), 6, "reponse", "obligatoire");
}
TEST(EvaluationRefus, IndiceHorsBornes) {
  refuse(qcu("reponse: 1\n", "reponse: 4\n"), 16, "reponse", "hors des propositions");
  refuse(qcu("reponse: 1\n", "reponse: un\n"), 16, "reponse", "numéros");
}
TEST(EvaluationRefus, IndiceRepete) {
  refuse(qcu("type: QCU\n", "type: QCM\n").replace(qcu().find("reponse: 1\n"), 11, "reponse: 1,1\n"), 16, "reponse", "répété");
}

namespace {
// A free-answer item (at line 6) with the given type, options, fields and answers.
std::string libre(std::string_view type, std::string_view options, std::string_view champs, std::string_view reponses) {
  return std::string(kEntete) + "item: c11-libre\nacquis: @sources2\ntype: " + std::string(type) + "\n" + std::string(options) +
         "consigne:\n> Question ?\n" + std::string(champs) + "reponses:\n" + std::string(reponses) +
         "explication:\n> Réponse.\n";
}
}  // namespace

TEST(EvaluationRefus, ReponseLibreVideApresNormalisation) {
  // line 6 item, 7 acquis, 8 type, 9 consigne, 10 >, 11 reponses:, 12 -
  refuse(libre("QROC", "", "", "- « »  | ok\n"), 12, "reponses", "vide une fois normalisée");
  EXPECT_TRUE(lire(libre("QROC", "tolerances: t1\n", "", "- ...\n")).erreurs.empty());  // t2 off: punctuation is kept
}
TEST(EvaluationRefus, QrocUneSeuleLigneDeReponses) {
  refuse(libre("QROC", "", "", "- a\n- b\n"), 11, "reponses", "une seule ligne");
}
TEST(EvaluationRefus, NumeriqueAvecReponseNonNumerique) {
  refuse(libre("QROC", "numerique: oui\n", "", "- 12 | douze\n"), 13, "reponses", "non numérique");
}
TEST(EvaluationRefus, ToleranceInconnue) {
  refuse(libre("QROC", "tolerances: t1 t4\n", "", "- a\n"), 9, "tolerances", "inconnue");
  refuse(libre("QROC", "tolerances: aucune t1\n", "", "- a\n"), 9, "tolerances", "seule");
}
TEST(EvaluationRefus, TempsInvalide) { refuse(libre("QROC", "temps: 0\n", "", "- a\n"), 9, "temps", "secondes"); }
TEST(EvaluationRefus, QrocmDepMoinsDeSolutionsQueDeChamps) {
  // 11 champs:, 12-13 fields, 14 reponses:, 15 -
  refuse(libre("QROCM-dep", "", "champs:\n- a: Premier\n- b: Second\n", "- CAF\n"), 14, "reponses", "au moins autant");
}
TEST(EvaluationRefus, QrocmDepSolutionsQuiSeCorrespondent) {
  // "ameli" and "Améli" are one solution under t1; "impots" and "impot" under t3 only.
  refuse(libre("QROCM-dep", "", "champs:\n- a: Premier\n- b: Second\n", "- ameli\n- Améli\n"), 16, "reponses", "ambiguës");
  refuse(libre("QROCM-dep", "", "champs:\n- a: Premier\n- b: Second\n", "- impots\n- impot\n"), 16, "reponses", "ambiguës");
  EXPECT_TRUE(lire(libre("QROCM-dep", "tolerances: t1 t2\n", "champs:\n- a: Premier\n- b: Second\n", "- impots\n- impot\n")).erreurs.empty());
}
TEST(EvaluationRefus, QrocmIndChampSansReponse) {
  refuse(libre("QROCM-ind", "", "champs:\n- a: Premier\n- b: Second\n", "- a: caf\n"), 14, "reponses", "n'a pas de réponse");
}
TEST(EvaluationRefus, QrocmIndReponsePourUnChampInconnu) {
  refuse(libre("QROCM-ind", "", "champs:\n- a: Premier\n- b: Second\n", "- a: caf\n- b: cpam\n- c: urssaf\n"), 17, "reponses", "champ inconnu");
}
TEST(EvaluationRefus, QrocmIndChampsConfondablesAvecT3) {
  refuse(libre("QROCM-ind", "", "champs:\n- a: Premier\n- b: Second\n", "- a: courriel\n- b: courriels\n"), 16, "reponses", "confondables");
  EXPECT_TRUE(lire(libre("QROCM-ind", "tolerances: t1 t2\n", "champs:\n- a: Premier\n- b: Second\n", "- a: courriel\n- b: courriels\n"))
                  .erreurs.empty());
}
TEST(EvaluationRefus, QrocmAuMoinsDeuxChamps) {
  refuse(libre("QROCM-ind", "", "champs:\n- a: Premier\n", "- a: caf\n"), 11, "champs", "au moins deux");
  refuse(libre("QROCM-dep", "", "", "- a\n- b\n"), 6, "champs", "obligatoire");
}
TEST(EvaluationRefus, ChampMalFormeOuRepete) {
  refuse(libre("QROCM-ind", "", "champs:\n- a: Premier\n- A B: Second\n- b: Troisième\n", "- a: x\n- b: y\n"), 13, "champs", "nom: libellé");
  refuse(libre("QROCM-ind", "", "champs:\n- a: Premier\n- a: Second\n", "- a: x\n"), 13, "champs", "répété");
}
TEST(EvaluationRefus, ImageManquante) {
  refuse(qcu("reponse: 1\n", "reponse: 1\nimage: medias/absente.svg | Une capture\n"), 6, "image", "introuvable");
}
TEST(EvaluationRefus, ImageSansTexteAlternatif) {
  refuse(qcu("reponse: 1\n", "reponse: 1\nimage: medias/present.svg\n"), 17, "image", "texte alternatif");
  refuse(qcu("reponse: 1\n", "reponse: 1\nimage: medias/present.svg |  \n"), 17, "image", "texte alternatif");
}
TEST(EvaluationRefus, PieceJointeManquanteOuSansLibelle) {
  refuse(qcu("reponse: 1\n", "reponse: 1\npiece-jointe: medias/absente.csv | Tableau\n"), 6, "piece-jointe", "introuvable");
  refuse(qcu("reponse: 1\n", "reponse: 1\npiece-jointe: medias/present.csv\n"), 17, "piece-jointe", "libellé");
}
TEST(EvaluationRefus, MediaHorsDuDossierMedias) {
  refuse(qcu("reponse: 1\n", "reponse: 1\nimage: medias/../../etc/passwd | x\n"), 17, "image", "medias/");
}
TEST(EvaluationRefus, ThematiqueInconnue) {
  refuse(qcu("thematiques: navigation_sur_internet\n", "thematiques: email numerique-au-quotidien\n"), 19, "thematiques", "inconnue");
}
TEST(EvaluationRefus, FinsDeLigneCrlf) {
  std::string t = qcu();
  t.insert(t.find('\n'), "\r");
  refuse(t, 1, "", "CRLF");
}

// --- The command -------------------------------------------------------------------------------

TEST(EvaluationVerifier, CodeDeSortieEtResume) {
  namespace fs = std::filesystem;
  const fs::path d = fs::temp_directory_path() / ("coop-eval-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d / "banque");
  std::ofstream(d / "referentiel.txt") << kReferentiel;
  std::ofstream(d / "banque/1.1.txt") << qcu();
  std::ostringstream out, err;
  EXPECT_EQ(ev::verifier(d, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("1 items, 2 tubes"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("QCU 1,"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("Banque valide."), std::string::npos);
  std::ofstream(d / "banque/1.1.txt") << qcu("reponse: 1\n", "reponse: 7\n");
  std::ostringstream out2, err2;
  EXPECT_EQ(ev::verifier(d, out2, err2), 1);
  EXPECT_NE(err2.str().find("/banque/1.1.txt:16: [reponse] item c11-motscles-1a : indice 7"), std::string::npos) << err2.str();
  fs::remove_all(d);
}

TEST(EvaluationInstallation, LaBanqueSeTrouveACoteDeLExecutable) {
  namespace inst = coop::core::installation;
  const auto c = inst::candidates("/opt/coop/bin/coop", inst::Data::evaluation);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0], std::filesystem::path("/opt/coop/share/coop/evaluation"));
  EXPECT_EQ(c[1], std::filesystem::path("/opt/coop/evaluation"));
  EXPECT_EQ(inst::marker(inst::Data::evaluation), "referentiel.txt");
}
