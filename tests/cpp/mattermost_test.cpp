// Reading a Mattermost bulk export (features/mattermost/lecture) and the mapping rules (model).
#include <gtest/gtest.h>

#include <sstream>

#include "features/mattermost/lecture.hpp"
#include "features/mattermost/model.hpp"

using namespace coop::mattermost;

namespace {

Export lu(const std::string& s) {
  std::istringstream in(s);
  return lire(in);
}

std::optional<std::string> departements(std::string_view code) {
  if (code == "69") return "Rhône";
  if (code == "2A") return "Corse-du-Sud";
  if (code == "974") return "La Réunion";
  if (code == "10") return "Aube";
  return std::nullopt;
}

Channel canal(std::string name, std::string display = "", std::string type = "O") {
  return {"equipe", std::move(name), std::move(display), std::move(type), "", ""};
}

}  // namespace

TEST(Mattermost, ReadsEveryLineTypeOfAnExport) {
  auto e = lu(R"({"type":"version","version":1}
{"type":"team","team":{"name":"cnfs","display_name":"Conseillers numériques","type":"O","description":"L'équipe"}}
{"type":"channel","channel":{"team":"cnfs","name":"town-square","display_name":"Accueil","type":"O","header":"Bienvenue"}}
{"type":"user","user":{"username":"lea","email":"lea@exemple.fr","first_name":"Léa","last_name":"Martin","roles":"system_user","teams":[{"name":"cnfs","roles":"team_user","channels":[{"name":"town-square","roles":"channel_user"}]}]}}
{"type":"post","post":{"team":"cnfs","channel":"town-square","user":"lea","message":"Bonjour à tous","create_at":1710231300000,"is_pinned":true,"reactions":[{"user":"lea","emoji_name":"+1","create_at":1710231400000}],"replies":[{"user":"lea","message":"Réponse","create_at":1710231500000}]}}
{"type":"direct_channel","direct_channel":{"members":["lea","sam"],"header":""}}
{"type":"direct_post","direct_post":{"channel_members":["sam","lea"],"user":"sam","message":"Salut","create_at":1710231600000}}
{"type":"emoji","emoji":{"name":"coop","image":"data/emoji/coop.png"}}
)");
  EXPECT_EQ(e.version, 1);
  EXPECT_TRUE(e.problemes.empty()) << e.problemes.front().quoi;
  ASSERT_EQ(e.teams.size(), 1u);
  EXPECT_EQ(e.teams[0].display_name, "Conseillers numériques");
  ASSERT_EQ(e.channels.size(), 1u);
  EXPECT_EQ(e.channels[0].header, "Bienvenue");
  ASSERT_EQ(e.users.size(), 1u);
  EXPECT_EQ(e.users[0].email, "lea@exemple.fr");
  ASSERT_EQ(e.users[0].channels.size(), 1u);
  EXPECT_EQ(e.users[0].channels[0].team, "cnfs");
  ASSERT_EQ(e.posts.size(), 1u);
  EXPECT_EQ(e.posts[0].line, 5u);
  EXPECT_TRUE(e.posts[0].is_pinned);
  ASSERT_EQ(e.posts[0].replies.size(), 1u);
  EXPECT_EQ(e.posts[0].replies[0].create_at, 1710231500000);
  ASSERT_EQ(e.posts[0].reactions.size(), 1u);
  EXPECT_EQ(e.posts[0].reactions[0].emoji, "+1");
  ASSERT_EQ(e.direct_channels.size(), 1u);
  ASSERT_EQ(e.direct_posts.size(), 1u);
  EXPECT_EQ(e.direct_posts[0].channel_members.size(), 2u);
  EXPECT_EQ(e.ignores.at("emoji"), 1u);
  EXPECT_EQ(e.lignes, 8u);
}

TEST(Mattermost, BadLinesAreReportedWithTheirNumberAndTheRestIsRead) {
  auto e = lu("{\"type\":\"version\",\"version\":1}\n"
              "pas du json\n"
              "\n"
              "{\"type\":\"post\",\"post\":{\"team\":\"t\",\"channel\":\"c\",\"message\":\"sans auteur\",\"create_at\":1}}\n"
              "{\"type\":\"post\",\"post\":{\"team\":\"t\",\"channel\":\"c\",\"user\":\"u\",\"message\":\"ok\",\"create_at\":2}}\n"
              "{\"type\":\"sondage\",\"sondage\":{}}\n"
              "{\"type\":\"direct_channel\",\"direct_channel\":{\"members\":[\"seul\"]}}\n"
              "[1,2]\n");
  ASSERT_EQ(e.posts.size(), 1u);
  EXPECT_EQ(e.posts[0].message, "ok");
  ASSERT_EQ(e.problemes.size(), 5u);
  EXPECT_EQ(e.problemes[0].ligne, 2u);
  EXPECT_NE(e.problemes[0].quoi.find("JSON"), std::string::npos);
  EXPECT_EQ(e.problemes[1].ligne, 4u);
  EXPECT_NE(e.problemes[1].quoi.find("« user »"), std::string::npos);
  EXPECT_EQ(e.problemes[2].ligne, 6u);
  EXPECT_NE(e.problemes[2].quoi.find("sondage"), std::string::npos);
  EXPECT_EQ(e.problemes[3].ligne, 7u);
  EXPECT_EQ(e.problemes[4].ligne, 8u);
}

