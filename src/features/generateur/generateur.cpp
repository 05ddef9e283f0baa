#include "features/generateur/generateur.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/security.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/model.hpp"
#include "features/accounts/store.hpp"
#include "features/activites/model.hpp"
#include "features/activites/store.hpp"
#include "features/lieux/model.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop::generateur {

namespace {

using namespace std::chrono;
using storage::Params;
using storage::Session;
using storage::Value;
namespace acc = coop::accounts;
namespace act = coop::activites;

// ---- Randomness (splitmix64: fast, and the same sequence on every platform) ----
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed ^ 0x9E3779B97F4A7C15ULL) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) { return lo + static_cast<std::int64_t>(below(hi - lo + 1)); }

 private:
  std::uint64_t s_;
};

// A skewed choice among codes: weights are relative.
struct Choix {
  std::string_view code;
  double poids;
};
template <std::size_t N>
std::string_view pick(Rng& r, const std::array<Choix, N>& list) {
  double total = 0;
  for (auto& c : list) total += c.poids;
  double x = r.unit() * total;
  for (auto& c : list) {
    if (x < c.poids) return c.code;
    x -= c.poids;
  }
  return list.back().code;
}
// Index by cumulative weights (cum ascending, last = total).
std::size_t pick_cumulative(Rng& r, const std::vector<double>& cum) {
  const double x = r.unit() * cum.back();
  auto it = std::upper_bound(cum.begin(), cum.end(), x);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cum.begin()), cum.size() - 1);
}

constexpr std::array<Choix, 19> kThematiques{{
    {"aide_aux_demarches_administratives", 30}, {"email", 14}, {"prendre_en_main_du_materiel", 14},
    {"navigation_sur_internet", 10}, {"securite_numerique", 6}, {"gere_ses_contenus_numeriques", 6},
    {"bureautique", 5}, {"sante", 5}, {"banque_et_achats_en_ligne", 4}, {"insertion_professionnelle", 4},
    {"diagnostic_numerique", 4}, {"reseaux_sociaux", 3}, {"maintenance_de_materiel", 2},
    {"intelligence_artificielle", 2}, {"parentalite", 1}, {"scolarite_et_numerique", 1},
    {"creer_avec_le_numerique", 1}, {"culture_numerique", 1}, {"entrepreneuriat", 1},
}};
constexpr std::array<Choix, 11> kDemarches{{
    {"social_sante", 25}, {"argent_impots", 20}, {"papiers_elections_citoyennete", 18}, {"travail_formation", 12},
    {"logement", 10}, {"famille_scolarite", 6}, {"transports_mobilite", 4}, {"justice", 2}, {"etrangers_europe", 2},
    {"loisirs_sports_culture", 0.5}, {"associations", 0.5},
}};
constexpr std::array<Choix, 5> kMateriels{{
    {"ordinateur", 45}, {"telephone", 35}, {"tablette", 10}, {"autre", 3}, {"aucun", 7}}};
constexpr std::array<Choix, 4> kAutonomies{{
    {"entierement_accompagne", 40}, {"partiellement_autonome", 40}, {"autonome", 15}, {"", 5}}};
constexpr std::array<Choix, 7> kRedirections{{
    {"administration", 30}, {"operateur_ou_organisme_en_charge", 25}, {"aide_sociale", 15},
    {"mediation_numerique", 10}, {"insertion_professionnelle", 8}, {"aide_aux_demarches_administratives", 7},
    {"autre", 5}}};
constexpr std::array<Choix, 4> kNiveaux{{{"debutant", 60}, {"intermediaire", 30}, {"avance", 5}, {"", 5}}};
constexpr std::array<Choix, 3> kGenres{{{"feminin", 55}, {"masculin", 40}, {"non_communique", 5}}};
constexpr std::array<Choix, 8> kTranches{{
    {"moins_de_douze", 1}, {"douze_dix_huit", 4}, {"dix_huit_vingt_quatre", 7}, {"vingt_cinq_trente_neuf", 16},
    {"quarante_cinquante_neuf", 24}, {"soixante_soixante_neuf", 21}, {"soixante_dix_plus", 22},
    {"non_communique", 5}}};
constexpr std::array<Choix, 5> kStatuts{{
    {"retraite", 38}, {"sans_emploi", 27}, {"en_emploi", 18}, {"scolarise", 7}, {"non_communique", 10}}};
constexpr std::array<Choix, 3> kDeja{{{"oui", 45}, {"non", 45}, {"non_communique", 10}}};
// Durations: the presets, most used first, and a few customs.
constexpr std::array<Choix, 12> kDureesIndividuel{{
    {"30", 30}, {"60", 25}, {"45", 20}, {"15", 8}, {"90", 8}, {"120", 4},
    {"20", 2}, {"40", 1.5}, {"75", 0.7}, {"10", 0.5}, {"150", 0.2}, {"180", 0.1}}};
constexpr std::array<Choix, 5> kDureesCollectif{{{"120", 35}, {"90", 35}, {"60", 20}, {"180", 8}, {"150", 2}}};
constexpr std::string_view kAteliers[] = {
    "Premiers pas sur la tablette", "Sécuriser ses comptes en ligne", "Découvrir FranceConnect",
    "Les bases de la messagerie", "Ameli et Doctolib", "Atelier CV en ligne", "Faire ses démarches CAF en ligne",
    "Reconnaître les arnaques", "Photos et souvenirs sur smartphone", "Initiation à l'intelligence artificielle",
    "Déclarer ses impôts en ligne", "Visioconférence en famille"};
