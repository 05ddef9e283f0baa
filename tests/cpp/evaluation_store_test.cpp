// The positioning tests' store (features/evaluation/store, migration 0027) on both engines: a test
// with its engine state, its answers, the exposure counts fed back to the engine, finishing with
// the results per competence kept as a history, the last finished test of a perimeter.
#include <gtest/gtest.h>

#include "base_ephemere.hpp"
#include "features/accounts/store.hpp"
#include "features/evaluation/store.hpp"

namespace {

using namespace coop;
namespace es = evaluation::store;

class EvaluationStore : public ::testing::TestWithParam<std::string>, protected coop::tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "evaluation"); }
  void TearDown() override { fermer(); }
};

TEST_P(EvaluationStore, TestAnswersExposuresResultsHistory) {
  if (HasFatalFailure() || IsSkipped()) return;
  db_->write([&](storage::Session& s) {
    const auto u = accounts::store::create_user(s, {"cand@x.fr", "Nom", "Prénom", std::string("+33612345678"), "", true});
    const auto autre = accounts::store::create_user(s, {"autre@x.fr", "Nom", "Prénom", std::string("+33612345679"), "", true});
    EXPECT_FALSE(es::test_en_cours(s, u));
    EXPECT_FALSE(es::dernier_termine(s, u, "1.1"));

    evaluation::moteur::EtatSession etat;
    etat.graine = 42;
    etat.competences = {"1.1"};
    const auto id = es::creer_test(s, u, "1.1", evaluation::moteur::serialiser(etat), "2026-01-01T10:00:00.000Z");
    ASSERT_GT(id, 0);
    auto t = es::test(s, id);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->statut, "en_cours");
    EXPECT_EQ(t->perimetre, "1.1");
    EXPECT_FALSE(t->question_servie_le);
    EXPECT_EQ(es::test_en_cours(s, u)->id, id);
    EXPECT_FALSE(es::test_en_cours(s, autre));

    // The state resumes exactly as written.
    etat.questions.push_back({.item = "c11-a", .competence = "1.1", .tube = "@a", .chronometre = true, .resultat = std::nullopt});
    es::enregistrer_etat(s, id, evaluation::moteur::serialiser(etat), std::string("2026-01-01T10:00:05.000Z"), "2026-01-01T10:00:05.000Z");
    t = es::test(s, id);
    EXPECT_EQ(t->question_servie_le.value_or(""), "2026-01-01T10:00:05.000Z");
    auto relu = evaluation::moteur::deserialiser(t->etat);
    ASSERT_TRUE(relu);
    ASSERT_EQ(relu->questions.size(), 1u);
    EXPECT_EQ(relu->questions[0].item, "c11-a");
    EXPECT_TRUE(relu->questions[0].chronometre);
    EXPECT_EQ(relu->graine, 42u);

    es::ajouter_reponse(s, id, {.rang = 1, .item_id = "c11-a", .resultat = "juste", .reponse = R"({"choix":[2]})",
                                .repondu_le = "2026-01-01T10:00:20.000Z", .temps_depasse = false});
    es::ajouter_reponse(s, id, {.rang = 2, .item_id = "c11-b", .resultat = "passe", .reponse = "{}",
                                .repondu_le = "2026-01-01T10:02:00.000Z", .temps_depasse = true});
    const auto rs = es::reponses(s, id);
    ASSERT_EQ(rs.size(), 2u);
    EXPECT_EQ(rs[0].reponse, R"({"choix":[2]})");
    EXPECT_FALSE(rs[0].temps_depasse);
    EXPECT_EQ(rs[1].resultat, "passe");
    EXPECT_TRUE(rs[1].temps_depasse);

    // Exposures: tests and items, in the engine's item order.
    es::compter_test(s);
    es::compter_test(s);
    es::compter_item(s, "c11-b");
    es::compter_item(s, "c11-b");
    es::compter_item(s, "c11-a");
    std::vector<evaluation::moteur::Item> items(3);
    items[0].id = "c11-a";
    items[1].id = "c11-b";
    items[2].id = "c11-c";
    const auto e = es::expositions(s, items);
    EXPECT_EQ(e.tests, 2u);
    EXPECT_EQ(e.items, (std::vector<std::uint64_t>{1, 2, 0}));

    // Finishing: the results per competence, the history, the last finished test.
    es::terminer(s, *t, t->etat, 14, {{.test_id = id, .competence = "1.1", .niveau = 1, .pix = 14, .obtenu_le = ""}},
                 "2026-01-01T10:05:00.000Z");
    t = es::test(s, id);
    EXPECT_EQ(t->statut, "termine");
    EXPECT_EQ(t->pix_total.value_or(-1), 14);
    EXPECT_EQ(t->termine_le.value_or(""), "2026-01-01T10:05:00.000Z");
    EXPECT_FALSE(t->question_servie_le);
    EXPECT_FALSE(es::test_en_cours(s, u));
    EXPECT_EQ(es::dernier_termine(s, u, "1.1").value_or(""), "2026-01-01T10:05:00.000Z");
    EXPECT_FALSE(es::dernier_termine(s, u, "tout"));

    // A later test on everything: the history keeps both, oldest first.
    const auto id2 = es::creer_test(s, u, "tout", evaluation::moteur::serialiser({}), "2026-06-01T10:00:00.000Z");
    es::terminer(s, *es::test(s, id2), "{}", 30,
                 {{.test_id = id2, .competence = "1.1", .niveau = 2, .pix = 20, .obtenu_le = ""},
                  {.test_id = id2, .competence = "2.1", .niveau = 1, .pix = 10, .obtenu_le = ""}},
                 "2026-06-01T10:30:00.000Z");
    const auto h = es::resultats(s, u);
    ASSERT_EQ(h.size(), 3u);
    EXPECT_EQ(h[0].pix, 14);
    EXPECT_EQ(h[0].obtenu_le, "2026-01-01T10:05:00.000Z");
    EXPECT_EQ(h[1].test_id, id2);
    EXPECT_EQ(h[1].pix, 20);
    EXPECT_EQ(es::tests_termines(s, u).size(), 2u);
    EXPECT_TRUE(es::resultats(s, autre).empty());
  });
}

INSTANTIATE_TEST_SUITE_P(Engines, EvaluationStore, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
