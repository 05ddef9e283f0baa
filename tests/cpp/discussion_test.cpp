// Discussion: the pure rules (model, policy), and on both engines the automatic membership with
// its history, read markers and unread counts, and the event log behind the WebSocket resume.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base_ephemere.hpp"
#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/accounts/store.hpp"
#include "features/discussion/adhesions.hpp"
#include "features/discussion/evenements.hpp"
#include "features/discussion/model.hpp"
#include "features/discussion/store.hpp"
#include "features/referentiel/territoires.hpp"

using namespace coop;
using namespace coop::discussion;
namespace ds = coop::discussion::store;

TEST(DiscussionModel, DirectParticipants) {
  Participants p;
  EXPECT_EQ(participants_direct(5, {9, 3, 9, 5}, p), std::nullopt);
  EXPECT_EQ(p.ids, (std::vector<std::int64_t>{3, 5, 9}));
  EXPECT_EQ(p.code, "3,5,9");
  EXPECT_TRUE(participants_direct(5, {5}, p).has_value());
  EXPECT_TRUE(participants_direct(5, {}, p).has_value());
  EXPECT_EQ(participants_direct(1, {2, 3, 4, 5, 6, 7, 8}, p), std::nullopt);  // 8 people
  EXPECT_TRUE(participants_direct(1, {2, 3, 4, 5, 6, 7, 8, 9}, p).has_value());
  EXPECT_TRUE(participants_direct(1, {0}, p).has_value());
}

TEST(DiscussionModel, Validation) {
  EXPECT_EQ(verifier_nom_canal("Métier de la médiation"), std::nullopt);
  EXPECT_TRUE(verifier_nom_canal("   ").has_value());
  EXPECT_TRUE(verifier_nom_canal("deux\nlignes").has_value());
  EXPECT_EQ(verifier_nom_canal(std::string(80, 'a')), std::nullopt);
  EXPECT_TRUE(verifier_nom_canal(std::string(81, 'a')).has_value());
  EXPECT_EQ(verifier_nom_canal(std::string(40, 'x') + std::string(20, 'x') + "éééééééééééééééééééé"), std::nullopt);  // characters, not bytes
  EXPECT_EQ(verifier_texte("Bonjour", 10), std::nullopt);
  EXPECT_TRUE(verifier_texte(" \n ", 10).has_value());
  EXPECT_TRUE(verifier_texte("éééééé", 10).has_value());  // 12 bytes
  EXPECT_TRUE(verifier_texte("\xff", 10).has_value());
  EXPECT_EQ(verifier_emoji("👍"), std::nullopt);
  EXPECT_EQ(verifier_emoji(":+1:"), std::nullopt);
  EXPECT_TRUE(verifier_emoji("").has_value());
  EXPECT_TRUE(verifier_emoji("<b>").has_value());
  EXPECT_TRUE(verifier_emoji("a b").has_value());
  EXPECT_TRUE(verifier_emoji(std::string(33, 'a')).has_value());
  EXPECT_EQ(cle_titre("Ateliers  SÉNIORS"), cle_titre("ateliers seniors"));
}

TEST(DiscussionModel, CardsAndGroupMentions) {
  EXPECT_EQ(titre_carte("/activites/12"), "Activité n° 12");
  EXPECT_EQ(titre_carte("/beneficiaires/7/modifier"), "Bénéficiaire n° 7");
  EXPECT_EQ(titre_carte("/statistiques"), "Statistiques");
  EXPECT_EQ(titre_carte("/inconnu"), "Page de Coop");
  EXPECT_TRUE(notification_groupe_permise(50, false));
  EXPECT_FALSE(notification_groupe_permise(51, false));
  EXPECT_TRUE(notification_groupe_permise(2538, true));
  EXPECT_FALSE(debit_depasse(29, 30));
  EXPECT_TRUE(debit_depasse(30, 30));
  EXPECT_FALSE(debit_depasse(1000, 0));
}

