// features/fichiers: type sniffing, image dimensions, names, Content-Disposition, previews (pure);
// then the store and the access rule on both engines (bytes round-trip, one row per content,
// references and the per-domain checkers).
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "base_ephemere.hpp"
#include "core/security.hpp"
#include "core/text.hpp"
#include "features/fichiers/acces.hpp"
#include "features/fichiers/apercu.hpp"
#include "features/fichiers/model.hpp"
#include "features/fichiers/store.hpp"
#include "features/purge/purge.hpp"

namespace fi = coop::fichiers;
using namespace std::literals;
using coop::storage::Session;

namespace {

void be32(std::string& s, std::uint32_t v) {
  for (int k = 3; k >= 0; --k) s.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}

void chunk(std::string& png, const char* type, const std::string& data) {
  be32(png, static_cast<std::uint32_t>(data.size()));
  std::string td = std::string(type, 4) + data;
  png += td;
  be32(png, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(td.data()), static_cast<uInt>(td.size()))));
}

// A real RGB PNG of w×h pixels (a gradient), written with zlib.
std::string png(std::uint32_t w, std::uint32_t h) {
  std::string out = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  be32(ihdr, w);
  be32(ihdr, h);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB, deflate, no filter, no interlace
  chunk(out, "IHDR", ihdr);
  std::string raw;
  for (std::uint32_t y = 0; y < h; ++y) {
    raw.push_back(0);  // filter: none
    for (std::uint32_t x = 0; x < w; ++x) {
      raw.push_back(static_cast<char>(x % 256));
      raw.push_back(static_cast<char>(y % 256));
      raw.push_back(static_cast<char>(128));
    }
  }
  uLongf n = compressBound(static_cast<uLong>(raw.size()));
  std::string z(n, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(z.data()), &n, reinterpret_cast<const Bytef*>(raw.data()),
                     static_cast<uLong>(raw.size())),
            Z_OK);
  z.resize(n);
  chunk(out, "IDAT", z);
  chunk(out, "IEND", "");
  return out;
}

}  // namespace

TEST(FichiersModel, TypeComesFromTheContent) {
  EXPECT_EQ(fi::sniffer(png(2, 2)).mime, "image/png");
  EXPECT_TRUE(fi::sniffer(png(2, 2)).image);
  EXPECT_EQ(fi::sniffer("\xFF\xD8\xFF\xE0rest").mime, "image/jpeg");
  EXPECT_EQ(fi::sniffer("GIF89a....").mime, "image/gif");
  EXPECT_EQ(fi::sniffer("RIFF\x10\0\0\0WEBPVP8 "s).mime, "image/webp");
  EXPECT_EQ(fi::sniffer("%PDF-1.7\n...").mime, "application/pdf");
  EXPECT_EQ(fi::sniffer("Bonjour, voici un texte.\nÉté 2026.").mime, "text/plain; charset=utf-8");
  // What a name or a client would claim does not matter: HTML, SVG and scripts are text.
  EXPECT_EQ(fi::sniffer("<html><script>alert(1)</script></html>").mime, "text/plain; charset=utf-8");
  EXPECT_EQ(fi::sniffer("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>").mime,
            "text/plain; charset=utf-8");
  EXPECT_FALSE(fi::sniffer("<svg onload=x>").image);
  EXPECT_EQ(fi::sniffer(std::string("MZ\x90\0\x03\0\0\0", 8)).mime, "application/octet-stream");
  EXPECT_EQ(fi::sniffer("texte\x01binaire").mime, "application/octet-stream");
  EXPECT_EQ(fi::sniffer("\xC3\x28").mime, "application/octet-stream");  // invalid UTF-8
  std::string zip = std::string("PK\x03\x04", 4) + std::string(26, '\0') + "[Content_Types].xml....word/document.xml";
  EXPECT_EQ(fi::sniffer(zip).mime, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  std::string xlsx = std::string("PK\x03\x04", 4) + std::string(26, '\0') + "[Content_Types].xml....xl/workbook.xml";
  EXPECT_EQ(fi::sniffer(xlsx).mime, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  std::string odt = std::string("PK\x03\x04", 4) + std::string(26, '\0') + "mimetypeapplication/vnd.oasis.opendocument.text";
  EXPECT_EQ(fi::sniffer(odt).mime, "application/vnd.oasis.opendocument.text");
  EXPECT_EQ(fi::sniffer(std::string("PK\x03\x04", 4) + "autre").mime, "application/zip");
  EXPECT_EQ(fi::sniffer("").mime, "application/octet-stream");
  EXPECT_TRUE(fi::est_image("image/webp"));
  EXPECT_FALSE(fi::est_image("image/svg+xml"));
}

TEST(FichiersModel, ImageDimensionsFromHeaders) {
  auto d = fi::dimensions(png(300, 120), "image/png");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->largeur, 300u);
  EXPECT_EQ(d->hauteur, 120u);
  const std::string gif = std::string("GIF89a") + std::string("\x2C\x01\x64\x00", 4) + "....";
  d = fi::dimensions(gif, "image/gif");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->largeur, 300u);
  EXPECT_EQ(d->hauteur, 100u);
  // JPEG: SOI, an APP0 segment, then SOF0 (height 0x01E0 = 480, width 0x0280 = 640).
  const std::string jpeg = std::string("\xFF\xD8\xFF\xE0\x00\x04\x4A\x46\xFF\xC0\x00\x11\x08\x01\xE0\x02\x80\x03", 18);
  d = fi::dimensions(jpeg, "image/jpeg");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->largeur, 640u);
  EXPECT_EQ(d->hauteur, 480u);
  EXPECT_FALSE(fi::dimensions("\xFF\xD8\xFF", "image/jpeg"));
  EXPECT_FALSE(fi::dimensions(std::string("\xFF\xD8\xFF\xE0\x00\x00", 6), "image/jpeg"));
  EXPECT_FALSE(fi::dimensions("\x89PNG", "image/png"));
  EXPECT_FALSE(fi::dimensions("texte", "text/plain"));
}

