// Delivery of the outbox: the MIME message, the retry policy, and the claim of a mail (leases)
// on both engines, with the sender's pass driven by a test transport.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "base_ephemere.hpp"
#include "features/courriels/envoi.hpp"
#include "features/courriels/message.hpp"
#include "features/courriels/modeles.hpp"
#include "features/courriels/store.hpp"

using namespace coop;
using namespace std::chrono_literals;

namespace {

std::string debase64(std::string_view in) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (char c : in) {
    auto p = alphabet.find(c);
    if (p == std::string::npos) continue;  // CRLF, '='
    buf = (buf << 6) | std::uint32_t(p);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((buf >> bits) & 0xff);
    }
  }
  return out;
}

// The text between the headers of the part of `type` and the next boundary.
std::string partie(const std::string& msg, const std::string& type, const std::string& frontiere) {
  auto h = msg.find("Content-Type: " + type);
  if (h == std::string::npos) return "";
  auto start = msg.find("\r\n\r\n", h) + 4;
  auto end = msg.find("\r\n--" + frontiere, start);
  return msg.substr(start, end - start);
}

courriels::Courriel un_courriel(const std::string& a = "camille@exemple.fr") {
  courriels::Contenu c;
  c.titre = "Titre";
  c.paragraphes = {"Un paragraphe accentué : é à ç €."};
  c.bouton_libelle = "Ouvrir";
  c.bouton_lien = "https://coop.exemple.fr/lien?a=1&b=2";
  return courriels::composer("essai", a, "Sujet accentué « é »", c, std::nullopt);
}

}  // namespace

