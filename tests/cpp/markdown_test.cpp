// core/markdown: rendering of user messages. Safety first (no raw HTML, no script URL, no
// unexpected attribute whatever the input), then mentions, Coop links and GFM features.
#include "core/markdown.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

using coop::markdown::Options;
using coop::markdown::rendre;

namespace {

const Options kCoop{.public_url = "https://coop.example"};

bool contient(const std::string& s, const std::string& x) { return s.find(x) != std::string::npos; }

std::string minuscules(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every tag of the output is one we produce, and every attribute one we allow.
void sans_danger(const std::string& texte, const Options& o = kCoop) {
  SCOPED_TRACE(texte);
  const std::string html = rendre(texte, o).html;
  const std::string bas = minuscules(html);
  EXPECT_FALSE(contient(bas, "<script")) << html;
  EXPECT_FALSE(contient(bas, "<style")) << html;
  EXPECT_FALSE(contient(bas, "<iframe")) << html;
  EXPECT_FALSE(contient(bas, "<svg")) << html;
  EXPECT_FALSE(contient(bas, "<object")) << html;
  EXPECT_FALSE(contient(bas, "<input")) << html;
  static const std::regex tag(R"(<(/?)([a-zA-Z0-9]+)([^>]*)>)");
  static const std::regex attr(R"(\s+([^\s=]+)(="[^"]*")?)");
  static const std::string permis =
      " p a img span code pre em strong del ul ol li blockquote h1 h2 h3 h4 h5 h6 hr br table thead tbody tr th "
      "td ";
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    const std::string nom = minuscules((*it)[2]);
    EXPECT_TRUE(contient(permis, " " + nom + " ")) << "balise <" << nom << "> dans " << html;
    const std::string attrs = (*it)[3];
    for (auto a = std::sregex_iterator(attrs.begin(), attrs.end(), attr); a != std::sregex_iterator(); ++a) {
      const std::string an = minuscules((*a)[1]);
      if (an == "/") continue;
      EXPECT_TRUE(an == "href" || an == "rel" || an == "target" || an == "title" || an == "src" || an == "alt" ||
                  an == "loading" || an == "class" || an == "data-user-id" || an == "align" || an == "start")
          << "attribut " << an << " dans " << html;
      EXPECT_FALSE(an.starts_with("on")) << html;
      if (an == "href" || an == "src") {
        const std::string v = minuscules(std::string((*a)[2]).substr(2));
        const auto deux_points = v.find(':'), fin_chemin = v.find_first_of("/?#");
        const bool sans_schema = deux_points == std::string::npos || (fin_chemin != std::string::npos && fin_chemin < deux_points);
        EXPECT_TRUE(sans_schema || v.starts_with("http://") || v.starts_with("https://") || v.starts_with("mailto:"))
            << an << "=" << v << " dans " << html;
      }
    }
  }
}

}  // namespace