TEST(DiscussionModel, EndOfMuteInWords) {
  using coop::discussion::fin_sourdine;
  // Paris time: UTC+1 in winter, UTC+2 in summer.
  EXPECT_EQ(fin_sourdine("2026-12-07T18:05:00.000Z"), "jusqu'au 7 décembre 2026 à 19 h 05");
  EXPECT_EQ(fin_sourdine("2027-07-01T22:30:00Z"), "jusqu'au 2 juillet 2027 à 00 h 30");
  EXPECT_EQ(fin_sourdine("2099-01-01T00:00:00.000Z"), "jusqu'au 1er janvier 2099 à 01 h 00");
  EXPECT_EQ(fin_sourdine(coop::discussion::sourdine_indefinie), "jusqu'à nouvel ordre");
  EXPECT_EQ(fin_sourdine("2201-05-01T00:00:00Z"), "jusqu'à nouvel ordre");
  EXPECT_EQ(fin_sourdine("demain"), "jusqu'au demain");
}

TEST(DiscussionModel, SearchExcerpt) {
  EXPECT_EQ(extrait("Les élèves de l'atelier <b>", "eleve atelier", false),
            "Les <mark>élèves</mark> de l&#39;<mark>atelier</mark> &lt;b&gt;");
  // Stop words of the query are not marked.
  EXPECT_EQ(extrait("le chat et le chien", "le chat", false), "le <mark>chat</mark> et le chien");
  // Prefix: the last word as typed.
  EXPECT_EQ(extrait("Aide administrative", "admin", true), "Aide <mark>administrative</mark>");
  // Cut around the first match, on word boundaries.
  std::string long_texte;
  for (int i = 0; i < 60; ++i) long_texte += "mot ";
  long_texte += "numérique ";
  for (int i = 0; i < 60; ++i) long_texte += "fin ";
  auto e = extrait(long_texte, "numerique", false, 60);
  EXPECT_TRUE(e.starts_with("… mot"));
  EXPECT_TRUE(e.ends_with(" …"));
  EXPECT_NE(e.find("<mark>numérique</mark>"), std::string::npos);
  EXPECT_LT(e.size(), 120u);
  EXPECT_EQ(texte_lisible("Merci @**Maëlle Médiatrice|4** et @**Karim** ! @**"), "Merci @Maëlle Médiatrice et @Karim ! @**");
}

namespace {
accounts::Principal personne(std::vector<accounts::RoleGrant> roles = {{accounts::Role::mediateur}}) {
  return accounts::Principal{7, "a@b.fr", "Nom", "Prénom", std::move(roles), 1};
}
accounts::DroitsCanal canal(std::string type, bool membre, bool moderateur = false) {
  return {.type = std::move(type), .archive = false, .membre = membre, .moderateur = moderateur, .en_sourdine = false, .banni = false};
}
}  // namespace

