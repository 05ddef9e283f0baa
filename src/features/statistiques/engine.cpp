// Statistics engine: columnar, month-partitioned, dictionary-encoded.
//
// Layout (per live activity; stats() measures the total, every container's capacity included):
//   columns of its month's Partition: id u32, day-of-month u8, mediator index u16, durée u16,
//   flags u16 (type, canal, autonomie, orientation, redirection, matériel, has-tags bit, dead bit),
//   codes u32 (19 thématiques + 11 démarches bits), lieu u16, commune u16, employer u16
//   (structure employeuse resolved at the activity's date), beneficiary u32 (individuel: the
//   beneficiary id with the premier_accompagnement flag in bit 31; collectif: index of its
//   Atelier record) = 25 bytes;
//   a directory entry u32 per activity id: month index in the high 12 bits, slot in the low 20;
//   tags, sparse (most activities have none): the activities whose has-tags bit is set are listed
//   in ascending slot order in tag_slot, with a CSR range into tags (dense tag indexes, see
//   Impl::tag_ids, so that a query counts tags in an array).
// Ateliers keep their anonymous counts and a CSR range of followed participants in a side table.
// Beneficiary attributes live in a per-beneficiary table indexed by beneficiary id
// (genre/tranche/statut/anonyme packed in u16 + commune u16).
// Limits (a build or update past them fails with a message naming it): 65 535 mediators, 65 535
// structures used as lieux/employers, 65 535 communes, activity ids below 2³², beneficiary ids
// below 2³¹, 1 048 576 slots per month (live + dead, dead ones are compacted), dates up to 2199.
// Updates never move rows: an update marks the old slot dead and appends the new version to the
// partition of its month; a partition whose dead slots exceed a quarter is compacted.
//
// Queries (calculer): the months to read are split into contiguous slot ranges, one per thread
// (EngineOptions::threads; small scopes stay on the calling thread). Each thread has its own
// accumulators and its own pair of beneficiary bitsets (seen, seen through a premier link); the
// hot loop is specialised for the common case without activity-level filters. The partial
// results are then added up, and the beneficiary figures are computed once over the UNION of the
// threads' bitsets (each thread counting a range of words), so a person seen by two threads
// counts once. The bitsets come from a small pool and are returned zeroed.
//
// Build (construire): whole tables are streamed (Session::stream; PostgreSQL: COPY … TO STDOUT
// parsed in place, no per-value allocation) in two reads of one snapshot that run at once on
// PostgreSQL (Database::read_parallel): the activities, decoded straight from the rows' views;
// and the beneficiaries, the links and the tags (temporary CSR arrays indexed by activity id),
// put in place afterwards (lier).
//
// Concurrency: one std::shared_mutex guards the whole in-memory state. calculer() holds it
// shared for the duration of its scan (its worker threads read under the caller's lock), so any
// number of queries run in parallel and each sees a consistent state. Writers (the appliquer_*
// calls and construire) are ordered by tickets (`Tour`): a writer takes a ticket when it is
// called — after its own transaction has committed
// —, reads the committed rows from the database in parallel with the other writers, then waits
// for its turn (every earlier ticket patched or given up) and takes the shared_mutex exclusively
// only to patch memory (microseconds). Why the result is exact: a writer's read starts after its
// ticket, and its ticket after its commit; so the read of ticket k sees every commit whose
// ticket is < k, and patches are applied in ticket order: after ticket k is patched, memory
// reflects (for the rows k read) at least every commit that preceded ticket k. A read may also
// see commits of later tickets; those tickets re-read and patch after it, so a later read is
// never overwritten by an earlier one once the writers are done. Anything that depends on the
// in-memory state itself (the beneficiaries an activity was linked to) is re-checked during the
// turn. A query that starts after the write path's appliquer() returned sees the new state
// (read-your-writes). Writers are preferred over readers (see `gate`).
#include "features/statistiques/engine.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "features/activites/model.hpp"
#include "features/lieux/model.hpp"

namespace coop::statistiques {

namespace act = coop::activites;
using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::RowView;
using storage::Session;

namespace {

constexpr std::uint32_t kPremier = 0x80000000u;
constexpr std::uint16_t kMort = 0x8000u;
constexpr std::uint16_t kTags = 0x4000u;  // flags: the activity has tags (Partition::tag_slot)
// Directory entry: month index << kSlotBits | slot; kAbsent for an id not held.
constexpr int kSlotBits = 20;
constexpr std::uint32_t kSlots = 1u << kSlotBits;  // slots per month
constexpr std::uint32_t kAbsent = 0xFFFFFFFFu;
inline std::uint32_t mois_de(std::uint32_t e) { return e >> kSlotBits; }
inline std::uint32_t slot_de(std::uint32_t e) { return e & (kSlots - 1); }

template <std::size_t N>
int index_of(const act::Code (&list)[N], std::string_view code) {
  for (std::size_t i = 0; i < N; ++i)
    if (list[i].code == code) return static_cast<int>(i);
  return -1;
}
template <std::size_t N>
std::uint32_t mask_of(const act::Code (&list)[N], std::string_view csv) {
  std::uint32_t m = 0;  // without allocating: this runs three times per activity at build time
  while (!csv.empty()) {
    auto comma = csv.find(',');
    int i = index_of(list, csv.substr(0, comma));
    if (i >= 0) m |= 1u << i;
    csv = comma == std::string_view::npos ? std::string_view() : csv.substr(comma + 1);
  }
  return m;
}

// flags
inline unsigned f_type(std::uint16_t f) { return f & 1u; }  // 0 individuel, 1 collectif
inline unsigned f_canal(std::uint16_t f) { return (f >> 1) & 3u; }
inline unsigned f_autonomie(std::uint16_t f) { return (f >> 3) & 3u; }  // 0 none, else index + 1
inline unsigned f_oriente(std::uint16_t f) { return (f >> 5) & 1u; }
inline unsigned f_redir(std::uint16_t f) { return (f >> 6) & 7u; }  // 0 none, else index + 1
inline unsigned f_materiel(std::uint16_t f) { return (f >> 9) & 31u; }

struct Atelier {
  std::uint32_t debut = 0, fin = 0;  // range in Partition::participants
  std::uint16_t total = 0, deja_non = 0;
  std::array<std::uint16_t, 3> genre{};
  std::array<std::uint16_t, 8> age{};
  std::array<std::uint16_t, 5> statut{};
};

struct Partition {
  std::vector<std::uint32_t> id;
  std::vector<std::uint8_t> jour;  // day of month
  std::vector<std::uint16_t> med, duree, flags, lieu, commune, employeur;
  std::vector<std::uint32_t> codes, benef;
  // Sparse tags: the slots with kTags, ascending; the tags of tag_slot[k] are
  // tags[tag_debut[k] .. tag_debut[k + 1]).
  std::vector<std::uint32_t> tag_slot, tag_debut{0}, tags;
  std::vector<Atelier> ateliers;
  std::vector<std::uint32_t> participants;
  // Sparse orientations (issue 12 point 7; few CRAs have one): the slots with an orientation,
  // ascending, with the lieu id (0: none, the lieu was deleted) and the services as a bit mask
  // of lieux::vocabulaire_services().
  std::vector<std::uint32_t> or_slot, or_lieu, or_services;
  std::uint32_t morts = 0;
  std::size_t size() const { return id.size(); }
  void fit() {
    auto f = [](auto&... v) { (v.shrink_to_fit(), ...); };
    f(id, jour, med, duree, flags, lieu, commune, employeur, codes, benef, tag_slot, tag_debut, tags, ateliers,
      participants, or_slot, or_lieu, or_services);
  }
  std::int64_t octets() const {
    auto cap = [](const auto& v) { return static_cast<std::int64_t>(v.capacity() * sizeof(v[0])); };
    return cap(id) + cap(jour) + cap(med) + cap(duree) + cap(flags) + cap(lieu) + cap(commune) + cap(employeur) +
           cap(codes) + cap(benef) + cap(tag_slot) + cap(tag_debut) + cap(tags) + cap(ateliers) + cap(participants) +
           cap(or_slot) + cap(or_lieu) + cap(or_services) + static_cast<std::int64_t>(sizeof(Partition));
  }
};

// An activity as read from the database by the write path (lire_activites).
struct Brut {
  std::int64_t id = 0, mediateur_id = 0;
  bool collectif = false;
  Jour jour = 0;
  std::int64_t duree = 0;
  std::string type_lieu;
  std::optional<std::int64_t> lieu;
  std::optional<std::string> commune;  // effective: the lieu's, else the CRA's
  std::string materiel, thematiques, demarches;
  std::optional<std::string> autonomie, redirection;
  bool oriente = false;
  std::array<std::int64_t, 18> anonymes{};  // total, genre ×3, âge ×8, statut ×5, deja_accompagne_non
  std::vector<std::pair<std::int64_t, bool>> liens;
  std::vector<std::int64_t> tags;
  std::optional<std::int64_t> orientation_lieu;
  std::string orientation_services;
};

// What ajouter() needs of an activity, as views: made from a Brut, or straight from a streamed row
// at build time. An empty text means "none" (as NULL: the codes are never empty).
struct Vue {
  std::int64_t id = 0, mediateur_id = 0;
  bool collectif = false;
  Jour jour = 0;
  std::int64_t duree = 0;
  std::string_view type_lieu;
  std::int64_t lieu = 0;  // 0: none
  std::string_view commune, materiel, thematiques, demarches, autonomie, redirection;
  bool oriente = false;
  std::array<std::int64_t, 18> anonymes{};
  std::span<const std::uint32_t> liens;  // beneficiary id | kPremier, by beneficiary id
  std::span<const std::uint32_t> tags;
  std::int64_t orientation_lieu = 0;  // 0: none
  std::string_view orientation_services;  // `|`-joined standard labels
};

// Bit i: lieux::vocabulaire_services()[i] (unknown labels ignored).
std::uint32_t services_mask(std::string_view joined) {
  const auto& voc = lieux::vocabulaire_services();
  std::uint32_t m = 0;
  while (!joined.empty()) {
    auto bar = joined.find('|');
    auto it = std::find(voc.begin(), voc.end(), joined.substr(0, bar));
    if (it != voc.end()) m |= 1u << static_cast<unsigned>(it - voc.begin());
    joined = bar == std::string_view::npos ? std::string_view() : joined.substr(bar + 1);
  }
  return m;
}
std::uint32_t lieu_oriente(std::int64_t id) {
  if (id < 0 || id > 0xFFFFFFFFLL) throw std::runtime_error(fmt::format("statistiques: identifiant de lieu hors limites: {}", id));
  return static_cast<std::uint32_t>(id);
}

std::uint32_t lien_of(std::int64_t beneficiaire_id, bool premier) {
  if (beneficiaire_id <= 0 || beneficiaire_id >= static_cast<std::int64_t>(kPremier))
    throw std::runtime_error(fmt::format("statistiques: identifiant de bénéficiaire hors limites: {}", beneficiaire_id));
  return static_cast<std::uint32_t>(beneficiaire_id) | (premier ? kPremier : 0u);
}
std::uint32_t tag_of(std::int64_t tag_id) {
  if (tag_id < 0 || tag_id > 0xFFFFFFFFLL)
    throw std::runtime_error(fmt::format("statistiques: identifiant d'étiquette hors limites: {}", tag_id));
  return static_cast<std::uint32_t>(tag_id);
}

constexpr const char* kActiviteCols =
    "a.id, a.mediateur_id, a.type, a.date, a.duree, a.type_lieu, a.lieu_activite_id, "
    "COALESCE(ls.commune_insee, a.commune_insee), a.materiel, a.thematiques, a.demarches, a.autonomie, "
    "a.oriente_vers_structure, a.structure_de_redirection, a.anonymes_total, a.genre_masculin, a.genre_feminin, "
    "a.genre_non_communique, a.age_moins_de_douze, a.age_douze_dix_huit, a.age_dix_huit_vingt_quatre, "
    "a.age_vingt_cinq_trente_neuf, a.age_quarante_cinquante_neuf, a.age_soixante_soixante_neuf, "
    "a.age_soixante_dix_plus, a.age_non_communique, a.statut_scolarise, a.statut_sans_emploi, a.statut_en_emploi, "
    "a.statut_retraite, a.statut_non_communique, a.deja_accompagne_non, a.orientation_lieu_id, a.orientation_services";

Jour jour_activite(std::int64_t id, std::string_view date) {
  auto j = jour_of(date);
  if (!j || *j < 0 || *j > 65535) throw std::runtime_error(fmt::format("activité {}: date hors limites", id));
  return *j;
}

Brut brut_of(const std::vector<storage::Value>& r) {
  Brut b;
  b.id = as_int(r[0]);
  b.mediateur_id = as_int(r[1]);
  b.collectif = as_text(r[2]) == "collectif";
  b.jour = jour_activite(b.id, as_text(r[3]));
  b.duree = as_int(r[4]);
  b.type_lieu = as_text(r[5]);
  b.lieu = as_opt_int(r[6]);
  b.commune = as_opt_text(r[7]);
  b.materiel = as_text(r[8]);
  b.thematiques = as_text(r[9]);
  b.demarches = as_text(r[10]);
  b.autonomie = as_opt_text(r[11]);
  b.oriente = as_int(r[12]) != 0;
  b.redirection = as_opt_text(r[13]);
  // total, genre 3, age 8, statut 5 → 17 values, then deja_accompagne_non
  for (int k = 0; k < 17; ++k) b.anonymes[k] = as_int(r[14 + k]);
  b.anonymes[17] = as_int(r[31]);
  b.orientation_lieu = as_opt_int(r[32]);
  b.orientation_services = as_text(r[33]);
  return b;
}

// The build reads the activities without the join (the lieux' communes are read first) and with
// the 18 anonymous counts of ateliers as one text (NULL for individual CRAs): a third less work
// for PostgreSQL, which formats every value it sends.
constexpr const char* kConstructionCols =
    "a.id, a.mediateur_id, a.type, a.date, a.duree, a.type_lieu, a.lieu_activite_id, a.commune_insee, a.materiel, "
    "a.thematiques, a.demarches, a.autonomie, a.oriente_vers_structure, a.structure_de_redirection, "
    "CASE WHEN a.type = 'collectif' THEN a.anonymes_total || ' ' || a.genre_masculin || ' ' || a.genre_feminin || ' ' || "
    "a.genre_non_communique || ' ' || a.age_moins_de_douze || ' ' || a.age_douze_dix_huit || ' ' || "
    "a.age_dix_huit_vingt_quatre || ' ' || a.age_vingt_cinq_trente_neuf || ' ' || a.age_quarante_cinquante_neuf || ' ' || "
    "a.age_soixante_soixante_neuf || ' ' || a.age_soixante_dix_plus || ' ' || a.age_non_communique || ' ' || "
    "a.statut_scolarise || ' ' || a.statut_sans_emploi || ' ' || a.statut_en_emploi || ' ' || a.statut_retraite || ' ' || "
    "a.statut_non_communique || ' ' || a.deja_accompagne_non END, a.orientation_lieu_id, a.orientation_services";

// A row of kConstructionCols (views valid during the callback only). `communes_lieux`: the
// commune of each structure (std::nullopt: NULL), for COALESCE(lieu's commune, CRA's commune).
Vue vue_construction(const RowView& r,
                     const std::unordered_map<std::int64_t, std::optional<std::string>>& communes_lieux) {
  Vue v;
  v.id = r.integer(0);
  v.mediateur_id = r.integer(1);
  v.collectif = r.text(2) == "collectif";
  v.jour = jour_activite(v.id, r.text(3));
  v.duree = r.integer(4);
  v.type_lieu = r.text(5);
  v.lieu = r.integer(6);
  v.commune = r.text(7);
  if (!r.is_null(6))
    if (auto it = communes_lieux.find(v.lieu); it != communes_lieux.end() && it->second) v.commune = *it->second;
  v.materiel = r.text(8);
  v.thematiques = r.text(9);
  v.demarches = r.text(10);
  v.autonomie = r.text(11);
  v.oriente = r.integer(12) != 0;
  v.redirection = r.text(13);
  if (!r.is_null(14)) {
    std::string_view t = r.text(14);
    for (std::size_t k = 0; k < v.anonymes.size(); ++k) {
      auto espace = std::min(t.find(' '), t.size());
      auto [fin, ec] = std::from_chars(t.data(), t.data() + espace, v.anonymes[k]);
      if (ec != std::errc() || fin != t.data() + espace)
        throw std::runtime_error(fmt::format("activité {}: participants anonymes illisibles", v.id));
      t = t.substr(std::min(espace + 1, t.size()));
    }
  }
  v.orientation_lieu = r.is_null(15) ? 0 : r.integer(15);
  v.orientation_services = r.text(16);
  return v;
}

struct Emploi {
  Jour debut = 0, fin = INT_MAX;
  std::int64_t id = 0, structure_id = 0;
};
struct Mediateur {
  std::int64_t user_id = 0;
  bool conseiller = false;
  std::vector<Emploi> emplois;
  std::int64_t employeur(Jour d) const {
    const Emploi* best = nullptr;
    for (auto& e : emplois)
      if (e.debut <= d && d <= e.fin && (!best || e.debut > best->debut || (e.debut == best->debut && e.id > best->id)))
        best = &e;
    return best ? best->structure_id : 0;
  }
};

Jour jour_or_throw(std::string_view d) {
  auto j = jour_of(d);
  if (!j) throw std::invalid_argument(fmt::format("date invalide: {}", d));
  return *j;
}

struct Compte {
  std::int64_t valeur = 0, activites = 0;
  void add(std::int64_t v) { valeur += v, activites += 1; }
  void operator+=(const Compte& o) { valeur += o.valeur, activites += o.activites; }
};

// Distinct-beneficiary bitsets of one query thread, interleaved so that both words of a
// beneficiary share a cache line: bit b%64 of bits[2*(b/64)] when beneficiary b is linked to a
// counted activity, of bits[2*(b/64)+1] when through a premier_accompagnement link.
struct Scratch {
  std::vector<std::uint64_t> bits;
};

// Commune code → dictionary index: open addressing on the code packed in 64 bits (INSEE codes
// have 5 characters; longer texts fall back to a node map). Looked up once per activity and per
// beneficiary at build time, where a node-based string map cost a sixth of the build.
class DictCommunes {
 public:
  std::optional<std::uint16_t> find(std::string_view code) const {
    if (code.size() > 8) {
      auto it = longs_.find(std::string(code));
      return it == longs_.end() ? std::nullopt : std::optional(it->second);
    }
    if (cles_.empty()) return std::nullopt;
    const std::uint64_t k = cle(code);
    for (std::size_t i = place(k);; i = (i + 1) & (cles_.size() - 1)) {
      if (cles_[i] == k) return vals_[i];
      if (cles_[i] == 0) return std::nullopt;
    }
  }
  void insert(std::string_view code, std::uint16_t idx) {
    if (code.size() > 8) {
      longs_.emplace(std::string(code), idx);
      return;
    }
    if ((n_ + 1) * 2 > cles_.size()) agrandir();
    poser(cle(code), idx);
  }
  std::int64_t octets() const {
    return static_cast<std::int64_t>(cles_.capacity() * sizeof(std::uint64_t) + vals_.capacity() * sizeof(std::uint16_t) +
                                     longs_.bucket_count() * sizeof(void*) + longs_.size() * 56);
  }

