#include "core/francais.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>

#include "core/text.hpp"

namespace coop::francais {
namespace {

constexpr std::size_t kMotMax = 80;     // longer "words" (hashes, base64…) are not indexed
constexpr std::size_t kTermesMax = 16;  // terms of a query

// Folds one code point onto `out`.
void plier_cp(char32_t cp, std::string_view encoded, std::string& out) {
  if (cp >= 'A' && cp <= 'Z') {
    out.push_back(static_cast<char>(cp - 'A' + 'a'));
  } else if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp >= 0xC0 && cp < 0x180 && cp != 0xD7 && cp != 0xF7) {
    out += core::fold(encoded);  // Latin-1 and Latin Extended-A letters: core::fold's table
  } else if (cp >= 0x300 && cp <= 0x36F) {
    // combining accent (decomposed é = e + U+0301): dropped
  } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC) {
    out.push_back('\'');
  } else if ((cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) || (cp >= 0x410 && cp <= 0x42F)) {
    core::append_utf8(out, cp + 0x20);  // Greek and Cyrillic capitals
  } else if (cp >= 0x400 && cp <= 0x40F) {
    core::append_utf8(out, cp + 0x50);  // Ѐ..Џ
  } else if (cp >= 0xFB00 && cp <= 0xFB06) {
    static constexpr std::array<std::string_view, 7> kLigatures = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
    out += kLigatures[cp - 0xFB00];
  } else {
    out += encoded;
  }
}

// Code points that separate words (besides ASCII other than letters and digits).
bool separateur(char32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || cp == 0xFEFF || (cp >= 0xFF00 && cp <= 0xFF0F) ||
         (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0xE0000);
}

bool elision(std::string_view w) {
  static constexpr std::array<std::string_view, 13> kElisions = {
      "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"};
  return std::find(kElisions.begin(), kElisions.end(), w) != kElisions.end();
}

bool mot_vide(std::string_view w) {
  // Folded French stop words: articles, prepositions, conjunctions, pronouns, common auxiliaries.
  static constexpr std::array<std::string_view, 64> kVides = {
      "a",    "ai",   "au",   "aux",  "avec", "ce",   "ces",  "cet",   "cette", "ca",   "dans",
      "de",   "des",  "du",   "elle", "elles", "en",  "est",  "et",    "il",    "ils",  "je",
      "la",   "le",   "les",  "leur", "leurs", "lui", "ma",   "me",    "mes",   "moi",  "mon",
      "ne",   "nos",  "notre", "nous", "on",  "ont",  "ou",   "par",   "pas",   "pour", "qu",
      "que",  "qui",  "sa",   "se",   "ses",  "son",  "sont", "sur",   "ta",    "te",   "tes",
      "toi",  "ton",  "tu",   "un",   "une",  "vos",  "votre", "vous", "y"};
  return std::find(kVides.begin(), kVides.end(), w) != kVides.end();
}

// Words of an already folded text; `apres_apostrophe`: the word was followed by an apostrophe.
template <class F>
void chaque_mot(std::string_view plie, F&& f) {
  std::string mot;
  std::size_t i = 0;
  auto fin = [&](bool apostrophe) {
    if (!mot.empty() && !(apostrophe && elision(mot))) f(mot);
    mot.clear();
  };
  while (i < plie.size()) {
    std::size_t len;
    const char32_t cp = core::decode_utf8(plie, i, len);
    if (cp == core::kInvalidCodePoint) {
      i += 1;
      continue;
    }
    const bool lettre = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 0x80 && !separateur(cp));
    if (lettre) {
      mot.append(plie.substr(i, len));
    } else {
      fin(cp == '\'');
    }
    i += len;
  }
  fin(false);
}

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

std::string stem_plie(std::string_view plie) {
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(sb_stemmer_new("french", "UTF_8"));
  if (!stemmer) throw std::runtime_error("libstemmer: no French stemmer");
  if (plie.empty()) return {};
  const sb_symbol* s = sb_stemmer_stem(stemmer.get(), reinterpret_cast<const sb_symbol*>(plie.data()),
                                       static_cast<int>(plie.size()));
  if (!s) throw std::bad_alloc();
  return plier(std::string_view(reinterpret_cast<const char*>(s), static_cast<std::size_t>(sb_stemmer_length(stemmer.get()))));
}

// One term of a query: one stem, or a phrase of stems; the last stem possibly a prefix.
struct Terme {
  std::vector<std::string> racines;
  bool prefixe = false;
};

