#include "core/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace coop::markdown {
namespace {

// Rendering: CMARK_OPT_UNSAFE because, once the tree is cleaned (every raw HTML node of the
// user turned into text, every link and image rebuilt by us), the only raw HTML left is ours.
constexpr int kParseOptions = CMARK_OPT_HARDBREAKS | CMARK_OPT_VALIDATE_UTF8;
constexpr int kRenderOptions = CMARK_OPT_HARDBREAKS | CMARK_OPT_UNSAFE;

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

cmark_parser* new_parser() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
  cmark_parser* p = cmark_parser_new(kParseOptions);
  for (const char* name : {"table", "strikethrough", "autolink"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) cmark_parser_attach_syntax_extension(p, ext);
  }
  return p;
}

std::vector<cmark_node*> all_nodes(cmark_node* root) {
  std::vector<cmark_node*> out;
  cmark_iter* it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    if (ev == CMARK_EVENT_ENTER) out.push_back(cmark_iter_get_node(it));
  }
  cmark_iter_free(it);
  return out;
}

std::string literal(cmark_node* n) {
  const char* s = cmark_node_get_literal(n);
  return s ? s : "";
}

bool inside(cmark_node* n, cmark_node_type type) {
  for (cmark_node* p = cmark_node_parent(n); p; p = cmark_node_parent(p)) {
    if (cmark_node_get_type(p) == type) return true;
  }
  return false;
}

cmark_node* new_text(std::string_view s) {
  cmark_node* t = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(t, std::string(s).c_str());
  return t;
}

cmark_node* new_html(const std::string& s) {
  cmark_node* h = cmark_node_new(CMARK_NODE_HTML_INLINE);
  cmark_node_set_literal(h, s.c_str());
  return h;
}