TEST(DiscussionPolicy, ReadWriteModerate) {
  auto med = personne();
  auto admin = personne({{accounts::Role::admin}});
  using namespace accounts;
  EXPECT_TRUE(discussion_peut_lire(med, canal("theme", false)));
  EXPECT_FALSE(discussion_peut_ecrire(med, canal("theme", false)));
  EXPECT_FALSE(discussion_peut_lire(med, canal("groupe", false)));
  EXPECT_FALSE(discussion_peut_lire(med, canal("departement", false)));
  EXPECT_TRUE(discussion_peut_lire(admin, canal("departement", false)));
  EXPECT_FALSE(discussion_peut_lire(admin, canal("groupe", false)));
  EXPECT_FALSE(discussion_peut_lire(admin, canal("direct", false)));
  EXPECT_TRUE(discussion_peut_moderer(admin, canal("general", true)));
  EXPECT_FALSE(discussion_peut_moderer(admin, canal("direct", true)));
  EXPECT_FALSE(discussion_peut_moderer(med, canal("theme", true)));
  EXPECT_TRUE(discussion_peut_moderer(med, canal("theme", true, true)));
  EXPECT_FALSE(discussion_peut_ecrire(med, canal("annonces", true)));
  EXPECT_TRUE(discussion_peut_ecrire(med, canal("annonces", true, true)));
  EXPECT_TRUE(discussion_peut_reagir(med, canal("annonces", true)));
  auto archive = canal("theme", true, true);
  archive.archive = true;
  EXPECT_FALSE(discussion_peut_ecrire(med, archive));
  EXPECT_FALSE(discussion_peut_rejoindre(med, archive));
  EXPECT_TRUE(discussion_peut_lire(med, archive));
  auto muet = canal("theme", true);
  muet.en_sourdine = true;
  EXPECT_FALSE(discussion_peut_ecrire(med, muet));
  EXPECT_FALSE(discussion_peut_reagir(med, muet));
  auto banni = canal("general", true);
  banni.banni = true;
  EXPECT_FALSE(discussion_peut_lire(med, banni));
  EXPECT_FALSE(discussion_peut_quitter(canal("departement", true)));
  EXPECT_TRUE(discussion_peut_quitter(canal("theme", true)));
  EXPECT_TRUE(discussion_peut_ajouter(med, canal("groupe", true)));
  EXPECT_FALSE(discussion_peut_ajouter(med, canal("theme", true)));
  EXPECT_TRUE(discussion_peut_epingler(med, canal("direct", true)));
  EXPECT_FALSE(discussion_peut_epingler(med, canal("theme", true)));
  EXPECT_FALSE(discussion_peut_creer(med, "annonces"));
  EXPECT_TRUE(discussion_peut_creer(admin, "annonces"));
  EXPECT_FALSE(discussion_peut_creer(admin, "general"));
  EXPECT_TRUE(discussion_peut_supprimer_message(med, canal("theme", true), true));
  EXPECT_FALSE(discussion_peut_supprimer_message(med, canal("theme", true), false));
}

// ---- On both engines ----

namespace {

const referentiel::Territoires& territoires() {
  static const auto t = referentiel::Territoires::from_json(
      R"([{"code":"69123","nom":"Lyon","type":"commune-actuelle","departement":"69","region":"84","codesPostaux":["69001"],"population":500000},
          {"code":"35238","nom":"Rennes","type":"commune-actuelle","departement":"35","region":"53","codesPostaux":["35000"],"population":220000}])",
      R"([{"code":"69","nom":"Rhône","region":"84","zone":"metro"},{"code":"35","nom":"Ille-et-Vilaine","region":"53","zone":"metro"}])",
      R"([{"code":"84","nom":"Auvergne-Rhône-Alpes","zone":"metro"},{"code":"53","nom":"Bretagne","zone":"metro"}])");
  return t;
}

class DiscussionStore : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override {
    ouvrir(GetParam(), "discussion");
    if (HasFatalFailure() || IsSkipped()) return;
    db_->write([&](storage::Session& s) {
      for (auto* email : {"a@exemple.fr", "b@exemple.fr", "c@exemple.fr"})
        users.push_back(accounts::store::create_user(s, {email, "Nom", "Prénom", std::nullopt, "hash"}));
      accounts::store::Structure lyon;
      lyon.nom = "Lyon";
      lyon.commune_insee = "69123";
      accounts::store::Structure rennes;
      rennes.nom = "Rennes";
      rennes.commune_insee = "35238";
      structure_lyon = accounts::store::create_structure(s, lyon);
      structure_rennes = accounts::store::create_structure(s, rennes);
    });
  }
  void TearDown() override { fermer(); }
  std::set<std::pair<std::string, std::string>> canaux_de(std::int64_t u) {
    return db_->read_value([&](storage::Session& s) {
      std::set<std::pair<std::string, std::string>> out;
      for (auto& c : ds::canaux_de(s, u)) out.insert({c.type, c.code});
      return out;
    });
  }
  std::vector<std::int64_t> users;
  std::int64_t structure_lyon = 0, structure_rennes = 0;
};