constexpr std::string_view kPrecisions[] = {
    "Dossier en ligne commencé ensemble, à finir à la maison.", "Création du compte et premier dépôt de pièces.",
    "Mot de passe réinitialisé, espace personnel vérifié.", "Rendez-vous pris en ligne avec l'organisme."};
constexpr std::string_view kNotes[] = {
    "Revoir la semaine prochaine pour la suite.", "Personne très à l'aise, à orienter vers un atelier.",
    "A besoin d'un matériel adapté.", "Venue avec sa fille."};
constexpr std::string_view kPrenomsF[] = {"Jeanne", "Marie", "Fatou", "Lucie", "Nadia", "Odette", "Chloé", "Yasmine",
                                          "Sophie", "Monique", "Aïcha", "Camille", "Nathalie", "Léa", "Simone", "Inès"};
constexpr std::string_view kPrenomsM[] = {"Ahmed", "Marcel", "Paul", "Gérard", "Bernard", "Karim", "Jean", "Lucas",
                                          "Mamadou", "Pierre", "Youssef", "Michel", "Thomas", "René", "Hugo", "Éric"};
constexpr std::string_view kNoms[] = {
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard",
    "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Nguyen", "Diallo", "Benali",
    "Haddad", "Le Goff", "Rossi", "Khelifi", "Fontaine", "Chevalier", "Robin", "Gauthier"};
constexpr std::string_view kSortesStructure[] = {"Médiathèque", "Centre social", "France Services", "Mairie",
                                                 "Association Numérique pour tous", "Tiers-lieu", "CCAS",
                                                 "Maison de quartier"};

// ---- Dates ----
sys_days parse_date(std::string_view s) {
  auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  return sys_days{year{num(0, 4)} / month{static_cast<unsigned>(num(5, 2))} / day{static_cast<unsigned>(num(8, 2))}};
}
std::string format_date(sys_days d) {
  year_month_day ymd{d};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}
// Relative activity on a day: weekdays mostly, fewer in August and late December, the 2020 lockdown.
double saison(sys_days d) {
  const year_month_day ymd{d};
  const unsigned wd = weekday{d}.c_encoding();  // 0 = Sunday
  double w = wd == 0 ? 0.03 : wd == 6 ? 0.25 : wd == 3 ? 0.85 : 1.0;
  const unsigned m = static_cast<unsigned>(ymd.month()), dd = static_cast<unsigned>(ymd.day());
  if (m == 8) w *= 0.45;
  else if (m == 7) w *= 0.85;
  else if (m == 12 && dd >= 20) w *= 0.3;
  else if (m == 1 && dd == 1) w *= 0.05;
  if (ymd.year() == year{2020} && (m == 4 || (m == 3 && dd >= 17) || (m == 5 && dd < 11))) w *= 0.3;
  return w;
}

Value opt_text(std::string_view v) { return v.empty() ? Value(nullptr) : Value(std::string(v)); }

// Rows of one table waiting for the next flush, written by Session::copy_rows (PostgreSQL: COPY
// FROM STDIN; SQLite: multi-row INSERT statements prepared once and reused).
class Bulk {
 public:
  Bulk(std::string table, std::vector<std::string> columns) : table_(std::move(table)), columns_(std::move(columns)) {}
  Params& row() { return pending_; }  // append exactly width() values per row
  std::size_t width() const { return columns_.size(); }
  std::int64_t written() const { return written_; }
  void flush(Session& s) {
    written_ += s.copy_rows(table_, columns_, pending_);
    pending_.clear();
  }

 private:
  std::string table_;
  std::vector<std::string> columns_;
  Params pending_;
  std::int64_t written_ = 0;
};

const std::vector<std::string> kActiviteColumns = {
    "id", "mediateur_id", "version", "created_at", "updated_at", "deleted_at", "type", "date", "duree", "type_lieu",
    "lieu_activite_id", "commune_insee", "code_postal", "materiel", "thematiques", "demarches", "precisions_demarche",
    "notes", "autonomie", "oriente_vers_structure", "structure_de_redirection", "titre_atelier", "niveau",
    "anonymes_total", "genre_masculin", "genre_feminin", "genre_non_communique", "age_moins_de_douze",
    "age_douze_dix_huit", "age_dix_huit_vingt_quatre", "age_vingt_cinq_trente_neuf", "age_quarante_cinquante_neuf",
    "age_soixante_soixante_neuf", "age_soixante_dix_plus", "age_non_communique", "statut_scolarise",
    "statut_sans_emploi", "statut_en_emploi", "statut_retraite", "statut_non_communique", "deja_accompagne_oui",
    "deja_accompagne_non", "deja_accompagne_non_communique", "orientation_lieu_id", "orientation_services"};
const std::vector<std::string> kBeneficiaireColumns = {
    "id", "mediateur_id", "anonyme", "prenom", "nom", "nom_recherche", "annee_naissance", "telephone",
    "pas_de_telephone", "email", "commune_insee", "code_postal", "genre", "tranche_age", "statut_social",
    "created_at", "updated_at", "deleted_at"};

struct Departement {
  std::string code;
  std::vector<const referentiel::Commune*> communes;
  std::vector<double> cum;  // cumulative population
  std::vector<std::int64_t> structures;
  std::int64_t tag = 0;  // départemental tag (0: not created yet)
};

struct Lieu {
  std::int64_t structure_id = 0;
  sys_days debut;
  std::optional<sys_days> fin;
};