 private:
  static std::uint64_t cle(std::string_view code) {  // never 0: code is not empty
    std::uint64_t k = 0;
    std::memcpy(&k, code.data(), code.size());
    return k;
  }
  std::size_t place(std::uint64_t k) const {
    return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> (64 - bits_));
  }
  void poser(std::uint64_t k, std::uint16_t v) {
    std::size_t i = place(k);
    while (cles_[i] != 0) i = (i + 1) & (cles_.size() - 1);
    cles_[i] = k;
    vals_[i] = v;
    ++n_;
  }
  void agrandir() {
    std::vector<std::uint64_t> cles = std::move(cles_);
    std::vector<std::uint16_t> vals = std::move(vals_);
    bits_ = cles.empty() ? 10 : bits_ + 1;
    cles_.assign(std::size_t{1} << bits_, 0);
    vals_.assign(std::size_t{1} << bits_, 0);
    n_ = 0;
    for (std::size_t i = 0; i < cles.size(); ++i)
      if (cles[i]) poser(cles[i], vals[i]);
  }
  std::vector<std::uint64_t> cles_;
  std::vector<std::uint16_t> vals_;
  int bits_ = 0;
  std::size_t n_ = 0;
  std::unordered_map<std::string, std::uint16_t> longs_;
};

int threads_par_defaut() {
  if (const char* e = std::getenv("COOP_STATS_THREADS"); e && *e) {
    int n = std::atoi(e);
    if (n >= 1) return std::min(n, 64);
  }
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
}

}  // namespace

namespace {
// Everything construire() rebuilds, apart from the synchronisation and the caches of Impl: a
// rebuild replaces it whole (one assignment), so no field can be forgotten.
struct EtatMoteur {
  std::vector<Partition> mois;  // index: month since 2020-01
  std::vector<std::uint32_t> dir;  // activity id → month << kSlotBits | slot, or kAbsent
  std::int64_t vivantes = 0;

  // dimensions
  std::vector<Mediateur> mediateurs;
  std::unordered_map<std::int64_t, std::uint32_t> mediateur_idx;
  std::vector<std::int64_t> structures{0};  // idx → structure id (0: none)
  std::unordered_map<std::int64_t, std::uint16_t> structure_idx;
  std::vector<std::string> communes{""};    // idx → INSEE (0: none)
  DictCommunes commune_idx;
  // Tags: the partitions store a dense index (the tags histogram of a query is then an array).
  std::vector<std::uint32_t> tag_ids;  // dense index → tag id
  std::unordered_map<std::uint32_t, std::uint32_t> tag_idx;
  std::vector<std::string> commune_dep{""}, commune_reg{""};
  // beneficiaries, indexed by id: genre bits 0-1, tranche 2-4, statut 5-7, anonyme bit 8
  std::vector<std::uint16_t> benef_attr, benef_commune;

  struct Coord {
    std::int64_t coordinateur_id = 0;
    Jour jour = 0;
    std::uint8_t type = 0;
    std::int64_t duree = 0, participants = 0;
  };
  std::unordered_map<std::int64_t, Coord> coordination;
  double construction_ms = 0;
};
}  // namespace

struct Engine::Impl : EtatMoteur {
  storage::Database& db;
  Regions regions;
  EngineOptions options;
  mutable std::shared_mutex mu;
  // writers' tickets (see the top of this file and Tour)
  std::mutex ordre_mu;
  std::unordered_map<std::uint64_t, std::condition_variable*> en_attente;  // ticket → its waiter
  std::uint64_t prochain_ticket = 0, tour_courant = 0;
  std::function<void()> apres_lecture;  // tests only, set before any writer runs
  // A writer's ticket. Construct it first (after the caller's commit), read the database, call
  // attendre(), then patch; the destructor hands the turn on — also when the read threw, after
  // waiting for the turn, so that later tickets never wait for a ticket that will not come.
  class Tour {
   public:
    explicit Tour(Impl& d) : d_(d) {
      std::lock_guard g(d_.ordre_mu);
      n_ = d_.prochain_ticket++;
    }
    Tour(const Tour&) = delete;
    Tour& operator=(const Tour&) = delete;
    void attendre() {
      if (a_son_tour_) return;
      std::unique_lock l(d_.ordre_mu);
      if (d_.tour_courant != n_) {
        // Each waiter has its own condition variable: handing the turn on wakes only the next
        // ticket, not every waiting writer (64 of them under load).
        std::condition_variable cv;
        d_.en_attente.emplace(n_, &cv);
        cv.wait(l, [&] { return d_.tour_courant == n_; });
        d_.en_attente.erase(n_);
      }
      a_son_tour_ = true;
    }
    ~Tour() {
      attendre();
      std::lock_guard g(d_.ordre_mu);
      d_.tour_courant = n_ + 1;
      if (auto it = d_.en_attente.find(n_ + 1); it != d_.en_attente.end()) it->second->notify_one();
    }

