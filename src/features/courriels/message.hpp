// The wire form of a mail (RFC 5322 + MIME) and the retry policy of the sender. Pure: no I/O.
//
// A queued Courriel becomes one multipart/alternative message: a text/plain part then a
// text/html part, both UTF-8 and base64 encoded (any byte survives any relay; lines of 76
// characters). The Subject and the sender's display name are RFC 2047 encoded words when they
// are not plain ASCII. Lines end with CRLF.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "features/courriels/model.hpp"

namespace coop::courriels {

struct Expediteur {
  std::string adresse;  // e.g. ne-pas-repondre@coop.example.fr
  std::string nom;      // display name, e.g. « Coop »
};

// Base64 of bytes, in lines of at most 76 characters separated by CRLF (MIME body encoding).
std::string base64_lignes(std::string_view bytes);
// An unstructured header value: itself when printable ASCII, else RFC 2047 "=?UTF-8?B?…?="
// encoded words (each at most 75 characters, cut on UTF-8 character boundaries, separated by
// CRLF + space). CR and LF in the input are replaced by spaces (no header injection).
std::string entete_encode(std::string_view utf8);
// "Nom <adresse>" with the name encoded (entete_encode) or quoted as needed; the bare address
// when the name is empty.
std::string adresse_nommee(std::string_view nom, std::string_view adresse);
// RFC 5322 date, UTC: "Mon, 07 Dec 2026 10:44:51 +0000".
std::string date_rfc5322(core::Clock::time_point t);
// Removes CR, LF and other control characters (an address or id put in a header).
std::string sans_controle(std::string_view s);

struct Entetes {
  core::Clock::time_point date;
  std::string message_id;  // without the angle brackets, e.g. "42.8f3c…@coop.example.fr"
  std::string frontiere;   // the multipart boundary (random; must not occur in base64 text)
};

// The whole message, headers and body, ready for SMTP DATA.
std::string message_mime(const Courriel& m, const Expediteur& de, const Entetes& e);

// Retry policy of the sender. After the n-th failed try (n ≥ 1) the next try waits
// base · 2^(n-1), at most `plafond`; after `essais_max` failed tries the mail is abandoned.
struct Relance {
  std::chrono::milliseconds base{30'000};
  std::chrono::milliseconds plafond{3'600'000};
  int essais_max = 25;  // 30 s doubling to 1 h: about 18 hours of tries before giving up
};
std::chrono::milliseconds delai_avant_essai(const Relance& r, int essais_echoues);
bool abandonner(const Relance& r, int essais_echoues);

}  // namespace coop::courriels
