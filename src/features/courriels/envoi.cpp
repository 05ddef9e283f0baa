#include "features/courriels/envoi.hpp"

#include <spdlog/spdlog.h>

#include "core/metrics.hpp"
#include "core/security.hpp"
#include "features/courriels/store.hpp"

namespace coop::courriels {

namespace {

void decrire_metriques() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& m = core::Metrics::global();
    m.describe("coop_courriels_envoyes_total", "counter", "Courriels acceptés par le serveur SMTP");
    m.describe("coop_courriels_echecs_total", "counter", "Essais d'envoi échoués (réessayés plus tard)");
    m.describe("coop_courriels_abandonnes_total", "counter", "Courriels abandonnés après trop d'essais");
    m.describe("coop_courriels_en_attente", "gauge", "Courriels en attente d'envoi dans la file");
    m.describe("coop_courriels_abandonnes", "gauge", "Courriels abandonnés dans la file (à renvoyer)");
  });
}

std::string domaine(const std::string& adresse) {
  auto at = adresse.rfind('@');
  return at == std::string::npos ? "localhost" : adresse.substr(at + 1);
}

}  // namespace

void signaler(events::Bus& bus) { bus.publish({"courriel", 0, "{}"}); }

Envoyeur::Envoyeur(storage::Database& db, OptionsEnvoi options, Transport transport)
    : db_(db), options_(std::move(options)), transport_(std::move(transport)), instance_(core::random_token(8)) {
  decrire_metriques();
  if (!transport_ && options_.smtp.configure()) {
    initialiser_smtp();
    transport_ = [this](const std::string& de, const std::string& a, const std::string& message) {
      return envoyer_smtp(options_.smtp, de, a, message, &arret_);
    };
  }
}

Envoyeur::~Envoyeur() { stop(); }

void Envoyeur::demarrer(events::Bus& bus) {
  bus_ = &bus;
  abonnement_ = bus.subscribe([this](const events::Event& e) {
    if (e.topic == "courriel") reveiller();
  });
  thread_ = std::thread([this] { boucle(); });
}

void Envoyeur::reveiller() {
  {
    std::lock_guard lock(mutex_);
    reveille_ = true;
  }
  reveil_.notify_all();
}

void Envoyeur::stop() {
  if (bus_) {
    bus_->unsubscribe(abonnement_);
    bus_ = nullptr;
  }
  {
    std::lock_guard lock(mutex_);
    arret_ = true;
  }
  reveil_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Envoyeur::boucle() {
  while (!arret_) {
    try {
      passe(core::Clock::now());
    } catch (const std::exception& e) {
      spdlog::warn("envoi des courriels : passe échouée (nouvel essai dans {} ms) : {}", options_.sondage.count(),
                   e.what());
    }
    std::unique_lock lock(mutex_);
    reveil_.wait_for(lock, options_.sondage, [this] { return reveille_ || arret_.load(); });
    reveille_ = false;
  }
}

int Envoyeur::passe(core::Clock::time_point now) {
  int traites = 0;
  if (!transport_) {
    // No SMTP server: each new mail once in the log, where the operator reads its links.
    auto lignes = db_.read_value([&](storage::Session& s) { return store::a_journaliser(s, 50); });
    for (auto& l : lignes) {
      if (arret_) break;
      bool moi = db_.write_value([&](storage::Session& s) { return store::marquer_journalise(s, l.id); });
      if (!moi) continue;
      spdlog::info("courriel {} non envoyé (pas de serveur SMTP configuré) pour {} [{}] « {} » :\n{}", l.id,
                   l.courriel.destinataire, l.courriel.modele, l.courriel.sujet, l.courriel.texte);
      ++traites;
    }
  } else {
    // Mails are taken a batch at a time (those leased by another instance are left out of the
    // next batch), up to 1 000 per pass; the rest waits for the next pass.
    for (int lot = 0; lot < 50; ++lot) {
      auto ids = db_.read_value(
          [&](storage::Session& s) { return store::a_envoyer(s, core::iso_utc(now), 20); });
      int ce_lot = 0;
      for (auto id : ids) {
        if (arret_) break;
        if (envoyer_un(id, now)) ++ce_lot;
      }
      traites += ce_lot;
      if (arret_ || ids.size() < 20) break;
      now = std::max(now, core::Clock::now());
    }
  }
  auto c = db_.read_value([&](storage::Session& s) { return store::compter(s); });
  core::Metrics::global().set("coop_courriels_en_attente", {}, double(c.en_attente));
  core::Metrics::global().set("coop_courriels_abandonnes", {}, double(c.abandonnes));
  return traites;
}

bool Envoyeur::envoyer_un(std::int64_t id, core::Clock::time_point now) {
  const std::string maintenant = core::iso_utc(now);
  const auto bail = now + options_.smtp.delai + std::chrono::seconds(60);
  auto ligne = db_.write_value([&](storage::Session& s) -> std::optional<store::Ligne> {
    if (!store::reserver(s, id, instance_, maintenant, core::iso_utc(bail))) return std::nullopt;
    return store::par_id(s, id);
  });
  if (!ligne) return false;  // another instance has it (or it was sent meanwhile)
  Entetes e;
  e.date = core::Clock::now();
  e.message_id = "coop." + std::to_string(ligne->id) + "." + core::random_token(8) + "@" + domaine(options_.de.adresse);
  e.frontiere = "=_coop_" + core::random_token(12);
  std::string message = message_mime(ligne->courriel, options_.de, e);
  ResultatEnvoi r;
  try {
    r = transport_(options_.de.adresse, sans_controle(ligne->courriel.destinataire), message);
  } catch (const std::exception& ex) {
    r = {false, ex.what()};
  }
  auto& m = core::Metrics::global();
  const auto fin = core::Clock::now();
  if (r.accepte) {
    db_.write([&](storage::Session& s) { store::marquer_envoye(s, id, instance_, core::iso_utc(fin)); });
    m.inc("coop_courriels_envoyes_total");
    spdlog::info("courriel {} envoyé à {} [{}]", id, ligne->courriel.destinataire, ligne->courriel.modele);
    return true;
  }
  const int essais = int(ligne->essais) + 1;
  const bool abandon = abandonner(options_.relance, essais);
  const auto prochain = fin + delai_avant_essai(options_.relance, essais);
  db_.write([&](storage::Session& s) {
    store::marquer_echec(s, id, instance_, r.erreur, core::iso_utc(prochain), abandon);
  });
  m.inc("coop_courriels_echecs_total");
  if (abandon) {
    m.inc("coop_courriels_abandonnes_total");
    spdlog::error("courriel {} pour {} abandonné après {} essais : {}", id, ligne->courriel.destinataire, essais,
                  r.erreur);
  } else {
    spdlog::warn("courriel {} pour {} : essai {} échoué, nouvel essai à {} : {}", id, ligne->courriel.destinataire,
                 essais, core::iso_utc(prochain), r.erreur);
  }
  return true;
}

}  // namespace coop::courriels