struct Mediateur {
  std::int64_t id = 0;
  std::size_t dept = 0;
  sys_days debut;
  std::vector<Lieu> lieux;
  std::vector<std::int64_t> tags;  // personal tags, then their coordinator's team tag
  std::vector<std::int64_t> suivis;  // ring of recent followed beneficiaries
  std::size_t suivis_pos = 0;
};

constexpr std::size_t kRing = 64;
constexpr std::int64_t kFlushEvery = 2048;  // activities between two flushes of every table

class Generateur {
 public:
  Generateur(storage::Database& db, const referentiel::Territoires& t, const Options& o)
      : db_(db), t_(t), o_(o), rng_(o.seed),
        activites_("activites", kActiviteColumns),
        beneficiaires_("beneficiaires", kBeneficiaireColumns),
        liens_("activite_beneficiaires", {"activite_id", "beneficiaire_id", "premier_accompagnement"}),
        tags_("activite_tags", {"activite_id", "tag_id"}) {}

  Rapport run() {
    const auto t0 = steady_clock::now();
    today_ = parse_date(o_.today.empty() ? core::today() : o_.today);
    first_ = parse_date(act::date_min);
    if (today_ < first_) throw std::invalid_argument("La date du jour précède 2020.");
    build_departements();
    const bool postgres = db_.dialect() == storage::Dialect::postgres;
    auto load = [&] {
      db_.write([&](Session& s) { setup(s); });
      plan_days();
      while (day_ < days_.size()) {
        db_.write([&](Session& s) { chunk(s); });  // nested in the large-load transaction: a savepoint
        if (o_.progression) o_.progression(rapport_.activites);
      }
      if (postgres)
        db_.write([&](Session& s) {
          for (const char* table : {"activites", "beneficiaires"})
            s.query(fmt::format("SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT MAX(id) FROM {0}))", table));
        });
    };
    if (postgres && o_.activites >= o_.sans_index_des) {
      db_.write([&](Session& s) {
        const auto indexes = drop_secondary_indexes(s);
        load();
        // Sorting for the index builds: more memory than the default 64 MB, this transaction only.
        s.exec_script("SET LOCAL maintenance_work_mem = '512MB'");
        for (const auto& [name, definition] : indexes) s.exec_script(definition);
      });
    } else {
      load();
    }
    // Fresh planner statistics after a bulk load (autovacuum would only get to it later).
    if (db_.dialect() == storage::Dialect::postgres)
      db_.write([&](Session& s) { s.exec_script("ANALYZE activites, beneficiaires, activite_beneficiaires, activite_tags"); });
    rapport_.beneficiaires = beneficiaires_.written();
    rapport_.liens_beneficiaires = liens_.written();
    rapport_.liens_tags = tags_.written();
    rapport_.lignes += activites_.written() + beneficiaires_.written() + liens_.written() + tags_.written();
    rapport_.secondes = duration<double>(steady_clock::now() - t0).count();
    return rapport_;
  }

 private:
  // Départements of the official list with their communes (not arrondissements) by population.
  void build_departements() {
    std::unordered_map<std::string, std::size_t> index;
    for (auto& d : t_.departements()) {
      index.emplace(d.code, depts_.size());
      depts_.push_back({d.code, {}, {}, {}, 0});
    }
    for (auto& c : t_.communes()) {
      if (c.arrondissement() || c.population <= 0) continue;
      auto it = index.find(c.departement);
      if (it == index.end()) continue;
      auto& d = depts_[it->second];
      d.communes.push_back(&c);
      d.cum.push_back((d.cum.empty() ? 0.0 : d.cum.back()) + static_cast<double>(c.population));
    }
    std::erase_if(depts_, [](const Departement& d) { return d.communes.empty(); });
    if (depts_.empty()) throw std::invalid_argument("Le référentiel des communes est vide : rien à générer.");
    for (auto& d : depts_) dept_cum_.push_back((dept_cum_.empty() ? 0.0 : dept_cum_.back()) + d.cum.back());
  }
  std::size_t dept_of_commune(std::string_view insee) const {
    const auto* c = t_.commune(insee);
    if (c)
      for (std::size_t i = 0; i < depts_.size(); ++i)
        if (depts_[i].code == c->departement) return i;
    return depts_.size();
  }
  const referentiel::Commune& commune_in(std::size_t dept) { return *depts_[dept].communes[pick_cumulative(rng_, depts_[dept].cum)]; }

  std::string siret() {
    std::string prefix = fmt::format("9{:05d}{:07d}", (o_.seed * 2654435761ULL) % 100000, ++structures_made_);
    for (char k = '0'; k <= '9'; ++k)
      if (acc::luhn_valid(prefix + k)) return prefix + k;
    return prefix + "0";
  }
  std::int64_t new_structure(Session& s, std::size_t dept) {
    const auto& c = commune_in(dept);
    acc::store::Structure st;
    st.nom = fmt::format("{} de {}", kSortesStructure[rng_.below(std::size(kSortesStructure))], c.nom);
    st.adresse = fmt::format("{} rue de la République", rng_.between(1, 120));
    st.commune_insee = c.code;
    st.siret = siret();
    auto id = acc::store::create_structure(s, st);
    depts_[dept].structures.push_back(id);
    ++rapport_.structures;
    ++rapport_.lignes;
    return id;
  }
  std::int64_t structure_in(Session& s, std::size_t dept, double reuse) {
    auto& d = depts_[dept];
    if (!d.structures.empty() && rng_.chance(reuse)) return d.structures[rng_.below(d.structures.size())];
    return new_structure(s, dept);
  }
  std::int64_t dept_tag(Session& s, std::size_t dept) {
    auto& d = depts_[dept];
    if (!d.tag) {
      d.tag = act::store::create_tag(s, fmt::format("France Services {} ({})", d.code, o_.seed), "departemental",
                                     std::nullopt, d.code);
      ++rapport_.tags;
      ++rapport_.lignes;
    }
    return d.tag;
  }
  std::int64_t personal_tag(Session& s, std::int64_t owner, std::string_view nom) {
    ++rapport_.tags;
    ++rapport_.lignes;
    return act::store::create_tag(s, fmt::format("{} ({})", nom, o_.seed), "personnel", owner, std::nullopt);
  }