using Paires = std::set<std::pair<std::string, std::string>>;

TEST_P(DiscussionStore, AutomaticMembershipFollowsEmploymentsAndKeepsHistory) {
  if (HasFatalFailure() || IsSkipped()) return;
  const auto today = core::today();
  std::int64_t emploi = 0;
  db_->write([&](storage::Session& s) {
    emploi = accounts::store::create_employment(s, users[0], structure_lyon, "2020-01-01", std::nullopt);
    EXPECT_TRUE(synchroniser(s, territoires(), users[0], today));
    EXPECT_FALSE(synchroniser(s, territoires(), users[0], today));  // nothing more to do
    EXPECT_TRUE(a_jour(s, territoires(), users[0], today));
    synchroniser(s, territoires(), users[1], today);
  });
  EXPECT_EQ(canaux_de(users[0]), (Paires{{"general", ""}, {"departement", "69"}, {"region", "84"}}));
  EXPECT_EQ(canaux_de(users[1]), (Paires{{"general", ""}}));
  auto dep = db_->read_value([&](storage::Session& s) { return *ds::canal_par_code(s, "departement", "69"); });
  EXPECT_EQ(dep.nom, "69 · Rhône");
  // A move to Rennes: the employment in Lyon ends yesterday, one starts in Rennes.
  db_->write([&](storage::Session& s) {
    accounts::store::update_employment(s, emploi, "2020-01-01", core::date_plus_days(today, -1));
    accounts::store::create_employment(s, users[0], structure_rennes, today, std::nullopt);
    EXPECT_FALSE(a_jour(s, territoires(), users[0], today));
    Journal j;
    EXPECT_TRUE(synchroniser(s, territoires(), users[0], today, &j));
    EXPECT_FALSE(j.vide());
  });
  EXPECT_EQ(canaux_de(users[0]), (Paires{{"general", ""}, {"departement", "35"}, {"region", "53"}}));
  auto h = db_->read_value([&](storage::Session& s) { return ds::historique(s, users[0]); });
  int entrees = 0, sorties = 0;
  for (auto& a : h) (a.action == "entree" ? entrees : sorties)++;
  EXPECT_EQ(entrees, 5);  // général, 69, 84, then 35, 53
  EXPECT_EQ(sorties, 2);  // 69, 84
  // A channel joined by hand is never left by the synchronisation.
  db_->write([&](storage::Session& s) {
    ds::ajouter_membre(s, dep.id, users[0], "membre", false, "adhesion", users[0]);
    synchroniser(s, territoires(), users[0], today);
  });
  EXPECT_TRUE(canaux_de(users[0]).contains({"departement", "69"}));
}

TEST_P(DiscussionStore, ReadMarkersAndUnreadCounts) {
  if (HasFatalFailure() || IsSkipped()) return;
  std::int64_t canal = 0, a = 0, b = 0;
  std::vector<std::int64_t> m;
  db_->write([&](storage::Session& s) {
    canal = ds::creer_canal(s, "theme", "", "Test", "", users[0]);
    ds::ajouter_membre(s, canal, users[0], "moderateur", false, "creation", users[0]);
    // An old message, before user 1 joins: not unread for them.
    a = ds::creer_sujet(s, canal, "A", users[0]);
    b = ds::creer_sujet(s, canal, "B", users[0]);
    ds::creer_message(s, {.canal_id = canal, .sujet_id = a, .auteur_id = users[0], .texte = "old", .html = "", .liens = "", .index = "old"});
    ds::ajouter_membre(s, canal, users[1], "membre", false, "adhesion", users[1]);
    for (auto t : {a, a, b})
      m.push_back(ds::creer_message(s, {.canal_id = canal, .sujet_id = t, .auteur_id = users[0], .texte = "x", .html = "", .liens = "", .index = "x"}));
  });
  auto compte = [&] {
    return db_->read_value([&](storage::Session& s) {
      return std::make_pair(ds::non_lus_par_canal(s, users[1])[canal], ds::non_lus_par_sujet(s, users[1], canal));
    });
  };
  EXPECT_EQ(compte().first, 3);
  EXPECT_EQ(compte().second[a], 2);
  db_->write([&](storage::Session& s) { ds::lire_sujet(s, users[1], a, m[1]); });
  EXPECT_EQ(compte().first, 1);
  db_->write([&](storage::Session& s) { ds::marquer_non_lu(s, users[1], a, m[0]); });
  EXPECT_EQ(compte().second[a], 2);
  EXPECT_EQ(db_->read_value([&](storage::Session& s) { return ds::premier_non_lu(s, users[1], canal, std::nullopt); }), m[0]);
  db_->write([&](storage::Session& s) { ds::lire_canal(s, users[1], canal, m[2]); });
  EXPECT_EQ(compte().first, 0);
  EXPECT_EQ(db_->read_value([&](storage::Session& s) { return ds::premier_non_lu(s, users[1], canal, a); }), std::nullopt);
  EXPECT_EQ(db_->read_value([&](storage::Session& s) { return ds::non_lus_par_canal(s, users[0])[canal]; }), 0);  // own messages
}