TEST(CourrielMime, MultipartAlternativeWithBase64BodiesAndEncodedHeaders) {
  auto m = un_courriel();
  courriels::Expediteur de{"ne-pas-repondre@coop.exemple.fr", "Coop · médiation"};
  courriels::Entetes e;
  e.date = core::Clock::time_point(std::chrono::sys_days(std::chrono::year_month_day(
               std::chrono::year(2026), std::chrono::month(12), std::chrono::day(7)))) + 10h + 44min + 51s;
  e.message_id = "coop.1.abc@coop.exemple.fr";
  e.frontiere = "=_coop_frontiere";
  auto msg = courriels::message_mime(m, de, e);
  EXPECT_NE(msg.find("Date: Mon, 07 Dec 2026 10:44:51 +0000\r\n"), std::string::npos);
  EXPECT_NE(msg.find("To: camille@exemple.fr\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Message-ID: <coop.1.abc@coop.exemple.fr>\r\n"), std::string::npos);
  EXPECT_NE(msg.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: multipart/alternative; boundary=\"=_coop_frontiere\"\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(msg.find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(msg.find(" <ne-pas-repondre@coop.exemple.fr>\r\n"), std::string::npos);
  // text/plain before text/html (the last part is the preferred one), both base64 of the UTF-8 bodies.
  auto plain = msg.find("Content-Type: text/plain; charset=UTF-8");
  auto html = msg.find("Content-Type: text/html; charset=UTF-8");
  ASSERT_NE(plain, std::string::npos);
  ASSERT_NE(html, std::string::npos);
  EXPECT_LT(plain, html);
  EXPECT_EQ(debase64(partie(msg, "text/plain", e.frontiere)), m.texte);
  EXPECT_EQ(debase64(partie(msg, "text/html", e.frontiere)), m.html);
  EXPECT_NE(msg.find("\r\n--=_coop_frontiere--\r\n"), std::string::npos);
  // No bare LF, no line over 998 characters (RFC 5322), body lines of 76 at most.
  for (std::size_t i = 0; i < msg.size(); ++i)
    if (msg[i] == '\n') {
      ASSERT_TRUE(i > 0 && msg[i - 1] == '\r') << "bare LF at " << i;
    }
  std::size_t start = msg.find("\r\n\r\n");
  for (std::size_t i = start + 4, j; i < msg.size(); i = j + 2) {
    j = msg.find("\r\n", i);
    EXPECT_LE(j - i, 76u);
  }
}

TEST(CourrielMime, EncodedWordsAreShortCutOnCharactersAndDecodeBack) {
  std::string sujet = "Réinitialisez votre mot de passe — « Coop », la plateforme des médiateurs numériques";
  auto h = courriels::entete_encode(sujet);
  std::string decoded;
  std::size_t pos = 0;
  while ((pos = h.find("=?UTF-8?B?", pos)) != std::string::npos) {
    auto end = h.find("?=", pos + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - pos, 75u);
    std::string word = debase64(h.substr(pos + 10, end - pos - 10));
    EXPECT_TRUE(word.empty() || (std::uint8_t(word[0]) & 0xc0) != 0x80) << "a word starts inside a character";
    decoded += word;
    pos = end + 2;
  }
  EXPECT_EQ(decoded, sujet);
  EXPECT_NE(h.find("?=\r\n =?UTF-8?B?"), std::string::npos) << "several words folded";
  EXPECT_EQ(courriels::entete_encode("Bienvenue sur Coop"), "Bienvenue sur Coop");
  // No header injection through a subject or an address.
  EXPECT_EQ(courriels::entete_encode("Sujet\r\nBcc: x@y"), "Sujet  Bcc: x@y");
  EXPECT_EQ(courriels::sans_controle("a@b.fr\r\nBcc: c@d"), "a@b.frBcc: c@d");
  EXPECT_EQ(courriels::adresse_nommee("Coop", "a@b.fr"), "\"Coop\" <a@b.fr>");
  EXPECT_EQ(courriels::adresse_nommee("Dit \"X\"", "a@b.fr"), "\"Dit \\\"X\\\"\" <a@b.fr>");
  EXPECT_EQ(courriels::adresse_nommee("", "a@b.fr"), "a@b.fr");
}

TEST(CourrielMime, Base64LinesOf76) {
  EXPECT_EQ(courriels::base64_lignes(""), "");
  EXPECT_EQ(courriels::base64_lignes("Man"), "TWFu\r\n");
  EXPECT_EQ(courriels::base64_lignes("Ma"), "TWE=\r\n");
  EXPECT_EQ(courriels::base64_lignes("M"), "TQ==\r\n");
  auto b = courriels::base64_lignes(std::string(100, 'x'));
  EXPECT_EQ(b.find("\r\n"), 76u);
  EXPECT_EQ(debase64(b), std::string(100, 'x'));
}

TEST(CourrielRelance, DoublesFrom30SecondsUpTo1HourThenAbandons) {
  courriels::Relance r;  // defaults: 30 s, 1 h, 25 tries
  EXPECT_EQ(courriels::delai_avant_essai(r, 1), 30s);
  EXPECT_EQ(courriels::delai_avant_essai(r, 2), 60s);
  EXPECT_EQ(courriels::delai_avant_essai(r, 3), 120s);
  EXPECT_EQ(courriels::delai_avant_essai(r, 7), 1920s);
  EXPECT_EQ(courriels::delai_avant_essai(r, 8), 3600s);
  EXPECT_EQ(courriels::delai_avant_essai(r, 24), 3600s);
  EXPECT_EQ(courriels::delai_avant_essai(r, 1000), 3600s) << "no overflow";
  EXPECT_FALSE(courriels::abandonner(r, 24));
  EXPECT_TRUE(courriels::abandonner(r, 25));
  // An hour-long outage is far from the abandonment: the tries of the first hour are 7.
  std::chrono::milliseconds total{0};
  int n = 0;
  while (total < 1h) total += courriels::delai_avant_essai(r, ++n);
  EXPECT_LT(n, r.essais_max);
}

TEST(CourrielModeles, LinksAndRecipients) {
  auto c = courriels::modeles::confirmation_changement_courriel("https://coop.fr", "neuf@x.fr", "vieux@x.fr", "Zoé",
                                                                "JETON", 7);
  EXPECT_EQ(c.destinataire, "neuf@x.fr");
  EXPECT_NE(c.texte.find("https://coop.fr/compte/confirmer-courriel/JETON"), std::string::npos);
  auto a = courriels::modeles::avis_changement_courriel("https://coop.fr", "vieux@x.fr", "neuf@x.fr", "Zoé", 7);
  EXPECT_EQ(a.destinataire, "vieux@x.fr");
  EXPECT_EQ(a.texte.find("JETON"), std::string::npos);
  auto r = courriels::modeles::rappel_cra("https://coop.fr", "m@x.fr", "", 3);
  EXPECT_NE(r.texte.find("https://coop.fr/compte"), std::string::npos);
  EXPECT_NE(r.texte.find("https://coop.fr/activites/nouvelle"), std::string::npos);
  EXPECT_EQ(r.texte.rfind("Bonjour,", 0), 0u);
}

class CourrielEnvoi : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "courriels_envoi"); }
  void TearDown() override { fermer(); }
  std::int64_t file(const std::string& a) {
    return db_->write_value([&](storage::Session& s) { return courriels::store::mettre_en_file(s, un_courriel(a)); });
  }
  courriels::store::Ligne ligne(std::int64_t id) {
    return *db_->read_value([&](storage::Session& s) { return courriels::store::par_id(s, id); });
  }
  static courriels::OptionsEnvoi options() {
    courriels::OptionsEnvoi o;
    o.smtp.hote = "smtp.test";  // configured; the transport is the test's
    o.de = {"coop@exemple.fr", "Coop"};
    return o;
  }
};

