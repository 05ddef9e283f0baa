// Search at scale (bench/chat): the total is counted exactly up to kRechercheTotalMax, beyond
// that rechercher() stops counting and answers kRechercheTotalMax + 1; the page is still the
// newest matches in descending order, and paging with `avant` goes on from there. Both engines.
#include <gtest/gtest.h>

#include "base_ephemere.hpp"
#include "core/francais.hpp"
#include "features/accounts/store.hpp"
#include "features/discussion/store.hpp"

using namespace coop;
namespace ds = coop::discussion::store;

namespace {

class DiscussionRechercheBornee : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override {
    ouvrir(GetParam(), "discussion_recherche");
    if (HasFatalFailure() || IsSkipped()) return;
    db_->write([&](storage::Session& s) {
      auteur = accounts::store::create_user(s, {"auteur@exemple.fr", "Nom", "Prénom", std::nullopt, "hash"});
      lecteur = accounts::store::create_user(s, {"lecteur@exemple.fr", "Nom", "Prénom", std::nullopt, "hash"});
      canal = ds::creer_canal(s, "theme", "", "Démarches", "", auteur);
      autre = ds::creer_canal(s, "theme", "", "Ailleurs", "", auteur);
      ds::ajouter_membre(s, canal, auteur, "moderateur", false, "creation", auteur);
      ds::ajouter_membre(s, canal, lecteur, "membre", false, "adhesion", lecteur);
      ds::ajouter_membre(s, autre, auteur, "moderateur", false, "creation", auteur);
      auto sujet = ds::creer_sujet(s, canal, "CAF", auteur);
      auto ailleurs = ds::creer_sujet(s, autre, "CAF", auteur);
      auto poster = [&](std::int64_t c, std::int64_t t, const std::string& texte) {
        return ds::creer_message(s, {.canal_id = c, .sujet_id = t, .auteur_id = auteur, .texte = texte, .html = "",
                                     .liens = "", .index = francais::indexer(texte)});
      };
      for (std::int64_t i = 0; i < ds::kRechercheTotalMax + 5; ++i) {
        ids.push_back(poster(canal, sujet, "Dossier CAF numéro " + std::to_string(i)));
        if (i % 100 == 0) poster(autre, ailleurs, "Dossier CAF d'un canal où le lecteur n'est pas");
      }
      for (int i = 0; i < 3; ++i) rares.push_back(poster(canal, sujet, "Atelier mot de passe"));
    });
  }
  void TearDown() override { fermer(); }

  std::pair<std::vector<std::int64_t>, std::int64_t> chercher(const std::string& q, std::optional<std::int64_t> avant) {
    ds::Filtres f;
    const bool pg = db_->dialect() == storage::Dialect::postgres;
    f.expression = pg ? francais::requete_tsquery(q, false) : francais::requete_fts5(q, false);
    f.avant = avant;
    f.limite = 20;
    return db_->read_value([&](storage::Session& s) { return ds::rechercher(s, lecteur, f); });
  }

  std::int64_t auteur = 0, lecteur = 0, canal = 0, autre = 0;
  std::vector<std::int64_t> ids, rares;
};

TEST_P(DiscussionRechercheBornee, CountsUpToTheBoundAndPagesNewestFirst) {
  if (HasFatalFailure() || IsSkipped()) return;
  auto [page, total] = chercher("caf", std::nullopt);
  EXPECT_EQ(total, ds::kRechercheTotalMax + 1) << "more matches than the bound: the count stops past it";
  ASSERT_EQ(page.size(), 20u);
  // The 20 newest of the reader's channel (not the other channel's), newest first.
  std::vector<std::int64_t> attendus(ids.rbegin(), ids.rbegin() + 20);
  EXPECT_EQ(page, attendus);
  auto [suite, total2] = chercher("caf", page.back());
  EXPECT_EQ(std::vector<std::int64_t>(suite.begin(), suite.end()),
            std::vector<std::int64_t>(ids.rbegin() + 20, ids.rbegin() + 40));
  EXPECT_EQ(total2, ds::kRechercheTotalMax + 1);

  auto [peu, exact] = chercher("mot de passe", std::nullopt);
  EXPECT_EQ(exact, 3) << "under the bound: the exact count";
  EXPECT_EQ(peu, (std::vector<std::int64_t>{rares[2], rares[1], rares[0]}));
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Engines, DiscussionRechercheBornee, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
