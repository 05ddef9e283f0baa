#include "features/courriels/message.hpp"

#include <fmt/format.h>

#include <array>

namespace coop::courriels {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    std::uint32_t v = (std::uint8_t(in[i]) << 16) | (std::uint8_t(in[i + 1]) << 8) | std::uint8_t(in[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i + 1 == in.size()) {
    std::uint32_t v = std::uint8_t(in[i]) << 16;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    std::uint32_t v = (std::uint8_t(in[i]) << 16) | (std::uint8_t(in[i + 1]) << 8);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool ascii_imprimable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// Length of the UTF-8 sequence starting with byte c (1 for a stray continuation byte).
std::size_t longueur_utf8(unsigned char c) {
  if (c >= 0xf0) return 4;
  if (c >= 0xe0) return 3;
  if (c >= 0xc0) return 2;
  return 1;
}

}  // namespace

std::string base64_lignes(std::string_view bytes) {
  std::string b = base64(bytes);
  std::string out;
  out.reserve(b.size() + b.size() / 76 * 2 + 2);
  for (std::size_t i = 0; i < b.size(); i += 76) {
    out.append(b, i, 76);
    out += "\r\n";
  }
  return out;
}

std::string sans_controle(std::string_view s) {
  std::string out;
  for (unsigned char c : s)
    if (c >= 0x20 && c != 0x7f) out += char(c);
  return out;
}

std::string entete_encode(std::string_view utf8) {
  std::string s;
  for (char c : utf8) s += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  if (ascii_imprimable(s)) return s;
  // "=?UTF-8?B?" + base64 + "?=" ≤ 75 characters: at most 45 bytes of text per word (60 base64).
  constexpr std::size_t kMaxOctets = 45;
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size()) {
      std::size_t n = longueur_utf8(std::uint8_t(s[j]));
      if (j + n - i > kMaxOctets) break;
      j += n;
    }
    if (j == i) j = std::min(s.size(), i + kMaxOctets);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(std::string_view(s).substr(i, j - i)) + "?=";
    i = j;
  }
  return out;
}

std::string adresse_nommee(std::string_view nom, std::string_view adresse) {
  std::string a = sans_controle(adresse);
  std::string n = sans_controle(nom);
  if (n.empty()) return a;
  if (ascii_imprimable(n)) {
    std::string q = "\"";
    for (char c : n) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\" <" + a + ">";
  }
  return entete_encode(n) + " <" + a + ">";
}

std::string date_rfc5322(core::Clock::time_point t) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> kJours{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMois{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto s = time_point_cast<seconds>(t);
  auto day = floor<days>(s);
  year_month_day ymd{day};
  weekday wd{day};
  hh_mm_ss hms{s - day};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kJours[wd.c_encoding()], unsigned(ymd.day()),
                     kMois[unsigned(ymd.month()) - 1], int(ymd.year()), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count());
}

std::string message_mime(const Courriel& m, const Expediteur& de, const Entetes& e) {
  std::string out;
  out += "Date: " + date_rfc5322(e.date) + "\r\n";
  out += "From: " + adresse_nommee(de.nom, de.adresse) + "\r\n";
  out += "To: " + sans_controle(m.destinataire) + "\r\n";
  out += "Subject: " + entete_encode(m.sujet) + "\r\n";
  out += "Message-ID: <" + sans_controle(e.message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + e.frontiere + "\"\r\n";
  out += "\r\n";
  out += "This is a multipart message in MIME format.\r\n";
  out += "\r\n--" + e.frontiere + "\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lignes(m.texte);
  out += "\r\n--" + e.frontiere + "\r\n";
  out += "Content-Type: text/html; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lignes(m.html);
  out += "\r\n--" + e.frontiere + "--\r\n";
  return out;
}

std::chrono::milliseconds delai_avant_essai(const Relance& r, int essais_echoues) {
  if (essais_echoues < 1) return std::chrono::milliseconds(0);
  auto d = r.base;
  for (int i = 1; i < essais_echoues && d < r.plafond; ++i) d *= 2;
  return std::min(d, r.plafond);
}

bool abandonner(const Relance& r, int essais_echoues) { return essais_echoues >= r.essais_max; }

}  // namespace coop::courriels