  // The secondary indexes of the bulk tables (neither a primary key's nor a constraint's: those
  // check the rows), dropped; returns their names and definitions as pg_get_indexdef writes them
  // (a complete CREATE INDEX statement), to re-create them identical after the load.
  static std::vector<std::pair<std::string, std::string>> drop_secondary_indexes(Session& s) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& r : s.query("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                           "WHERE i.indrelid IN ('activites'::regclass, 'beneficiaires'::regclass, "
                           "'activite_beneficiaires'::regclass, 'activite_tags'::regclass) AND NOT i.indisunique "
                           "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                           "ORDER BY 1")
                      .rows)
      out.emplace_back(storage::as_text(r[0]), storage::as_text(r[1]));
    for (const auto& [name, definition] : out) s.exec_script("DROP INDEX " + name);
    return out;
  }

  void setup(Session& s) {
    auto max_id = [&](const char* table) {
      return storage::as_int(s.query(fmt::format("SELECT COALESCE(MAX(id), 0) FROM {}", table)).rows[0][0]);
    };
    // SQLite: a page cache of 256 MiB on this connection (the default 2 MiB thrashes once the
    // indexes outgrow it: 1M activities ran at ~2,400/s instead of ~30,000/s).
    if (s.dialect() == storage::Dialect::sqlite) s.exec_script("PRAGMA cache_size = -262144");
    next_activite_ = max_id("activites") + 1;
    next_beneficiaire_ = max_id("beneficiaires") + 1;
    // Lieux with services, for the orientations of the oriented CRAs (none: no orientation).
    for (auto& r : s.query("SELECT id, services FROM lieux WHERE services <> '' ORDER BY id LIMIT 500").rows) {
      auto services = lieux::separer(storage::as_text(r[1]));
      if (!services.empty()) lieux_orientation_.emplace_back(storage::as_int(r[0]), services.front());
    }
    if (o_.mediateur_email) setup_concentre(s);
    else setup_mediateurs(s);
  }

  // All activities on one existing mediator: their département is that of their lieux (else of
  // their employer), and they get a lieu d'activité open since 2020 so that every date has one.
  void setup_concentre(Session& s) {
    auto u = acc::store::user_by_email(s, *o_.mediateur_email);
    if (!u) throw std::invalid_argument("Aucun compte n'a l'adresse " + *o_.mediateur_email + ".");
    bool mediateur = false;
    for (auto& g : acc::store::roles_of(s, u->id)) mediateur = mediateur || g.role == acc::Role::mediateur;
    if (!mediateur) throw std::invalid_argument("Le compte " + *o_.mediateur_email + " n'a pas le rôle médiateur.");
    Mediateur m;
    m.id = u->id;
    m.debut = first_;
    m.dept = depts_.size();
    for (auto& l : act::store::lieux_of(s, u->id)) {
      if (m.dept == depts_.size()) m.dept = dept_of_commune(l.commune_insee);
      m.lieux.push_back({l.structure_id, parse_date(l.debut), l.fin ? std::optional(parse_date(*l.fin)) : std::nullopt});
    }
    if (m.dept == depts_.size())
      for (auto sid : acc::store::structures_employing(s, u->id, format_date(today_)))
        if (auto st = acc::store::structure_by_id(s, sid); st && m.dept == depts_.size()) m.dept = dept_of_commune(st->commune_insee);
    if (m.dept == depts_.size()) m.dept = pick_cumulative(rng_, dept_cum_);
    const auto sid = new_structure(s, m.dept);
    act::store::create_lieu(s, m.id, sid, format_date(first_), std::nullopt);
    m.lieux.push_back({sid, first_, std::nullopt});
    ++rapport_.lieux;
    ++rapport_.lignes;
    m.tags = {personal_tag(s, m.id, "Permanence"), personal_tag(s, m.id, "Public senior")};
    dept_tag(s, m.dept);
    mediateurs_.push_back(std::move(m));
    rapport_.mediateurs = 1;
  }

