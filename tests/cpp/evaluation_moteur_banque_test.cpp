// features/evaluation/moteur_banque: the repository's item bank through the engine.
#include <gtest/gtest.h>

#include <set>

#include "core/installation.hpp"
#include "features/evaluation/moteur_banque.hpp"

using namespace coop::evaluation;

TEST(EvaluationMoteurBanque, LaVraieBanqueDansLeMoteur) {
  const auto dir = coop::core::installation::find(coop::core::installation::executable_path(),
                                                  coop::core::installation::Data::evaluation);
  ASSERT_TRUE(dir.found);
  const auto c = charger(*dir.found);
  ASSERT_TRUE(c.erreurs.empty());
  ASSERT_FALSE(c.banque.items.empty());
  std::map<std::string, calibration::Parametres> p{
      {c.banque.items[0].id, {.a = 0.7, .b = 1.9, .reponses = 100, .calibre = true}}};
  auto items = items_moteur(c.banque, {}, p);
  ASSERT_EQ(items.size(), c.banque.items.size());
  EXPECT_DOUBLE_EQ(items[0].a, 0.7);
  EXPECT_DOUBLE_EQ(items[0].b, 1.9);
  for (std::size_t i = 1; i < items.size(); ++i) {
    EXPECT_DOUBLE_EQ(items[i].b, c.banque.items[i].niveau - 3.5);
    EXPECT_EQ(items[i].tube, "@" + c.banque.items[i].tube);
    EXPECT_EQ(items[i].chronometre, c.banque.items[i].temps.has_value());
  }
  // A whole test over the bank's competences respects the content rules.
  moteur::Moteur m(items, moteur::Config{});
  moteur::EtatSession e{.graine = 1, .competences = {}, .questions = {}};
  std::set<std::string> tubes;
  while (const moteur::Item* it = m.prochaine(e)) {
    EXPECT_TRUE(tubes.insert(it->competence + it->tube).second);
    m.repondre(e, it->id, it->niveau <= 3 ? moteur::Resultat::juste : moteur::Resultat::faux);
  }
  EXPECT_GT(e.questions.size(), 0u);
  auto est = m.estimer(e);
  EXPECT_GT(est.pix_total, 0);
}
