// Free-answer matching (t1, t2, t3, numbers) and grading of every item type.
#include <gtest/gtest.h>

#include "features/evaluation/correspondance.hpp"
#include "features/evaluation/notation.hpp"

namespace ev = coop::evaluation;

namespace {
constexpr ev::Tolerances kToutes{.t1 = true, .t2 = true, .t3 = true};
constexpr ev::Tolerances kAucune{.t1 = false, .t2 = false, .t3 = false};
std::optional<ev::Niveau> c(std::string_view r, std::string_view s, ev::Tolerances t = kToutes, bool num = false) {
  return ev::correspond(r, s, t, num);
}
}  // namespace

TEST(EvaluationCorrespondance, PretraitementNfcEtEspacesInsecables) {
  EXPECT_EQ(ev::pretraiter("e\xCC\x81t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");  // e + U+0301 → é
  EXPECT_EQ(ev::pretraiter("E\xCC\x80"), "\xC3\x88");                     // È
  EXPECT_EQ(ev::pretraiter("y\xCC\x88"), "\xC3\xBF");                     // ÿ
  EXPECT_EQ(ev::pretraiter("10\xC2\xA0€ et 5\xE2\x80\xAF%"), "10 € et 5 %");
  // Decomposed and precomposed are equal even with every tolerance off.
  EXPECT_EQ(c("caf\xC3\xA9", "cafe\xCC\x81", kAucune), ev::Niveau::exacte);
}

TEST(EvaluationCorrespondance, T1CasseAccentsEspacesLigatures) {
  EXPECT_EQ(ev::appliquer_t1("  Sécurité Sociale "), "securitesociale");
  EXPECT_EQ(ev::appliquer_t1("CŒUR Æther"), "coeuraether");
  EXPECT_EQ(c("  Sécu  ", "secu"), ev::Niveau::t1);
  EXPECT_EQ(c("cœur", "coeur"), ev::Niveau::t1);
  EXPECT_EQ(c("impots.gouv.fr", "IMPOTS.GOUV.FR"), ev::Niveau::t1);
  EXPECT_EQ(c("impots\xC2\xA0gouv", "impotsgouv"), ev::Niveau::t1);  // nbsp, then removed
  // t1 off: case and accents count (t2 and t3 off too).
  EXPECT_FALSE(c("Sécu", "secu", ev::Tolerances{.t1 = false, .t2 = false, .t3 = false}));
  EXPECT_FALSE(c("Sécu", "secu", ev::Tolerances{.t1 = false, .t2 = true, .t3 = false}));
}

TEST(EvaluationCorrespondance, T2SupprimeLaPonctuation) {
  EXPECT_EQ(ev::appliquer_t2("l'URSSAF, s.v.p. !"), "lURSSAFsvp");
  EXPECT_EQ(c("« .pdf »", "pdf"), ev::Niveau::t2);
  EXPECT_EQ(c("06-12-34-56-78", "0612345678"), ev::Niveau::t2);
  EXPECT_FALSE(c("06-12-34-56-78", "0612345678", ev::Tolerances{.t1 = true, .t2 = false, .t3 = false}));
  // Letters of other scripts are letters: kept.
  EXPECT_EQ(ev::appliquer_t2("Ωmega!"), "Ωmega");
}

TEST(EvaluationCorrespondance, T3BorneDuQuart) {
  // ratio = distance / length of the (normalised) answer; accepted when ≤ 0.25.
  EXPECT_EQ(ev::levenshtein("courriel", "couriel"), 1u);
  EXPECT_EQ(ev::levenshtein("évé", "eve"), 2u);  // code points, not bytes
  EXPECT_EQ(c("navigatr", "navigateur"), ev::Niveau::t3);  // 2 / 8 = 0.25: accepted (boundary)
  EXPECT_FALSE(c("navigat", "navigateur"));                  // 3 / 7 > 0.25
  EXPECT_FALSE(c("abcdefg", "abcdexy"));                     // 2 / 7 = 0.286
  EXPECT_EQ(c("abcdefgh", "abcdefxy"), ev::Niveau::t3);     // 2 / 8 = 0.25
  EXPECT_FALSE(c("abcdefgh", "abcdefxy", ev::Tolerances{.t1 = true, .t2 = true, .t3 = false}));
  // The ratio is over the answer's length: a long answer to a short solution is not accepted.
  EXPECT_FALSE(c("ab", "abc"));  // 1 / 2
  EXPECT_EQ(c("abcd", "abc"), ev::Niveau::t3);  // 1 / 4
}

TEST(EvaluationCorrespondance, ReponsesVides) {
  EXPECT_FALSE(c("", "caf"));
  EXPECT_FALSE(c("   ", "caf"));
  EXPECT_FALSE(c("\xC2\xA0", "caf"));
  EXPECT_FALSE(c("!!!", "caf"));
  EXPECT_FALSE(c("", "", kAucune));
  EXPECT_FALSE(ev::correspond_une("", {"a", "b"}, kToutes, false));
}

TEST(EvaluationCorrespondance, Nombres) {
  EXPECT_EQ(ev::nombre("3,5"), "3.5");
  EXPECT_EQ(ev::nombre(" 3.50 "), "3.5");
  EXPECT_EQ(ev::nombre("03,50"), "3.5");
  EXPECT_EQ(ev::nombre("1\xC2\xA0" "000"), "1000");
  EXPECT_EQ(ev::nombre("-0,0"), "0");
  EXPECT_EQ(ev::nombre(",5"), "0.5");
  EXPECT_EQ(ev::nombre("-12"), "-12");
  EXPECT_FALSE(ev::nombre("douze"));
  EXPECT_FALSE(ev::nombre("3,5,1"));
  EXPECT_FALSE(ev::nombre(""));
  EXPECT_FALSE(ev::nombre("12€"));
  EXPECT_EQ(c("3,50", "3.5", kToutes, true), ev::Niveau::numerique);
  EXPECT_FALSE(c("3,6", "3.5", kToutes, true));  // never fuzzy
  EXPECT_FALSE(c("1234568", "1234567", kToutes, true));
}

namespace {
ev::Item item(ev::Type t) {
  ev::Item i;
  i.id = "x";
  i.type = t;
  return i;
}
}  // namespace

TEST(EvaluationNotation, QcuEtQcm) {
  auto qcu = item(ev::Type::qcu);
  qcu.propositions = {"a", "b", "c"};
  qcu.reponse = {2};
  EXPECT_TRUE(ev::corriger(qcu, ev::Reponse{.choix = {2}, .valeurs = {}}).correct);
  EXPECT_FALSE(ev::corriger(qcu, ev::Reponse{.choix = {1}, .valeurs = {}}).correct);
  EXPECT_FALSE(ev::corriger(qcu, ev::Reponse{.choix = {}, .valeurs = {}}).correct);
  auto qcm = item(ev::Type::qcm);
  qcm.propositions = {"a", "b", "c", "d"};
  qcm.reponse = {1, 3};
  EXPECT_TRUE(ev::corriger(qcm, ev::Reponse{.choix = {3, 1}, .valeurs = {}}).correct);
  EXPECT_FALSE(ev::corriger(qcm, ev::Reponse{.choix = {1}, .valeurs = {}}).correct);
  EXPECT_FALSE(ev::corriger(qcm, ev::Reponse{.choix = {1, 3, 4}, .valeurs = {}}).correct);
}

TEST(EvaluationNotation, QrocEtToleranceParItem) {
  auto q = item(ev::Type::qroc);
  q.champs = {ev::Champ{.nom = "reponse", .libelle = ""}};
  q.solutions = {{"navigateur", "browser"}};
  auto r = ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"reponse", "Navigatr"}}});
  EXPECT_TRUE(r.correct);
  ASSERT_EQ(r.champs.size(), 1u);
  EXPECT_EQ(r.champs[0].niveau, ev::Niveau::t3);
  q.tolerances.t3 = false;
  EXPECT_FALSE(ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"reponse", "Navigatr"}}}).correct);
  EXPECT_EQ(ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"reponse", "BROWSER"}}}).champs[0].niveau, ev::Niveau::t1);
  EXPECT_FALSE(ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {}}).correct);  // no answer
}