std::string escape_html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// An URL for an href/src attribute: bytes that are not plainly safe in a URL are
// percent-encoded (controls, space, quotes, angle brackets, backslash, non-ASCII), '&' escaped.
std::string escape_href(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '`' || c == '\\' || c == '\'' ||
        c == '{' || c == '}' || c == '|' || c == '^') {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else if (c == '&') {
      out += "&amp;";
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

enum class Kind { Unsafe, Coop, External, Mail, Relative };
struct Target {
  Kind kind = Kind::Unsafe;
  std::string href;  // what goes in the attribute (before escaping)
  std::string path;  // Kind::Coop: the page's path, without query nor fragment
};

// What a link or image URL is. Browsers drop ASCII tab/newline anywhere in a URL and leading
// or trailing controls and spaces, and read '\' as '/': the scheme is looked for on that form.
Target classify(std::string_view url, const Options& o) {
  std::string clean;
  for (char ch : url) {
    if (static_cast<unsigned char>(ch) > 0x20) clean.push_back(ch == '\\' ? '/' : ch);
  }
  Target t;
  if (clean.empty()) return t;
  const std::size_t stop = clean.find_first_of(":/?#");
  if (stop != std::string::npos && clean[stop] == ':') {
    const std::string scheme = lower_ascii(std::string_view(clean).substr(0, stop));
    if (scheme == "mailto") {
      t.kind = Kind::Mail;
      t.href = clean;
      return t;
    }
    if (scheme != "http" && scheme != "https") return t;  // javascript:, vbscript:, data:, file:…
    std::string base = lower_ascii(o.public_url);
    while (!base.empty() && base.back() == '/') base.pop_back();
    const std::string lower = lower_ascii(clean);
    if (!base.empty() && lower.starts_with(base) &&
        (lower.size() == base.size() || std::string_view("/?#").find(lower[base.size()]) != std::string::npos)) {
      std::string rest = clean.substr(base.size());
      if (rest.empty() || rest[0] != '/') rest.insert(0, "/");
      if (!rest.starts_with("//")) {
        t.kind = Kind::Coop;
        t.href = rest;
        t.path = rest.substr(0, rest.find_first_of("?#"));
        return t;
      }
    }
    t.kind = Kind::External;
    t.href = clean;
    return t;
  }
  if (clean.starts_with("//")) {  // protocol-relative: another site
    t.kind = Kind::External;
    t.href = clean;
    return t;
  }
  if (clean[0] == '/') {
    t.kind = Kind::Coop;
    t.href = clean;
    t.path = clean.substr(0, clean.find_first_of("?#"));
    return t;
  }
  t.kind = Kind::Relative;
  t.href = clean;
  return t;
}

void add_once(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

bool word_byte(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Moves every child of `n` just before `n`.
void hoist_children(cmark_node* n) {
  while (cmark_node* c = cmark_node_first_child(n)) {
    cmark_node_unlink(c);
    cmark_node_insert_before(n, c);
  }
}

std::string plain_text(cmark_node* n) {
  std::string out;
  for (cmark_node* x : all_nodes(n)) {
    const auto type = cmark_node_get_type(x);
    if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) out += literal(x);
    if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) out += ' ';
  }
  return out;
}

// 1. The user's raw HTML becomes text: blocks as paragraphs, inline as text nodes.
void neutralise_raw_html(cmark_node* doc) {
  for (cmark_node* n : all_nodes(doc)) {
    const auto type = cmark_node_get_type(n);
    if (type == CMARK_NODE_HTML_BLOCK) {
      std::string s = literal(n);
      while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
      cmark_node* p = cmark_node_new(CMARK_NODE_PARAGRAPH);
      cmark_node_append_child(p, new_text(s));
      cmark_node_insert_before(n, p);
      cmark_node_unlink(n);
      cmark_node_free(n);
    } else if (type == CMARK_NODE_HTML_INLINE) {
      cmark_node_insert_before(n, new_text(literal(n)));
      cmark_node_unlink(n);
      cmark_node_free(n);
    }
  }
  cmark_consolidate_text_nodes(doc);
}

bool mentionable(cmark_node* n) { return !inside(n, CMARK_NODE_LINK) && !inside(n, CMARK_NODE_IMAGE); }

// 2. @**Nom|42** and @**Nom**: the parser saw a text ending in '@' and a strong emphasis holding
// one text.
// Candidates are collected first: freeing a strong node frees its text, later in the list.
void personal_mentions(cmark_node* doc, Rendu& r) {
  std::vector<cmark_node*> strongs;
  for (cmark_node* n : all_nodes(doc)) {
    if (cmark_node_get_type(n) == CMARK_NODE_STRONG && mentionable(n)) strongs.push_back(n);
  }
  for (cmark_node* strong : strongs) {
    cmark_node* before = cmark_node_previous(strong);
    cmark_node* inner = cmark_node_first_child(strong);
    if (!before || cmark_node_get_type(before) != CMARK_NODE_TEXT || !inner ||
        cmark_node_get_type(inner) != CMARK_NODE_TEXT || cmark_node_next(inner)) {
      continue;
    }
    std::string prefix = literal(before);
    if (prefix.empty() || prefix.back() != '@' || (prefix.size() >= 2 && word_byte(prefix[prefix.size() - 2]))) continue;
    const std::string content = literal(inner);
    std::string nom = content;
    std::int64_t id = 0;
    if (const auto bar = content.rfind('|'); bar != std::string::npos) {
      const std::string digits = content.substr(bar + 1);
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
      if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || id <= 0) continue;
      nom = content.substr(0, bar);
    }
    const auto first = nom.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    nom = nom.substr(first, nom.find_last_not_of(" \t") - first + 1);
    if (nom.find('|') != std::string::npos) continue;

    prefix.pop_back();
    cmark_node_set_literal(before, prefix.c_str());
    std::string span;
    if (id > 0) {
      span = "<span class=\"coop-mention\" data-user-id=\"" + std::to_string(id) + "\">@" + escape_html(nom) + "</span>";
      const bool seen = std::any_of(r.mentions.begin(), r.mentions.end(), [&](const Mention& m) { return m.user_id == id; });
      if (!seen) r.mentions.push_back(Mention{.user_id = id, .nom = nom});
    } else {
      span = "<span class=\"coop-mention\">@" + escape_html(nom) + "</span>";
      add_once(r.noms_sans_id, nom);
    }
    cmark_node_insert_after(strong, new_html(span));
    cmark_node_unlink(strong);
    cmark_node_free(strong);
  }
}

// 3. @canal, @tous, @ici in texts.
void group_mentions(cmark_node* doc, Rendu& r) {
  for (cmark_node* text : all_nodes(doc)) {
    if (cmark_node_get_type(text) != CMARK_NODE_TEXT || !mentionable(text)) continue;
    const std::string s = literal(text);
    std::vector<std::pair<std::string, bool>> pieces;  // (text, is_html)
    std::size_t from = 0, i = 0;
    while ((i = s.find('@', i)) != std::string::npos) {
      std::size_t len = 0;
      std::string_view label;
      for (std::string_view w : {"canal", "tous", "ici"}) {
        if (s.compare(i + 1, w.size(), w) == 0 && (i + 1 + w.size() == s.size() || !word_byte(s[i + 1 + w.size()]))) {
          len = w.size() + 1;
          label = w;
        }
      }
      if (len == 0 || (i > 0 && word_byte(s[i - 1]))) {
        ++i;
        continue;
      }
      pieces.emplace_back(s.substr(from, i - from), false);
      pieces.emplace_back("<span class=\"coop-mention coop-mention--groupe\">@" + std::string(label) + "</span>", true);
      if (label == "ici") {
        r.mention_ici = true;
      } else {
        r.mention_canal = true;
      }
      i += len;
      from = i;
    }
    if (pieces.empty()) continue;
    pieces.emplace_back(s.substr(from), false);
    cmark_node* at = text;
    for (const auto& [piece, is_html] : pieces) {
      if (piece.empty()) continue;
      cmark_node* n = is_html ? new_html(piece) : new_text(piece);
      cmark_node_insert_after(at, n);
      at = n;
    }
    cmark_node_unlink(text);
    cmark_node_free(text);
  }
}

std::string open_a(const Target& t, const char* title) {
  std::string a = "<a href=\"" + escape_href(t.href) + "\" rel=\"noopener noreferrer\"";
  if (t.kind == Kind::External) a += " target=\"_blank\"";
  if (title && *title) a += " title=\"" + escape_html(title) + "\"";
  return a + ">";
}

// 4. Links and images, rebuilt: the parser's nodes are replaced by our own tags. Innermost and
// last first (an image's description may hold a link, a link an image): a node is freed only
// once the links and images inside it are done.
void links_and_images(cmark_node* doc, const Options& o, Rendu& r) {
  std::vector<cmark_node*> nodes;
  for (cmark_node* n : all_nodes(doc)) {
    const auto type = cmark_node_get_type(n);
    if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) nodes.push_back(n);
  }
  std::reverse(nodes.begin(), nodes.end());
  std::vector<std::string> coop_links;  // in reverse order of the text
  for (cmark_node* n : nodes) {
    const auto type = cmark_node_get_type(n);
    const char* url = cmark_node_get_url(n);
    const Target t = classify(url ? url : "", o);
    if (type == CMARK_NODE_IMAGE) {
      if (t.kind == Kind::Coop) {
        const std::string alt = plain_text(n);
        std::string img = "<img src=\"" + escape_href(t.href) + "\" alt=\"" + escape_html(alt) + "\" loading=\"lazy\"";
        if (const char* title = cmark_node_get_title(n); title && *title) img += " title=\"" + escape_html(title) + "\"";
        cmark_node_insert_before(n, new_html(img + ">"));
      } else if (t.kind == Kind::External && !inside(n, CMARK_NODE_LINK)) {
        cmark_node_insert_before(n, new_html(open_a(t, cmark_node_get_title(n))));
        if (!cmark_node_first_child(n)) cmark_node_append_child(n, new_text(t.href));
        hoist_children(n);
        cmark_node_insert_before(n, new_html("</a>"));
      } else {
        hoist_children(n);  // only the alternative text remains
      }
    } else {
      if (t.kind == Kind::Unsafe) {
        hoist_children(n);
      } else {
        if (t.kind == Kind::Coop) coop_links.push_back(t.path);
        cmark_node_insert_before(n, new_html(open_a(t, cmark_node_get_title(n))));
        if (!cmark_node_first_child(n)) cmark_node_append_child(n, new_text(t.href));
        hoist_children(n);
        cmark_node_insert_before(n, new_html("</a>"));
      }
    }
    cmark_node_unlink(n);
    cmark_node_free(n);
  }
  for (auto it = coop_links.rbegin(); it != coop_links.rend(); ++it) add_once(r.liens_coop, *it);
}

}  // namespace

Rendu rendre(std::string_view texte, const Options& o) {
  Rendu r;
  std::unique_ptr<cmark_parser, ParserDeleter> parser(new_parser());
  cmark_parser_feed(parser.get(), texte.data(), texte.size());
  std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parser_finish(parser.get()));
  if (!doc) return r;
  neutralise_raw_html(doc.get());
  personal_mentions(doc.get(), r);
  group_mentions(doc.get(), r);
  links_and_images(doc.get(), o, r);
  char* html = cmark_render_html(doc.get(), kRenderOptions, cmark_parser_get_syntax_extensions(parser.get()));
  if (html) {
    r.html = html;
    std::free(html);
  }
  return r;
}

}  // namespace coop::markdown
