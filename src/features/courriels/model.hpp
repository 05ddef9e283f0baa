// E-mails of Coop: what a mail is and how one is written (pure: no I/O, no SQL).
//
// Every feature that sends a mail builds it with composer() from French content (a title, some
// paragraphs, an optional button) and queues it with courriels::store::mettre_en_file() inside
// the transaction of the event that causes it: the mail exists if and only if the event was
// committed. The sender thread delivers queued mails over SMTP (or, without SMTP configured,
// leaves them in the outbox where administrators read them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::courriels {

struct Courriel {
  std::string modele;        // which template: "invitation", "reinitialisation_mot_de_passe"…
  std::string destinataire;  // one e-mail address
  std::optional<std::int64_t> user_id;  // the account it concerns, when there is one
  std::string sujet;
  std::string texte;         // text/plain body (UTF-8)
  std::string html;          // text/html body (UTF-8), same content
};

// The content of a mail in Coop's one layout. Every string is plain text: composer() escapes it
// for the HTML part. Links are absolute URLs (Config::public_url + path).
struct Contenu {
  std::string titre;                     // heading, e.g. « Réinitialisez votre mot de passe »
  std::string salutation;                // e.g. « Bonjour Camille, » (empty: « Bonjour, »)
  std::vector<std::string> paragraphes;  // before the button
  std::string bouton_libelle;            // empty: no button
  std::string bouton_lien;
  std::vector<std::string> apres;        // after the button (validity, « si ce n'est pas vous… »)
};

// Builds the text and HTML bodies of a mail from its content. The text part repeats the button's
// link in full on its own line so that it can be copied from any mail client.
Courriel composer(std::string modele, std::string destinataire, std::string sujet, const Contenu& c,
                  std::optional<std::int64_t> user_id = std::nullopt);


}  // namespace coop::courriels