TEST(EvaluationNotation, QrocmIndChaqueChampSurLesSiennes) {
  auto q = item(ev::Type::qrocm_ind);
  q.champs = {{.nom = "ext", .libelle = "Extension"}, {.nom = "site", .libelle = "Site"}};
  q.solutions = {{"pdf"}, {"ameli.fr"}};
  EXPECT_TRUE(ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"ext", ".PDF"}, {"site", "Ameli.fr"}}}).correct);
  // Swapped answers are wrong: each field has its own answers.
  const auto r = ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"ext", "ameli.fr"}, {"site", "pdf"}}});
  EXPECT_FALSE(r.correct);
  EXPECT_FALSE(r.champs[0].correct);
  const auto r2 = ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"ext", "pdf"}, {"site", ""}}});
  EXPECT_FALSE(r2.correct);
  EXPECT_TRUE(r2.champs[0].correct);
}

TEST(EvaluationNotation, QrocmDepChaqueSolutionUneFois) {
  auto q = item(ev::Type::qrocm_dep);
  q.champs = {{.nom = "a", .libelle = "1"}, {.nom = "b", .libelle = "2"}};
  q.solutions = {{"CAF", "caisse d'allocations familiales"}, {"CPAM", "ameli"}, {"URSSAF"}};
  EXPECT_TRUE(ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"a", "cpam"}, {"b", "caf"}}}).correct);
  EXPECT_TRUE(ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"a", "urssaf"}, {"b", "Ameli"}}}).correct);
  // The same solution twice (even through two of its variants) counts once.
  const auto r = ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"a", "caf"}, {"b", "Caisse d'allocations familiales"}}});
  EXPECT_FALSE(r.correct);
  EXPECT_EQ(r.champs[0].correct + r.champs[1].correct, 1);
}

TEST(EvaluationNotation, QrocmDepAffectationOptimale) {
  // Field a matches solutions 0 and 1 (t3), field b only 0: a greedy choice of 0 for a would fail.
  auto q = item(ev::Type::qrocm_dep);
  q.champs = {{.nom = "a", .libelle = "1"}, {.nom = "b", .libelle = "2"}};
  q.solutions = {{"abcdefgh"}, {"abcdefgx"}};
  q.tolerances = ev::Tolerances{.t1 = true, .t2 = true, .t3 = true};
  const auto r = ev::corriger(q, ev::Reponse{.choix = {}, .valeurs = {{"a", "abcdefgh"}, {"b", "abcdefgh"}}});
  EXPECT_TRUE(r.correct);  // a→0 exact, b→1 within t3 (1/8)
  ASSERT_TRUE(r.champs[0].solution && r.champs[1].solution);
  EXPECT_NE(*r.champs[0].solution, *r.champs[1].solution);
}
