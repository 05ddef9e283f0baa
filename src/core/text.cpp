#include "core/text.hpp"

#include <cstdint>

namespace coop::core {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one strict UTF-8 sequence at s[i]; returns the code point and sets len, or returns
// kInvalid with len = 1 (so that callers skip exactly one byte).
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  len = 1;
  if (b0 < 0x80) return b0;
  std::size_t n;
  char32_t cp;
  char32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return kInvalid;  // continuation byte, 0xC0/0xC1 (always overlong) or 0xF5..0xFF
  }
  if (i + n > s.size()) return kInvalid;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return kInvalid;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalid;
  len = n;
  return cp;
}

// U+00C0..U+00FF. '*' = multi-letter or separator, handled in latin1_special.
constexpr std::string_view kLatin1 =
    "aaaaaa*ceeeeiiii"   // C0..CF  (C6 Æ)
    "dnooooo*ouuuuy**"   // D0..DF  (D7 ×, DE Þ, DF ß)
    "aaaaaa*ceeeeiiii"   // E0..EF  (E6 æ)
    "dnooooo*ouuuuy*y";  // F0..FF  (F7 ÷, FE þ)
static_assert(kLatin1.size() == 0x40);

// U+0100..U+017F. '*' = ligature handled in latin_ext_a_special.
constexpr std::string_view kLatinExtA =
    "aaaaaa"        // 100..105
    "cccccccc"      // 106..10D
    "dddd"          // 10E..111
    "eeeeeeeeee"    // 112..11B
    "gggggggg"      // 11C..123
    "hhhh"          // 124..127
    "iiiiiiiiii"    // 128..131
    "**"            // 132..133 Ĳ ĳ
    "jj"            // 134..135
    "kkk"           // 136..138
    "llllllllll"    // 139..142
    "nnnnnnnnn"     // 143..14B
    "oooooo"        // 14C..151
    "**"            // 152..153 Œ œ
    "rrrrrr"        // 154..159
    "ssssssss"      // 15A..161
    "tttttt"        // 162..167
    "uuuuuuuuuuuu"  // 168..173
    "ww"            // 174..175
    "yyy"           // 176..178
    "zzzzzz"        // 179..17E
    "s";            // 17F ſ
static_assert(kLatinExtA.size() == 0x80);

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

std::string fold(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool pending_space = false;  // a separator was seen since the last emitted character
  auto emit = [&](std::string_view piece) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(piece);
  };
  auto emit_char = [&](char c) { emit(std::string_view(&c, 1)); };

  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t len;
    const char32_t cp = decode(in, i, len);
    if (cp == kInvalid) {
      i += 1;
      continue;
    }
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if (c >= 'a' && c <= 'z') {
        emit_char(c);
      } else if (c >= 'A' && c <= 'Z') {
        emit_char(static_cast<char>(c - 'A' + 'a'));
      } else if (c >= '0' && c <= '9') {
        emit_char(c);
      } else {
        pending_space = true;
      }
    } else if (cp < 0xC0 || (cp >= 0x2000 && cp <= 0x206F)) {
      pending_space = true;
    } else if (cp < 0x100) {
      const char m = kLatin1[cp - 0xC0];
      if (m != '*') {
        emit_char(m);
      } else if (cp == 0xC6 || cp == 0xE6) {
        emit("ae");
      } else if (cp == 0xDE || cp == 0xFE) {
        emit("th");
      } else if (cp == 0xDF) {
        emit("ss");
      } else {
        pending_space = true;  // × ÷
      }
    } else if (cp < 0x180) {
      const char m = kLatinExtA[cp - 0x100];
      if (m != '*') {
        emit_char(m);
      } else if (cp == 0x132 || cp == 0x133) {
        emit("ij");
      } else {
        emit("oe");
      }
    } else {
      emit(in.substr(i, len));
    }
    i += len;
  }
  return out;
}

char32_t decode_utf8(std::string_view s, std::size_t i, std::size_t& len) { return decode(s, i, len); }

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len;
    if (decode(s, i, len) == kInvalid) return false;
    i += len;
  }
  return true;
}

std::string trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_ascii_space(s[b])) ++b;
  while (e > b && is_ascii_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (!valid_utf8(s)) return {};
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // s[n] starts the next character
  return std::string(s.substr(0, n));
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace coop::core
