#include "features/fichiers/model.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace coop::fichiers {
namespace {

bool commence(std::string_view d, std::string_view sig, std::size_t at = 0) {
  return d.size() >= at + sig.size() && d.substr(at, sig.size()) == sig;
}

std::uint32_t be16(std::string_view d, std::size_t i) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(d[i])) << 8) | static_cast<unsigned char>(d[i + 1]);
}
std::uint32_t be32(std::string_view d, std::size_t i) { return (be16(d, i) << 16) | be16(d, i + 2); }
std::uint32_t le16(std::string_view d, std::size_t i) {
  return static_cast<unsigned char>(d[i]) | (static_cast<std::uint32_t>(static_cast<unsigned char>(d[i + 1])) << 8);
}
std::uint32_t le24(std::string_view d, std::size_t i) {
  return le16(d, i) | (static_cast<std::uint32_t>(static_cast<unsigned char>(d[i + 2])) << 16);
}

// Text: valid UTF-8 and no control character other than tab, line feed, form feed, carriage return.
bool texte(std::string_view d) {
  if (!core::valid_utf8(d)) return false;
  for (char ch : d) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) return false;
  }
  return true;
}

std::string zip_type(std::string_view d) {
  // OpenDocument: the first entry is an uncompressed "mimetype" file holding the type.
  if (commence(d, "mimetype", 30)) {
    for (std::string_view t : {"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
                               "application/vnd.oasis.opendocument.presentation"}) {
      if (commence(d, t, 38)) return std::string(t);
    }
  }
  // Office Open XML: look for its part names among the entries (the start of the archive).
  const std::string_view tete = d.substr(0, std::min<std::size_t>(d.size(), 64 * 1024));
  if (tete.find("[Content_Types].xml") != std::string_view::npos || tete.find("_rels/") != std::string_view::npos) {
    if (tete.find("word/") != std::string_view::npos)
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (tete.find("xl/") != std::string_view::npos)
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (tete.find("ppt/") != std::string_view::npos)
      return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  }
  return "application/zip";
}

}  // namespace