   private:
    Impl& d_;
    std::uint64_t n_ = 0;
    bool a_son_tour_ = false;
  };
  // Writer preference: a writer holds `gate` while it waits for the readers to drain, so new
  // readers queue behind it instead of starving it (pthread rwlocks prefer readers).
  mutable std::mutex gate;
  std::unique_lock<std::shared_mutex> exclusif() {
    std::lock_guard g(gate);
    return std::unique_lock(mu);
  }
  std::shared_lock<std::shared_mutex> partage() const {
    std::lock_guard g(gate);
    return std::shared_lock(mu);
  }

  std::uint32_t tag(std::uint32_t id) {
    auto [it, nouveau] = tag_idx.try_emplace(id, static_cast<std::uint32_t>(tag_ids.size()));
    if (nouveau) tag_ids.push_back(id);
    return it->second;
  }

  // Pool of query bitsets (returned zeroed).
  mutable std::mutex scratch_mu;
  mutable std::vector<std::unique_ptr<Scratch>> scratch_libres;

  // The communes' and the lieux' dictionary indices in the order of their keys as text (INSEE
  // code; structure id in decimal, "" first), so that those breakdowns are built already sorted.
  // Between two builds dictionaries only grow and never change an entry: recomputed when one has
  // grown since, and dropped by construire().
  // Own mutex: queries run concurrently under the shared lock.
  using Ordre = std::shared_ptr<const std::vector<std::uint32_t>>;
  mutable std::mutex ordres_mu;
  mutable Ordre ordre_communes, ordre_lieux;
  std::pair<Ordre, Ordre> ordres() const {
    std::lock_guard l(ordres_mu);
    auto trier = [](std::size_t n, auto cle) {
      auto v = std::make_shared<std::vector<std::uint32_t>>(n);
      for (std::uint32_t i = 0; i < n; ++i) (*v)[i] = i;
      std::sort(v->begin(), v->end(), [&](std::uint32_t a, std::uint32_t b) { return cle(a) < cle(b); });
      return v;
    };
    if (!ordre_communes || ordre_communes->size() != communes.size())
      ordre_communes = trier(communes.size(), [&](std::uint32_t i) -> const std::string& { return communes[i]; });
    if (!ordre_lieux || ordre_lieux->size() != structures.size())
      ordre_lieux = trier(structures.size(), [&](std::uint32_t i) { return i ? std::to_string(structures[i]) : ""; });
    return {ordre_communes, ordre_lieux};
  }

  Impl(storage::Database& d, Regions r, EngineOptions o) : db(d), regions(std::move(r)), options(o) {
    if (options.threads <= 0) options.threads = threads_par_defaut();
    if (options.activites_par_thread <= 0) options.activites_par_thread = 1;
  }

  std::unique_ptr<Scratch> prendre_scratch(std::size_t mots) const {
    std::unique_ptr<Scratch> s;
    {
      std::lock_guard l(scratch_mu);
      if (!scratch_libres.empty()) {
        s = std::move(scratch_libres.back());
        scratch_libres.pop_back();
      }
    }
    if (!s) s = std::make_unique<Scratch>();
    if (s->bits.size() < 2 * mots) {
      s->bits.assign(2 * mots, 0);
    }
    return s;
  }
  void rendre_scratch(std::unique_ptr<Scratch> s) const {
    std::lock_guard l(scratch_mu);
    scratch_libres.push_back(std::move(s));
  }

  // ---- dimensions (called under the exclusive lock, or during construction) ----
  std::uint32_t mediateur(std::int64_t user_id) {
    auto it = mediateur_idx.find(user_id);
    if (it != mediateur_idx.end()) return it->second;
    if (mediateurs.size() >= 65535) throw std::runtime_error("statistiques: plus de 65 535 médiateurs");
    auto idx = static_cast<std::uint32_t>(mediateurs.size());
    mediateurs.push_back({user_id, false, {}});
    mediateur_idx.emplace(user_id, idx);
    return idx;
  }
  std::uint16_t structure(std::int64_t id) {
    if (id == 0) return 0;
    auto it = structure_idx.find(id);
    if (it != structure_idx.end()) return it->second;
    if (structures.size() >= 65535) throw std::runtime_error("statistiques: plus de 65 535 structures (lieux/employeurs)");
    auto idx = static_cast<std::uint16_t>(structures.size());
    structures.push_back(id);
    structure_idx.emplace(id, idx);
    return idx;
  }
  std::uint16_t commune(std::string_view insee) {
    if (insee.empty()) return 0;
    if (auto known = commune_idx.find(insee)) return *known;
    if (communes.size() >= 65535) throw std::runtime_error("statistiques: plus de 65 535 communes");
    auto idx = static_cast<std::uint16_t>(communes.size());
    communes.emplace_back(insee);
    commune_idx.insert(insee, idx);
    std::string dep = departement_of(insee);
    auto r = regions.find(dep);
    commune_dep.push_back(dep);
    commune_reg.push_back(r == regions.end() ? "" : r->second);
    return idx;
  }
  std::uint16_t commune(const std::optional<std::string>& insee) { return insee ? commune(std::string_view(*insee)) : 0; }
  // Empty texts mean "not given".
  void benef_set(std::int64_t id, bool anonyme, std::string_view genre, std::string_view tranche,
                 std::string_view statut, std::string_view commune_insee) {
    if (id <= 0 || id >= static_cast<std::int64_t>(kPremier))
      throw std::runtime_error(fmt::format("statistiques: identifiant de bénéficiaire hors limites: {}", id));
    auto u = static_cast<std::size_t>(id);
    if (benef_attr.size() <= u) {
      benef_attr.resize(u + 1, 0);
      benef_commune.resize(u + 1, 0);
    }
    auto code = [](auto& list, std::string_view v) {
      int i = index_of(list, v);
      return static_cast<unsigned>(i >= 0 ? i : index_of(list, "non_communique"));
    };
    benef_attr[u] = static_cast<std::uint16_t>(code(act::genres, genre) | (code(act::tranches_age, tranche) << 2) |
                                               (code(act::statuts_social, statut) << 5) | ((anonyme ? 1u : 0u) << 8));
    benef_commune[u] = commune(commune_insee);
  }
  void benef_set(std::int64_t id, bool anonyme, const std::optional<std::string>& genre,
                 const std::optional<std::string>& tranche, const std::optional<std::string>& statut,
                 const std::optional<std::string>& commune_insee) {
    auto v = [](const std::optional<std::string>& s) { return s ? std::string_view(*s) : std::string_view(); };
    benef_set(id, anonyme, v(genre), v(tranche), v(statut), v(commune_insee));
  }
  void charger_mediateur(Session& s, std::int64_t user_id, Mediateur& m) {
    m.emplois.clear();
    auto e = s.query("SELECT id, structure_id, debut, fin FROM employments WHERE user_id = ? AND statut = 'confirme'", {user_id});
    for (auto& r : e.rows) {
      auto fin = as_opt_text(r[3]);
      m.emplois.push_back({jour_or_throw(as_text(r[2])), fin ? jour_or_throw(*fin) : INT_MAX, as_int(r[0]), as_int(r[1])});
    }
    auto c = s.query("SELECT COUNT(*) FROM user_roles WHERE user_id = ? AND conseiller_numerique = 1", {user_id});
    m.conseiller = as_int(c.rows[0][0]) > 0;
  }