TEST(FichiersModel, NamesAreCleaned) {
  EXPECT_EQ(fi::nettoyer_nom("C:\\Users\\moi\\Compte rendu.pdf"), "Compte rendu.pdf");
  EXPECT_EQ(fi::nettoyer_nom("../../etc/passwd"), "passwd");
  EXPECT_EQ(fi::nettoyer_nom("  photo d'été .jpg  "), "photo d'été .jpg");
  EXPECT_EQ(fi::nettoyer_nom("a\r\nContent-Type: text\x01.txt"), "aContent-Type: text.txt");
  EXPECT_EQ(fi::nettoyer_nom("facture\xE2\x80\xAEgpj.exe"), "facturegpj.exe");  // no right-to-left override
  EXPECT_EQ(fi::nettoyer_nom(".htaccess"), "htaccess");
  EXPECT_EQ(fi::nettoyer_nom(""), "fichier");
  EXPECT_EQ(fi::nettoyer_nom("/"), "fichier");
  EXPECT_EQ(fi::nettoyer_nom("\xFF\xFE"), "fichier");
  EXPECT_LE(fi::nettoyer_nom(std::string(500, 'e') + ".pdf").size(), fi::kNomMax);
  EXPECT_TRUE(coop::core::valid_utf8(fi::nettoyer_nom(std::string(199, 'a') + "é")));
}

TEST(FichiersModel, ContentDispositionIsSafe) {
  EXPECT_EQ(fi::content_disposition("rapport.pdf", false), "attachment; filename=\"rapport.pdf\"; filename*=UTF-8''rapport.pdf");
  EXPECT_EQ(fi::content_disposition("été 2026.png", true),
            "inline; filename=\"__t__ 2026.png\"; filename*=UTF-8''%C3%A9t%C3%A9%202026.png");
  EXPECT_EQ(fi::content_disposition("a\"b;c\\d/e%f\r\n.txt", false),
            "attachment; filename=\"a_b_c_d_e_f__.txt\"; filename*=UTF-8''a%22b%3Bc%5Cd%2Fe%25f%0D%0A.txt");
  EXPECT_EQ(fi::content_disposition("", false), "attachment; filename=\"fichier\"; filename*=UTF-8''fichier");
}

TEST(FichiersModel, Sha256Format) {
  EXPECT_TRUE(fi::sha256_valide(coop::core::sha256_hex("x")));
  EXPECT_FALSE(fi::sha256_valide(std::string(63, 'a')));
  EXPECT_FALSE(fi::sha256_valide(std::string(64, 'A')));
  EXPECT_FALSE(fi::sha256_valide(std::string(63, 'a') + "/"));
}

