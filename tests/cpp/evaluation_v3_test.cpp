// features/evaluation/anchor/pix_v3: each rule of the anchor's published v3 algorithm, as
// reimplemented from the reference (grid, start, moving prior, limiter, top-5 draw, content rules,
// length, validity, completion of an abandoned test).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "features/evaluation/anchor/pix_v3.hpp"
#include "features/evaluation/moteur_simulation.hpp"

using namespace coop::evaluation;
using ancre::AlgorithmeV3;
using ancre::ConfigV3;

TEST(EvaluationAncreV3, Grille80PointsDeMoins9A9) {
  AlgorithmeV3 v3(simulation::banque_generee());
  auto& g = v3.grille();
  ASSERT_EQ(g.size(), 80u);
  EXPECT_DOUBLE_EQ(g.front(), -9.0);
  EXPECT_DOUBLE_EQ(g.back(), 9.0);
  EXPECT_NEAR(g[1] - g[0], 18.0 / 79, 1e-12);
}

TEST(EvaluationAncreV3, DepartAMoins3EtPremierItemParmiLes5Meilleurs) {
  auto banque = simulation::banque_generee();
  AlgorithmeV3 v3(banque);
  auto e = v3.commencer(1);
  EXPECT_DOUBLE_EQ(e.theta(), -3.0);
  auto c = v3.candidats(e);
  ASSERT_GE(c.size(), 5u);
  double info5 = moteur::information(banque[static_cast<std::size_t>(c[4])].a, banque[static_cast<std::size_t>(c[4])].b, -3.0);
  for (std::uint64_t g = 1; g <= 200; ++g) {
    int i = v3.prochaine(v3.commencer(g));
    ASSERT_GE(i, 0);
    EXPECT_GE(moteur::information(banque[static_cast<std::size_t>(i)].a, banque[static_cast<std::size_t>(i)].b, -3.0),
              info5 - 1e-12);
  }
}

TEST(EvaluationAncreV3, PriorMobileCentreSurLEstimationPrecedente) {
  AlgorithmeV3 v3(simulation::banque_generee());
  auto& g = v3.grille();
  // No likelihood: the EAP is the prior's mean, the previous estimate.
  EXPECT_NEAR(v3.mettre_a_jour(0.4, std::vector<double>(g.size(), 0.0)), 0.4, 1e-5);
  EXPECT_NEAR(v3.mettre_a_jour(-3.0, std::vector<double>(g.size(), 0.0)), -3.0, 1e-5);  // grid step 0.23
  // One correct answer to (a=1, b=2) from θ_prev = 2: the EAP under N(2, 1.5) by hand.
  std::vector<double> ll(g.size());
  double s = 0, m = 0;
  for (std::size_t k = 0; k < g.size(); ++k) {
    ll[k] = std::log(moteur::probabilite(1.0, 2.0, g[k]));
    double w = std::exp(ll[k] - (g[k] - 2.0) * (g[k] - 2.0) / (2 * 1.5));
    s += w;
    m += w * g[k];
  }
  EXPECT_NEAR(v3.mettre_a_jour(2.0, ll), m / s, 1e-9);
  EXPECT_GT(m / s, 2.0);
  EXPECT_LT(m / s, 2.0 + 1.0);  // within the limiter (±1 at θ = 2): not clipped
}

TEST(EvaluationAncreV3, LimiteurDeVariation) {
  AlgorithmeV3 v3(simulation::banque_generee());
  auto& g = v3.grille();
  // A likelihood peaked far away: the update is clipped to ±max(0.5, 0.5·|θ_prev|).
  std::vector<double> haut(g.size()), bas(g.size());
  for (std::size_t k = 0; k < g.size(); ++k) {
    haut[k] = -50.0 * (g[k] - 8.5) * (g[k] - 8.5);
    bas[k] = -50.0 * (g[k] + 8.5) * (g[k] + 8.5);
  }
  EXPECT_DOUBLE_EQ(v3.mettre_a_jour(-3.0, haut), -1.5);
  EXPECT_DOUBLE_EQ(v3.mettre_a_jour(-3.0, bas), -4.5);
  EXPECT_DOUBLE_EQ(v3.mettre_a_jour(0.0, haut), 0.5);
  EXPECT_DOUBLE_EQ(v3.mettre_a_jour(0.6, bas), 0.1);
  EXPECT_DOUBLE_EQ(v3.mettre_a_jour(4.0, haut), 6.0);
}

