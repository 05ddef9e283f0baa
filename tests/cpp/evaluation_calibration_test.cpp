// features/evaluation/calibration: the answers CSV, the parameters file, and the recovery of known
// parameters from simulated answers (deterministic seeds; the stated errors are the assertions).
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "features/evaluation/calibration.hpp"
#include "features/evaluation/moteur.hpp"
#include "features/evaluation/moteur_simulation.hpp"

using namespace coop::evaluation;
using namespace coop::evaluation::calibration;

namespace {

struct Verite {
  std::vector<double> a, b;
};

double rmse(const std::vector<double>& x, const std::vector<double>& y) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) s += (x[i] - y[i]) * (x[i] - y[i]);
  return std::sqrt(s / static_cast<double>(x.size()));
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  double n = static_cast<double>(x.size()), sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    syy += y[i] * y[i];
    sxy += x[i] * y[i];
  }
  return (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
}

std::string id(int j) { return "i" + std::to_string(j); }

}  // namespace

TEST(EvaluationCalibration, LectureDesReponses) {
  std::istringstream in("person,item,correct\np1,i1,1\r\np1,i2,0\n\np2,i1,true\n");
  auto r = lire_reponses_csv(in);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].personne, "p1");
  EXPECT_TRUE(r[0].juste);
  EXPECT_FALSE(r[1].juste);
  EXPECT_TRUE(r[2].juste);
  std::istringstream fr("juste;personne;item\nfaux;a;x\noui;b;x\n");
  auto r2 = lire_reponses_csv(fr);
  ASSERT_EQ(r2.size(), 2u);
  EXPECT_EQ(r2[1].personne, "b");
  EXPECT_TRUE(r2[1].juste);
  auto erreur = [](const std::string& texte) {
    std::istringstream x(texte);
    try {
      lire_reponses_csv(x);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("aucune erreur");
  };
  EXPECT_NE(erreur("person,item\np,i\n").find("correct"), std::string::npos);
  EXPECT_NE(erreur("person,item,correct\np,i,1\np,i,peut-être\n").find("ligne 3"), std::string::npos);
  EXPECT_NE(erreur("person,item,correct\np,,1\n").find("item vide"), std::string::npos);
  EXPECT_NE(erreur("").find("vide"), std::string::npos);
}

TEST(EvaluationCalibration, FichierDeParametres) {
  std::map<std::string, Parametres> p{{"x", {.a = 1.25, .b = -0.5, .reponses = 40, .calibre = true}},
                                      {"y", {.a = 0.8, .b = 2.0, .reponses = 3, .calibre = false}}};
  std::ostringstream out;
  ecrire_parametres(out, p);
  EXPECT_EQ(out.str(), "item,a,b,reponses,calibre\nx,1.2500,-0.5000,40,1\ny,0.8000,2.0000,3,0\n");
  std::istringstream in(out.str());
  auto q = lire_parametres(in);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_DOUBLE_EQ(q["x"].a, 1.25);
  EXPECT_DOUBLE_EQ(q["y"].b, 2.0);
  EXPECT_TRUE(q["x"].calibre);
  EXPECT_EQ(q["y"].reponses, 3);
  std::istringstream neg("item,a,b\nz,-1,0\n");
  EXPECT_THROW(lire_parametres(neg), std::runtime_error);
  std::istringstream dbl("item,a,b\nz,1,0\nz,1,1\n");
  EXPECT_THROW(lire_parametres(dbl), std::runtime_error);
}

// 2,000 persons θ ~ N(0,1) × 150 items, a ~ 1.2·exp(N(0, 0.3²)), b ~ U(−2.5, 2.5), every person
// answers every item; seed 20261208. Stated error: RMSE of b ≤ 0.15, correlation of a ≥ 0.85
// (measured: see docs/architecture.md « Évaluation — moteur »).
TEST(EvaluationCalibration, RetrouveLesParametresSimules) {
  simulation::Aleatoire r(20261208);
  const int P = 2000, J = 150;
  Verite v;
  for (int j = 0; j < J; ++j) {
    v.a.push_back(1.2 * std::exp(0.3 * r.normale()));
    v.b.push_back(-2.5 + 5.0 * r.uniforme());
  }
  std::vector<Reponse> rep;
  rep.reserve(P * J);
  for (int p = 0; p < P; ++p) {
    double theta = r.normale();
    for (int j = 0; j < J; ++j)
      rep.push_back({.personne = "p" + std::to_string(p), .item = id(j),
                     .juste = r.uniforme() < moteur::probabilite(v.a[static_cast<std::size_t>(j)], v.b[static_cast<std::size_t>(j)], theta)});
  }
  Options o;
  o.relier = false;  // the simulated persons are N(0,1): the calibrated scale is the true one
  auto res = calibrer(rep, {}, o);
  EXPECT_TRUE(res.converge) << res.iterations << " itérations";
  EXPECT_FALSE(res.relie);
  std::vector<double> a, b;
  for (int j = 0; j < J; ++j) {
    auto& x = res.items.at(id(j));
    EXPECT_TRUE(x.calibre);
    EXPECT_EQ(x.reponses, P);
    a.push_back(x.a);
    b.push_back(x.b);
  }
  double eb = rmse(b, v.b), ca = correlation(a, v.a), ea = rmse(a, v.a);
  RecordProperty("rmse_b", std::to_string(eb));
  RecordProperty("cor_a", std::to_string(ca));
  std::cout << "calibration : RMSE b = " << eb << ", RMSE a = " << ea << ", corrélation a = " << ca << ", "
            << res.iterations << " itérations\n";
  EXPECT_LE(eb, 0.15);
  EXPECT_GE(ca, 0.85);
  EXPECT_LE(ea, 0.15);
}