  // New mediators (≈ 1 per 1,000 activities per year of activity, arriving over the years),
  // their structures employeuses, lieux, coordinators and teams, tags.
  void setup_mediateurs(Session& s) {
    const std::string email0 = fmt::format("g{}.mediateur.1@generateur.coop.example", o_.seed);
    if (acc::store::user_by_email(s, email0))
      throw std::invalid_argument(fmt::format(
          "Des données ont déjà été générées avec la graine {} dans cette base : choisissez-en une autre (--seed).", o_.seed));
    const double span_years = static_cast<double>((today_ - first_).count() + 1) / 365.25;
    // Arrivals t = sqrt(u) of the span: linear growth; mean activity span = 1/3 of the period.
    const auto n_med = std::max<std::int64_t>(
        3, std::llround(3.0 * static_cast<double>(o_.activites) / (1000.0 * std::max(span_years, 0.1))));
    const std::string hash = core::hash_password(std::string("coop-demo-2026!"));
    const auto span_days = (today_ - first_).count();
    std::vector<sys_days> debuts;
    for (std::int64_t i = 0; i < n_med; ++i)
      debuts.push_back(i == 0 ? first_ : first_ + days{static_cast<int>(std::sqrt(rng_.unit()) * static_cast<double>(span_days))});
    std::sort(debuts.begin(), debuts.end());
    for (std::int64_t i = 0; i < n_med; ++i) {
      Mediateur m;
      m.debut = debuts[static_cast<std::size_t>(i)];
      m.dept = pick_cumulative(rng_, dept_cum_);
      const bool femme = rng_.chance(0.6);
      const auto prenom = femme ? kPrenomsF[rng_.below(std::size(kPrenomsF))] : kPrenomsM[rng_.below(std::size(kPrenomsM))];
      const auto nom = kNoms[rng_.below(std::size(kNoms))];
      m.id = acc::store::create_user(
          s, {fmt::format("g{}.mediateur.{}@generateur.coop.example", o_.seed, i + 1), std::string(nom),
              std::string(prenom), fmt::format("06 {:02d} {:02d} {:02d} {:02d}", rng_.below(100), rng_.below(100),
                                               rng_.below(100), rng_.below(100)),
              hash});
      acc::RoleGrant role;
      role.role = acc::Role::mediateur;
      role.conseiller_numerique = rng_.chance(0.4);
      acc::store::replace_roles(s, m.id, {role});
      dept_tag(s, m.dept);
      const auto employeur = structure_in(s, m.dept, 0.6);
      if (rng_.chance(0.1)) {  // a former employment before this one
        acc::store::create_employment(s, m.id, structure_in(s, m.dept, 0.8), format_date(m.debut - days{730}),
                                      format_date(m.debut - days{1}));
        ++rapport_.lignes;
      }
      acc::store::create_employment(s, m.id, employeur, format_date(m.debut), std::nullopt);
      rapport_.lignes += 3;
      // Lieux: the employer, and up to two other places of the same département (one may have closed).
      std::vector<std::int64_t> places{employeur};
      const auto extra = rng_.chance(0.5) ? (rng_.chance(0.4) ? 2 : 1) : 0;
      for (int k = 0; k < extra; ++k) {
        auto sid = structure_in(s, m.dept, 0.5);
        if (std::find(places.begin(), places.end(), sid) == places.end()) places.push_back(sid);
      }
      for (std::size_t k = 0; k < places.size(); ++k) {
        Lieu l{places[k], m.debut, std::nullopt};
        const auto left = (today_ - m.debut).count();
        if (k > 0 && left > 120 && rng_.chance(0.25)) l.fin = m.debut + days{static_cast<int>(60 + rng_.below(left - 60))};
        act::store::create_lieu(s, m.id, l.structure_id, format_date(l.debut), l.fin ? std::optional(format_date(*l.fin)) : std::nullopt);
        m.lieux.push_back(l);
        ++rapport_.lieux;
        ++rapport_.lignes;
      }
      if (rng_.chance(0.3)) m.tags.push_back(personal_tag(s, m.id, fmt::format("Permanence {}", nom)));
      if (rng_.chance(0.15)) m.tags.push_back(personal_tag(s, m.id, "Public senior"));
      mediateurs_.push_back(std::move(m));
    }
    rapport_.mediateurs = n_med;
    // Teams: ≈ 15 mediators per coordinator, grouped by département; some former members.
    std::vector<std::size_t> order(mediateurs_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return depts_[mediateurs_[a].dept].code < depts_[mediateurs_[b].dept].code; });
    const std::size_t n_coord = std::max<std::size_t>(1, (order.size() + 7) / 15);
    const std::size_t per_team = (order.size() + n_coord - 1) / n_coord;
    for (std::size_t c = 0; c < n_coord; ++c) {
      const std::size_t from = c * per_team, to = std::min(order.size(), from + per_team);
      if (from >= to) break;
      const auto dept = mediateurs_[order[from]].dept;
      const auto coord = acc::store::create_user(
          s, {fmt::format("g{}.coordination.{}@generateur.coop.example", o_.seed, c + 1), std::string(kNoms[rng_.below(std::size(kNoms))]),
              std::string(kPrenomsF[rng_.below(std::size(kPrenomsF))]), std::nullopt, hash});
      acc::RoleGrant role;
      role.role = acc::Role::coordinateur;
      acc::store::replace_roles(s, coord, {role});
      acc::store::create_employment(s, coord, structure_in(s, dept, 0.8), format_date(first_), std::nullopt);
      const auto tag = act::store::create_tag(s, fmt::format("Pass numérique équipe {} ({})", c + 1, o_.seed), "equipe", coord,
                                              std::nullopt);
      ++rapport_.coordinateurs;
      ++rapport_.tags;
      rapport_.lignes += 4;
      for (std::size_t k = from; k < to; ++k) {
        auto& m = mediateurs_[order[k]];
        const auto debut = std::min(today_, m.debut + days{static_cast<int>(rng_.below(120))});
        const auto member = acc::store::add_team_member(s, coord, m.id, format_date(debut));
        ++rapport_.lignes;
        const auto left = (today_ - debut).count();
        if (left > 60 && rng_.chance(0.1)) {
          acc::store::end_team_member(s, member, format_date(debut + days{static_cast<int>(30 + rng_.below(left - 30))}));
        } else {
          m.tags.push_back(tag);
        }
      }
    }
  }

  // Activities per day (their sum is exactly N): mediators active that day × season.
  void plan_days() {
    std::vector<double> w;
    std::size_t active = 0;
    for (sys_days d = first_; d <= today_; d += days{1}) {
      while (active < mediateurs_.size() && mediateurs_[active].debut <= d) ++active;
      double k = static_cast<double>(active);
      if (o_.mediateur_email)  // one mediator: growth over the years instead of arrivals
        k = 0.3 + 0.7 * static_cast<double>((d - first_).count()) / std::max<double>(1, (today_ - first_).count());
      w.push_back(k * saison(d));
      days_.push_back({d, active});
    }
    double total = 0;
    for (double x : w) total += x;
    double cum = 0;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      cum += w[i];
      const auto upto = i + 1 == w.size() ? o_.activites : std::llround(static_cast<double>(o_.activites) * cum / total);
      days_[i].count = upto - given;
      given = upto;
    }
    left_in_day_ = days_.empty() ? 0 : days_[0].count;
  }

  void chunk(Session& s) {
    std::int64_t done = 0;
    while (day_ < days_.size() && done < o_.par_transaction) {
      if (left_in_day_ == 0) {
        if (++day_ < days_.size()) left_in_day_ = days_[day_].count;
        continue;
      }
      const auto& d = days_[day_];
      auto& m = mediateurs_[o_.mediateur_email ? 0 : rng_.below(std::max<std::size_t>(1, d.active))];
      activite(m, d.date);
      --left_in_day_;
      ++done;
      if (++since_flush_ == kFlushEvery) flush(s);
    }
    flush(s);
  }
  void flush(Session& s) {
    // Parents before children: the foreign keys are checked statement by statement.
    beneficiaires_.flush(s);
    activites_.flush(s);
    liens_.flush(s);
    tags_.flush(s);
    since_flush_ = 0;
  }

  std::string stamp(sys_days d) {
    return format_date(d) + fmt::format("T{:02d}:{:02d}:{:02d}.000Z", 7 + rng_.below(10), rng_.below(60), rng_.below(60));
  }

  // One beneficiary row; returns its id. Followed: names and contact; anonymous: a few optional fields.
  std::int64_t beneficiaire(const Mediateur& m, bool suivi, const std::string& at,
                            const std::optional<std::string>& deleted = std::nullopt) {
    const auto id = next_beneficiaire_++;
    auto& p = beneficiaires_.row();
    const auto& c = commune_in(m.dept);
    const auto cp = c.codes_postaux.empty() ? std::string() : c.codes_postaux.front();
    if (suivi) {
      const bool femme = rng_.chance(0.58);
      const auto prenom = std::string(femme ? kPrenomsF[rng_.below(std::size(kPrenomsF))] : kPrenomsM[rng_.below(std::size(kPrenomsM))]);
      const auto nom = std::string(kNoms[rng_.below(std::size(kNoms))]);
      const auto annee = static_cast<std::int64_t>(1935 + rng_.below(75));
      const auto age = static_cast<int>(year_month_day{today_}.year()) - annee;
      const char* tranche = age < 12 ? "moins_de_douze" : age < 18 ? "douze_dix_huit" : age < 25 ? "dix_huit_vingt_quatre"
                            : age < 40 ? "vingt_cinq_trente_neuf" : age < 60 ? "quarante_cinquante_neuf"
                            : age < 70 ? "soixante_soixante_neuf" : "soixante_dix_plus";
      const char* statut = age < 20 ? "scolarise" : age >= 63 ? "retraite" : rng_.chance(0.5) ? "sans_emploi" : "en_emploi";
      const bool tel = rng_.chance(0.6);
      Value telephone = tel ? Value(fmt::format("0{} {:02d} {:02d} {:02d} {:02d}", rng_.chance(0.7) ? 6 : 4, rng_.below(100),
                                                rng_.below(100), rng_.below(100), rng_.below(100)))
                            : Value(nullptr);
      const bool sans_tel = !tel && rng_.chance(0.5);
      auto local = [](const std::string& text) {
        std::string out;
        for (char ch : core::fold(text))
          if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out += ch;
        return out;
      };
      Value email = rng_.chance(0.3) ? Value(local(prenom) + "." + local(nom) + std::to_string(id) + "@exemple.fr")
                                     : Value(nullptr);
      for (Value v : {Value(id), Value(m.id), Value(std::int64_t{0}), Value(prenom), Value(nom), Value(core::fold(prenom + " " + nom)),
                      Value(annee), telephone, Value(std::int64_t{sans_tel ? 1 : 0}), email, Value(c.code), opt_text(cp),
                      Value(std::string(femme ? "feminin" : "masculin")), Value(std::string(tranche)), Value(std::string(statut)),
                      Value(at), Value(at), Value(nullptr)})
        p.push_back(std::move(v));
      ++rapport_.beneficiaires_suivis;
    } else {
      const bool commune = rng_.chance(0.5);
      for (Value v : {Value(id), Value(m.id), Value(std::int64_t{1}), Value(nullptr), Value(nullptr), Value(std::string()),
                      Value(nullptr), Value(nullptr), Value(std::int64_t{0}), Value(nullptr),
                      commune ? Value(c.code) : Value(nullptr), commune ? opt_text(cp) : Value(nullptr),
                      rng_.chance(0.7) ? Value(std::string(pick(rng_, kGenres))) : Value(nullptr),
                      rng_.chance(0.6) ? Value(std::string(pick(rng_, kTranches))) : Value(nullptr),
                      rng_.chance(0.5) ? Value(std::string(pick(rng_, kStatuts))) : Value(nullptr), Value(at),
                      Value(deleted ? *deleted : at), storage::nullable(deleted)})
        p.push_back(std::move(v));
    }
    return id;
  }
  void lien(std::int64_t activite, std::int64_t beneficiaire, bool premier) {
    auto& p = liens_.row();
    p.push_back(activite);
    p.push_back(beneficiaire);
    p.push_back(std::int64_t{premier ? 1 : 0});
  }
  // A followed beneficiary of this mediator: a new one (first accompaniment) or a recent one again.
  std::pair<std::int64_t, bool> suivi(Mediateur& m, const std::string& at, const std::vector<std::int64_t>& exclude) {
    if (!m.suivis.empty() && rng_.chance(0.6)) {
      const auto b = m.suivis[rng_.below(m.suivis.size())];
      if (std::find(exclude.begin(), exclude.end(), b) == exclude.end()) return {b, false};
    }
    const auto b = beneficiaire(m, true, at);
    if (m.suivis.size() < kRing) m.suivis.push_back(b);
    else m.suivis[m.suivis_pos++ % kRing] = b;
    return {b, true};
  }

  static void codes(std::vector<std::string>& out, std::string_view code) {
    if (std::find(out.begin(), out.end(), code) == out.end()) out.emplace_back(code);
  }

  void activite(Mediateur& m, sys_days date) {
    act::Activite a;
    a.id = next_activite_++;
    a.mediateur_id = m.id;
    a.date = format_date(date);
    const bool collectif = rng_.chance(0.15);
    // A few in the bin (deleted in the last 25 days). They link no followed beneficiary (whose
    // premier_accompagnement stays on live activities); their anonymous beneficiary is in the bin
    // with them, as when a mediator deletes a CRA.
    const bool supprimee = rng_.chance(0.005);
    std::optional<std::string> deleted;
    if (supprimee) deleted = format_date(std::max(date, today_ - days{static_cast<int>(rng_.below(25))})) + "T20:00:00.000Z";
    a.type = collectif ? "collectif" : "individuel";
    a.duree = std::stoi(std::string(collectif ? pick(rng_, kDureesCollectif) : pick(rng_, kDureesIndividuel)));
    std::vector<const Lieu*> open;
    for (auto& l : m.lieux)
      if (l.debut <= date && (!l.fin || date <= *l.fin)) open.push_back(&l);
    const auto roll = rng_.below(100);
    if (!open.empty() && (collectif ? roll < 90 : roll < 70)) {
      a.type_lieu = "lieu_activite";
      a.lieu_activite_id = open[open.size() == 1 || rng_.chance(0.7) ? 0 : rng_.below(open.size())]->structure_id;
    } else {
      a.type_lieu = collectif ? "autre" : roll < 85 ? "a_distance" : roll < 93 ? "domicile" : "autre";
      const auto& c = commune_in(m.dept);
      a.commune_insee = c.code;
      if (!c.codes_postaux.empty() && rng_.chance(0.5)) a.code_postal = c.codes_postaux[rng_.below(c.codes_postaux.size())];
    }
    const auto n_themes = rng_.chance(0.6) ? 1 : rng_.chance(0.75) ? 2 : 3;
    while (static_cast<int>(a.thematiques.size()) < n_themes) codes(a.thematiques, pick(rng_, kThematiques));
    if (std::find(a.thematiques.begin(), a.thematiques.end(), act::thematique_demarches) != a.thematiques.end()) {
      codes(a.demarches, pick(rng_, kDemarches));
      if (rng_.chance(0.2)) codes(a.demarches, pick(rng_, kDemarches));
      if (rng_.chance(0.1)) a.precisions_demarche = std::string(kPrecisions[rng_.below(std::size(kPrecisions))]);
    }
    const auto materiel = pick(rng_, kMateriels);
    codes(a.materiel, materiel);
    if (materiel != "aucun" && rng_.chance(0.2)) {
      const auto more = pick(rng_, kMateriels);
      if (more != "aucun") codes(a.materiel, more);
    }
    if (rng_.chance(0.05)) a.notes = std::string(kNotes[rng_.below(std::size(kNotes))]);
    const std::string at = stamp(date);

    if (collectif) {
      a.titre_atelier = std::string(kAteliers[rng_.below(std::size(kAteliers))]);
      if (auto n = pick(rng_, kNiveaux); !n.empty()) a.niveau = std::string(n);
      const auto total = rng_.between(3, 12);
      const auto followed = !supprimee && rng_.chance(0.3) ? rng_.between(1, std::min<std::int64_t>(3, total)) : 0;
      for (std::int64_t k = 0; k < followed; ++k) {
        auto [b, premier] = suivi(m, at, a.participants);
        a.participants.push_back(b);
        lien(a.id, b, premier);
      }
      auto& n = a.anonymes;
      n.total = total - followed;
      for (std::int64_t k = 0; k < n.total; ++k) {
        auto idx = [&](std::span<const act::Code> list, std::string_view code) {
          for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].code == code) return i;
          return std::size_t{0};
        };
        ++n.genre[idx(act::genres, pick(rng_, kGenres))];
        ++n.tranche_age[idx(act::tranches_age, pick(rng_, kTranches))];
        ++n.statut_social[idx(act::statuts_social, pick(rng_, kStatuts))];
        ++n.deja_accompagne[idx(act::deja_accompagnes, pick(rng_, kDeja))];
      }
    } else {
      if (auto x = pick(rng_, kAutonomies); !x.empty()) a.autonomie = std::string(x);
      if (rng_.chance(0.15)) {
        a.oriente_vers_structure = true;
        a.structure_de_redirection = std::string(pick(rng_, kRedirections));
        // The lieu of the orientation wizard, chosen without drawing (the sequence stays the same).
        if (!lieux_orientation_.empty()) {
          const auto& [lieu, service] = lieux_orientation_[static_cast<std::size_t>(a.id) % lieux_orientation_.size()];
          a.orientation_lieu_id = lieu;
          a.orientation_services = {service};
        }
      }
      if (!supprimee && rng_.chance(0.3)) {
        auto [b, premier] = suivi(m, at, {});
        a.beneficiaire_id = b;
        lien(a.id, b, premier);
      } else {
        // One anonymous beneficiary row per individual accompaniment: its first and only one.
        const auto b = beneficiaire(m, false, at, deleted);
        lien(a.id, b, true);
      }
    }
    // Tags: personal and team tags of the mediator, the départemental tag.
    for (auto t : m.tags)
      if (rng_.chance(0.08)) codes_tag(a, t);
    if (rng_.chance(0.04) && depts_[m.dept].tag) codes_tag(a, depts_[m.dept].tag);
    act::normalize(a);
    for (auto t : a.tag_ids) {
      auto& p = tags_.row();
      p.push_back(a.id);
      p.push_back(t);
    }
    write_activite(a, at, deleted);
  }
  void codes_tag(act::Activite& a, std::int64_t t) {
    if (std::find(a.tag_ids.begin(), a.tag_ids.end(), t) == a.tag_ids.end()) a.tag_ids.push_back(t);
  }

  void write_activite(const act::Activite& a, const std::string& at, const std::optional<std::string>& deleted) {
    auto& p = activites_.row();
    const auto before = p.size();
    p.push_back(a.id);
    p.push_back(a.mediateur_id);
    p.push_back(std::int64_t{deleted ? 2 : 1});
    p.push_back(at);
    p.push_back(deleted ? *deleted : at);
    p.push_back(deleted ? Value(*deleted) : Value(nullptr));
    p.push_back(a.type);
    p.push_back(a.date);
    p.push_back(a.duree);
    p.push_back(a.type_lieu);
    p.push_back(storage::nullable(a.lieu_activite_id));
    p.push_back(storage::nullable(a.commune_insee));
    p.push_back(storage::nullable(a.code_postal));
    p.push_back(act::join_codes(a.materiel));
    p.push_back(act::join_codes(a.thematiques));
    p.push_back(act::join_codes(a.demarches));
    p.push_back(storage::nullable(a.precisions_demarche));
    p.push_back(storage::nullable(a.notes));
    p.push_back(storage::nullable(a.autonomie));
    p.push_back(std::int64_t{a.oriente_vers_structure ? 1 : 0});
    p.push_back(storage::nullable(a.structure_de_redirection));
    p.push_back(storage::nullable(a.titre_atelier));
    p.push_back(storage::nullable(a.niveau));
    const auto& n = a.anonymes;
    p.push_back(n.total);
    for (auto x : n.genre) p.push_back(x);
    for (auto x : n.tranche_age) p.push_back(x);
    for (auto x : n.statut_social) p.push_back(x);
    for (auto x : n.deja_accompagne) p.push_back(x);
    p.push_back(storage::nullable(a.orientation_lieu_id));
    p.push_back(lieux::joindre(a.orientation_services));
    if (p.size() - before != activites_.width()) throw std::logic_error("generateur: activites row width");
    ++rapport_.activites;
    if (deleted) ++rapport_.supprimees;
  }

  struct Day {
    sys_days date;
    std::size_t active = 0;
    std::int64_t count = 0;
  };

  storage::Database& db_;
  const referentiel::Territoires& t_;
  const Options& o_;
  Rng rng_;
  Bulk activites_, beneficiaires_, liens_, tags_;
  sys_days today_, first_;
  std::vector<Departement> depts_;
  std::vector<double> dept_cum_;
  std::vector<Mediateur> mediateurs_;  // sorted by arrival
  std::vector<Day> days_;
  std::size_t day_ = 0;
  std::int64_t left_in_day_ = 0, since_flush_ = 0, structures_made_ = 0;
  std::int64_t next_activite_ = 1, next_beneficiaire_ = 1;
  std::vector<std::pair<std::int64_t, std::string>> lieux_orientation_;  // id, first service
  Rapport rapport_;
};

}  // namespace

