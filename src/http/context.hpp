// What a handler receives: the request, the user behind it, and the application's services.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "events/bus.hpp"
#include "features/accounts/model.hpp"
#include "features/api_clients/model.hpp"
#include "http/message.hpp"
#include "storage/database.hpp"

namespace coop::referentiel {
class Territoires;
}
namespace coop::statistiques {
class Engine;
}
namespace coop::ressources {
class Index;
}
namespace coop::lieux::recherche {
class Index;
}
namespace coop::evaluation {
struct Banque;
}

namespace coop::http {

struct Config {
  std::string public_url = "http://localhost:8080";  // base of links shown to users (invitations)
  bool secure_cookies = false;                        // Secure flag; also set when X-Forwarded-Proto is https
  std::chrono::hours session_idle{12};                // a session expires after this long unused
  std::vector<std::string> allowed_origins;           // extra origins for CSRF/WebSocket (besides Host)
  int login_max_failures_per_account = 5;             // per 15 minutes
  int login_max_failures_per_ip = 30;                 // per 15 minutes
  // « Mot de passe oublié » (features/motdepasse), per hour:
  int reset_max_per_address = 3;   // requests for one e-mail address (beyond: the same answer, no mail)
  int reset_max_per_account = 3;   // reset links sent to one account (beyond: the same answer, no mail)
  int reset_max_per_ip = 20;       // requests from one IP address (beyond: 429), and refused links from it
  int signup_max_per_ip = 20;                         // sign-up requests per hour and client address
  int signup_max_per_address = 3;                     // sign-up requests per hour and e-mail address
  std::size_t fichiers_taille_max = 10 * 1024 * 1024;  // bytes of one uploaded file (--fichiers-max-ko)
  std::size_t discussion_taille_max = 10000;           // bytes of markdown in one discussion message
  int discussion_messages_par_minute = 30;            // discussion messages per user and minute (0: no limit)
  std::int64_t fichiers_quota = 500LL * 1024 * 1024;   // bytes one user may upload per 24 h (--fichiers-quota-mo; 0: none)
  int evaluation_delai_jours = 4;  // days before a competence may be tested again (--evaluation-delai-jours)
  int evaluation_plafond = 6;      // highest level reachable per competence, pix cap = 8 × this (--evaluation-plafond)
  std::string carte_style_url;  // base-map style of the lieux map (--carte-style-url); empty: offline style
  std::string version = "dev";
};

struct Services {
  storage::Database& db;
  events::Bus& bus;
  const referentiel::Territoires& territoires;
  Config config;
  statistiques::Engine* statistiques = nullptr;  // the in-memory statistics; null: routes answer 503
  ressources::Index* ressources = nullptr;       // the resources' search index; null: the search answers 503
  lieux::recherche::Index* lieux = nullptr;      // the lieux' search index; null: the lieux search answers 503
  const evaluation::Banque* evaluation = nullptr;  // the item bank (evaluation/); null: its routes answer 503
};

struct Context {
  Request& req;
  Services& services;
  std::optional<accounts::Principal> principal;
  std::vector<std::pair<std::string, std::string>> extra_headers;  // Set-Cookie… added to the response
  std::optional<api_clients::ApiClient> api_client;  // public API v1 routes only: the authenticated client

  // The logged-in user; the route's Access already guaranteed there is one when required.
  const accounts::Principal& user() const;
  std::string ip() const { return req.remote_addr; }
  std::int64_t path_id(const char* name) const;  // path parameter as a positive id, else 404
  storage::Database& db() const { return services.db; }
};

}  // namespace coop::http