  // ---- activities ----
  std::uint32_t place(std::int64_t id) const {
    return id > 0 && static_cast<std::size_t>(id) < dir.size() ? dir[static_cast<std::size_t>(id)] : kAbsent;
  }
  void ensure_dir(std::int64_t id) {
    if (id <= 0 || id > 0xFFFFFFFFLL) throw std::runtime_error(fmt::format("statistiques: identifiant d'activité hors limites: {}", id));
    auto u = static_cast<std::size_t>(id);
    if (dir.size() <= u) dir.resize(std::max(u + 1, dir.size() + dir.size() / 2), kAbsent);
  }
  void tuer(std::int64_t id) {
    std::uint32_t e = place(id);
    if (e == kAbsent) return;
    auto m = mois_de(e);
    Partition& p = mois[m];
    p.flags[slot_de(e)] |= kMort;
    p.morts++;
    vivantes--;
    dir[static_cast<std::size_t>(id)] = kAbsent;
    if (p.morts * 4 > p.size() && p.size() > 64) compacter(m);
  }
  void ajouter(const Brut& b) {
    std::vector<std::uint32_t> liens, tags;
    for (auto& l : b.liens) liens.push_back(lien_of(l.first, l.second));
    for (auto t : b.tags) tags.push_back(tag_of(t));
    Vue v;
    v.id = b.id, v.mediateur_id = b.mediateur_id, v.collectif = b.collectif, v.jour = b.jour, v.duree = b.duree;
    v.type_lieu = b.type_lieu;
    v.lieu = b.lieu.value_or(0);
    if (b.commune) v.commune = *b.commune;
    v.materiel = b.materiel, v.thematiques = b.thematiques, v.demarches = b.demarches;
    if (b.autonomie) v.autonomie = *b.autonomie;
    if (b.redirection) v.redirection = *b.redirection;
    v.oriente = b.oriente;
    v.anonymes = b.anonymes;
    v.liens = liens;
    v.tags = tags;
    v.orientation_lieu = b.orientation_lieu.value_or(0);
    v.orientation_services = b.orientation_services;
    ajouter(v);
  }
  void ajouter(const Vue& b) {
    ensure_dir(b.id);
    int m = mois_of(b.jour);
    if (static_cast<std::size_t>(m) >= mois.size()) mois.resize(m + 1);
    Partition& p = mois[m];
    if (p.size() >= kSlots) compacter(static_cast<std::uint32_t>(m));
    if (p.size() >= kSlots)
      throw std::runtime_error(fmt::format("statistiques: plus de {} activités dans le mois {}", kSlots, mois_texte(m)));
    auto slot = static_cast<std::uint32_t>(p.size());
    std::uint32_t mi = mediateur(b.mediateur_id);
    p.id.push_back(static_cast<std::uint32_t>(b.id));
    p.jour.push_back(static_cast<std::uint8_t>(b.jour - premier_jour(m) + 1));
    p.med.push_back(static_cast<std::uint16_t>(mi));
    p.duree.push_back(static_cast<std::uint16_t>(b.duree));
    int canal = std::max(0, index_of(act::types_lieu, b.type_lieu));
    int auto_ = b.autonomie.empty() ? 0 : index_of(act::autonomies, b.autonomie) + 1;
    int redir = b.redirection.empty() ? 0 : index_of(act::structures_redirection, b.redirection) + 1;
    p.flags.push_back(static_cast<std::uint16_t>((b.collectif ? 1u : 0u) | (canal << 1) | (std::max(0, auto_) << 3) |
                                                 ((b.oriente ? 1u : 0u) << 5) | (std::max(0, redir) << 6) |
                                                 (mask_of(act::materiels, b.materiel) << 9) |
                                                 (b.tags.empty() ? 0u : kTags)));
    p.codes.push_back(mask_of(act::thematiques, b.thematiques) | (mask_of(act::demarches, b.demarches) << 19));
    p.lieu.push_back(structure(b.lieu));
    p.commune.push_back(commune(b.commune));
    p.employeur.push_back(structure(mediateurs[mi].employeur(b.jour)));
    for (auto l : b.liens)
      if ((l & ~kPremier) >= benef_attr.size())  // link to a row loaded later: placeholder
        benef_set(l & ~kPremier, true, std::string_view(), {}, {}, {});
    if (!b.collectif) {
      p.benef.push_back(b.liens.empty() ? 0u : b.liens.front());
    } else {
      Atelier a;
      a.debut = static_cast<std::uint32_t>(p.participants.size());
      p.participants.insert(p.participants.end(), b.liens.begin(), b.liens.end());
      a.fin = static_cast<std::uint32_t>(p.participants.size());
      a.total = static_cast<std::uint16_t>(b.anonymes[0]);
      for (int k = 0; k < 3; ++k) a.genre[k] = static_cast<std::uint16_t>(b.anonymes[1 + k]);
      for (int k = 0; k < 8; ++k) a.age[k] = static_cast<std::uint16_t>(b.anonymes[4 + k]);
      for (int k = 0; k < 5; ++k) a.statut[k] = static_cast<std::uint16_t>(b.anonymes[12 + k]);
      a.deja_non = static_cast<std::uint16_t>(b.anonymes[17]);
      p.benef.push_back(static_cast<std::uint32_t>(p.ateliers.size()));
      p.ateliers.push_back(a);
    }
    if (!b.tags.empty()) {
      p.tag_slot.push_back(slot);
      for (auto t : b.tags) p.tags.push_back(tag(t));
      p.tag_debut.push_back(static_cast<std::uint32_t>(p.tags.size()));
    }
    if (b.orientation_lieu || !b.orientation_services.empty()) {
      p.or_slot.push_back(slot);
      p.or_lieu.push_back(lieu_oriente(b.orientation_lieu));
      p.or_services.push_back(services_mask(b.orientation_services));
    }
    dir[static_cast<std::size_t>(b.id)] = (static_cast<std::uint32_t>(m) << kSlotBits) | slot;
    vivantes++;
  }
  // Build: gives the activities, added without them, their links and tags (CSR arrays indexed
  // by activity id: values of activity a in vals[debut[a] .. debut[a + 1])).
  void lier(const std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>>& liens,
            const std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>>& tags_csr) {
    auto range = [](const auto& c, std::uint32_t id) {
      return std::span<const std::uint32_t>(c.second.data() + c.first[id], c.second.data() + c.first[id + 1]);
    };
    for (auto& p : mois) {
      std::vector<std::uint32_t> participants;
      for (std::uint32_t i = 0; i < p.size(); ++i) {
        const std::uint32_t id = p.id[i];
        auto l = range(liens, id);
        for (auto x : l)
          if ((x & ~kPremier) >= benef_attr.size())  // a link to a missing row: placeholder
            benef_set(x & ~kPremier, true, std::string_view(), {}, {}, {});
        if (!f_type(p.flags[i])) {
          p.benef[i] = l.empty() ? 0u : l.front();
        } else {
          Atelier& a = p.ateliers[p.benef[i]];
          a.debut = static_cast<std::uint32_t>(participants.size());
          participants.insert(participants.end(), l.begin(), l.end());
          a.fin = static_cast<std::uint32_t>(participants.size());
        }
        auto t = range(tags_csr, id);
        if (!t.empty()) {
          p.flags[i] |= kTags;
          p.tag_slot.push_back(i);
          for (auto x : t) p.tags.push_back(tag(x));
          p.tag_debut.push_back(static_cast<std::uint32_t>(p.tags.size()));
        }
      }
      p.participants = std::move(participants);
    }
  }
  void compacter(std::uint32_t m) {
    Partition& old = mois[m];
    Partition p;
    std::size_t k = 0;   // cursor in old.tag_slot
    std::size_t ko = 0;  // cursor in old.or_slot
    for (std::uint32_t i = 0; i < old.size(); ++i) {
      while (ko < old.or_slot.size() && old.or_slot[ko] < i) ++ko;
      const bool oriente = ko < old.or_slot.size() && old.or_slot[ko] == i;
      std::span<const std::uint32_t> tags;
      if (old.flags[i] & kTags) {
        while (old.tag_slot[k] < i) ++k;
        tags = {old.tags.data() + old.tag_debut[k], old.tags.data() + old.tag_debut[k + 1]};
      }
      if (old.flags[i] & kMort) continue;
      auto slot = static_cast<std::uint32_t>(p.size());
      p.id.push_back(old.id[i]);
      p.jour.push_back(old.jour[i]);
      p.med.push_back(old.med[i]);
      p.duree.push_back(old.duree[i]);
      p.flags.push_back(old.flags[i]);
      p.codes.push_back(old.codes[i]);
      p.lieu.push_back(old.lieu[i]);
      p.commune.push_back(old.commune[i]);
      p.employeur.push_back(old.employeur[i]);
      if (f_type(old.flags[i])) {
        Atelier a = old.ateliers[old.benef[i]];
        auto debut = static_cast<std::uint32_t>(p.participants.size());
        p.participants.insert(p.participants.end(), old.participants.begin() + a.debut, old.participants.begin() + a.fin);
        a.debut = debut;
        a.fin = static_cast<std::uint32_t>(p.participants.size());
        p.benef.push_back(static_cast<std::uint32_t>(p.ateliers.size()));
        p.ateliers.push_back(a);
      } else {
        p.benef.push_back(old.benef[i]);
      }
      if (!tags.empty()) {
        p.tag_slot.push_back(slot);
        p.tags.insert(p.tags.end(), tags.begin(), tags.end());
        p.tag_debut.push_back(static_cast<std::uint32_t>(p.tags.size()));
      }
      if (oriente) {
        p.or_slot.push_back(slot);
        p.or_lieu.push_back(old.or_lieu[ko]);
        p.or_services.push_back(old.or_services[ko]);
      }
      dir[old.id[i]] = (m << kSlotBits) | slot;
    }
    mois[m] = std::move(p);
  }
  void set_premier(std::int64_t activite_id, std::int64_t beneficiaire_id, bool premier) {
    std::uint32_t e = place(activite_id);
    if (e == kAbsent) return;
    Partition& p = mois[mois_de(e)];
    std::uint32_t i = slot_de(e);
    auto patch = [&](std::uint32_t& v) {
      if ((v & ~kPremier) == static_cast<std::uint32_t>(beneficiaire_id)) v = (v & ~kPremier) | (premier ? kPremier : 0u);
    };
    if (!f_type(p.flags[i])) {
      patch(p.benef[i]);
    } else {
      const Atelier& a = p.ateliers[p.benef[i]];
      for (std::uint32_t k = a.debut; k < a.fin; ++k) patch(p.participants[k]);
    }
  }
  std::vector<std::int64_t> beneficiaires_de(std::int64_t activite_id) const {
    std::vector<std::int64_t> out;
    std::uint32_t e = place(activite_id);
    if (e == kAbsent) return out;
    const Partition& p = mois[mois_de(e)];
    std::uint32_t i = slot_de(e);
    if (!f_type(p.flags[i])) {
      if (p.benef[i]) out.push_back(p.benef[i] & ~kPremier);
    } else {
      const Atelier& a = p.ateliers[p.benef[i]];
      for (std::uint32_t k = a.debut; k < a.fin; ++k) out.push_back(p.participants[k] & ~kPremier);
    }
    return out;
  }

  // Reads the activities matching `where` with their links and tags (the write path: a few rows).
  void lire_activites(Session& s, const std::string& where, const storage::Params& params,
                      const std::function<void(Brut&&)>& fn) {
    auto rows = s.query(std::string("SELECT ") + kActiviteCols +
                            " FROM activites a LEFT JOIN structures ls ON ls.id = a.lieu_activite_id "
                            "WHERE a.deleted_at IS NULL AND " + where + " ORDER BY a.id",
                        params);
    if (rows.empty()) return;
    std::vector<Brut> bruts;
    bruts.reserve(rows.size());
    for (auto& r : rows.rows) bruts.push_back(brut_of(r));
    rows = {};
    std::int64_t lo = bruts.front().id, hi = bruts.back().id;
    auto find = [&](std::int64_t id) -> Brut* {
      auto it = std::lower_bound(bruts.begin(), bruts.end(), id, [](const Brut& b, std::int64_t v) { return b.id < v; });
      return it != bruts.end() && it->id == id ? &*it : nullptr;
    };
    auto liens = s.query("SELECT activite_id, beneficiaire_id, premier_accompagnement FROM activite_beneficiaires "
                         "WHERE activite_id >= ? AND activite_id <= ? ORDER BY activite_id, beneficiaire_id",
                         {lo, hi});
    for (auto& r : liens.rows)
      if (Brut* b = find(as_int(r[0]))) b->liens.emplace_back(as_int(r[1]), as_int(r[2]) != 0);
    auto tags = s.query("SELECT activite_id, tag_id FROM activite_tags WHERE activite_id >= ? AND activite_id <= ? "
                        "ORDER BY activite_id, tag_id",
                        {lo, hi});
    for (auto& r : tags.rows)
      if (Brut* b = find(as_int(r[0]))) b->tags.push_back(as_int(r[1]));
    for (auto& b : bruts) fn(std::move(b));
  }

  Coord coord_of(const std::vector<storage::Value>& r) {
    Coord c;
    c.coordinateur_id = as_int(r[1]);
    c.type = static_cast<std::uint8_t>(std::max(0, index_of(act_coord_types, as_text(r[2]))));
    c.jour = jour_or_throw(as_text(r[3]));
    c.duree = as_int(r[4]);
    c.participants = as_int(r[5]);
    return c;
  }
  static constexpr act::Code act_coord_types[] = {{"animation", ""}, {"evenement", ""}, {"partenariat", ""}};

  std::int64_t octets() const {
    auto cap = [](const auto& v) { return static_cast<std::int64_t>(v.capacity() * sizeof(v[0])); };
    std::int64_t n = cap(mois) + cap(dir) + cap(benef_attr) + cap(benef_commune) + cap(structures) + cap(communes) +
                     cap(commune_dep) + cap(commune_reg) + cap(mediateurs);
    for (auto& p : mois) n += p.octets() - static_cast<std::int64_t>(sizeof(Partition));
    for (auto& m : mediateurs) n += static_cast<std::int64_t>(m.emplois.capacity() * sizeof(Emploi));
    // hash tables: buckets + one node (key, value, next pointer) per entry
    auto table = [](const auto& t, std::size_t node) {
      return static_cast<std::int64_t>(t.bucket_count() * sizeof(void*) + t.size() * node);
    };
    n += table(mediateur_idx, 32) + table(structure_idx, 32) + commune_idx.octets() + table(coordination, 64) +
         cap(tag_ids) + table(tag_idx, 24);
    for (auto& c : communes) n += static_cast<std::int64_t>(c.capacity() > 15 ? c.capacity() : 0);
    {
      std::lock_guard l(scratch_mu);  // the query bitsets kept for reuse
      for (auto& s : scratch_libres) n += cap(s->bits) + static_cast<std::int64_t>(sizeof(Scratch));
    }
    {
      std::lock_guard l(ordres_mu);
      if (ordre_communes) n += cap(*ordre_communes);
      if (ordre_lieux) n += cap(*ordre_lieux);
    }
    return n;
  }

  Tableau calculer(const Filtres& f, const Perimetre& p, std::string_view aujourdhui) const;
};

Engine::Engine(storage::Database& db, Regions regions, EngineOptions options)
    : impl_(std::make_unique<Impl>(db, std::move(regions), options)) {}
Engine::~Engine() = default;

