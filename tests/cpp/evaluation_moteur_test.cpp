// features/evaluation/moteur: the 2PL model, EAP, the content rules of the selection, exposure,
// stopping, per-competence levels and pix, and the resumable session state.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "features/evaluation/moteur.hpp"
#include "features/evaluation/moteur_simulation.hpp"

using namespace coop::evaluation;
using namespace coop::evaluation::moteur;

namespace {

// Answers the whole test for a candidate of ability theta with the true parameters `vrais`.
void passer(const Moteur& m, EtatSession& e, const std::map<std::string, Item>& vrais, double theta,
            simulation::Aleatoire& r, int max = 1000, Expositions* expo = nullptr) {
  if (expo) ++expo->tests;
  for (int k = 0; k < max; ++k) {
    const Item* it = m.prochaine(e, expo);
    if (!it) return;
    if (expo) ++expo->items[m.position(it)];
    ASSERT_TRUE(m.repondre(e, it->id, simulation::repondre(r, vrais.at(it->id), theta) ? Resultat::juste : Resultat::faux));
  }
}

Config longueurs(int min, int max, double sd = 0.0) {
  Config c;
  c.longueur_min = min;
  c.longueur_max = max;
  c.ecart_type_arret = sd;
  return c;
}

std::map<std::string, Item> index(const std::vector<Item>& v) {
  std::map<std::string, Item> r;
  for (auto& it : v) r[it.id] = it;
  return r;
}

}  // namespace