TEST_P(CourrielEnvoi, OneClaimWinsAndALeaseExpires) {
  if (HasFatalFailure() || IsSkipped()) return;
  auto id = file("a@exemple.fr");
  auto t0 = core::Clock::now() + 1s;
  const auto now = core::iso_utc(t0), bail = core::iso_utc(t0 + 90s), apres = core::iso_utc(t0 + 91s);
  db_->write([&](storage::Session& s) {
    EXPECT_EQ(courriels::store::a_envoyer(s, now, 10), std::vector<std::int64_t>{id});
    EXPECT_TRUE(courriels::store::reserver(s, id, "A", now, bail));
    EXPECT_FALSE(courriels::store::reserver(s, id, "B", now, bail)) << "leased by A";
    EXPECT_TRUE(courriels::store::a_envoyer(s, now, 10).empty());
    // A's lease expired (A died): B takes it; A's late result no longer counts.
    EXPECT_TRUE(courriels::store::reserver(s, id, "B", apres, core::iso_utc(t0 + 200s)));
    EXPECT_FALSE(courriels::store::marquer_envoye(s, id, "A", apres));
    EXPECT_TRUE(courriels::store::marquer_envoye(s, id, "B", apres));
    EXPECT_FALSE(courriels::store::reserver(s, id, "C", core::iso_utc(t0 + 1h), core::iso_utc(t0 + 2h))) << "sent";
  });
  auto l = ligne(id);
  EXPECT_EQ(l.statut, "envoye");
  EXPECT_EQ(l.essais, 1);
  EXPECT_FALSE(l.bail_jusqu_a);
}