TEST(FichiersApercu, LargeImagesGetABoundedJpegPreview) {
  const std::string grande = png(1000, 400);
  auto a = fi::reduire(grande, "image/png", {.largeur = 1000, .hauteur = 400});
  ASSERT_TRUE(a);
  EXPECT_EQ(fi::sniffer(*a).mime, "image/jpeg");
  auto d = fi::dimensions(*a, "image/jpeg");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->largeur, fi::kApercuCote);
  EXPECT_EQ(d->hauteur, 256u);
  // A JPEG preview of that preview, scaled by the decoder then the box filter.
  const std::string jpeg = *a;
  auto b = fi::reduire(jpeg, "image/jpeg", {.largeur = 640, .hauteur = 256});
  EXPECT_FALSE(b);  // 640 px: small enough already
  // Small, unknown, corrupt or huge images: no preview.
  EXPECT_FALSE(fi::reduire(png(300, 200), "image/png", {.largeur = 300, .hauteur = 200}));
  EXPECT_FALSE(fi::reduire(grande, "image/gif", {.largeur = 1000, .hauteur = 400}));
  EXPECT_FALSE(fi::reduire(grande.substr(0, grande.size() / 2), "image/png", {.largeur = 1000, .hauteur = 400}));
  EXPECT_FALSE(fi::reduire("\xFF\xD8\xFF\xE0garbage", "image/jpeg", {.largeur = 5000, .hauteur = 5000}));
  EXPECT_FALSE(fi::reduire(grande, "image/png", {.largeur = 100000, .hauteur = 100000}));
}

// ---- Store and access, both engines ----

class FichiersStore : public ::testing::TestWithParam<std::string>, protected coop::tests::BaseEphemere {
 protected:
  void SetUp() override {
    ouvrir(GetParam(), "fichiers");
    if (HasFatalFailure() || IsSkipped()) return;
    db_->write([&](Session& s) {
      for (const char* e : {"a@test.fr", "b@test.fr", "c@test.fr"})
        ids_.push_back(s.insert("INSERT INTO users (email, nom, prenom, created_at, updated_at) VALUES (?, 'N', 'P', ?, ?)",
                                {std::string(e), std::string("2026-01-01T00:00:00Z"), std::string("2026-01-01T00:00:00Z")}));
    });
  }
  void TearDown() override { fermer(); }
  coop::accounts::Principal principal(std::size_t i) {
    coop::accounts::Principal p;
    p.user_id = ids_[i];
    return p;
  }
  std::vector<std::int64_t> ids_;
};

TEST_P(FichiersStore, BytesRoundTripOnceAndAccessFollowsReferences) {
  if (HasFatalFailure() || IsSkipped()) return;
  std::string octets;
  for (int i = 0; i < 256; ++i) octets.push_back(static_cast<char>(i));  // NUL and every byte value
  octets += octets;
  const std::string sha = coop::core::sha256_hex(octets);
  const fi::store::Nouveau nouveau{.contenu = octets, .type = "application/octet-stream", .largeur = {}, .hauteur = {},
                                   .apercu = {}};
  const auto [a, b, c] = std::tuple{principal(0), principal(1), principal(2)};
  db_->write([&](Session& s) {
    auto f = fi::store::enregistrer(s, nouveau, sha, a.user_id, "données.bin");
    EXPECT_EQ(f.taille, 512);
    // Uploaded again, by the same user under another name and by another one: one row of bytes.
    fi::store::enregistrer(s, nouveau, sha, a.user_id, "renommé.bin");
    fi::store::enregistrer(s, nouveau, sha, c.user_id, "copie de c.bin");
    EXPECT_EQ(coop::storage::as_int(s.query("SELECT COUNT(*) FROM fichiers").rows[0][0]), 1);
  });
  db_->read([&](Session& s) {
    EXPECT_EQ(fi::store::contenu(s, sha, false), octets);
    EXPECT_EQ(fi::store::contenu(s, sha, true), octets);  // no preview: the original
    EXPECT_EQ(fi::peut_lire(s, a, sha), "renommé.bin");
    EXPECT_EQ(fi::peut_lire(s, c, sha), "copie de c.bin");
    EXPECT_EQ(fi::peut_lire(s, b, sha), std::nullopt);  // neither uploader nor reader of a referencing object
    EXPECT_EQ(fi::peut_lire(s, b, std::string(64, '0')), std::nullopt);
    ASSERT_EQ(fi::store::televersements(s, a.user_id, 10).size(), 1u);
  });

  // A referencing feature: b may read the objects with an even id.
  fi::autoriser_domaine("test_pair", [](Session&, const coop::accounts::Principal& p, std::int64_t objet) {
    return objet % 2 == 0 && p.user_id > 0;
  });
  db_->write([&](Session& s) {
    // b never uploaded it: b cannot attach it (knowing the hash grants nothing).
    EXPECT_FALSE(fi::store::referencer(s, sha, "test_pair", 2, b.user_id));
    EXPECT_TRUE(fi::store::referencer(s, sha, "test_pair", 7, a.user_id));
    EXPECT_TRUE(fi::store::referencer(s, sha, "inconnu", 2, a.user_id));  // a domain without a checker
  });
  db_->read([&](Session& s) { EXPECT_EQ(fi::peut_lire(s, b, sha), std::nullopt); });
  db_->write([&](Session& s) {
    auto p = fi::store::referencer(s, sha, "test_pair", 4, a.user_id);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->nom, "renommé.bin");
    EXPECT_EQ(p->fichier.taille, 512);
    EXPECT_TRUE(fi::store::referencer(s, sha, "test_pair", 4, a.user_id));  // idempotent
  });
  db_->read([&](Session& s) {
    EXPECT_EQ(fi::peut_lire(s, b, sha), "renommé.bin");  // the name given when it was attached
    const auto ps = fi::store::pieces(s, "test_pair", {4, 7, 9});
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(ps[0].objet_id, 4);
    EXPECT_EQ(ps[1].objet_id, 7);
    EXPECT_EQ(ps[0].fichier.sha256, sha);
  });
  db_->write([&](Session& s) { fi::store::dereferencer(s, "test_pair", 4); });
  db_->read([&](Session& s) {
    EXPECT_EQ(fi::peut_lire(s, b, sha), std::nullopt);
    EXPECT_EQ(fi::store::pieces(s, "test_pair", {4}).size(), 0u);
  });
}