void Engine::construire() {
  auto t0 = std::chrono::steady_clock::now();
  Impl::Tour tour(*impl_);
  auto fresh = std::make_unique<Impl>(impl_->db, impl_->regions, impl_->options);
  Impl& n = *fresh;
  // Two reads of one snapshot, at once on PostgreSQL (read_parallel): (A) the mediators, then the
  // activities, decoded without their links and tags; (B) the beneficiaries (into a dictionary
  // of their own, merged below), the links, the tags (CSR arrays indexed by activity id,
  // temporary) and the coordination activities. Then lier() puts the links and tags in place.
  Impl b(n.db, n.regions, n.options);
  using Csr = std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>>;
  Csr liens, tags;
  std::int64_t max_id_a = 0, max_id_b = 0;
  n.db.read_parallel({
      [&](Session& s) {
        for (auto& r : s.query("SELECT user_id, id, structure_id, debut, fin FROM employments WHERE statut = 'confirme' ORDER BY user_id, id").rows) {
          auto fin = as_opt_text(r[4]);
          n.mediateurs[n.mediateur(as_int(r[0]))].emplois.push_back(
              {jour_or_throw(as_text(r[3])), fin ? jour_or_throw(*fin) : INT_MAX, as_int(r[1]), as_int(r[2])});
        }
        for (auto& r : s.query("SELECT DISTINCT user_id FROM user_roles WHERE conseiller_numerique = 1").rows)
          n.mediateurs[n.mediateur(as_int(r[0]))].conseiller = true;
        max_id_a = as_opt_int(s.query("SELECT MAX(id) FROM activites").rows[0][0]).value_or(0);
        if (max_id_a > 0) n.ensure_dir(max_id_a);
        std::unordered_map<std::int64_t, std::optional<std::string>> communes_lieux;
        for (auto& r : s.query("SELECT id, commune_insee FROM structures").rows)
          communes_lieux.emplace(as_int(r[0]), as_opt_text(r[1]));
        s.stream(std::string("SELECT ") + kConstructionCols + " FROM activites a WHERE a.deleted_at IS NULL",
                 [&](const RowView& r) { n.ajouter(vue_construction(r, communes_lieux)); });
      },
      [&](Session& s) {
        auto max_b = as_opt_int(s.query("SELECT MAX(id) FROM beneficiaires").rows[0][0]).value_or(0);
        if (max_b > 0 && max_b < static_cast<std::int64_t>(kPremier)) {
          b.benef_attr.reserve(static_cast<std::size_t>(max_b) + 1);
          b.benef_commune.reserve(static_cast<std::size_t>(max_b) + 1);
        }
        s.stream("SELECT id, anonyme, genre, tranche_age, statut_social, commune_insee FROM beneficiaires",
                 [&](const RowView& r) {
                   b.benef_set(r.integer(0), r.integer(1) != 0, r.text(2), r.text(3), r.text(4), r.text(5));
                 });
        max_id_b = as_opt_int(s.query("SELECT MAX(id) FROM activites").rows[0][0]).value_or(0);
        auto csr = [&](const char* sql, auto valeur) {
          Csr c;
          auto& [debut, vals] = c;
          debut.assign(static_cast<std::size_t>(std::max<std::int64_t>(max_id_b, 0)) + 2, 0);
          std::size_t suivant = 1;  // debut[a] is set for every a < suivant
          s.stream(sql, [&](const RowView& r) {
            std::int64_t a = r.integer(0);
            if (a <= 0 || a > max_id_b) return;  // cannot happen within one snapshot (foreign key)
            auto u = static_cast<std::size_t>(a);
            if (u + 1 < suivant) throw std::runtime_error("statistiques: liens non ordonnés par activité");
            for (; suivant <= u; ++suivant) debut[suivant] = static_cast<std::uint32_t>(vals.size());
            vals.push_back(valeur(r));
          });
          for (; suivant < debut.size(); ++suivant) debut[suivant] = static_cast<std::uint32_t>(vals.size());
          return c;
        };
        liens = csr(
            "SELECT activite_id, beneficiaire_id, premier_accompagnement FROM activite_beneficiaires "
            "ORDER BY activite_id, beneficiaire_id",
            [](const RowView& r) { return lien_of(r.integer(1), r.integer(2) != 0); });
        tags = csr("SELECT activite_id, tag_id FROM activite_tags ORDER BY activite_id, tag_id",
                   [](const RowView& r) { return tag_of(r.integer(1)); });
        for (auto& r : s.query("SELECT id, coordinateur_id, type, date, duree, participants FROM coordination_activites "
                               "WHERE deleted_at IS NULL")
                           .rows)
          n.coordination.emplace(as_int(r[0]), n.coord_of(r));
      },
  });
  if (max_id_a != max_id_b)  // one snapshot: never, unless read_parallel broke its promise
    throw std::runtime_error("statistiques: lectures de la construction incohérentes");
  // beneficiaries: B's commune indices → this dictionary
  std::vector<std::uint16_t> remap(b.communes.size());
  for (std::size_t j = 0; j < b.communes.size(); ++j) remap[j] = n.commune(std::string_view(b.communes[j]));
  n.benef_attr = std::move(b.benef_attr);
  n.benef_commune = std::move(b.benef_commune);
  for (auto& c : n.benef_commune) c = remap[c];
  n.lier(liens, tags);
  liens = {};
  tags = {};
  // push_back growth leaves up to half of each column unused: give it back once built.
  for (auto& p : n.mois) p.fit();
  n.benef_attr.shrink_to_fit();
  n.benef_commune.shrink_to_fit();
  n.construction_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  tour.attendre();
  auto lock = impl_->exclusif();
  // the new state replaces the old one; the mutexes, tickets and the query caches stay, and the
  // sort orders derived from the old dictionaries are dropped (the new ones index differently)
  static_cast<EtatMoteur&>(*impl_) = std::move(static_cast<EtatMoteur&>(n));
  std::lock_guard l(impl_->ordres_mu);
  impl_->ordre_communes.reset();
  impl_->ordre_lieux.reset();
}

void Engine::appliquer(std::int64_t activite_id) {
  Impl& d = *impl_;
  Impl::Tour tour(d);
  using Attrs = std::tuple<std::int64_t, bool, std::optional<std::string>, std::optional<std::string>,
                           std::optional<std::string>, std::optional<std::string>>;
  std::optional<Brut> nouveau;
  std::optional<Mediateur> med;
  std::vector<std::tuple<std::int64_t, std::int64_t, bool>> premiers;  // activity, beneficiary, premier
  std::vector<Attrs> attrs;
  std::vector<std::int64_t> lus;  // beneficiaries whose links and attributes were read
  // The attributes of these beneficiaries and the premier_accompagnement flags of all their
  // links, one query each (links cannot outlive their beneficiary: foreign key).
  auto lire_beneficiaires = [&](Session& s, const std::vector<std::int64_t>& benefs) {
    for (auto b : benefs) {
      auto rows = s.query("SELECT b.anonyme, b.genre, b.tranche_age, b.statut_social, b.commune_insee, ab.activite_id, "
                          "ab.premier_accompagnement FROM beneficiaires b "
                          "LEFT JOIN activite_beneficiaires ab ON ab.beneficiaire_id = b.id WHERE b.id = ?",
                          {b});
      if (rows.empty()) continue;
      auto& a = rows.rows[0];
      attrs.emplace_back(b, as_int(a[0]) != 0, as_opt_text(a[1]), as_opt_text(a[2]), as_opt_text(a[3]), as_opt_text(a[4]));
      for (auto& r : rows.rows)
        if (auto act = as_opt_int(r[5])) premiers.emplace_back(*act, b, as_int(r[6]) != 0);
    }
  };
  // Outside the turn: what memory holds now (a hint, re-checked during the turn) and the read.
  {
    std::shared_lock r(d.mu);
    lus = d.beneficiaires_de(activite_id);
  }
  d.db.read([&](Session& s) {
    d.lire_activites(s, "a.id = ?", {activite_id}, [&](Brut&& b) { nouveau = std::move(b); });
    if (nouveau) {
      for (auto& l : nouveau->liens) lus.push_back(l.first);
      bool connu;
      {
        std::shared_lock r(d.mu);
        connu = d.mediateur_idx.count(nouveau->mediateur_id) > 0;
      }
      if (!connu) {
        med.emplace();
        med->user_id = nouveau->mediateur_id;
        d.charger_mediateur(s, nouveau->mediateur_id, *med);
      }
    }
    std::sort(lus.begin(), lus.end());
    lus.erase(std::unique(lus.begin(), lus.end()), lus.end());
    lire_beneficiaires(s, lus);
  });
  if (d.apres_lecture) d.apres_lecture();
  tour.attendre();
  // During the turn no other writer changes memory. An earlier ticket may have linked this
  // activity to a beneficiary the hint did not have: losing that link changes the premier flags
  // of that beneficiary's other activities, so read them too (rare: concurrent edits of one CRA).
  std::vector<std::int64_t> manquants;
  {
    std::shared_lock r(d.mu);
    for (auto b : d.beneficiaires_de(activite_id))
      if (!std::binary_search(lus.begin(), lus.end(), b)) manquants.push_back(b);
  }
  if (!manquants.empty()) {
    std::sort(manquants.begin(), manquants.end());
    manquants.erase(std::unique(manquants.begin(), manquants.end()), manquants.end());
    d.db.read([&](Session& s) { lire_beneficiaires(s, manquants); });
  }
  auto lock = d.exclusif();
  if (med) {
    auto idx = d.mediateur(med->user_id);
    d.mediateurs[idx] = std::move(*med);
  }
  for (auto& [id, anon, g, t, st, c] : attrs) d.benef_set(id, anon, g, t, st, c);
  d.tuer(activite_id);
  if (nouveau) d.ajouter(*nouveau);
  for (auto& [a, b, prem] : premiers) d.set_premier(a, b, prem);
}

void Engine::appliquer_beneficiaire(std::int64_t beneficiaire_id) {
  Impl& d = *impl_;
  std::vector<std::int64_t> activites;
  {
    // Rare (a beneficiary edited, merged, erased): the whole call runs during its turn.
    Impl::Tour tour(d);
    tour.attendre();
    {
      std::shared_lock r(d.mu);
      auto b = static_cast<std::uint32_t>(beneficiaire_id);
      for (auto& p : d.mois)
        for (std::size_t i = 0; i < p.size(); ++i) {
          if (p.flags[i] & kMort) continue;
          bool lie = false;
          if (!f_type(p.flags[i])) {
            lie = (p.benef[i] & ~kPremier) == b;
          } else {
            const Atelier& a = p.ateliers[p.benef[i]];
            for (std::uint32_t k = a.debut; k < a.fin && !lie; ++k) lie = (p.participants[k] & ~kPremier) == b;
          }
          if (lie) activites.push_back(p.id[i]);
        }
    }
    std::optional<storage::Rows> row;
    d.db.read([&](Session& s) {
      row = s.query("SELECT id, anonyme, genre, tranche_age, statut_social, commune_insee FROM beneficiaires WHERE id = ?",
                    {beneficiaire_id});
      for (auto& r : s.query("SELECT activite_id FROM activite_beneficiaires WHERE beneficiaire_id = ?", {beneficiaire_id}).rows)
        activites.push_back(as_int(r[0]));
    });
    auto lock = d.exclusif();
    if (!row->empty()) {
      auto& r = row->rows[0];
      d.benef_set(beneficiaire_id, as_int(r[1]) != 0, as_opt_text(r[2]), as_opt_text(r[3]), as_opt_text(r[4]),
                  as_opt_text(r[5]));
    }
  }
  std::sort(activites.begin(), activites.end());
  activites.erase(std::unique(activites.begin(), activites.end()), activites.end());
  for (auto a : activites) appliquer(a);  // links moved by a merge, premier flags
}

