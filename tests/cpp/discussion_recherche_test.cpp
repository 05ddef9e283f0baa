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
      ancien = poster(canal, sujet, "Hameçonnage : un ancien message");
      ancien_autre = poster(canal, sujet, "Hameçonnage signalé par un second auteur");
      for (std::int64_t i = 0; i < ds::kRechercheTotalMax + 5; ++i) {
        ids.push_back(poster(canal, sujet, "Dossier CAF numéro " + std::to_string(i)));
        if (i % 100 == 0) poster(autre, ailleurs, "Dossier CAF d'un canal où le lecteur n'est pas");
      }
      for (int i = 0; i < 3; ++i) rares.push_back(poster(canal, sujet, "Atelier mot de passe"));
      // A deleted match, newest of all: never found.
      ds::supprimer_message(s, poster(canal, sujet, "Atelier mot de passe supprimé"), auteur);
      s.exec("UPDATE discussion_messages SET auteur_id = ? WHERE id = ?", {lecteur, ancien_autre});
    });
  }
  void TearDown() override { fermer(); }

  std::pair<std::vector<std::int64_t>, std::int64_t> chercher(const std::string& q, std::optional<std::int64_t> avant,
                                                             const ds::Reglages& r = {},
                                                             std::optional<std::int64_t> auteur_id = std::nullopt) {
    ds::Filtres f;
    f.auteur_id = auteur_id;
    const bool pg = db_->dialect() == storage::Dialect::postgres;
    f.expression = pg ? francais::requete_tsquery(q, false) : francais::requete_fts5(q, false);
    f.avant = avant;
    f.limite = 20;
    return db_->read_value([&](storage::Session& s) { return ds::rechercher(s, lecteur, f, r); });
  }

  std::int64_t auteur = 0, lecteur = 0, canal = 0, autre = 0, ancien = 0, ancien_autre = 0;
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

// PostgreSQL reads a window of the newest messages first, then counts in the last pages of the
// table or in the GIN index (store::Reglages): every path must answer what an exact search does
// (SQLite ignores the settings).
TEST_P(DiscussionRechercheBornee, EveryPathOfThePlanGivesTheSameAnswer) {
  if (HasFatalFailure() || IsSkipped()) return;
  const std::vector<std::int64_t> nouveaux(ids.rbegin(), ids.rbegin() + 20);
  const std::vector<std::int64_t> suivants(ids.rbegin() + 20, ids.rbegin() + 40);
  const std::vector<std::int64_t> mdp{rares[2], rares[1], rares[0]};
  const std::vector<ds::Reglages> plans{
      {.fenetre = 10, .dense_pour_mille = 50, .pages = 1},          // page and count from the index
      {.fenetre = 30, .dense_pour_mille = 50, .pages = 1},          // page from the window, count from the index
      {.fenetre = 30, .dense_pour_mille = 50, .pages = 1000000},    // count over every page of the table
      {.fenetre = 30, .dense_pour_mille = 1000, .pages = 1000000},  // not common enough: the index
      {.fenetre = 1000, .dense_pour_mille = 50, .pages = 6000},     // the defaults
      {.fenetre = 5000, .dense_pour_mille = 50, .pages = 6000},     // the window holds every message
  };
  for (std::size_t i = 0; i < plans.size(); ++i) {
    SCOPED_TRACE("plan " + std::to_string(i));
    const auto& r = plans[i];
    auto [page, total] = chercher("caf", std::nullopt, r);
    EXPECT_EQ(total, ds::kRechercheTotalMax + 1);
    EXPECT_EQ(page, nouveaux);
    auto [suite, total2] = chercher("caf", nouveaux.back(), r);
    EXPECT_EQ(suite, suivants);
    EXPECT_EQ(total2, ds::kRechercheTotalMax + 1);
    auto [peu, exact] = chercher("mot de passe", std::nullopt, r);
    EXPECT_EQ(peu, mdp) << "the deleted match is not found";
    EXPECT_EQ(exact, 3);
    auto [vieux, un] = chercher("hameçonnage", std::nullopt, r);
    EXPECT_EQ(vieux, (std::vector<std::int64_t>{ancien_autre, ancien})) << "older than any window";
    EXPECT_EQ(un, 2);
    auto [filtre, n] = chercher("hameçonnage", std::nullopt, r, lecteur);
    EXPECT_EQ(filtre, std::vector<std::int64_t>{ancien_autre}) << "the author filter";
    EXPECT_EQ(n, 1);
    auto [rien, zero] = chercher("introuvable", std::nullopt, r);
    EXPECT_TRUE(rien.empty());
    EXPECT_EQ(zero, 0);
  }
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Engines, DiscussionRechercheBornee, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