TEST_P(FichiersStore, PreviewIsStoredAndServedApart) {
  if (HasFatalFailure() || IsSkipped()) return;
  const std::string image = png(900, 900);
  auto apercu = fi::reduire(image, "image/png", {.largeur = 900, .hauteur = 900});
  ASSERT_TRUE(apercu);
  const std::string sha = coop::core::sha256_hex(image);
  db_->write([&](Session& s) {
    auto f = fi::store::enregistrer(
        s, {.contenu = image, .type = "image/png", .largeur = 900, .hauteur = 900, .apercu = apercu}, sha, ids_[0], "p.png");
    EXPECT_TRUE(f.apercu);
    EXPECT_EQ(f.largeur, 900);
  });
  db_->read([&](Session& s) {
    EXPECT_EQ(fi::store::contenu(s, sha, false), image);
    EXPECT_EQ(fi::store::contenu(s, sha, true), *apercu);
  });
}

TEST_P(FichiersStore, ThePurgeDeletesFilesAttachedToNothingAfter30Days) {
  if (HasFatalFailure() || IsSkipped()) return;
  auto nouveau = [](const std::string& c) {
    return fi::store::Nouveau{.contenu = c, .type = "text/plain; charset=utf-8", .largeur = {}, .hauteur = {}, .apercu = {}};
  };
  const std::string vieux = coop::core::sha256_hex("vieux"), joint = coop::core::sha256_hex("joint"),
                    recent = coop::core::sha256_hex("récent"), detache = coop::core::sha256_hex("détaché");
  db_->write([&](Session& s) {
    fi::store::enregistrer(s, nouveau("vieux"), vieux, ids_[0], "vieux.txt");
    fi::store::enregistrer(s, nouveau("joint"), joint, ids_[0], "joint.txt");
    fi::store::enregistrer(s, nouveau("récent"), recent, ids_[0], "récent.txt");
    fi::store::enregistrer(s, nouveau("détaché"), detache, ids_[0], "détaché.txt");
    fi::store::referencer(s, joint, "test_purge", 1, ids_[0]);
    fi::store::referencer(s, detache, "test_purge", 2, ids_[0]);
    fi::store::dereferencer(s, "test_purge", 2);  // its message was deleted
    s.exec("UPDATE fichiers_televersements SET cree_le = '2020-01-01T00:00:00.000Z' WHERE sha256 <> ?", {recent});
  });
  const auto r = coop::purge::run(*db_, coop::core::Clock::now(), 1);  // batches of one
  EXPECT_EQ(r.fichiers, 2);
  EXPECT_NE(coop::purge::describe(r).find("2 fichier(s) joint(s) à rien"), std::string::npos) << coop::purge::describe(r);
  db_->read([&](Session& s) {
    EXPECT_FALSE(fi::store::infos(s, vieux));
    EXPECT_FALSE(fi::store::infos(s, detache));
    EXPECT_TRUE(fi::store::infos(s, joint));   // still attached
    EXPECT_TRUE(fi::store::infos(s, recent));  // uploaded lately: may still be attached
    EXPECT_EQ(fi::store::televersements(s, ids_[0], 10).size(), 2u);
  });
  EXPECT_EQ(coop::purge::run(*db_, coop::core::Clock::now()).fichiers, 0);
}

INSTANTIATE_TEST_SUITE_P(Moteurs, FichiersStore, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