void Engine::appliquer_mediateur(std::int64_t user_id) {
  Impl& d = *impl_;
  Impl::Tour tour(d);
  Mediateur m;
  m.user_id = user_id;
  d.db.read([&](Session& s) { d.charger_mediateur(s, user_id, m); });
  tour.attendre();
  auto lock = d.exclusif();
  auto idx = d.mediateur(user_id);
  d.mediateurs[idx] = std::move(m);
  const Mediateur& md = d.mediateurs[idx];
  for (std::size_t mo = 0; mo < d.mois.size(); ++mo) {
    Partition& p = d.mois[mo];
    Jour base = premier_jour(static_cast<int>(mo));
    for (std::size_t i = 0; i < p.size(); ++i)
      if (p.med[i] == idx) p.employeur[i] = d.structure(md.employeur(base + p.jour[i] - 1));
  }
}

void Engine::appliquer_structure(std::int64_t structure_id) {
  Impl& d = *impl_;
  Impl::Tour tour(d);  // rare (a structure's commune changed): the whole call runs during its turn
  tour.attendre();
  std::vector<std::int64_t> ids;
  {
    std::shared_lock r(d.mu);
    auto it = d.structure_idx.find(structure_id);
    if (it == d.structure_idx.end()) return;
    for (auto& p : d.mois)
      for (std::size_t i = 0; i < p.size(); ++i)
        if (!(p.flags[i] & kMort) && p.lieu[i] == it->second) ids.push_back(p.id[i]);
  }
  // Re-reading the activities at this lieu gives their new effective commune.
  for (auto id : ids) {
    std::optional<Brut> b;
    d.db.read([&](Session& s) { d.lire_activites(s, "a.id = ?", {id}, [&](Brut&& x) { b = std::move(x); }); });
    auto lock = d.exclusif();
    if (std::uint32_t e = d.place(id); b && e != kAbsent) d.mois[mois_de(e)].commune[slot_de(e)] = d.commune(b->commune);
  }
}

void Engine::appliquer_coordination(std::int64_t coordination_id) {
  Impl& d = *impl_;
  Impl::Tour tour(d);
  std::optional<Impl::Coord> c;
  d.db.read([&](Session& s) {
    auto rows = s.query("SELECT id, coordinateur_id, type, date, duree, participants FROM coordination_activites "
                        "WHERE id = ? AND deleted_at IS NULL",
                        {coordination_id});
    if (!rows.empty()) c = d.coord_of(rows.rows[0]);
  });
  tour.attendre();
  auto lock = d.exclusif();
  if (c)
    d.coordination[coordination_id] = *c;
  else
    d.coordination.erase(coordination_id);
}

void Engine::apres_lecture_pour_tests(std::function<void()> fn) { impl_->apres_lecture = std::move(fn); }

EngineStats Engine::stats() const {
  auto r = impl_->partage();
  EngineStats s;
  s.activites = impl_->vivantes;
  s.octets = impl_->octets();
  s.octets_par_activite = s.activites ? static_cast<double>(s.octets) / static_cast<double>(s.activites) : 0;
  s.construction_ms = impl_->construction_ms;
  for (auto& p : impl_->mois) s.partitions += p.size() > p.morts ? 1 : 0;
  s.threads = impl_->options.threads;
  return s;
}

Tableau Engine::calculer(const Filtres& f, const Perimetre& p, std::string_view aujourdhui) const {
  auto r = impl_->partage();
  return impl_->calculer(f, p, aujourdhui);
}

namespace {

template <std::size_t N>
Repartition repartition_codes(const act::Code (&list)[N], const Compte* c) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> m;
  for (std::size_t i = 0; i < N; ++i) m[std::string(list[i].code)] = {c[i].valeur, c[i].activites};
  return repartition(std::move(m));
}

template <std::size_t N>
void ajouter_a(std::array<Compte, N>& a, const std::array<Compte, N>& b) {
  for (std::size_t i = 0; i < N; ++i) a[i] += b[i];
}
template <class T, std::size_t N>
void ajouter_a(std::array<T, N>& a, const std::array<T, N>& b) {
  for (std::size_t i = 0; i < N; ++i) a[i] += b[i];
}

// The prepared predicates of one query (read-only while the threads scan).
struct Predicats {
  Jour du = INT_MIN, au = INT_MAX, jour0 = 0;
  unsigned types_mask = 3;
  std::vector<std::uint8_t> med_ok, lieu_ok, employeur_ok, commune_ok;  // empty: no restriction
  std::vector<std::vector<std::pair<Jour, Jour>>> intervalles;          // per mediator; empty: none
  bool them_filtre = false;
  std::uint32_t them_mask = 0;
  std::vector<std::uint32_t> tags_f, benef_f;  // sorted
};

// A contiguous range of slots of one month.
struct Morceau {
  const Partition* p = nullptr;
  Jour base = 0;        // first day of the month
  int evol = -1;        // index in the 12-month evolution, -1 when outside it
  bool entier = false;  // every day of the month is within du…au
  std::uint32_t debut = 0, fin = 0;
};

// What one query thread adds up.
struct Accumulateurs {
  std::int64_t activites = 0, accompagnements = 0, duree = 0, individuels = 0, ateliers = 0, participants = 0;
  std::int64_t anonymes_ateliers = 0, nouveaux_ateliers = 0;  // the ateliers' anonymous counts
  std::array<Compte, 2> type{};
  std::array<Compte, 19> them{};
  std::array<Compte, 11> dem{};
  std::array<Compte, 5> mat{};
  std::array<Compte, 4> canal{}, duree_b{};
  std::array<Compte, 4> autonomie{};  // 0: none
  std::array<Compte, 2> orient{};     // 0 non, 1 oui
  std::array<Compte, 8> redir{};      // 0: none
  std::vector<Compte> lieu, commune;  // filled by developper()
  // Filled by the scan: per lieu / commune, the activities (u32: a thread's share of one query)
  // and, apart, the weight beyond 1 of the ateliers — compact arrays for the two histograms
  // indexed by dictionaries of up to 65 535 entries (tens of thousands of communes).
  std::vector<std::uint32_t> lieu_n, commune_n;
  std::vector<std::int64_t> lieu_extra, commune_extra;
  std::vector<Compte> tags;  // by dense tag index (Impl::tag_ids)
  // orientations: activities per lieu id (0: lieu deleted) and per service (vocabulary index)
  std::unordered_map<std::uint32_t, std::int64_t> or_lieux;
  std::array<std::int64_t, 32> or_services{};
  std::array<std::int64_t, 12> evol{};
  std::array<std::int64_t, 3> genre{};  // anonymous atelier participants, then (after the union) all
  std::array<std::int64_t, 8> age{};
  std::array<std::int64_t, 5> statut{};
  std::vector<std::int64_t> par_jour, b_commune;
  // distinct beneficiaries (filled after the union of the bitsets)
  std::int64_t suivis = 0, anonymes = 0, nouveaux = 0;
  Scratch* sc = nullptr;
  // what the scan fills (see scanner), turned into the breakdowns above by developper()
  // During the scan, the valeur of these histograms holds only the weight
  // beyond 1 of each activity (ateliers): individual CRAs cost one increment. developper() adds
  // the activities back.
  std::array<Compte, 2048> cle{};                  // flags bits 0-8 | durée bucket << 9
  std::array<std::array<Compte, 256>, 4> octets{};  // bytes of the codes (thématiques, démarches)
  std::array<Compte, 32> mat_h{};                   // matériel bits

  void developper() {
    auto complet = [](Compte& c) { c.valeur += c.activites; };
    std::for_each(cle.begin(), cle.end(), complet);
    for (auto& o : octets) std::for_each(o.begin(), o.end(), complet);
    std::for_each(mat_h.begin(), mat_h.end(), complet);
    auto remplir = [](std::vector<Compte>& c, const std::vector<std::uint32_t>& n, const std::vector<std::int64_t>& extra) {
      c.resize(n.size());
      for (std::size_t i = 0; i < n.size(); ++i) c[i] = {n[i] + extra[i], n[i]};
    };
    remplir(lieu, lieu_n, lieu_extra);
    remplir(commune, commune_n, commune_extra);
    for (std::uint32_t k = 0; k < cle.size(); ++k) {
      const Compte& c = cle[k];
      if (!c.activites) continue;
      const auto fl = static_cast<std::uint16_t>(k & 0x1FFu);
      type[f_type(fl)] += c;
      canal[f_canal(fl)] += c;
      duree_b[k >> 9] += c;
      if (f_type(fl)) {
        ateliers += c.activites;
        participants += c.valeur;
      } else {  // individual: weight 1, valeur = activites
        individuels += c.activites;
        autonomie[f_autonomie(fl)] += c;
        orient[f_oriente(fl)] += c;
        if (f_oriente(fl)) redir[f_redir(fl)] += c;
      }
    }
    for (std::size_t o = 0; o < octets.size(); ++o)
      for (std::uint32_t v = 1; v < 256; ++v) {
        const Compte& c = octets[o][v];
        if (!c.activites) continue;
        for (std::uint32_t bits = v; bits; bits &= bits - 1) {
          std::size_t b = o * 8 + static_cast<std::size_t>(__builtin_ctz(bits));
          if (b < 19) them[b] += c;
          else if (b < 30) dem[b - 19] += c;
        }
      }
    for (std::uint32_t v = 1; v < mat_h.size(); ++v)
      for (std::uint32_t bits = v; bits; bits &= bits - 1) mat[static_cast<std::size_t>(__builtin_ctz(bits))] += mat_h[v];
  }

  void fusionner(const Accumulateurs& o) {
    activites += o.activites, accompagnements += o.accompagnements, duree += o.duree;
    individuels += o.individuels, ateliers += o.ateliers, participants += o.participants;
    anonymes_ateliers += o.anonymes_ateliers, nouveaux_ateliers += o.nouveaux_ateliers;
    ajouter_a(cle, o.cle), ajouter_a(mat_h, o.mat_h);
    for (std::size_t k = 0; k < octets.size(); ++k) ajouter_a(octets[k], o.octets[k]);
    for (std::size_t i = 0; i < lieu_n.size(); ++i) lieu_n[i] += o.lieu_n[i], lieu_extra[i] += o.lieu_extra[i];
    for (std::size_t i = 0; i < commune_n.size(); ++i)
      commune_n[i] += o.commune_n[i], commune_extra[i] += o.commune_extra[i];
    for (std::size_t i = 0; i < tags.size(); ++i) tags[i] += o.tags[i];
    for (auto& [l, n] : o.or_lieux) or_lieux[l] += n;
    ajouter_a(or_services, o.or_services);
    ajouter_a(evol, o.evol), ajouter_a(genre, o.genre), ajouter_a(age, o.age), ajouter_a(statut, o.statut);
    for (std::size_t i = 0; i < par_jour.size(); ++i) par_jour[i] += o.par_jour[i];
    for (std::size_t i = 0; i < b_commune.size(); ++i) b_commune[i] += o.b_commune[i];
    suivis += o.suivis, anonymes += o.anonymes, nouveaux += o.nouveaux;
  }
};