TEST_P(CourrielEnvoi, AFailureIsRetriedAfterTheBackoffThenAbandoned) {
  if (HasFatalFailure() || IsSkipped()) return;
  auto id = file("b@exemple.fr");
  int appels = 0;
  bool accepte = false;
  auto o = options();
  o.relance = {std::chrono::milliseconds(30'000), std::chrono::milliseconds(3'600'000), 3};
  courriels::Envoyeur e(*db_, o, [&](const std::string& de, const std::string& a, const std::string& msg) {
    ++appels;
    EXPECT_EQ(de, "coop@exemple.fr");
    EXPECT_EQ(a, "b@exemple.fr");
    EXPECT_NE(msg.find("Content-Type: multipart/alternative"), std::string::npos);
    return courriels::ResultatEnvoi{accepte, accepte ? "" : "Connection refused"};
  });
  auto t = core::Clock::now() + 1s;
  EXPECT_EQ(e.passe(t), 1);
  auto l = ligne(id);
  EXPECT_EQ(l.statut, "en_attente");
  EXPECT_EQ(l.essais, 1);
  EXPECT_EQ(l.derniere_erreur, "Connection refused");
  EXPECT_GE(l.prochain_essai_at, core::iso_utc(t + 29s));
  EXPECT_LE(l.prochain_essai_at, core::iso_utc(core::Clock::now() + 31s));
  EXPECT_EQ(e.passe(t + 10s), 0) << "not due before its backoff";
  EXPECT_EQ(appels, 1);
  EXPECT_EQ(e.passe(core::Clock::now() + 31s), 1);
  EXPECT_EQ(ligne(id).essais, 2);
  EXPECT_EQ(e.passe(core::Clock::now() + 92s), 1);  // third failure: essais_max = 3
  l = ligne(id);
  EXPECT_EQ(l.statut, "abandonne");
  EXPECT_EQ(l.essais, 3);
  EXPECT_EQ(e.passe(core::Clock::now() + 10h), 0) << "an abandoned mail is never sent again by itself";
  // « Renvoyer »: back in the queue with fresh tries; this time the server accepts it.
  EXPECT_TRUE(db_->write_value([&](storage::Session& s) { return courriels::store::renvoyer(s, id, core::now_iso()); }));
  EXPECT_FALSE(db_->write_value([&](storage::Session& s) { return courriels::store::renvoyer(s, id, core::now_iso()); }));
  accepte = true;
  EXPECT_EQ(e.passe(core::Clock::now() + 1s), 1);
  l = ligne(id);
  EXPECT_EQ(l.statut, "envoye");
  EXPECT_EQ(l.derniere_erreur, "");
  EXPECT_TRUE(l.envoye_at);
  EXPECT_EQ(appels, 4);
}

TEST_P(CourrielEnvoi, TwoSendersAtOnceSendEachMailOnce) {
  if (HasFatalFailure() || IsSkipped()) return;
  std::set<std::string> attendus;
  for (int i = 0; i < 30; ++i) {
    std::string a = "m" + std::to_string(i) + "@exemple.fr";
    file(a);
    attendus.insert(a);
  }
  // A second connection pool on the same database: another instance.
  auto autre = storage::open_database(url_);
  std::mutex mu;
  std::multiset<std::string> recus;
  auto transport = [&](const std::string&, const std::string& a, const std::string&) {
    std::lock_guard lock(mu);
    recus.insert(a);
    return courriels::ResultatEnvoi{true, ""};
  };
  courriels::Envoyeur e1(*db_, options(), transport), e2(*autre, options(), transport);
  auto t = core::Clock::now() + 1s;
  std::atomic<int> total{0};
  std::thread a([&] { total += e1.passe(t); });
  std::thread b([&] { total += e2.passe(t); });
  a.join();
  b.join();
  autre->close();
  EXPECT_EQ(total.load(), 30);
  EXPECT_EQ(recus.size(), 30u);
  EXPECT_EQ(std::set<std::string>(recus.begin(), recus.end()), attendus) << "each mail exactly once";
  auto n = db_->read_value([](storage::Session& s) {
    return storage::as_int(s.query("SELECT COUNT(*) FROM courriels WHERE statut = 'envoye' AND essais = 1").rows[0][0]);
  });
  EXPECT_EQ(n, 30);
}

TEST_P(CourrielEnvoi, WithoutSmtpEachMailIsLoggedOnceAndStaysQueued) {
  if (HasFatalFailure() || IsSkipped()) return;
  auto id = file("c@exemple.fr");
  courriels::OptionsEnvoi o;  // no SMTP host
  courriels::Envoyeur e(*db_, o);
  EXPECT_EQ(e.passe(core::Clock::now()), 1);
  EXPECT_EQ(e.passe(core::Clock::now()), 0) << "logged once";
  auto l = ligne(id);
  EXPECT_EQ(l.statut, "en_attente");
  EXPECT_EQ(l.essais, 0);
}

TEST_P(CourrielEnvoi, AThreadWokenByTheBusSendsAndStopsPromptly) {
  if (HasFatalFailure() || IsSkipped()) return;
  events::Bus bus;
  std::mutex mu;
  std::condition_variable cv;
  int recus = 0;
  auto o = options();
  o.sondage = std::chrono::milliseconds(3'600'000);  // only the event can wake it in time
  courriels::Envoyeur e(*db_, o, [&](const std::string&, const std::string&, const std::string&) {
    std::lock_guard lock(mu);
    ++recus;
    cv.notify_all();
    return courriels::ResultatEnvoi{true, ""};
  });
  e.demarrer(bus);
  file("d@exemple.fr");
  courriels::signaler(bus);
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, 30s, [&] { return recus == 1; }));
  lock.unlock();
  e.stop();
}

INSTANTIATE_TEST_SUITE_P(Engines, CourrielEnvoi, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