// Sparse answers as collected by adaptive tests (each person a random 40 of the 288 items of the
// generated bank), persons θ ~ N(0.7, 1.3²) on the level scale, true b = b(level) + N(0, 0.5²):
// the linking onto the level-derived b brings the scale back (RMSE of b ≤ 0.3), and items with
// fewer than reponses_min answers keep their starting values.
TEST(EvaluationCalibration, DonneesCreusesEtLiaisonALEchelleDesNiveaux) {
  auto banque = simulation::banque_generee();
  auto vrais = simulation::parametres_vrais(banque, 77);
  simulation::Aleatoire r(4242);
  std::vector<Reponse> rep;
  const int P = 3000;
  for (int p = 0; p < P; ++p) {
    double theta = 0.7 + 1.3 * r.normale();
    for (int k = 0; k < 40; ++k) {
      auto& it = vrais[static_cast<std::size_t>(r.entier(static_cast<int>(vrais.size() - 1)))];  // never the last item
      rep.push_back({.personne = "p" + std::to_string(p), .item = it.id, .juste = simulation::repondre(r, it, theta)});
    }
  }
  // The last item gets only 5 answers.
  for (int p = 0; p < 5; ++p) rep.push_back({.personne = "p" + std::to_string(p), .item = banque.back().id, .juste = true});
  std::map<std::string, Parametres> depart;
  for (auto& it : banque) depart[it.id] = Parametres{.a = it.a, .b = it.b, .reponses = 0, .calibre = false};
  depart["jamais-vu"] = Parametres{.a = 1.1, .b = 0.3, .reponses = 0, .calibre = false};
  auto res = calibrer(rep, depart);
  EXPECT_TRUE(res.relie);
  EXPECT_GT(res.liaison_A, 1.0);  // the respondents spread more than N(0,1) on the level scale
  EXPECT_GT(res.liaison_B, 0.3);  // and sit above it
  std::vector<double> b, bv, a, av;
  for (std::size_t i = 0; i + 1 < banque.size(); ++i) {
    auto& x = res.items.at(banque[i].id);
    ASSERT_TRUE(x.calibre);
    b.push_back(x.b);
    bv.push_back(vrais[i].b);
    a.push_back(x.a);
    av.push_back(vrais[i].a);
  }
  double eb = rmse(b, bv);
  std::cout << "calibration creuse : RMSE b = " << eb << ", corrélation a = " << correlation(a, av) << ", A = "
            << res.liaison_A << ", B = " << res.liaison_B << "\n";
  EXPECT_LE(eb, 0.3);
  EXPECT_GE(correlation(a, av), 0.6);
  auto& peu = res.items.at(banque.back().id);
  EXPECT_FALSE(peu.calibre);
  EXPECT_EQ(peu.reponses, 5);
  EXPECT_DOUBLE_EQ(peu.b, banque.back().b);
  EXPECT_DOUBLE_EQ(res.items.at("jamais-vu").a, 1.1);
  EXPECT_EQ(res.items.at("jamais-vu").reponses, 0);
}

TEST(EvaluationCalibration, PremiereReponseSeulementParPersonneEtItem) {
  // p answers i right then wrong: only the first answer counts.
  std::vector<Reponse> rep{{.personne = "p", .item = "i", .juste = true}, {.personne = "p", .item = "i", .juste = false}};
  Options o;
  o.reponses_min = 1;
  o.relier = false;
  auto res = calibrer(rep, {}, o);
  EXPECT_EQ(res.items.at("i").reponses, 1);
  EXPECT_LT(res.items.at("i").b, 0.0);  // one right answer: an easy item
}