TEST_P(DiscussionStore, EventLogReplaysWhatEachUserMaySeeInSeqOrder) {
  if (HasFatalFailure() || IsSkipped()) return;
  std::int64_t prive = 0, public_ = 0;
  events::Bus bus;
  std::vector<events::Event> publies;
  bus.subscribe([&](const events::Event& e) { publies.push_back(e); });
  Journal j;
  db_->write([&](storage::Session& s) {
    prive = ds::creer_canal(s, "groupe", "", "Privé", "", users[0]);
    public_ = ds::creer_canal(s, "theme", "", "Public", "", users[0]);
    ds::ajouter_membre(s, prive, users[0], "moderateur", false, "creation", users[0]);
    ds::ajouter_membre(s, public_, users[0], "moderateur", false, "creation", users[0]);
    ds::ajouter_membre(s, public_, users[1], "membre", false, "adhesion", users[1]);
    j.canal(s, prive, "message_cree", boost::json::object{{"n", 1}});
    j.canal(s, public_, "message_cree", boost::json::object{{"n", 2}});
    j.personnel(s, users[1], public_, "lecture", boost::json::object{{"n", 3}});
    j.canal(s, public_, "reaction", boost::json::object{{"n", 4}});
  });
  j.publier(bus);
  ASSERT_EQ(publies.size(), 4u);
  EXPECT_EQ(publies[0].topic, "discussion");
  EXPECT_EQ(publies[0].user_ids, (std::vector<std::int64_t>{users[0]}));
  EXPECT_EQ(publies[1].user_ids, (std::vector<std::int64_t>{users[0], users[1]}));
  EXPECT_EQ(publies[2].user_ids, (std::vector<std::int64_t>{users[1]}));
  for (std::size_t i = 1; i < publies.size(); ++i) EXPECT_GT(publies[i].seq, publies[i - 1].seq);
  auto v = boost::json::parse(publies[1].payload_json).as_object();
  EXPECT_EQ(v.at("type").as_string(), "discussion");
  EXPECT_EQ(v.at("seq").as_int64(), publies[1].seq);
  EXPECT_EQ(v.at("evenement").as_string(), "message_cree");
  EXPECT_EQ(v.at("canal_id").as_int64(), public_);
  EXPECT_EQ(v.at("data").at("n").as_int64(), 2);

  // Replay: user 1 sees the public channel's events and their own, not the private group's,
  // byte for byte what was published.
  auto r1 = rejouer(*db_, users[1], 0, 100);
  ASSERT_EQ(r1.size(), 3u);
  EXPECT_EQ(r1[0].first, publies[1].seq);
  EXPECT_EQ(r1[0].second, publies[1].payload_json);
  EXPECT_EQ(r1[1].second, publies[2].payload_json);
  EXPECT_EQ(r1[2].second, publies[3].payload_json);
  EXPECT_EQ(rejouer(*db_, users[1], publies[2].seq, 100).size(), 1u);
  auto r0 = rejouer(*db_, users[0], 0, 100);
  ASSERT_EQ(r0.size(), 3u);  // not user 1's read marker
  EXPECT_EQ(r0[0].first, publies[0].seq);
  // limite: at most that many, the first ones.
  auto un = rejouer(*db_, users[0], 0, 1);
  ASSERT_EQ(un.size(), 1u);
  EXPECT_EQ(un[0].first, publies[0].seq);
  EXPECT_EQ(rejouer(*db_, users[0], 0, 2).size(), 2u);
  EXPECT_TRUE(rejouer(*db_, users[2], 0, 100).empty());
  // The relay between instances loads an event with its recipients.
  auto e = evenement(*db_, publies[1].seq);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->payload_json, publies[1].payload_json);
  EXPECT_EQ(e->user_ids, publies[1].user_ids);
  EXPECT_EQ(e->seq, publies[1].seq);
  EXPECT_EQ(evenement(*db_, publies[2].seq)->user_ids, (std::vector<std::int64_t>{users[1]}));
  EXPECT_FALSE(evenement(*db_, 999999).has_value());
  EXPECT_EQ(db_->read_value([&](storage::Session& s) { return ds::dernier_seq(s); }), publies[3].seq);
}

}  // namespace

