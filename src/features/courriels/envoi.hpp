// The sender thread of coop serve: delivers the outbox (table courriels) over SMTP.
//
// Every `sondage` (2 s) — and at once when woken by a "courriel" event on the bus, published
// after the commit that queued a mail (signaler()) — it takes the due mails one by one: claims
// each with a lease (store::reserver, a conditional UPDATE: of several instances sharing one
// PostgreSQL database only one gets it), sends it, then marks it envoye only once the SMTP server
// accepted it. A failure (server down, refused…) keeps the mail en_attente with essais + 1, the
// error in derniere_erreur and the next try after an exponential backoff (Relance: 30 s doubling
// to 1 h); after Relance::essais_max failed tries it is abandonne (an administrator may send it
// again: « Renvoyer »). A lease outlives the SMTP timeout by a minute: an instance killed in the
// middle of a send leaves a mail that another instance (or its restart) sends after the lease
// (the only case a mail may arrive twice: accepted by the server, the process killed before the
// UPDATE that records it).
//
// Without an SMTP server configured, mails stay en_attente and each new one is written to the
// log once (recipient, subject, text with its links).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "events/bus.hpp"
#include "features/courriels/message.hpp"
#include "features/courriels/smtp.hpp"
#include "storage/database.hpp"

namespace coop::courriels {

struct OptionsEnvoi {
  SmtpConfig smtp;
  Expediteur de{"ne-pas-repondre@localhost", "Coop"};
  Relance relance;
  std::chrono::milliseconds sondage{2000};
};

// Publishes the "courriel" event that wakes the sender (here and on the other instances). Call it
// after the commit of a write that queued mails; without it they go out at the next poll.
void signaler(events::Bus& bus);

// How a message is handed to the server: envoyer_smtp in coop serve, a double in the unit tests.
using Transport = std::function<ResultatEnvoi(const std::string& de, const std::string& a, const std::string& message)>;

class Envoyeur {
 public:
  // Does not start a thread: demarrer() does (tests call passe() directly).
  Envoyeur(storage::Database& db, OptionsEnvoi options, Transport transport = {});
  ~Envoyeur();
  Envoyeur(const Envoyeur&) = delete;
  Envoyeur& operator=(const Envoyeur&) = delete;

  // Starts the thread and subscribes to the bus's "courriel" events.
  void demarrer(events::Bus& bus);
  void reveiller();
  // Aborts a send in progress (it counts as a failed try), waits for the thread. Idempotent.
  void stop();

  // One pass at `now`: sends (or, without SMTP, logs) every due mail. Returns how many mails
  // were handed to the transport (or logged).
  int passe(core::Clock::time_point now);
  const std::string& instance() const { return instance_; }

 private:
  void boucle();
  bool envoyer_un(std::int64_t id, core::Clock::time_point now);

  storage::Database& db_;
  OptionsEnvoi options_;
  Transport transport_;
  std::string instance_;
  events::Bus* bus_ = nullptr;
  int abonnement_ = 0;
  std::mutex mutex_;
  std::condition_variable reveil_;
  bool reveille_ = false;
  std::atomic<bool> arret_{false};
  std::thread thread_;
};

}  // namespace coop::courriels
