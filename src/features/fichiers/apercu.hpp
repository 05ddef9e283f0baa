// Previews of large images: a JPEG whose longest side is at most kApercuCote pixels, from a
// JPEG (libjpeg-turbo, decoded already scaled down) or a PNG (libpng; transparency over white).
// Other images (GIF, WebP), small ones, and images over kApercuPixelsMax pixels (decoding them
// would cost too much memory) have no preview: the original is shown.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "features/fichiers/model.hpp"

namespace coop::fichiers {

inline constexpr unsigned kApercuCote = 640;
inline constexpr std::uint64_t kApercuPixelsMax = 40'000'000;

// nullopt: no preview (not needed, not possible, or the image is corrupt).
std::optional<std::string> reduire(std::string_view data, std::string_view mime, Dimensions d);

}  // namespace coop::fichiers
