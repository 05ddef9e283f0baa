// French full-text search, the same on SQLite and PostgreSQL by construction: the text is turned
// into stems here (folding, words, Snowball French stemmer), the database only indexes and
// matches those plain ASCII-ish tokens.
//  - SQLite: an FTS5 table over indexer(texte) (tokenize "unicode61 remove_diacritics 2"),
//    queried with `MATCH requete_fts5(q, prefixe)`;
//  - PostgreSQL: a tsvector column to_tsvector('simple', indexer(texte)) with a GIN index,
//    queried with `@@ to_tsquery('simple', requete_tsquery(q, prefixe))`.
// Pure functions, thread-safe (one Snowball stemmer per thread).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace coop::francais {

// Lower case (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic), no accents (é→e, ç→c, combining
// accents dropped), ligatures split (œ→oe, æ→ae, ß→ss, ﬁ→fi), typographic apostrophes (’ ‘ ʼ)
// made ASCII ('). Everything else (punctuation, spaces, other scripts) is kept; invalid UTF-8
// bytes are dropped. plier("L’Œuvre À Cœur") == "l'oeuvre a coeur".
std::string plier(std::string_view s);

// The words of a text, folded (plier), in order: runs of letters and digits; punctuation,
// spaces, hyphens, symbols and emoji separate them. Elided articles and pronouns before an
// apostrophe are not words: mots("l'atelier d'Élise") == {"atelier", "elise"}.
std::vector<std::string> mots(std::string_view texte);

// The Snowball French stem of a word, folded: racine("ateliers") == racine("atelier").
std::string racine(std::string_view mot);

// What is stored in the index: the stems of the words of `texte`, separated by single spaces,
// without French stop words (le, de, et…) nor words over 80 bytes.
std::string indexer(std::string_view texte);

// A user's query → an FTS5 MATCH expression / a PostgreSQL to_tsquery('simple', …) text over
// indexer()'s output: the AND of the words; "quoted phrases" (also « » “ ”) and hyphenated
// words (saint-étienne) as phrases; the last word as a prefix when `prefixe` (the search as you
// type; that word is kept even when it is a stop word). Whatever the query (quotes, operators,
// parentheses, * : & | ! ^ -, unicode, invalid UTF-8), the result is a valid expression made only
// of quoted stems. Empty string: nothing to search (the caller answers 400 or no result).
// At most 16 terms are kept.
std::string requete_fts5(std::string_view q, bool prefixe);
std::string requete_tsquery(std::string_view q, bool prefixe);

}  // namespace coop::francais
