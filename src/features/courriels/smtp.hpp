// SMTP delivery of one message, through libcurl (the only file that calls libcurl).
#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace coop::courriels {

struct SmtpConfig {
  std::string hote;                 // empty: no SMTP server configured (mails stay in the outbox)
  int port = 587;
  std::string securite = "starttls";  // none | starttls (required: CURLUSESSL_ALL) | tls (implicit, smtps)
  std::string utilisateur;          // empty: no authentication
  std::string mot_de_passe;
  std::string ca_fichier;           // PEM file of the CA(s) that sign the server's certificate;
                                    // empty: the system's (the certificate is always verified)
  std::chrono::seconds delai{30};   // connection + whole transfer
  bool configure() const { return !hote.empty(); }
};

struct ResultatEnvoi {
  bool accepte = false;  // the server answered 250 to the end of DATA
  std::string erreur;    // French/English diagnosis when not accepted (curl's message and detail)
};

// Sends `message` (RFC 5322, CRLF lines) from `de` to `a`. Blocks up to cfg.delai, or until
// *arreter becomes true (shutdown: the transfer is aborted and reported as not accepted).
ResultatEnvoi envoyer_smtp(const SmtpConfig& cfg, const std::string& de, const std::string& a,
                           const std::string& message, const std::atomic<bool>* arreter = nullptr);

// curl_global_init: once, before any thread sends (coop serve calls it at start).
void initialiser_smtp();

}  // namespace coop::courriels
