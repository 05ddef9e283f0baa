// File store: the pure rules. The type of a file is read from its first bytes (never from its
// name nor from the Content-Type the client sent), image dimensions from their headers; names
// are cleaned; the Content-Disposition of a download is built here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coop::fichiers {

inline constexpr std::size_t kTailleMaxDefaut = 10 * 1024 * 1024;  // --fichiers-max-ko default
inline constexpr std::size_t kNomMax = 200;                          // bytes of a cleaned name

struct Type {
  std::string mime;    // "image/png", "application/pdf", "text/plain; charset=utf-8"…
  bool image = false;  // shown inline (PNG, JPEG, GIF, WebP only; never SVG)
};

// The type of `data` from its signature: PNG, JPEG, GIF, WebP, PDF, ZIP and the office formats
// built on it (DOCX, XLSX, PPTX, ODT, ODS, ODP), OLE (old Office), MP3, MP4, OGG, WAV; UTF-8
// text without control characters → text/plain (HTML, SVG and scripts included: they are never
// served as what they claim); anything else application/octet-stream.
Type sniffer(std::string_view data);

// The types shown inline: PNG, JPEG, GIF, WebP (never SVG, which may carry scripts).
bool est_image(std::string_view mime);

struct Dimensions {
  std::uint32_t largeur = 0;
  std::uint32_t hauteur = 0;
};
// Width and height read from the header of a PNG, GIF, JPEG or WebP; nullopt if unreadable.
std::optional<Dimensions> dimensions(std::string_view data, std::string_view mime);

// The name given by the client, made safe to store and show: the last path component, no control
// characters, trimmed, at most kNomMax bytes (on a character boundary), valid UTF-8; "fichier"
// when nothing is left.
std::string nettoyer_nom(std::string_view nom);

// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / 5987), or
// `inline; …` for images. The ASCII fallback replaces anything outside printable ASCII, '"',
// '\\', '/', ';' and '%' by '_'; the header can never be split nor carry a path.
std::string content_disposition(std::string_view nom, bool en_ligne);

// An HTTP Range header (RFC 9110 §14) over a file of `taille` bytes. One range only:
// "bytes=a-b", "bytes=a-" and "bytes=-n" (the last n bytes); b past the end is cut there.
// entier: no usable Range (absent, another unit, several ranges, syntax error): send the whole
// file with 200. insatisfiable: 416 with Content-Range "bytes */taille".
struct Plage {
  enum class Genre { entier, partiel, insatisfiable };
  Genre genre = Genre::entier;
  std::uint64_t debut = 0;
  std::uint64_t fin = 0;  // inclusive (partiel)
};
Plage plage_demandee(std::string_view range, std::uint64_t taille);

// True for 64 lower-case hexadecimal digits (a SHA-256 as the API writes it).
bool sha256_valide(std::string_view s);

}  // namespace coop::fichiers