Type sniffer(std::string_view d) {
  if (commence(d, "\x89PNG\r\n\x1a\n")) return {.mime = "image/png", .image = true};
  if (commence(d, "\xFF\xD8\xFF")) return {.mime = "image/jpeg", .image = true};
  if (commence(d, "GIF87a") || commence(d, "GIF89a")) return {.mime = "image/gif", .image = true};
  if (commence(d, "RIFF") && commence(d, "WEBP", 8)) return {.mime = "image/webp", .image = true};
  if (commence(d, "RIFF") && commence(d, "WAVE", 8)) return {.mime = "audio/wav", .image = false};
  if (commence(d, "%PDF-")) return {.mime = "application/pdf", .image = false};
  if (commence(d, std::string_view("PK\x03\x04", 4))) return {.mime = zip_type(d), .image = false};
  if (commence(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return {.mime = "application/x-ole-storage", .image = false};
  if (commence(d, "ID3") || (d.size() >= 2 && static_cast<unsigned char>(d[0]) == 0xFF &&
                             (static_cast<unsigned char>(d[1]) & 0xE0) == 0xE0 && !texte(d))) {
    return {.mime = "audio/mpeg", .image = false};
  }
  if (commence(d, "ftyp", 4)) return {.mime = "video/mp4", .image = false};
  if (commence(d, "OggS")) return {.mime = "audio/ogg", .image = false};
  if (!d.empty() && texte(d)) return {.mime = "text/plain; charset=utf-8", .image = false};
  return {.mime = "application/octet-stream", .image = false};
}

bool est_image(std::string_view m) {
  return m == "image/png" || m == "image/jpeg" || m == "image/gif" || m == "image/webp";
}

std::optional<Dimensions> dimensions(std::string_view d, std::string_view mime) {
  auto ok = [](std::uint32_t w, std::uint32_t h) -> std::optional<Dimensions> {
    if (w == 0 || h == 0) return std::nullopt;
    return Dimensions{.largeur = w, .hauteur = h};
  };
  if (mime == "image/png") {
    if (d.size() < 24 || !commence(d, "IHDR", 12)) return std::nullopt;
    return ok(be32(d, 16), be32(d, 20));
  }
  if (mime == "image/gif") {
    if (d.size() < 10) return std::nullopt;
    return ok(le16(d, 6), le16(d, 8));
  }
  if (mime == "image/webp") {
    if (d.size() < 30) return std::nullopt;
    if (commence(d, "VP8X", 12)) return ok(le24(d, 24) + 1, le24(d, 27) + 1);
    if (commence(d, "VP8 ", 12)) return ok(le16(d, 26) & 0x3FFF, le16(d, 28) & 0x3FFF);
    if (commence(d, "VP8L", 12) && d.size() >= 25) {
      const std::uint32_t b = static_cast<unsigned char>(d[21]) | (static_cast<std::uint32_t>(static_cast<unsigned char>(d[22])) << 8) |
                              (static_cast<std::uint32_t>(static_cast<unsigned char>(d[23])) << 16) |
                              (static_cast<std::uint32_t>(static_cast<unsigned char>(d[24])) << 24);
      return ok((b & 0x3FFF) + 1, ((b >> 14) & 0x3FFF) + 1);
    }
    return std::nullopt;
  }
  if (mime == "image/jpeg") {
    std::size_t i = 2;
    while (i + 4 <= d.size()) {
      if (static_cast<unsigned char>(d[i]) != 0xFF) return std::nullopt;
      const auto m = static_cast<unsigned char>(d[i + 1]);
      if (m == 0xFF) {  // fill byte
        ++i;
        continue;
      }
      if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {  // markers without a length
        i += 2;
        continue;
      }
      const std::uint32_t len = be16(d, i + 2);
      if (len < 2) return std::nullopt;
      if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
        if (i + 9 > d.size()) return std::nullopt;
        return ok(be16(d, i + 7), be16(d, i + 5));
      }
      i += 2 + len;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::string nettoyer_nom(std::string_view nom) {
  if (const auto slash = nom.find_last_of("/\\"); slash != std::string_view::npos) nom = nom.substr(slash + 1);
  std::string propre;
  std::size_t i = 0;
  while (i < nom.size()) {
    std::size_t len;
    const char32_t cp = core::decode_utf8(nom, i, len);
    if (cp != core::kInvalidCodePoint && cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0) &&
        !(cp >= 0x200B && cp <= 0x200F) && !(cp >= 0x202A && cp <= 0x202E) && !(cp >= 0x2066 && cp <= 0x2069)) {
      propre.append(nom.substr(i, len));  // no controls, no bidirectional overrides (« txt.exe » tricks)
    }
    i += len;
  }
  propre = core::utf8_prefix(core::trim(propre), kNomMax);
  while (!propre.empty() && (propre.back() == ' ' || propre.back() == '.')) propre.pop_back();
  while (!propre.empty() && propre.front() == '.') propre.erase(0, 1);  // no hidden file names
  return propre.empty() ? "fichier" : propre;
}

std::string content_disposition(std::string_view nom, bool en_ligne) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string ascii, encode;
  for (char ch : nom) {
    const auto c = static_cast<unsigned char>(ch);
    const bool sur = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '/' && c != ';' && c != '%';
    ascii.push_back(sur ? static_cast<char>(c) : '_');
    const bool attr_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (attr_char) {
      encode.push_back(static_cast<char>(c));
    } else {
      encode.push_back('%');
      encode.push_back(kHex[c >> 4]);
      encode.push_back(kHex[c & 0xF]);
    }
  }
  if (ascii.empty()) ascii = encode = "fichier";
  return std::string(en_ligne ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encode;
}

bool sha256_valide(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace coop::fichiers

namespace coop::fichiers {

namespace {
bool nombre(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}
}  // namespace

Plage plage_demandee(std::string_view range, std::uint64_t taille) {
  Plage entier{};
  while (!range.empty() && (range.front() == ' ' || range.front() == '\t')) range.remove_prefix(1);
  while (!range.empty() && (range.back() == ' ' || range.back() == '\t')) range.remove_suffix(1);
  if (!range.starts_with("bytes=")) return entier;
  range.remove_prefix(6);
  if (range.find(',') != std::string_view::npos) return entier;  // several ranges: the whole file
  const auto tiret = range.find('-');
  if (tiret == std::string_view::npos) return entier;
  const auto a = range.substr(0, tiret), b = range.substr(tiret + 1);
  std::uint64_t x = 0, y = 0;
  if (a.empty()) {  // the last y bytes
    if (!nombre(b, y)) return entier;
    if (y == 0 || taille == 0) return {.genre = Plage::Genre::insatisfiable, .debut = 0, .fin = 0};
    return {.genre = Plage::Genre::partiel, .debut = taille - std::min(y, taille), .fin = taille - 1};
  }
  if (!nombre(a, x)) return entier;
  if (b.empty()) y = taille == 0 ? 0 : taille - 1;
  else if (!nombre(b, y) || y < x) return entier;
  if (x >= taille) return {.genre = Plage::Genre::insatisfiable, .debut = 0, .fin = 0};
  return {.genre = Plage::Genre::partiel, .debut = x, .fin = std::min(y, taille - 1)};
}

}  // namespace coop::fichiers