TEST(EvaluationMoteur, ProbabiliteEtInformation) {
  EXPECT_DOUBLE_EQ(probabilite(1.3, 0.7, 0.7), 0.5);
  EXPECT_NEAR(probabilite(1.0, 0.0, 1.0), 1 / (1 + std::exp(-1.0)), 1e-15);
  EXPECT_NEAR(probabilite(2.0, 1.0, 0.0) + probabilite(2.0, 1.0, 2.0), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(information(1.5, -1.0, -1.0), 1.5 * 1.5 / 4);
  EXPECT_LT(information(1.5, -1.0, 1.0), information(1.5, -1.0, 0.0));
}

TEST(EvaluationMoteur, EchelleNiveauxEtPix) {
  Echelle e;
  EXPECT_DOUBLE_EQ(e.b_niveau(1), -2.5);
  EXPECT_DOUBLE_EQ(e.b_niveau(6), 2.5);
  EXPECT_DOUBLE_EQ(e.niveau_continu(e.b_niveau(4)), 4.0);
  EXPECT_EQ(niveau_competence(e, e.b_niveau(3), 6), 3);
  EXPECT_EQ(niveau_competence(e, e.b_niveau(3) - 0.01, 6), 2);
  EXPECT_EQ(pix_competence(e, e.b_niveau(3), 6), 24);
  EXPECT_EQ(pix_competence(e, e.b_niveau(3) + 0.5, 6), 28);
  EXPECT_EQ(pix_competence(e, 10.0, 6), 48);  // capped at 8 × plafond
  EXPECT_EQ(pix_competence(e, 10.0, 7), 56);
  EXPECT_EQ(niveau_competence(e, 10.0, 5), 5);
  EXPECT_EQ(pix_competence(e, -10.0, 6), 0);
  std::vector<Item> v{{.id = "x", .competence = "1.1", .tube = "@t", .niveau = 5, .a = 0, .b = 0, .chronometre = false}};
  parametres_depuis_niveaux(v, e);
  EXPECT_DOUBLE_EQ(v[0].a, 1.2);
  EXPECT_DOUBLE_EQ(v[0].b, 1.5);
}

TEST(EvaluationMoteur, EapSansReponseEstLePrior) {
  Grille g;
  auto t = g.valeurs();
  ASSERT_EQ(t.size(), 61u);
  EXPECT_DOUBLE_EQ(t.front(), -5.0);
  EXPECT_DOUBLE_EQ(t.back(), 5.0);
  auto p = eap(t, std::vector<double>(t.size(), 0.0), 0.0, 1.0);
  EXPECT_NEAR(p.moyenne, 0.0, 1e-12);
  EXPECT_NEAR(p.ecart_type, 1.0, 0.01);
}

TEST(EvaluationMoteur, EapCommeUneIntegrationDirecte) {
  // One correct answer to (a=1.5, b=0.5) and one wrong to (a=1, b=-1), prior N(0,1): compare with
  // a fine trapezoidal integration.
  Grille g{.min = -6, .max = 6, .points = 241};
  auto t = g.valeurs();
  std::vector<double> ll(t.size());
  for (std::size_t i = 0; i < t.size(); ++i)
    ll[i] = std::log(probabilite(1.5, 0.5, t[i])) + std::log(1 - probabilite(1.0, -1.0, t[i]));
  auto p = eap(t, ll, 0.0, 1.0);
  double s = 0, m = 0, m2 = 0;
  for (int i = 0; i <= 20000; ++i) {
    double x = -8 + 16.0 * i / 20000, w = std::exp(-x * x / 2) * probabilite(1.5, 0.5, x) * (1 - probabilite(1.0, -1.0, x));
    s += w;
    m += w * x;
    m2 += w * x * x;
  }
  EXPECT_NEAR(p.moyenne, m / s, 1e-4);
  EXPECT_NEAR(p.ecart_type, std::sqrt(m2 / s - (m / s) * (m / s)), 1e-4);
}

TEST(EvaluationMoteur, ReglesDeContenuSurUnTestComplet) {
  auto banque = simulation::banque_generee();
  ASSERT_EQ(banque.size(), 288u);
  Moteur m(banque, longueurs(8, 40));
  auto vrais = index(banque);
  simulation::Aleatoire r(7);
  for (std::uint64_t graine = 1; graine <= 30; ++graine) {
    EtatSession e{.graine = graine, .competences = {}, .questions = {}};
    passer(m, e, vrais, r.normale(), r);
    ASSERT_EQ(e.questions.size(), 40u);
    std::set<std::string> tubes, items;
    std::map<std::string, int> vus;
    for (std::size_t k = 0; k < e.questions.size(); ++k) {
      auto& q = e.questions[k];
      EXPECT_TRUE(items.insert(q.item).second) << "item servi deux fois";
      EXPECT_TRUE(tubes.insert(q.competence + q.tube).second) << "deux questions du même tube";
      if (k > 0) {
        EXPECT_NE(q.competence, e.questions[k - 1].competence) << "même compétence deux fois de suite";
      }
      // Every competence visited before one is repeated: question k is in round k / 16.
      EXPECT_EQ(vus[q.competence]++, static_cast<int>(k / 16)) << "question " << k;
      if (k > 0 && e.questions[k - 1].chronometre) {
        EXPECT_FALSE(q.chronometre) << "deux questions chronométrées de suite";
      }
    }
  }
}

TEST(EvaluationMoteur, RestrictionAUnSousEnsembleDeCompetences) {
  auto banque = simulation::banque_generee();
  Moteur m(banque, longueurs(8, 10));
  auto vrais = index(banque);
  simulation::Aleatoire r(3);
  EtatSession e{.graine = 5, .competences = {"3.1", "4.2", "5.1"}, .questions = {}};
  passer(m, e, vrais, 0.3, r);
  ASSERT_EQ(e.questions.size(), 10u);
  for (auto& q : e.questions) EXPECT_TRUE(q.competence == "3.1" || q.competence == "4.2" || q.competence == "5.1");
  auto est = m.estimer(e);
  ASSERT_EQ(est.competences.size(), 3u);
  EXPECT_EQ(est.pix_max, 3 * 48);
  // One competence: the « not twice in a row » rule must give way; one question per tube still
  // holds, so the test ends after its 4 tubes.
  EtatSession seule{.graine = 9, .competences = {"2.1"}, .questions = {}};
  passer(m, seule, vrais, 0.0, r);
  EXPECT_EQ(seule.questions.size(), 4u);
  EXPECT_TRUE(m.termine(seule));
  EXPECT_EQ(m.prochaine(seule), nullptr);
}

TEST(EvaluationMoteur, ArretSurEcartTypeOuLongueur) {
  auto banque = simulation::banque_generee();
  auto vrais = index(banque);
  simulation::Aleatoire r(11);
  Moteur longueur(banque, longueurs(5, 12));
  EtatSession e{.graine = 1, .competences = {}, .questions = {}};
  passer(longueur, e, vrais, 0.5, r);
  EXPECT_EQ(e.questions.size(), 12u);
  Moteur precision(banque, longueurs(6, 40, 0.45));
  EtatSession f{.graine = 2, .competences = {}, .questions = {}};
  passer(precision, f, vrais, 0.0, r);
  EXPECT_GE(f.questions.size(), 6u);
  EXPECT_LT(f.questions.size(), 40u);
  EXPECT_LE(precision.estimer_global(f).ecart_type, 0.45);
  f.questions.pop_back();  // one answer fewer: the SD was still above the threshold
  EXPECT_TRUE(f.questions.size() < 6 || precision.estimer_global(f).ecart_type > 0.45);
}

TEST(EvaluationMoteur, QuestionEnAttenteEtReponses) {
  auto banque = simulation::banque_generee();
  Moteur m(banque, Config{});
  EtatSession e{.graine = 42, .competences = {}, .questions = {}};
  const Item* q1 = m.prochaine(e);
  ASSERT_NE(q1, nullptr);
  EXPECT_EQ(m.prochaine(e), q1);  // still pending: the same question
  EXPECT_EQ(e.questions.size(), 1u);
  EXPECT_FALSE(m.repondre(e, "autre-item", Resultat::juste));
  EXPECT_TRUE(m.repondre(e, q1->id, Resultat::juste));
  EXPECT_FALSE(m.repondre(e, q1->id, Resultat::juste));  // nothing pending any more
  double apres_juste = m.estimer_global(e).moyenne;
  EXPECT_GT(apres_juste, 0.0);
  // A neutralised answer does not count; a skipped one counts as wrong.
  e.questions.back().resultat = Resultat::neutralise;
  EXPECT_NEAR(m.estimer_global(e).moyenne, 0.0, 1e-9);
  EXPECT_EQ(m.estimer(e).questions, 0);
  e.questions.back().resultat = Resultat::passe;
  double passe = m.estimer_global(e).moyenne;
  e.questions.back().resultat = Resultat::faux;
  EXPECT_DOUBLE_EQ(passe, m.estimer_global(e).moyenne);
  EXPECT_LT(passe, 0.0);
}

TEST(EvaluationMoteur, EtatSerialiseEtReprise) {
  auto banque = simulation::banque_generee();
  auto vrais = index(banque);
  Moteur m(banque, longueurs(8, 20));
  simulation::Aleatoire r1(99), r2(99);
  EtatSession continu{.graine = 1234567890123456789ULL, .competences = {"1.1", "1.2", "4.3"}, .questions = {}};
  passer(m, continu, vrais, 0.8, r1);
  // The same candidate, stopping after 7 answers and one served question, resumed from JSON.
  EtatSession coupe{.graine = 1234567890123456789ULL, .competences = {"1.1", "1.2", "4.3"}, .questions = {}};
  passer(m, coupe, vrais, 0.8, r2, 7);
  ASSERT_NE(m.prochaine(coupe), nullptr);
  std::string json = serialiser(coupe);
  std::string err;
  auto repris = deserialiser(json, &err);
  ASSERT_TRUE(repris) << err;
  EXPECT_EQ(repris->graine, coupe.graine);
  EXPECT_EQ(repris->competences, coupe.competences);
  ASSERT_EQ(repris->questions.size(), 8u);
  EXPECT_FALSE(repris->questions.back().resultat.has_value());
  EXPECT_EQ(serialiser(*repris), json);
  passer(m, *repris, vrais, 0.8, r2);
  ASSERT_EQ(repris->questions.size(), continu.questions.size());
  for (std::size_t k = 0; k < continu.questions.size(); ++k) EXPECT_EQ(repris->questions[k].item, continu.questions[k].item);
  EXPECT_DOUBLE_EQ(m.estimer_global(*repris).moyenne, m.estimer_global(continu).moyenne);
}

TEST(EvaluationMoteur, EtatIllisibleRefuse) {
  std::string err;
  EXPECT_FALSE(deserialiser("pas du json", &err));
  EXPECT_NE(err.find("illisible"), std::string::npos);
  EXPECT_FALSE(deserialiser(R"({"version":2,"graine":"1","questions":[]})", &err));
  EXPECT_NE(err.find("version"), std::string::npos);
  EXPECT_FALSE(deserialiser(R"({"version":1,"graine":"x1","questions":[]})", &err));
  EXPECT_FALSE(deserialiser(R"({"version":1,"graine":"1","questions":[{"item":"a","competence":"1.1"}]})", &err));
  EXPECT_NE(err.find("tube"), std::string::npos);
  EXPECT_FALSE(deserialiser(
      R"({"version":1,"graine":"1","questions":[{"item":"a","competence":"1.1","tube":"@t"},{"item":"b","competence":"1.2","tube":"@u"}]})",
      &err));
  EXPECT_NE(err.find("pas la dernière"), std::string::npos);
  EXPECT_FALSE(deserialiser(
      R"({"version":1,"graine":"1","questions":[{"item":"a","competence":"1.1","tube":"@t","resultat":"bof"}]})", &err));
  EXPECT_TRUE(deserialiser(R"({"version":1,"graine":"18446744073709551615","questions":[]})", &err));
}

TEST(EvaluationMoteur, ItemRetireDeLaBanqueIgnoreParLEstimation) {
  auto banque = simulation::banque_generee();
  Moteur m(banque, Config{});
  EtatSession e{.graine = 1, .competences = {}, .questions = {}};
  e.questions.push_back(Question{.item = "disparu", .competence = "1.1", .tube = "@tube11x1", .chronometre = false,
                                 .resultat = Resultat::juste});
  EXPECT_NEAR(m.estimer_global(e).moyenne, 0.0, 1e-9);
  const Item* q = m.prochaine(e);
  ASSERT_NE(q, nullptr);
  EXPECT_NE(q->competence, "1.1");  // its content rules still hold
  // A pending question whose item has gone: neutralised, and the test goes on.
  m.repondre(e, q->id, Resultat::juste);
  e.questions.push_back(Question{.item = "parti", .competence = "2.2", .tube = "@tube22x1", .chronometre = false,
                                 .resultat = std::nullopt});
  const Item* suite = m.prochaine(e);
  ASSERT_NE(suite, nullptr);
  ASSERT_EQ(e.questions.size(), 4u);
  EXPECT_EQ(e.questions[2].resultat, Resultat::neutralise);
  EXPECT_NE(suite->competence, "2.2");
}

TEST(EvaluationMoteur, EstimationsParCompetence) {
  auto banque = simulation::banque_generee();
  Moteur m(banque, longueurs(8, 32));
  EtatSession e{.graine = 3, .competences = {}, .questions = {}};
  // In every competence one item of level 3 and one of level 4; 1.1: both right; elsewhere the
  // level-3 one right and the level-4 one wrong: 1.1 ends above every other competence.
  std::set<std::string> pris;
  for (auto& it : banque) {
    if ((it.niveau != 3 && it.niveau != 4) || pris.count(it.competence + std::to_string(it.niveau))) continue;
    pris.insert(it.competence + std::to_string(it.niveau));
    bool juste = it.competence == "1.1" || it.niveau == 3;
    e.questions.push_back(Question{.item = it.id, .competence = it.competence, .tube = it.tube, .chronometre = false,
                                   .resultat = juste ? Resultat::juste : Resultat::faux});
  }
  auto est = m.estimer(e);
  ASSERT_EQ(est.competences.size(), 16u);
  EXPECT_EQ(est.questions, 32);
  EXPECT_NEAR(est.global.moyenne, 0.0, 0.3);
  const EstimationCompetence* c11 = nullptr;
  for (auto& c : est.competences) {
    EXPECT_EQ(c.questions, 2);
    EXPECT_EQ(c.plafond, 6);
    if (c.competence == "1.1") c11 = &c;
  }
  ASSERT_NE(c11, nullptr);
  for (auto& c : est.competences)
    if (c.competence != "1.1") {
      EXPECT_GT(c11->theta, c.theta + 0.3);
    }
  EXPECT_GT(c11->pix, est.competences.back().pix);
  int total = 0;
  for (auto& c : est.competences) total += c.pix;
  EXPECT_EQ(est.pix_total, total);
  EXPECT_EQ(est.pix_max, 16 * 48);
  Config plafonne;
  plafonne.plafond_defaut = 2;
  plafonne.plafonds["1.1"] = 1;
  Moteur m2(banque, plafonne);
  auto est2 = m2.estimer(e);
  for (auto& c : est2.competences) EXPECT_LE(c.pix, c.competence == "1.1" ? 8 : 16);
}

TEST(EvaluationMoteur, ExpositionEtPrecisionSurUnePopulation) {
  // 2,000 simulated candidates, θ ~ N(0,1), the engine with parameters that differ from item to
  // item (the "true" ones, drawn around the level-derived values: a few very discriminating items
  // would be chosen for almost everyone by information alone): with the exposure counts, at 20
  // questions no item is served to more than 25 % of the candidates, and the estimate follows the
  // true ability.
  auto banque = simulation::parametres_vrais(simulation::banque_generee(), 2026);
  auto vrais = index(banque);
  Moteur m(banque, longueurs(8, 20));
  Expositions expositions{.tests = 0, .items = std::vector<std::uint64_t>(banque.size(), 0)};
  simulation::Aleatoire r(1);
  std::map<std::string, int> expo;
  double se = 0, st = 0, sh = 0, stt = 0, shh = 0, sth = 0;
  const int N = 2000;
  for (int i = 0; i < N; ++i) {
    double theta = r.normale();
    EtatSession e{.graine = static_cast<std::uint64_t>(i) + 1, .competences = {}, .questions = {}};
    passer(m, e, vrais, theta, r, 1000, &expositions);
    for (auto& q : e.questions) ++expo[q.item];
    double h = m.estimer_global(e).moyenne;
    se += (h - theta) * (h - theta);
    st += theta;
    sh += h;
    stt += theta * theta;
    shh += h * h;
    sth += theta * h;
  }
  int max = 0;
  for (auto& [id, n] : expo) max = std::max(max, n);
  EXPECT_LE(max, N / 4);
  double rmse = std::sqrt(se / N);
  double cor = (sth - st * sh / N) / std::sqrt((stt - st * st / N) * (shh - sh * sh / N));
  EXPECT_LT(rmse, 0.5);
  EXPECT_GT(cor, 0.9);
}

TEST(EvaluationMoteur, SansControleDExpositionUnItemTresDiscriminantEstVuParPresqueTous) {
  // The same population without the counts: the exposure control above is what keeps the rate
  // down (this is the failure it prevents).
  auto banque = simulation::parametres_vrais(simulation::banque_generee(), 2026);
  auto vrais = index(banque);
  Moteur m(banque, longueurs(8, 20));
  simulation::Aleatoire r(1);
  std::map<std::string, int> expo;
  for (int i = 0; i < 500; ++i) {
    EtatSession e{.graine = static_cast<std::uint64_t>(i) + 1, .competences = {}, .questions = {}};
    passer(m, e, vrais, r.normale(), r);
    for (auto& q : e.questions) ++expo[q.item];
  }
  int max = 0;
  for (auto& [id, n] : expo) max = std::max(max, n);
  EXPECT_GT(max, 500 / 2);
}

TEST(EvaluationMoteur, ItemAuPlafondDExpositionEcarte) {
  auto banque = simulation::banque_generee();
  Config c = longueurs(8, 20);
  c.randomesque = 1;
  Moteur m(banque, c);
  EtatSession e{.graine = 8, .competences = {}, .questions = {}};
  auto libre = m.candidats(e, 0.0);
  ASSERT_GE(libre.size(), 2u);
  // The best item has been served in 30 of 100 tests (above 25 %): it drops to the end; at 20 of
  // 100 its priority is multiplied by 1 − 0.2/0.25 and an untouched item of equal information wins.
  Expositions x{.tests = 100, .items = std::vector<std::uint64_t>(banque.size(), 0)};
  x.items[m.position(libre[0])] = 30;
  auto avec = m.candidats(e, 0.0, &x);
  EXPECT_EQ(avec.back(), libre[0]);
  EXPECT_EQ(avec.front(), libre[1]);
  x.items[m.position(libre[0])] = 20;
  avec = m.candidats(e, 0.0, &x);
  EXPECT_NE(avec.front(), libre[0]);
  // Before exposition_tests_min tests the rate is taken over that many: 10 of 12 tests is 20 %.
  Expositions debut{.tests = 12, .items = std::vector<std::uint64_t>(banque.size(), 0)};
  debut.items[m.position(libre[0])] = 10;
  EXPECT_NE(m.candidats(e, 0.0, &debut).back(), libre[0]);
  // Everything capped: still a question (the least exposed).
  Expositions tout{.tests = 100, .items = std::vector<std::uint64_t>(banque.size(), 90)};
  tout.items[m.position(libre[3])] = 40;
  EXPECT_EQ(m.prochaine(e, &tout), libre[3]);
}