TEST(Mattermost, VersionMustComeFirstAndBeOne) {
  auto e = lu("{\"type\":\"team\",\"team\":{\"name\":\"t\"}}\n{\"type\":\"version\",\"version\":2}\n");
  EXPECT_EQ(e.teams.size(), 1u) << "read anyway";
  ASSERT_EQ(e.problemes.size(), 2u);
  EXPECT_EQ(e.problemes[0].ligne, 1u);
  EXPECT_EQ(e.problemes[1].ligne, 2u);
  EXPECT_EQ(lu("").problemes.size(), 1u);
}

TEST(Mattermost, TopicTitlesFromARootMessage) {
  EXPECT_EQ(titre_de_fil("\n\n## **Atelier** _CAF_ demain ?\nDétails…"), "Atelier CAF demain ?");
  EXPECT_EQ(titre_de_fil("@lea.martin peux-tu voir [le guide](https://x.fr/g) ?"), "peux-tu voir le guide ?");
  EXPECT_EQ(titre_de_fil("   "), "Sans titre");
  auto t = titre_de_fil("Quelqu'un a-t-il une fiche pas à pas pour créer une adresse électronique avec un usager âgé ?");
  EXPECT_LE(t.size(), 70u);
  EXPECT_EQ(t.substr(t.size() - 3), "…");
  EXPECT_EQ(t.find("électronique avec"), std::string::npos);
  EXPECT_EQ(titre_de_fil("ééééééééééééééééééééééééééééééé", 10), "ééééééééé…") << "never cuts a character";
  EXPECT_EQ(titre_du_jour("2024-03-12"), "Messages du 12/03/2024");
}

TEST(Mattermost, InstantsAndParisDays) {
  EXPECT_EQ(instant(1710231300000), "2024-03-12T08:15:00.000Z");
  EXPECT_EQ(jour_paris(1710284400000), "2024-03-13") << "23:00 UTC is the next day in Paris";
}

TEST(Mattermost, ChannelsMapToGeneralDepartementThemeOrGroup) {
  EXPECT_EQ(canal_cible(canal("town-square"), departements).type, CanalCible::Type::general);
  for (auto [name, display, code] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"69-rhone", "", "69"}, {"departement-69", "", "69"}, {"69", "", "69"}, {"x", "2A – Corse-du-Sud", "2A"},
           {"dep-974", "", "974"}, {"974-la-reunion", "", "974"}}) {
    auto t = canal_cible(canal(name, display), departements);
    EXPECT_EQ(t.type, CanalCible::Type::departement) << name << " " << display;
    EXPECT_EQ(t.departement, code) << name;
  }
  auto conseils = canal_cible(canal("10-conseils", "10 conseils pour débuter"), departements);
  EXPECT_EQ(conseils.type, CanalCible::Type::theme) << "10 is the Aube, but « conseils » is not its name";
  EXPECT_EQ(conseils.nom, "10 conseils pour débuter");
  EXPECT_EQ(canal_cible(canal("99-inconnu"), departements).type, CanalCible::Type::theme);
  EXPECT_EQ(canal_cible(canal("coordination", "", "P"), departements).type, CanalCible::Type::groupe);
  auto ressourcerie = canal_cible(Channel{"t", "ressourcerie", "Ressourcerie", "O", "en-tête", "Partager"}, departements);
  EXPECT_EQ(ressourcerie.description, "Partager");
}

TEST(Mattermost, SourceKeysAreStable) {
  Post p;
  p.team = "t";
  p.channel = "c";
  p.user = "u";
  p.create_at = 42;
  EXPECT_EQ(cle_post(p), "mm:post:t/c/42/u");
  EXPECT_EQ(cle_reponse(cle_post(p), Reply{"v", "m", 43, {}, {}}), "mm:post:t/c/42/u/43/v");
  DirectPost a, b;
  a.channel_members = {"sam", "lea"};
  b.channel_members = {"lea", "sam"};
  a.user = b.user = "sam";
  a.create_at = b.create_at = 7;
  EXPECT_EQ(cle_direct(a), cle_direct(b));
  EXPECT_EQ(emoji("+1"), "👍");
  EXPECT_EQ(emoji("licorne_coop"), ":licorne_coop:");
}