// Public channels have unique folded names (migration 0019): the index refuses a namesake, the
// backfill of channels older than the migration keeps the oldest and leaves the others unset.
TEST_P(DiscussionStore, PublicChannelNamesAreUniqueFoldedAndOldOnesAreBackfilled) {
  if (HasFatalFailure() || IsSkipped()) return;
  db_->write([&](storage::Session& s) {
    auto aide = ds::creer_canal(s, "theme", "", "Aide CAF", "", users[0]);
    EXPECT_EQ(ds::canal_public_par_nom(s, "  aide   caf ")->id, aide);
    EXPECT_FALSE(ds::canal_public_par_nom(s, "Aide CAF", aide).has_value()) << "itself aside";
    ds::creer_canal(s, "groupe", "", "Aide CAF", "", users[0]);  // a private group may share it
  });
  try {
    db_->write([&](storage::Session& s) { ds::creer_canal(s, "annonces", "", "AIDE CAF", "", users[0]); });
    ADD_FAILURE() << "a second public channel of that name must be refused";
  } catch (const storage::DbError& e) {
    EXPECT_EQ(e.kind, storage::DbError::Kind::unique_violation);
  }
  // Channels from before the migration: no folded name yet.
  std::int64_t ancien = 0, homonyme = 0, autre = 0;
  db_->write([&](storage::Session& s) {
    auto brut = [&](const char* nom) {
      return s.insert("INSERT INTO discussion_canaux (type, code, nom, description, archive, cree_le) "
                      "VALUES ('theme', '', ?, '', 0, '2026-01-01T00:00:00.000Z')",
                      {std::string(nom)});
    };
    ancien = brut("Numérique");
    homonyme = brut("numerique");
    autre = brut("Aide caf");  // the name of a channel created since
    EXPECT_EQ(ds::plier_noms_publics(s), 2);
    EXPECT_EQ(ds::canal_public_par_nom(s, "NUMÉRIQUE")->id, ancien);
    EXPECT_TRUE(ds::plier_noms_publics(s) == 2) << "the namesakes stay unset";
    // A namesake left unset can still be archived (its name unchanged).
    auto c = ds::canal(s, homonyme);
    ASSERT_TRUE(c.has_value());
    c->archive = true;
    ds::modifier_canal(s, *c);
    EXPECT_TRUE(ds::canal(s, homonyme)->archive);
  });
  EXPECT_NE(homonyme, 0);
  EXPECT_NE(autre, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, DiscussionStore, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