Rapport generer(storage::Database& db, const referentiel::Territoires& territoires, const Options& options) {
  if (options.activites < 1 || options.activites > max_activites)
    throw std::invalid_argument(fmt::format("Le nombre d'activités doit être compris entre 1 et {}.", max_activites));
  if (options.par_transaction < 1) throw std::invalid_argument("par_transaction doit être positif.");
  if (!options.today.empty() && !core::valid_date(options.today))
    throw std::invalid_argument("Date du jour invalide (format AAAA-MM-JJ).");
  return Generateur(db, territoires, options).run();
}

std::string describe(const Rapport& r) {
  const double t = std::max(r.secondes, 1e-9);
  return fmt::format(
      "Générées : {} activités ({} dans la corbeille), {} bénéficiaires ({} suivis), {} liens activité-bénéficiaire, "
      "{} étiquettes posées ; {} médiateurs, {} coordinateurs, {} structures, {} lieux, {} étiquettes.\n"
      "Durée : {:.1f} s — {:.0f} activités/s, {:.0f} lignes/s ({} lignes).\n",
      r.activites, r.supprimees, r.beneficiaires, r.beneficiaires_suivis, r.liens_beneficiaires, r.liens_tags,
      r.mediateurs, r.coordinateurs, r.structures, r.lieux, r.tags, r.secondes, static_cast<double>(r.activites) / t,
      static_cast<double>(r.lignes) / t, r.lignes);
}

}  // namespace coop::generateur
