// Text helpers for French user input: accent/case folding for search, UTF-8 validation,
// whitespace trimming. Pure functions, no allocation beyond the returned string, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace coop::core {

// Search key for French text. Decodes UTF-8 and produces lower-case ASCII:
//  - letters of Latin-1 Supplement and Latin Extended-A lose their accents (é→e, Ç→c, ÿ→y,
//    Ÿ→y), ligatures are expanded (œ/Œ→oe, æ/Æ→ae, ß→ss, ĳ→ij, þ→th);
//  - ASCII letters are lower-cased, digits kept;
//  - everything else that is ASCII (apostrophe, hyphen, dot, comma, parentheses, whitespace,
//    controls...), the Latin-1 symbols U+0080–U+00BF (nbsp, «, »...), × and ÷, and the
//    General Punctuation block U+2000–U+206F (’ ‘ – — … narrow nbsp...) are separators;
//  - separators collapse to a single space; the result is trimmed;
//  - other code points (Greek, CJK...) are copied unchanged; invalid UTF-8 bytes are dropped.
// fold("L'Haÿ-les-Roses") == "l hay les roses"; fold("SAINT-ÉTIENNE") == "saint etienne".
std::string fold(std::string_view utf8);

// Strict UTF-8 check (RFC 3629): rejects overlong forms, surrogates, code points > U+10FFFF,
// truncated sequences and stray continuation bytes.
bool valid_utf8(std::string_view s);

// At most `max_bytes` of `s`, cut on a character boundary; invalid UTF-8 input gives "".
// For untrusted free text that is stored (User-Agent…): PostgreSQL refuses invalid UTF-8.
std::string utf8_prefix(std::string_view s, std::size_t max_bytes);

// Decodes the strict UTF-8 sequence at s[i] (i < s.size()): returns its code point and sets
// `len` to its length, or returns kInvalidCodePoint with len = 1 (skip one byte and go on).
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;
char32_t decode_utf8(std::string_view s, std::size_t i, std::size_t& len);
// Appends the UTF-8 encoding of a Unicode scalar value; surrogates and values above U+10FFFF
// append nothing.
void append_utf8(std::string& out, char32_t cp);

// Removes leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
std::string trim(std::string_view s);

// Text as HTML character data or a quoted attribute value: & < > " ' escaped.
std::string html_escape(std::string_view s);

}  // namespace coop::core