// The activity-level filters and the mediators' scope (slot i of p, of flags fl and day d); kt
// is a tag cursor that only moves forward.
bool passe(const Predicats& q, const Partition& p, std::uint32_t i, std::uint16_t fl, Jour d, std::size_t& kt) {
  if (!((q.types_mask >> f_type(fl)) & 1u)) return false;
  const std::uint16_t mi = p.med[i];
  if (!q.med_ok.empty() && !q.med_ok[mi]) return false;
  if (!q.intervalles.empty()) {
    bool ok = false;
    for (auto& [x, y] : q.intervalles[mi]) ok = ok || (d >= x && d < y);
    if (!ok) return false;
  }
  if (!q.commune_ok.empty() && !q.commune_ok[p.commune[i]]) return false;
  if (!q.lieu_ok.empty() && !q.lieu_ok[p.lieu[i]]) return false;
  if (!q.employeur_ok.empty() && !q.employeur_ok[p.employeur[i]]) return false;
  if (q.them_filtre && !(p.codes[i] & q.them_mask)) return false;
  if (!q.tags_f.empty()) {
    if (!(fl & kTags)) return false;
    while (p.tag_slot[kt] < i) ++kt;
    bool ok = false;
    for (std::uint32_t x = p.tag_debut[kt]; x < p.tag_debut[kt + 1] && !ok; ++x)
      ok = std::binary_search(q.tags_f.begin(), q.tags_f.end(), p.tags[x]);
    if (!ok) return false;
  }
  if (!q.benef_f.empty()) {
    bool ok = false;
    if (!f_type(fl)) {
      ok = p.benef[i] && std::binary_search(q.benef_f.begin(), q.benef_f.end(), p.benef[i] & ~kPremier);
    } else {
      const Atelier& at = p.ateliers[p.benef[i]];
      for (std::uint32_t k = at.debut; k < at.fin && !ok; ++k)
        ok = std::binary_search(q.benef_f.begin(), q.benef_f.end(), p.participants[k] & ~kPremier);
    }
    if (!ok) return false;
  }
  return true;
}

// Scans one range. Filtre=false is the fast path of national queries without activity-level
// filters: only the dead bit and the period are tested.
// Per counted activity the loop does a fixed number of table increments and no data-dependent
// branching beyond individuel/atelier: the small categorical attributes go to one joint
// histogram (flags bits 0-8 + durée bucket: 2 048 cells), the thématiques/démarches bits to four
// byte histograms and the matériel bits to a fifth; developer() turns them into the breakdowns
// once, after the threads' partial results are merged.
template <bool Filtre>
void scanner(const Predicats& q, const Morceau& mc, Accumulateurs& a) {
  const Partition& p = *mc.p;
  std::uint64_t* bits = a.sc->bits.data();
  auto voir = [&](std::uint32_t lien) {
    std::uint32_t b = lien & ~kPremier;
    std::uint64_t* w = bits + 2 * (b >> 6);
    w[0] |= 1ull << (b & 63);
    w[1] |= static_cast<std::uint64_t>(lien >> 31) << (b & 63);
  };
  const Jour du = q.du, au = q.au, jour0 = q.jour0;
  const bool entier = mc.entier, dans_evol = mc.evol >= 0;
  std::int64_t evol = 0;
  std::int64_t activites = 0, accompagnements = 0, duree = 0;
  // tag cursors (tag_slot is ascending): one for the tags filter, one for the tags breakdown
  std::size_t kt = static_cast<std::size_t>(std::lower_bound(p.tag_slot.begin(), p.tag_slot.end(), mc.debut) -
                                            p.tag_slot.begin());
  [[maybe_unused]] std::size_t kt_filtre = kt;
  // orientation cursor (or_slot is ascending)
  std::size_t ko = static_cast<std::size_t>(std::lower_bound(p.or_slot.begin(), p.or_slot.end(), mc.debut) -
                                            p.or_slot.begin());
  const std::size_t no = p.or_slot.size();
  const std::uint16_t* flags = p.flags.data();
  const std::uint8_t* jours = p.jour.data();
  const std::uint32_t* codes_v = p.codes.data();
  const std::uint32_t* benefs = p.benef.data();
  const std::uint16_t* durees = p.duree.data();
  const std::uint16_t* lieux = p.lieu.data();
  const std::uint16_t* communes = p.commune.data();
  Compte* cle = a.cle.data();
  Compte* oct0 = a.octets[0].data();
  Compte* oct1 = a.octets[1].data();
  Compte* oct2 = a.octets[2].data();
  Compte* oct3 = a.octets[3].data();
  Compte* mat = a.mat_h.data();
  std::uint32_t* lieu_n = a.lieu_n.data();
  std::uint32_t* commune_n = a.commune_n.data();
  std::int64_t* lieu_extra = a.lieu_extra.data();
  std::int64_t* commune_extra = a.commune_extra.data();
  std::int64_t* par_jour = a.par_jour.data();
  for (std::uint32_t i = mc.debut; i < mc.fin; ++i) {
    const std::uint16_t fl = flags[i];
    if (fl & kMort) continue;
    const Jour d = mc.base + jours[i] - 1;
    if constexpr (Filtre) {
      if (!passe(q, p, i, fl, d, kt_filtre)) continue;
    }
    const bool hors_periode = !entier && (d < du || d > au);
    if (hors_periode && !dans_evol) continue;  // e.g. the days before du in its month
    const Atelier* at = (fl & 1u) ? &p.ateliers[benefs[i]] : nullptr;
    const std::int64_t w = at ? at->fin - at->debut + at->total : 1;
    evol += w;
    if (hors_periode) continue;

    activites++;
    accompagnements += w;
    const std::uint32_t du_ = durees[i];
    duree += du_;
    par_jour[d - jour0] += w;
    const std::uint32_t bucket = (du_ >= 30) + (du_ >= 60) + (du_ >= 120);
    const std::uint32_t codes = codes_v[i];
    // one increment per histogram; the weight beyond 1 (ateliers only) is added below
    Compte* h[6] = {&cle[(fl & 0x1FFu) | (bucket << 9)], &oct0[codes & 0xFFu], &oct1[(codes >> 8) & 0xFFu],
                    &oct2[(codes >> 16) & 0xFFu], &oct3[codes >> 24], &mat[f_materiel(fl)]};
    for (Compte* c : h) c->activites++;
    lieu_n[lieux[i]]++;
    commune_n[communes[i]]++;
    if (fl & kTags) {
      while (p.tag_slot[kt] < i) ++kt;
      for (std::uint32_t x = p.tag_debut[kt]; x < p.tag_debut[kt + 1]; ++x) a.tags[p.tags[x]].add(w);
    }
    if (ko < no) {
      while (ko < no && p.or_slot[ko] < i) ++ko;
      if (ko < no && p.or_slot[ko] == i) {
        if (p.or_lieu[ko]) a.or_lieux[p.or_lieu[ko]]++;
        for (std::uint32_t bits = p.or_services[ko]; bits; bits &= bits - 1) a.or_services[__builtin_ctz(bits)]++;
      }
    }
    if (!at) {
      if (benefs[i]) voir(benefs[i]);
    } else {
      for (Compte* c : h) c->valeur += w - 1;
      lieu_extra[lieux[i]] += w - 1;
      commune_extra[communes[i]] += w - 1;
      for (std::uint32_t x = at->debut; x < at->fin; ++x) voir(p.participants[x]);
      a.anonymes_ateliers += at->total;
      a.nouveaux_ateliers += at->deja_non;
      for (int x = 0; x < 3; ++x) a.genre[x] += at->genre[x];
      for (int x = 0; x < 8; ++x) a.age[x] += at->age[x];
      for (int x = 0; x < 5; ++x) a.statut[x] += at->statut[x];
      a.b_commune[0] += at->total;
    }
  }
  if (mc.evol >= 0) a.evol[static_cast<std::size_t>(mc.evol)] += evol;
  a.activites += activites;
  a.accompagnements += accompagnements;
  a.duree += duree;
}

// Runs fn(0) … fn(n - 1), fn(0) on the calling thread, the others on their own threads.
template <class F>
void en_parallele(int n, F&& fn) {
  if (n <= 1) {
    fn(0);
    return;
  }
  std::vector<std::exception_ptr> erreurs(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(n - 1));
  auto run = [&](int k) {
    try {
      fn(k);
    } catch (...) {
      erreurs[static_cast<std::size_t>(k)] = std::current_exception();
    }
  };
  for (int k = 1; k < n; ++k) threads.emplace_back(run, k);
  run(0);
  for (auto& t : threads) t.join();
  for (auto& e : erreurs)
    if (e) std::rethrow_exception(e);
}

}  // namespace