std::vector<Terme> analyser(std::string_view q, bool prefixe) {
  const std::string plie = plier(q);
  // Chunks: text between whitespace (outside quotes) or between quotes.
  struct Morceau {
    std::string_view texte;
    bool cite;
  };
  std::vector<Morceau> morceaux;
  auto est_espace = [](char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' || cp == 0xA0 ||
           cp == 0x202F || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000;
  };
  auto est_guillemet = [](char32_t cp) {
    return cp == '"' || cp == 0xAB || cp == 0xBB || cp == 0x201C || cp == 0x201D || cp == 0x201E;
  };
  std::size_t i = 0, debut = 0;
  bool en_citation = false;
  const std::string_view p = plie;
  while (i < p.size()) {
    std::size_t len;
    const char32_t cp = core::decode_utf8(p, i, len);
    if (est_guillemet(cp)) {
      morceaux.push_back({p.substr(debut, i - debut), en_citation});
      en_citation = !en_citation;
      debut = i + len;
    } else if (!en_citation && est_espace(cp)) {
      morceaux.push_back({p.substr(debut, i - debut), false});
      debut = i + len;
    }
    i += len;
  }
  morceaux.push_back({p.substr(debut), en_citation});

  std::vector<Terme> termes;
  bool dernier_libre = false;  // the last term comes from outside quotes
  std::size_t dernier_non_vide = morceaux.size();
  for (std::size_t k = 0; k < morceaux.size(); ++k) {
    bool a_des_mots = false;
    chaque_mot(morceaux[k].texte, [&](const std::string&) { a_des_mots = true; });
    if (a_des_mots) dernier_non_vide = k;
  }
  for (std::size_t k = 0; k < morceaux.size(); ++k) {
    std::vector<std::string> ms;
    chaque_mot(morceaux[k].texte, [&](const std::string& m) { ms.push_back(m); });
    if (ms.empty()) continue;
    Terme t;
    for (std::size_t j = 0; j < ms.size(); ++j) {
      const std::string& m = ms[j];
      if (m.size() > kMotMax) continue;
      if (!mot_vide(m)) {
        t.racines.push_back(stem_plie(m));
      } else if (prefixe && k == dernier_non_vide && !morceaux[k].cite && j + 1 == ms.size()) {
        // The word being typed may look like a stop word ("de" of "demande"): kept as a prefix.
        t.racines.push_back(m);
      }
    }
    if (t.racines.empty()) continue;
    termes.push_back(std::move(t));
    dernier_libre = !morceaux[k].cite && k == dernier_non_vide;
  }
  if (prefixe && dernier_libre && !termes.empty()) termes.back().prefixe = true;
  // Same single terms once; at most kTermesMax terms (the prefix, when any, stays last).
  std::vector<Terme> uniques;
  for (Terme& t : termes) {
    const bool deja = std::any_of(uniques.begin(), uniques.end(), [&](const Terme& u) {
      return u.racines == t.racines && u.prefixe == t.prefixe;
    });
    if (!deja) uniques.push_back(std::move(t));
  }
  if (uniques.size() > kTermesMax) {
    const bool garder_dernier = uniques.back().prefixe;
    Terme dernier = uniques.back();
    uniques.resize(kTermesMax);
    if (garder_dernier) uniques.back() = std::move(dernier);
  }
  return uniques;
}

}  // namespace

std::string plier(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len;
    const char32_t cp = core::decode_utf8(s, i, len);
    if (cp != core::kInvalidCodePoint) plier_cp(cp, s.substr(i, len), out);
    i += len;
  }
  return out;
}

std::vector<std::string> mots(std::string_view texte) {
  std::vector<std::string> out;
  chaque_mot(plier(texte), [&](const std::string& m) { out.push_back(m); });
  return out;
}

std::string racine(std::string_view mot) { return stem_plie(plier(mot)); }

std::string indexer(std::string_view texte) {
  std::string out;
  chaque_mot(plier(texte), [&](const std::string& m) {
    if (m.size() > kMotMax || mot_vide(m)) return;
    if (!out.empty()) out.push_back(' ');
    out += stem_plie(m);
  });
  return out;
}

std::string requete_fts5(std::string_view q, bool prefixe) {
  std::string out;
  for (const Terme& t : analyser(q, prefixe)) {
    if (!out.empty()) out += " AND ";
    out.push_back('"');
    for (std::size_t k = 0; k < t.racines.size(); ++k) {
      if (k > 0) out.push_back(' ');
      out += t.racines[k];  // never a '"': stems are letters and digits
    }
    out.push_back('"');
    if (t.prefixe) out.push_back('*');
  }
  return out;
}

std::string requete_tsquery(std::string_view q, bool prefixe) {
  std::string out;
  for (const Terme& t : analyser(q, prefixe)) {
    if (!out.empty()) out += " & ";
    if (t.racines.size() > 1) out.push_back('(');
    for (std::size_t k = 0; k < t.racines.size(); ++k) {
      if (k > 0) out += " <-> ";
      out += "'" + t.racines[k] + "'";  // never a quote nor a backslash: letters and digits
    }
    if (t.prefixe) out += ":*";
    if (t.racines.size() > 1) out.push_back(')');
  }
  return out;
}

}  // namespace coop::francais
