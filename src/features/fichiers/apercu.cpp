#include "features/fichiers/apercu.hpp"

#include <png.h>
// jpeglib.h needs FILE and size_t first.
#include <cstdio>
#include <jpeglib.h>

#include <csetjmp>
#include <cstdlib>
#include <vector>

namespace coop::fichiers {
namespace {

struct Pixels {
  unsigned largeur = 0, hauteur = 0;
  std::vector<unsigned char> rgb;  // 3 bytes a pixel
};

// libjpeg's default error handler exits the process: ours jumps back instead.
struct ErreurJpeg {
  jpeg_error_mgr mgr;
  std::jmp_buf retour;
};
[[noreturn]] void sortie_jpeg(j_common_ptr c) { std::longjmp(reinterpret_cast<ErreurJpeg*>(c->err)->retour, 1); }
void silence_jpeg(j_common_ptr, int) {}

bool decoder_jpeg(std::string_view data, unsigned cible, Pixels& out) {
  jpeg_decompress_struct c{};
  ErreurJpeg err{};
  c.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = sortie_jpeg;
  err.mgr.emit_message = silence_jpeg;
  if (setjmp(err.retour)) {
    jpeg_destroy_decompress(&c);
    return false;
  }
  jpeg_create_decompress(&c);
  jpeg_mem_src(&c, reinterpret_cast<const unsigned char*>(data.data()), static_cast<unsigned long>(data.size()));
  if (jpeg_read_header(&c, TRUE) != JPEG_HEADER_OK) {
    jpeg_destroy_decompress(&c);
    return false;
  }
  c.out_color_space = JCS_RGB;
  // The DCT scales by 1/2, 1/4 or 1/8 at no cost: the largest reduction that stays above the target.
  const unsigned cote = std::max(c.image_width, c.image_height);
  c.scale_num = 1;
  c.scale_denom = 1;
  for (unsigned d : {8u, 4u, 2u}) {
    if (cote / d >= cible) {
      c.scale_denom = d;
      break;
    }
  }
  jpeg_start_decompress(&c);
  out.largeur = c.output_width;
  out.hauteur = c.output_height;
  out.rgb.assign(static_cast<std::size_t>(out.largeur) * out.hauteur * 3, 0);
  while (c.output_scanline < c.output_height) {
    unsigned char* ligne = out.rgb.data() + static_cast<std::size_t>(c.output_scanline) * out.largeur * 3;
    jpeg_read_scanlines(&c, &ligne, 1);
  }
  jpeg_finish_decompress(&c);
  jpeg_destroy_decompress(&c);
  return true;
}

bool decoder_png(std::string_view data, Pixels& out) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, data.data(), data.size())) return false;
  image.format = PNG_FORMAT_RGB;
  out.largeur = image.width;
  out.hauteur = image.height;
  out.rgb.assign(PNG_IMAGE_SIZE(image), 0);
  png_color blanc{255, 255, 255};  // transparency composed over white (a JPEG has no alpha)
  if (!png_image_finish_read(&image, &blanc, out.rgb.data(), 0, nullptr)) {
    png_image_free(&image);
    return false;
  }
  return true;
}

// Box filter: each output pixel averages the source pixels it covers.
Pixels reduire_pixels(const Pixels& in, unsigned cible) {
  const unsigned cote = std::max(in.largeur, in.hauteur);
  if (cote <= cible) return in;
  Pixels out;
  out.largeur = std::max(1u, static_cast<unsigned>(static_cast<std::uint64_t>(in.largeur) * cible / cote));
  out.hauteur = std::max(1u, static_cast<unsigned>(static_cast<std::uint64_t>(in.hauteur) * cible / cote));
  out.rgb.resize(static_cast<std::size_t>(out.largeur) * out.hauteur * 3);
  for (unsigned y = 0; y < out.hauteur; ++y) {
    const unsigned y0 = static_cast<unsigned>(static_cast<std::uint64_t>(y) * in.hauteur / out.hauteur);
    const unsigned y1 = std::max(y0 + 1, static_cast<unsigned>(static_cast<std::uint64_t>(y + 1) * in.hauteur / out.hauteur));
    for (unsigned x = 0; x < out.largeur; ++x) {
      const unsigned x0 = static_cast<unsigned>(static_cast<std::uint64_t>(x) * in.largeur / out.largeur);
      const unsigned x1 = std::max(x0 + 1, static_cast<unsigned>(static_cast<std::uint64_t>(x + 1) * in.largeur / out.largeur));
      std::uint64_t somme[3] = {0, 0, 0};
      for (unsigned yy = y0; yy < y1; ++yy) {
        const unsigned char* p = in.rgb.data() + (static_cast<std::size_t>(yy) * in.largeur + x0) * 3;
        for (unsigned xx = x0; xx < x1; ++xx, p += 3) {
          somme[0] += p[0];
          somme[1] += p[1];
          somme[2] += p[2];
        }
      }
      const std::uint64_t n = static_cast<std::uint64_t>(y1 - y0) * (x1 - x0);
      unsigned char* q = out.rgb.data() + (static_cast<std::size_t>(y) * out.largeur + x) * 3;
      for (int k = 0; k < 3; ++k) q[k] = static_cast<unsigned char>(somme[k] / n);
    }
  }
  return out;
}

std::optional<std::string> encoder_jpeg(const Pixels& px) {
  jpeg_compress_struct c{};
  ErreurJpeg err{};
  c.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = sortie_jpeg;
  err.mgr.emit_message = silence_jpeg;
  unsigned char* sortie = nullptr;
  unsigned long taille = 0;
  if (setjmp(err.retour)) {
    jpeg_destroy_compress(&c);
    std::free(sortie);
    return std::nullopt;
  }
  jpeg_create_compress(&c);
  jpeg_mem_dest(&c, &sortie, &taille);
  c.image_width = px.largeur;
  c.image_height = px.hauteur;
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 80, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    auto* ligne = const_cast<unsigned char*>(px.rgb.data() + static_cast<std::size_t>(c.next_scanline) * px.largeur * 3);
    jpeg_write_scanlines(&c, &ligne, 1);
  }
  jpeg_finish_compress(&c);
  std::string out(reinterpret_cast<const char*>(sortie), taille);
  jpeg_destroy_compress(&c);
  std::free(sortie);
  return out;
}

}  // namespace

std::optional<std::string> reduire(std::string_view data, std::string_view mime, Dimensions d) {
  if (std::max(d.largeur, d.hauteur) <= kApercuCote) return std::nullopt;
  if (static_cast<std::uint64_t>(d.largeur) * d.hauteur > kApercuPixelsMax) return std::nullopt;
  Pixels px;
  if (mime == "image/jpeg") {
    if (!decoder_jpeg(data, kApercuCote, px)) return std::nullopt;
  } else if (mime == "image/png") {
    // The header's size was checked above; libpng reads the same header.
    if (!decoder_png(data, px)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (px.largeur == 0 || px.hauteur == 0 || static_cast<std::uint64_t>(px.largeur) * px.hauteur > kApercuPixelsMax)
    return std::nullopt;
  return encoder_jpeg(reduire_pixels(px, kApercuCote));
}

}  // namespace coop::fichiers