Tableau Engine::Impl::calculer(const Filtres& f, const Perimetre& per, std::string_view aujourdhui) const {
  Predicats q;
  q.du = f.du ? jour_or_throw(*f.du) : INT_MIN;
  q.au = f.au ? jour_or_throw(*f.au) : INT_MAX;
  const Jour du = q.du, au = q.au;
  Jour fin_evol = f.au ? au : jour_or_throw(aujourdhui);
  int mois_fin = mois_of(fin_evol), mois_debut_evol = mois_fin - 11;

  // ---- prepared predicates ----
  if (!f.types.empty()) {
    q.types_mask = 0;
    for (auto& t : f.types) q.types_mask |= t == "individuel" ? 1u : t == "collectif" ? 2u : 4u;
  }
  bool filtre = q.types_mask != 3;

  const std::size_t nm = mediateurs.size();
  bool med_filtre = !f.mediateurs.empty() || f.conseiller_numerique != Conseiller::indifferent ||
                    per.kind == Perimetre::Kind::mediateurs;
  if (med_filtre) {
    q.med_ok.assign(nm, 1);
    if (!f.mediateurs.empty()) {
      std::fill(q.med_ok.begin(), q.med_ok.end(), 0);
      for (auto id : f.mediateurs)
        if (auto it = mediateur_idx.find(id); it != mediateur_idx.end()) q.med_ok[it->second] = 1;
    }
    if (f.conseiller_numerique != Conseiller::indifferent)
      for (std::size_t i = 0; i < nm; ++i)
        if (mediateurs[i].conseiller != (f.conseiller_numerique == Conseiller::oui)) q.med_ok[i] = 0;
    // scope by mediators: intervals per mediator index
    if (per.kind == Perimetre::Kind::mediateurs) {
      q.intervalles.resize(nm);
      for (auto& mp : per.mediateurs)
        if (auto it = mediateur_idx.find(mp.mediateur_id); it != mediateur_idx.end())
          q.intervalles[it->second].emplace_back(mp.depuis ? jour_or_throw(*mp.depuis) : INT_MIN,
                                                 mp.jusqua ? jour_or_throw(*mp.jusqua) : INT_MAX);
      for (std::size_t i = 0; i < nm; ++i)
        if (q.intervalles[i].empty()) q.med_ok[i] = 0;
    }
    filtre = true;
  }

  const std::size_t ns = structures.size();
  if (!f.lieux.empty()) {
    q.lieu_ok.assign(ns, 0);
    for (auto id : f.lieux)
      if (auto it = structure_idx.find(id); it != structure_idx.end()) q.lieu_ok[it->second] = 1;
    filtre = true;
  }
  if (!f.structures_employeuses.empty() || per.kind == Perimetre::Kind::structure || per.kind == Perimetre::Kind::reseau) {
    q.employeur_ok.assign(ns, 1);
    q.employeur_ok[0] = 0;
    auto restrict_to = [&](const std::vector<std::int64_t>& ids) {
      std::vector<std::uint8_t> m(ns, 0);
      for (auto id : ids)
        if (auto it = structure_idx.find(id); it != structure_idx.end()) m[it->second] = 1;
      for (std::size_t i = 0; i < ns; ++i) q.employeur_ok[i] &= m[i];
    };
    if (!f.structures_employeuses.empty()) restrict_to(f.structures_employeuses);
    if (per.kind == Perimetre::Kind::structure) restrict_to({per.structure_id});
    if (per.kind == Perimetre::Kind::reseau) restrict_to(per.structures);
    filtre = true;
  }

  const std::size_t nc = communes.size();
  auto contains = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  bool territoire = per.kind == Perimetre::Kind::departements || per.kind == Perimetre::Kind::regions;
  if (!f.communes.empty() || !f.departements.empty() || !f.regions.empty() || territoire) {
    q.commune_ok.assign(nc, 0);
    for (std::size_t i = 1; i < nc; ++i) {
      bool ok = (f.communes.empty() || contains(f.communes, communes[i])) &&
                (f.departements.empty() || contains(f.departements, commune_dep[i])) &&
                (f.regions.empty() || (!commune_reg[i].empty() && contains(f.regions, commune_reg[i])));
      if (per.kind == Perimetre::Kind::departements) ok = ok && contains(per.codes, commune_dep[i]);
      if (per.kind == Perimetre::Kind::regions) ok = ok && !commune_reg[i].empty() && contains(per.codes, commune_reg[i]);
      q.commune_ok[i] = ok;
    }
    filtre = true;
  }

  q.them_filtre = !f.thematiques.empty();
  for (auto& t : f.thematiques) {
    int i = index_of(act::thematiques, t);
    if (i >= 0) q.them_mask |= 1u << i;
  }
  for (auto t : f.tags)  // dense indexes; a tag no activity carries matches nothing (UINT32_MAX)
    if (auto it = tag_idx.find(static_cast<std::uint32_t>(t)); t >= 0 && t <= 0xFFFFFFFFLL && it != tag_idx.end())
      q.tags_f.push_back(it->second);
    else
      q.tags_f.push_back(UINT32_MAX);
  std::sort(q.tags_f.begin(), q.tags_f.end());
  for (auto b : f.beneficiaires) q.benef_f.push_back(static_cast<std::uint32_t>(b));
  std::sort(q.benef_f.begin(), q.benef_f.end());
  filtre = filtre || q.them_filtre || !q.tags_f.empty() || !q.benef_f.empty();

  // ---- the slots to read, cut into one contiguous piece per thread ----
  std::size_t nb_jours = 0;
  int m_lo = std::min(du == INT_MIN ? 0 : std::max(0, mois_of(du)), std::max(0, mois_debut_evol));
  int m_hi = std::max(au == INT_MAX ? static_cast<int>(mois.size()) - 1 : mois_of(au), mois_fin);
  m_hi = std::min(m_hi, static_cast<int>(mois.size()) - 1);
  if (m_hi >= m_lo) {
    Jour d0 = std::max(du, premier_jour(m_lo)), d1 = std::min(au, premier_jour(m_hi + 1) - 1);
    if (d1 >= d0) {
      q.jour0 = d0;
      nb_jours = static_cast<std::size_t>(d1 - d0 + 1);
    }
  }
  std::vector<Morceau> mois_lus;
  std::int64_t total = 0;
  for (int m = m_lo; m <= m_hi; ++m) {
    bool dans_evol = m >= mois_debut_evol && m <= mois_fin;
    Jour base = premier_jour(m), fin_mois = premier_jour(m + 1) - 1;
    bool periode_mois = fin_mois >= du && base <= au;
    if (!dans_evol && !periode_mois) continue;
    const Partition& p = mois[static_cast<std::size_t>(m)];
    if (p.size() == 0) continue;
    mois_lus.push_back({&p, base, dans_evol ? m - mois_debut_evol : -1, base >= du && fin_mois <= au, 0,
                        static_cast<std::uint32_t>(p.size())});
    total += static_cast<std::int64_t>(p.size());
  }
  const int nt = static_cast<int>(
      std::clamp<std::int64_t>(total / options.activites_par_thread, 1, std::max(1, options.threads)));
  std::vector<std::vector<Morceau>> parts(static_cast<std::size_t>(nt));
  {
    std::int64_t par_part = (total + nt - 1) / nt, reste = par_part;
    std::size_t k = 0;
    for (auto mc : mois_lus) {
      while (mc.debut < mc.fin) {
        auto n = static_cast<std::uint32_t>(std::min<std::int64_t>(reste, mc.fin - mc.debut));
        if (n == 0) break;  // cannot happen: the parts hold `total` slots
        Morceau piece = mc;
        piece.fin = mc.debut + n;
        parts[k].push_back(piece);
        mc.debut += n;
        reste -= n;
        if (reste == 0 && k + 1 < parts.size()) ++k, reste = par_part;
      }
    }
  }

  // ---- scan ----
  std::vector<Accumulateurs> acc(static_cast<std::size_t>(nt));
  std::vector<std::unique_ptr<Scratch>> scratches;
  const std::size_t mots = (benef_attr.size() + 63) / 64;
  for (int k = 0; k < nt; ++k) scratches.push_back(prendre_scratch(mots));
  en_parallele(nt, [&](int k) {
    Accumulateurs& a = acc[static_cast<std::size_t>(k)];
    a.sc = scratches[static_cast<std::size_t>(k)].get();
    a.lieu_n.resize(ns);
    a.lieu_extra.resize(ns);
    a.commune_n.resize(nc);
    a.commune_extra.resize(nc);
    a.par_jour.resize(std::max<std::size_t>(nb_jours, 1));  // index 0 takes the uncounted slots' zeros
    a.b_commune.resize(nc);
    a.tags.resize(tag_ids.size());
    for (auto& mc : parts[static_cast<std::size_t>(k)]) {
      if (filtre) scanner<true>(q, mc, a);
      else scanner<false>(q, mc, a);
    }
  });
  // ---- distinct beneficiaries: over the union of the threads' bitsets, a range of words each ----
  en_parallele(nt, [&](int k) {
    Accumulateurs& a = acc[static_cast<std::size_t>(k)];
    std::size_t w0 = mots * static_cast<std::size_t>(k) / static_cast<std::size_t>(nt);
    std::size_t w1 = mots * static_cast<std::size_t>(k + 1) / static_cast<std::size_t>(nt);
    const std::uint16_t* attr = benef_attr.data();
    const std::uint16_t* commune_b = benef_commune.data();
    // one joint histogram of the 9 attribute bits (genre, tranche, statut, anonyme), split below
    std::array<std::int64_t, 512> joint{};
    for (std::size_t w = w0; w < w1; ++w) {
      std::uint64_t v = 0, nv = 0;
      for (auto& s : scratches) {
        v |= s->bits[2 * w];
        nv |= s->bits[2 * w + 1];
        s->bits[2 * w] = 0;
        s->bits[2 * w + 1] = 0;
      }
      a.nouveaux += __builtin_popcountll(nv);
      for (; v; v &= v - 1) {
        std::size_t b = w * 64 + static_cast<std::size_t>(__builtin_ctzll(v));
        joint[attr[b] & 0x1FFu]++;
        a.b_commune[commune_b[b]]++;
      }
    }
    for (std::uint32_t at = 0; at < joint.size(); ++at) {
      const std::int64_t n = joint[at];
      if (!n) continue;
      ((at >> 8) & 1 ? a.anonymes : a.suivis) += n;
      a.genre[at & 3] += n;
      a.age[(at >> 2) & 7] += n;
      a.statut[(at >> 5) & 7] += n;
    }
  });
  for (auto& s : scratches) rendre_scratch(std::move(s));  // zeroed by the union above
  Accumulateurs& a = acc[0];
  for (std::size_t k = 1; k < acc.size(); ++k) a.fusionner(acc[k]);
  a.developper();

  // ---- output ----
  Tableau t;
  t.activites = a.activites;
  t.accompagnements = a.accompagnements;
  t.duree_totale = a.duree;
  t.individuels = a.individuels;
  t.ateliers = a.ateliers;
  t.participants_ateliers = a.participants;
  t.suivis = a.suivis;
  t.anonymes = a.anonymes + a.anonymes_ateliers;
  t.nouveaux = a.nouveaux + a.nouveaux_ateliers;
  t.beneficiaires = t.suivis + t.anonymes;
  for (int k = 0; k < 12; ++k) t.par_mois.emplace_back(mois_texte(mois_debut_evol + k), a.evol[static_cast<std::size_t>(k)]);
  for (std::size_t k = 0; k < nb_jours; ++k)
    if (a.par_jour[k]) t.par_jour.emplace_back(date_of(q.jour0 + static_cast<Jour>(k)), a.par_jour[k]);
  t.types = repartition_codes(act::types, a.type.data());
  t.thematiques = repartition_codes(act::thematiques, a.them.data());
  t.demarches = repartition_codes(act::demarches, a.dem.data());
  t.materiel = repartition_codes(act::materiels, a.mat.data());
  t.canaux = repartition_codes(act::types_lieu, a.canal.data());
  {
    static constexpr act::Code buckets[] = {{"moins_30", ""}, {"30_60", ""}, {"60_120", ""}, {"120_plus", ""}};
    t.durees = repartition_codes(buckets, a.duree_b.data());
  }
  auto with_none = [](const auto& list, const Compte* c, std::size_t n) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> m;
    m[""] = {c[0].valeur, c[0].activites};
    for (std::size_t i = 1; i < n; ++i) m[std::string(list[i - 1].code)] = {c[i].valeur, c[i].activites};
    return repartition(std::move(m));
  };
  t.autonomie = with_none(act::autonomies, a.autonomie.data(), 4);
  t.redirections = with_none(act::structures_redirection, a.redir.data(), 8);
  t.orientation = repartition({{"non", {a.orient[0].valeur, a.orient[0].activites}},
                               {"oui", {a.orient[1].valeur, a.orient[1].activites}}});
  {
    std::vector<Ligne> l;
    for (auto& [lieu, n] : a.or_lieux) l.push_back({std::to_string(lieu), n, n, 0});
    t.orientations_lieux = repartition(std::move(l));
    l = {};
    const auto& voc = lieux::vocabulaire_services();
    for (std::size_t k = 0; k < voc.size(); ++k)
      if (a.or_services[k]) l.push_back({std::string(voc[k]), a.or_services[k], a.or_services[k], 0});
    t.orientations_services = repartition(std::move(l));
  }
  {
    // built as vectors (thousands of communes nationally), sorted once by repartition()
    auto [ordre_c, ordre_l] = ordres();
    std::vector<Ligne> l;
    l.reserve(ns);
    for (auto i : *ordre_l)
      if (a.lieu[i].activites) l.push_back({i ? std::to_string(structures[i]) : "", a.lieu[i].valeur, a.lieu[i].activites, 0});
    t.lieux = repartition_triee(std::move(l));
    l = {};
    l.reserve(nc);
    for (auto i : *ordre_c)
      if (a.commune[i].activites) l.push_back({communes[i], a.commune[i].valeur, a.commune[i].activites, 0});
    t.communes = repartition_triee(std::move(l));
    l = {};
    for (std::size_t k = 0; k < a.tags.size(); ++k)
      if (a.tags[k].activites) l.push_back({std::to_string(tag_ids[k]), a.tags[k].valeur, a.tags[k].activites, 0});
    t.tags = repartition(std::move(l));
    l = {};
    l.reserve(nc);
    for (auto i : *ordre_c)
      if (a.b_commune[i]) l.push_back({communes[i], a.b_commune[i], 0, 0});
    t.communes_residence = repartition_triee(std::move(l));
  }
  auto attr = [](const auto& list, const std::int64_t* v) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> m;
    for (std::size_t i = 0; i < std::size(list); ++i) m[std::string(list[i].code)] = {v[i], 0};
    return repartition(std::move(m));
  };
  t.genres = attr(act::genres, a.genre.data());
  t.tranches_age = attr(act::tranches_age, a.age.data());
  t.statuts = attr(act::statuts_social, a.statut.data());

  // coordination: period and scope only
  std::array<Coordination, 3> co{{{"animation"}, {"evenement"}, {"partenariat"}}};
  bool national = per.kind == Perimetre::Kind::national;
  for (auto& [id, c] : coordination) {
    if (c.jour < du || c.jour > au) continue;
    if (!national && std::find(per.coordinateurs.begin(), per.coordinateurs.end(), c.coordinateur_id) == per.coordinateurs.end())
      continue;
    co[c.type].activites++;
    co[c.type].duree += c.duree;
    co[c.type].participants += c.participants;
  }
  t.coordination.assign(co.begin(), co.end());
  return t;
}

}  // namespace coop::statistiques