TEST(EvaluationAncreV3, TirageParmiLes5MeilleursAvecLesPoidsPublies) {
  auto banque = simulation::banque_generee();
  // Distinct informations so that the rank of each draw is well defined.
  for (std::size_t i = 0; i < banque.size(); ++i) banque[i].a = 1.0 + 0.001 * static_cast<double>(i);
  AlgorithmeV3 v3(banque);
  auto c = v3.candidats(v3.commencer(0));
  std::map<int, int> rang;
  for (std::size_t k = 0; k < c.size(); ++k) rang[c[k]] = static_cast<int>(k);
  const int N = 20000;
  std::vector<int> compte(6, 0);
  for (int g = 0; g < N; ++g) {
    int r = rang.at(v3.prochaine(v3.commencer(static_cast<std::uint64_t>(g))));
    ++compte[static_cast<std::size_t>(std::min(r, 5))];
  }
  EXPECT_EQ(compte[5], 0);  // never beyond the 5th
  const double poids[] = {0.51, 0.25, 0.12, 0.06, 0.06};
  for (int k = 0; k < 5; ++k) EXPECT_NEAR(compte[static_cast<std::size_t>(k)] / double(N), poids[k], 0.015) << k;
}

TEST(EvaluationAncreV3, ReglesDeContenuEt32Questions) {
  auto banque = simulation::banque_generee();
  AlgorithmeV3 v3(banque);
  simulation::Aleatoire r(5);
  for (std::uint64_t graine = 1; graine <= 30; ++graine) {
    double theta = r.normale();
    auto e = v3.commencer(graine);
    for (int i = v3.prochaine(e); i >= 0; i = v3.prochaine(e)) v3.repondre(e, i, simulation::repondre(r, banque[static_cast<std::size_t>(i)], theta));
    ASSERT_EQ(e.items.size(), 32u);
    EXPECT_TRUE(v3.valide(e));
    std::set<std::string> tubes;
    std::map<std::string, int> vus;
    for (std::size_t k = 0; k < e.items.size(); ++k) {
      auto& it = banque[static_cast<std::size_t>(e.items[k])];
      EXPECT_TRUE(tubes.insert(it.competence + it.tube).second) << "un tube deux fois";
      EXPECT_EQ(vus[it.competence]++, static_cast<int>(k / 16)) << "toutes les compétences avant d'en répéter une";
      for (std::size_t j = 1; j <= 2 && j <= k; ++j)
        EXPECT_NE(banque[static_cast<std::size_t>(e.items[k - j])].competence, it.competence) << "compétence des 2 dernières";
    }
  }
}

TEST(EvaluationAncreV3, ValiditeEtCompletionDUnTestAbandonne) {
  auto banque = simulation::banque_generee();
  AlgorithmeV3 v3(banque);
  auto e = v3.commencer(3);
  for (int k = 0; k < 19; ++k) v3.repondre(e, v3.prochaine(e), true);
  EXPECT_FALSE(v3.valide(e));
  EXPECT_FALSE(v3.completer_abandon(e));
  EXPECT_EQ(e.items.size(), 19u);
  for (int k = 0; k < 6; ++k) v3.repondre(e, v3.prochaine(e), true);
  ASSERT_TRUE(v3.valide(e));
  double avant = e.theta();
  EXPECT_TRUE(v3.completer_abandon(e));
  ASSERT_EQ(e.items.size(), 32u);
  for (std::size_t k = 25; k < 32; ++k) EXPECT_FALSE(e.justes[k]);  // skipped = wrong
  EXPECT_LT(e.theta(), avant);
  EXPECT_EQ(v3.prochaine(e), -1);
}
