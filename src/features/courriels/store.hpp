// SQL of the e-mail outbox (table courriels). Runs on the caller's Session, inside its
// transaction: queue a mail in the same write() as the event that causes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/courriels/model.hpp"
#include "storage/database.hpp"

namespace coop::courriels::store {

// Queues a mail (statut en_attente, to send now) and returns its id. The sender thread picks it
// up after the enclosing transaction commits; a rolled-back transaction leaves no mail.
std::int64_t mettre_en_file(storage::Session& s, const Courriel& m);

// ---- Delivery (the sender thread, envoi.hpp) ----

// One row of the outbox.
struct Ligne {
  std::int64_t id = 0;
  Courriel courriel;
  std::string statut;  // en_attente | envoye | abandonne
  std::int64_t essais = 0;
  std::string derniere_erreur;
  std::string created_at, prochain_essai_at;
  std::optional<std::string> envoye_at;
  std::optional<std::string> bail_jusqu_a;
};

std::optional<Ligne> par_id(storage::Session& s, std::int64_t id);

// Ids of the mails due at `now` (en_attente, prochain_essai_at ≤ now, no lease or an expired
// one), oldest due first.
std::vector<std::int64_t> a_envoyer(storage::Session& s, const std::string& now, int limite);
// Claims a mail for `instance` until `bail_jusqu_a` with one conditional UPDATE: true for exactly
// one of several instances claiming the same due mail at once (the others see 0 rows changed).
bool reserver(storage::Session& s, std::int64_t id, const std::string& instance, const std::string& now,
              const std::string& bail_jusqu_a);
// The SMTP server accepted the mail: envoye, lease released. False when the lease was no longer
// this instance's (then nothing is changed).
bool marquer_envoye(storage::Session& s, std::int64_t id, const std::string& instance, const std::string& now);
// A failed try: essais + 1, the error kept, next try at `prochain` — or abandonne.
bool marquer_echec(storage::Session& s, std::int64_t id, const std::string& instance, const std::string& erreur,
                   const std::string& prochain, bool abandonne);

// Without an SMTP server: the mails not yet written to the log; marquer_journalise() is true for
// the one instance that gets to log it.
std::vector<Ligne> a_journaliser(storage::Session& s, int limite);
bool marquer_journalise(storage::Session& s, std::int64_t id);

struct Compteurs {
  std::int64_t en_attente = 0, abandonnes = 0;
};
Compteurs compter(storage::Session& s);

// ---- Administration ----

struct Filtre {
  std::string statut;        // empty: all
  std::string destinataire;  // substring of the address, empty: all
  std::string modele;        // empty: all
};
struct Page {
  std::vector<Ligne> items;  // newest first; texte and html left empty
  std::int64_t total = 0;
};
Page lister(storage::Session& s, const Filtre& f, std::int64_t page, std::int64_t per_page);
// An abandoned mail back in the queue, to send now with a fresh count of tries. False when the
// mail is not abandonne.
bool renvoyer(storage::Session& s, std::int64_t id, const std::string& now);

// The purge (features/purge): deletes up to `limite` mails sent or abandoned before `avant` (a
// mail still to send is never deleted, however old). Returns how many.
std::int64_t purger(storage::Session& s, const std::string& avant, std::int64_t limite);

}  // namespace coop::courriels::store
