// Markdown of user messages (discussion, later ressources) → safe HTML, with the mentions and the
// Coop links it contains. cmark-gfm (GitHub Flavored Markdown: tables, strikethrough, autolinks),
// newlines are line breaks (a chat's habit). Pure function, thread-safe.
//
// Safety, whatever the text:
//  - raw HTML (blocks and inline) is never passed through: it is shown as text (escaped);
//  - links keep only http:, https:, mailto: and relative URLs; any other scheme (javascript:,
//    vbscript:, data:, file:…, also obfuscated with entities, case, tabs or newlines) makes the
//    link plain text; every <a> gets rel="noopener noreferrer", external ones target="_blank";
//  - images: only those of this Coop (a relative path, or under Options::public_url) are shown as
//    <img loading="lazy">; any other image becomes a link to it (no tracking pixel, no data: URL);
//  - no attribute other than href, title, src, alt, loading, rel, target, class, data-user-id,
//    and the align of table cells is ever produced.
//
// Mentions (not inside code spans, code blocks or link texts):
//  - @**Prénom Nom|42** → <span class="coop-mention" data-user-id="42">@Prénom Nom</span>;
//  - @**Prénom Nom** (no id) → <span class="coop-mention">@Prénom Nom</span>, name in noms_sans_id
//    (the caller resolves it, e.g. rewrites the text with the id and renders again);
//  - @canal, @tous, @ici → <span class="coop-mention coop-mention--groupe">@canal</span>.
//  In a table cell, '|' separates cells: write @**Prénom Nom\|42** there.
// Coop links: a link to a relative path ("/activites/12") or to a URL under public_url is
// rendered with the path as href (no target) and its path (without query nor fragment) is listed
// in liens_coop; the caller turns them into page cards.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coop::markdown {

struct Options {
  std::string public_url;  // e.g. "https://coop.example": links to it become Coop page cards
};

struct Mention {
  std::int64_t user_id = 0;
  std::string nom;
};

struct Rendu {
  std::string html;                       // safe HTML (see above)
  std::vector<Mention> mentions;          // @**Prénom Nom|42** → {42, "Prénom Nom"}, once each id
  std::vector<std::string> noms_sans_id;  // @**Prénom Nom** (no id), once each
  bool mention_canal = false;             // @canal (also @tous)
  bool mention_ici = false;               // @ici
  std::vector<std::string> liens_coop;    // paths of Coop pages linked ("/activites/12"), once each
};

Rendu rendre(std::string_view texte, const Options& o = {});

}  // namespace coop::markdown