TEST(Markdown, RawHtmlBlocksAndInlineAreShownAsText) {
  const auto r = rendre("<script>alert(1)</script>");
  EXPECT_EQ(r.html, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
  EXPECT_EQ(rendre("Bonjour <b onmouseover=\"x()\">toi</b>").html,
            "<p>Bonjour &lt;b onmouseover=&quot;x()&quot;&gt;toi&lt;/b&gt;</p>\n");
  EXPECT_EQ(rendre("<div>\n*pas* du markdown\n</div>").html,
            "<p>&lt;div&gt;\n*pas* du markdown\n&lt;/div&gt;</p>\n");
  sans_danger("<img src=x onerror=alert(1)>");
  sans_danger("<iframe src=\"https://evil\"></iframe>");
  sans_danger("<style>body{display:none}</style>");
  sans_danger("<svg onload=alert(1)>");
  sans_danger("<!-- commentaire --><a href=\"javascript:x\">a</a>");
  sans_danger("<![CDATA[<script>x</script>]]>");
  sans_danger("<?php echo 1 ?>");
  sans_danger("texte <script\n>alert(1)</script\n>");
  sans_danger("> <script>alert(1)</script>\n>\n> - <img src=x onerror=y>");
  sans_danger("| a |\n|---|\n| <script>x</script> |");
  sans_danger("- [ ] <input onfocus=x autofocus>");
}

TEST(Markdown, DangerousLinkSchemesBecomeText) {
  for (const char* t : {"[clic](javascript:alert(1))", "[clic](JaVaScRiPt:alert(1))",
                        "[clic](&#106;avascript:alert(1))", "[clic](&#x6A;avascript&colon;alert(1))",
                        "[clic](java%73cript:alert(1))", "[clic](<java\tscript:alert(1)>)",
                        "[clic](<java\nscript:alert(1)>)", "[clic]( javascript:alert(1))",
                        "[clic](vbscript:msgbox(1))", "[clic](data:text/html;base64,PHNjcmlwdD4=)",
                        "[clic](file:///etc/passwd)", "[clic][r]\n\n[r]: javascript:alert(1)"}) {
    sans_danger(t);
    const auto r = rendre(t, kCoop);
    EXPECT_FALSE(contient(r.html, "<a ")) << t << " → " << r.html;
    EXPECT_TRUE(contient(r.html, "clic")) << t << " → " << r.html;  // the text stays
  }
  // Autolinks with any scheme stay text.
  EXPECT_EQ(rendre("<javascript:alert(1)>").html, "<p>javascript:alert(1)</p>\n");
  sans_danger("<vbscript:msgbox(1)>");
  sans_danger("<data:text/html,<script>alert(1)</script>>");
}

TEST(Markdown, DangerousImagesKeepTheirTextOnly) {
  for (const char* t : {"![photo](javascript:alert(1))", "![photo](data:image/png;base64,iVBORw0KGgo=)",
                        "![photo](DATA:image/svg+xml,%3Csvg%20onload=alert(1)%3E)", "![photo](vbscript:x)"}) {
    sans_danger(t);
    const auto r = rendre(t, kCoop);
    EXPECT_EQ(r.html, "<p>photo</p>\n") << t;
  }
}

TEST(Markdown, ExternalImagesBecomeLinksCoopImagesAreShown) {
  EXPECT_EQ(rendre("![chat](https://ailleurs.example/chat.png)").html,
            "<p><a href=\"https://ailleurs.example/chat.png\" rel=\"noopener noreferrer\" target=\"_blank\">chat</a></p>\n");
  EXPECT_EQ(rendre("![](https://ailleurs.example/p.png)").html,
            "<p><a href=\"https://ailleurs.example/p.png\" rel=\"noopener noreferrer\" "
            "target=\"_blank\">https://ailleurs.example/p.png</a></p>\n");
  EXPECT_EQ(rendre("![plan \"du\" lieu](/api/fichiers/ab12 \"Le <plan>\")").html,
            "<p><img src=\"/api/fichiers/ab12\" alt=\"plan &quot;du&quot; lieu\" loading=\"lazy\" "
            "title=\"Le &lt;plan&gt;\"></p>\n");
  EXPECT_EQ(rendre("![plan](https://coop.example/api/fichiers/ab12)", kCoop).html,
            "<p><img src=\"/api/fichiers/ab12\" alt=\"plan\" loading=\"lazy\"></p>\n");
  // An external image inside a link: no link in a link, its text only.
  EXPECT_EQ(rendre("[![logo](https://x.example/l.png)](https://y.example/)").html,
            "<p><a href=\"https://y.example/\" rel=\"noopener noreferrer\" target=\"_blank\">logo</a></p>\n");
  sans_danger("![a [b](javascript:x) c](/img)");
  sans_danger("[![a](javascript:x)](javascript:y)");
}

TEST(Markdown, LinksGetRelAndExternalOnesTargetBlank) {
  EXPECT_EQ(rendre("[site](https://ailleurs.example/a?b=1&c=2 \"titre\")").html,
            "<p><a href=\"https://ailleurs.example/a?b=1&amp;c=2\" rel=\"noopener noreferrer\" target=\"_blank\" "
            "title=\"titre\">site</a></p>\n");
  EXPECT_EQ(rendre("<https://ailleurs.example>").html,
            "<p><a href=\"https://ailleurs.example\" rel=\"noopener noreferrer\" "
            "target=\"_blank\">https://ailleurs.example</a></p>\n");
  EXPECT_EQ(rendre("www.ailleurs.example").html,
            "<p><a href=\"http://www.ailleurs.example\" rel=\"noopener noreferrer\" "
            "target=\"_blank\">www.ailleurs.example</a></p>\n");
  EXPECT_EQ(rendre("[m](mailto:a@b.example)").html,
            "<p><a href=\"mailto:a@b.example\" rel=\"noopener noreferrer\">m</a></p>\n");
  EXPECT_EQ(rendre("écrire à a@b.example").html,
            "<p>écrire à <a href=\"mailto:a@b.example\" rel=\"noopener noreferrer\">a@b.example</a></p>\n");
  // Protocol-relative and backslash tricks are other sites, never Coop pages.
  const auto r = rendre("[a](//evil.example) [b](/\\evil.example)", kCoop);
  EXPECT_TRUE(r.liens_coop.empty());
  EXPECT_TRUE(contient(r.html, "<a href=\"//evil.example\" rel=\"noopener noreferrer\" target=\"_blank\">a</a>")) << r.html;
  EXPECT_TRUE(contient(r.html, "target=\"_blank\">b</a>")) << r.html;
  EXPECT_FALSE(contient(r.html, "\\")) << r.html;
  // Attribute break-outs are escaped.
  sans_danger("[x](https://a.example/\"onmouseover=\"alert(1))");
  sans_danger("[x](<https://a.example/\" onmouseover=\"alert(1)>)");
  sans_danger("[x](https://a.example/ \"t\\\" onclick=\\\"y\")");
  sans_danger("[x](https://a.example/'onclick='y')");
  EXPECT_FALSE(contient(rendre("[x](<https://a.example/\" onclick=\"y>)").html, "\" onclick"));
  // A link without text shows its address.
  EXPECT_EQ(rendre("[](https://a.example/)").html,
            "<p><a href=\"https://a.example/\" rel=\"noopener noreferrer\" target=\"_blank\">https://a.example/</a></p>\n");
}

TEST(Markdown, CoopLinksAreCollectedOnceAndMadeRelative) {
  const auto r = rendre(
      "Voir [l'activité](https://coop.example/activites/12?onglet=2#haut), "
      "https://COOP.example/beneficiaires/3 et [encore](/activites/12) puis [autre](https://coop.example.evil/x) "
      "et [racine](https://coop.example)",
      kCoop);
  EXPECT_EQ(r.liens_coop, (std::vector<std::string>{"/activites/12", "/beneficiaires/3", "/"}));
  EXPECT_TRUE(contient(r.html, "<a href=\"/activites/12?onglet=2#haut\" rel=\"noopener noreferrer\">l'activité</a>"))
      << r.html;
  EXPECT_TRUE(contient(r.html, "<a href=\"https://coop.example.evil/x\" rel=\"noopener noreferrer\" target=\"_blank\">"))
      << r.html;
  // Without public_url only relative paths are Coop pages.
  EXPECT_EQ(rendre("[a](https://coop.example/activites/1) [b](/structures/4)").liens_coop,
            (std::vector<std::string>{"/structures/4"}));
  // Links inside code are not links.
  EXPECT_TRUE(rendre("`https://coop.example/activites/1` et\n\n    /activites/2", kCoop).liens_coop.empty());
}

TEST(Markdown, PersonalMentions) {
  const auto r = rendre("Merci @**Élise Martin|42** et @**Paul|7**, encore @**Élise Martin|42** !");
  ASSERT_EQ(r.mentions.size(), 2u);
  EXPECT_EQ(r.mentions[0].user_id, 42);
  EXPECT_EQ(r.mentions[0].nom, "Élise Martin");
  EXPECT_EQ(r.mentions[1].user_id, 7);
  EXPECT_EQ(r.html,
            "<p>Merci <span class=\"coop-mention\" data-user-id=\"42\">@Élise Martin</span> et "
            "<span class=\"coop-mention\" data-user-id=\"7\">@Paul</span>, encore "
            "<span class=\"coop-mention\" data-user-id=\"42\">@Élise Martin</span> !</p>\n");
  EXPECT_TRUE(r.noms_sans_id.empty());
  EXPECT_FALSE(r.mention_canal);
  EXPECT_FALSE(r.mention_ici);

  const auto s = rendre("@**Jeanne Dupont** et @**Jeanne Dupont** puis @**Luc**");
  EXPECT_TRUE(s.mentions.empty());
  EXPECT_EQ(s.noms_sans_id, (std::vector<std::string>{"Jeanne Dupont", "Luc"}));
  EXPECT_EQ(s.html,
            "<p><span class=\"coop-mention\">@Jeanne Dupont</span> et <span class=\"coop-mention\">@Jeanne "
            "Dupont</span> puis <span class=\"coop-mention\">@Luc</span></p>\n");
}

TEST(Markdown, MentionNamesAreEscapedAndMalformedOnesAreNotMentions) {
  const auto r = rendre("@**<img src=x onerror=alert(1)>|5**");
  ASSERT_EQ(r.mentions.size(), 1u);
  EXPECT_EQ(r.mentions[0].nom, "<img src=x onerror=alert(1)>");
  EXPECT_EQ(r.html, "<p><span class=\"coop-mention\" data-user-id=\"5\">@&lt;img src=x onerror=alert(1)&gt;</span></p>\n");
  for (const char* t : {"@**Nom|abc**", "@**Nom|0**", "@**Nom|-3**", "@**Nom|99999999999999999999**", "@**|4**",
                        "@** |4**", "a@**Nom|4**", "@ **Nom|4**", "@***Nom|4***", "@**Nom *gras*|4**"}) {
    const auto x = rendre(t);
    EXPECT_TRUE(x.mentions.empty()) << t << " → " << x.html;
    EXPECT_FALSE(contient(x.html, "data-user-id")) << t << " → " << x.html;
  }
}

TEST(Markdown, MentionsInCodeOrLinksAreNotMentions) {
  const auto r = rendre("`@**Paul|7**` et `@canal`\n\n```\n@ici @**Luc|8**\n```\n\n    @tous\n\n[@canal](https://a.example)");
  EXPECT_TRUE(r.mentions.empty());
  EXPECT_TRUE(r.noms_sans_id.empty());
  EXPECT_FALSE(r.mention_canal);
  EXPECT_FALSE(r.mention_ici);
  EXPECT_FALSE(contient(r.html, "coop-mention")) << r.html;
  EXPECT_TRUE(contient(r.html, "<code>@**Paul|7**</code>")) << r.html;
}

TEST(Markdown, GroupMentions) {
  auto r = rendre("@canal réunion demain");
  EXPECT_TRUE(r.mention_canal);
  EXPECT_FALSE(r.mention_ici);
  EXPECT_EQ(r.html, "<p><span class=\"coop-mention coop-mention--groupe\">@canal</span> réunion demain</p>\n");
  r = rendre("Qui est là ? @ici.");
  EXPECT_TRUE(r.mention_ici);
  EXPECT_FALSE(r.mention_canal);
  EXPECT_EQ(r.html, "<p>Qui est là ? <span class=\"coop-mention coop-mention--groupe\">@ici</span>.</p>\n");
  r = rendre("**@tous** : merci");
  EXPECT_TRUE(r.mention_canal);
  EXPECT_EQ(r.html, "<p><strong><span class=\"coop-mention coop-mention--groupe\">@tous</span></strong> : merci</p>\n");
  // Not mentions: part of a longer word, or of an address.
  for (const char* t : {"@canaux", "@icimême", "moi@canal", "@ici_bas", "@tous2", "écrire à contact@ici.fr"}) {
    const auto x = rendre(t);
    EXPECT_FALSE(x.mention_canal) << t;
    EXPECT_FALSE(x.mention_ici) << t;
    EXPECT_FALSE(contient(x.html, "coop-mention")) << t << " → " << x.html;
  }
}

TEST(Markdown, MentionsInTableCells) {
  const auto r = rendre("| qui | quoi |\n|---|---|\n| @**Paul\\|7** | @ici |");
  ASSERT_EQ(r.mentions.size(), 1u);
  EXPECT_EQ(r.mentions[0].user_id, 7);
  EXPECT_TRUE(r.mention_ici);
  EXPECT_TRUE(contient(r.html, "<td><span class=\"coop-mention\" data-user-id=\"7\">@Paul</span></td>")) << r.html;
}

TEST(Markdown, GfmTablesStrikethroughAndLineBreaks) {
  EXPECT_EQ(rendre("| Lieu | Nb |\n|:--|--:|\n| Lyon | 3 |").html,
            "<table>\n<thead>\n<tr>\n<th align=\"left\">Lieu</th>\n<th align=\"right\">Nb</th>\n</tr>\n</thead>\n"
            "<tbody>\n<tr>\n<td align=\"left\">Lyon</td>\n<td align=\"right\">3</td>\n</tr>\n</tbody>\n</table>\n");
  EXPECT_EQ(rendre("~~barré~~ et *italique* **gras**").html,
            "<p><del>barré</del> et <em>italique</em> <strong>gras</strong></p>\n");
  EXPECT_EQ(rendre("ligne 1\nligne 2").html, "<p>ligne 1<br />\nligne 2</p>\n");
  EXPECT_EQ(rendre("```js\nalert('<x>')\n```").html,
            "<pre><code class=\"language-js\">alert('&lt;x&gt;')\n</code></pre>\n");
  EXPECT_EQ(rendre("").html, "");
}

TEST(Markdown, NestedAndAdversarialInputStaysSafe) {
  sans_danger("[**[x](javascript:a)**](javascript:b)");
  sans_danger("[a](https://ok.example)[b](javascript:c)");
  sans_danger("*[a*](javascript:x)");
  sans_danger("[a](javascript:x \"title\")");
  sans_danger("```\"><script>alert(1)</script>\nx\n```");
  sans_danger("```<script>\nx\n```");
  sans_danger("> > > > [x](javascript:alert(1))");
  sans_danger("1. [a](data:text/html,x)\n2. ![b](data:x)");
  sans_danger("[x]: javascript:alert(1)\n\n[x] ![x]");
  sans_danger("@**[x](javascript:y)|3**");
  sans_danger("@**\"><script>|3**");
  sans_danger("<a href=\"https://ok.example\" onclick=\"x\">a</a>");
  sans_danger(std::string(2000, '[') + "x" + std::string(2000, ']'));
  sans_danger(std::string(500, '>') + " <script>");
  sans_danger("\xff\xfe<script>\xc3");  // invalid UTF-8 is repaired, not passed through
  const auto r = rendre("[a](javascript:x)[b](https://ok.example)");
  EXPECT_EQ(r.html, "<p>a<a href=\"https://ok.example\" rel=\"noopener noreferrer\" target=\"_blank\">b</a></p>\n");
}
