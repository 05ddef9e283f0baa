// Statistics engine: columnar, month-partitioned, dictionary-encoded.
//
// Layout (per live activity, see stats() for the measured total):
//   id u32, day-of-month u8, mediator index u32, durée u16, flags u16 (type, canal, autonomie,
//   orientation, redirection, matériel, dead bit), codes u32 (19 thématiques + 11 démarches
//   bits), lieu u16, commune u16, employer u16 (structure employeuse resolved at the activity's
//   date), beneficiary u32 (individuel: the beneficiary id with the premier_accompagnement flag in
//   bit 31; collectif: index of its Atelier record), tag CSR offset u32; plus a directory
//   id → (month u16, slot u32). Ateliers keep their anonymous counts and a CSR range of followed
//   participants in a side table. Beneficiary attributes live in a per-beneficiary table indexed
//   by beneficiary id (genre/tranche/statut/anonyme packed in u16 + commune u16).
// Updates never move rows: an update marks the old slot dead and appends the new version to the
// partition of its month; a partition whose dead slots exceed a quarter is compacted.
//
// Concurrency: one std::shared_mutex guards the whole in-memory state. calculer() holds it
// shared for the duration of its scan, so any number of queries run in parallel and each sees a
// consistent state. Writers (the appliquer_* calls and construire) are ordered by tickets
// (`Tour`): a writer takes a ticket when it is called — after its own transaction has committed
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
#include <chrono>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "features/activites/model.hpp"

namespace coop::statistiques {

namespace act = coop::activites;
using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Session;

namespace {

constexpr std::uint32_t kPremier = 0x80000000u;
constexpr std::uint16_t kMort = 0x8000u;
constexpr std::uint16_t kAbsent = 0xFFFFu;
constexpr std::int64_t kChunk = 20000;

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
  std::vector<std::uint32_t> med;
  std::vector<std::uint16_t> duree, flags, lieu, commune, employeur;
  std::vector<std::uint32_t> codes, benef;
  std::vector<std::uint32_t> tag_debut{0}, tags;
  std::vector<Atelier> ateliers;
  std::vector<std::uint32_t> participants;
  std::uint32_t morts = 0;
  std::size_t size() const { return id.size(); }
  std::uint32_t poids(std::size_t i) const {
    if (!f_type(flags[i])) return 1;
    const Atelier& a = ateliers[benef[i]];
    return a.fin - a.debut + a.total;
  }
  std::int64_t octets() const {
    auto cap = [](const auto& v) { return static_cast<std::int64_t>(v.capacity() * sizeof(v[0])); };
    return cap(id) + cap(jour) + cap(med) + cap(duree) + cap(flags) + cap(lieu) + cap(commune) + cap(employeur) +
           cap(codes) + cap(benef) + cap(tag_debut) + cap(tags) + cap(ateliers) + cap(participants) +
           static_cast<std::int64_t>(sizeof(Partition));
  }
};

// An activity as read from the database.
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
};

constexpr const char* kActiviteCols =
    "a.id, a.mediateur_id, a.type, a.date, a.duree, a.type_lieu, a.lieu_activite_id, "
    "COALESCE(ls.commune_insee, a.commune_insee), a.materiel, a.thematiques, a.demarches, a.autonomie, "
    "a.oriente_vers_structure, a.structure_de_redirection, a.anonymes_total, a.genre_masculin, a.genre_feminin, "
    "a.genre_non_communique, a.age_moins_de_douze, a.age_douze_dix_huit, a.age_dix_huit_vingt_quatre, "
    "a.age_vingt_cinq_trente_neuf, a.age_quarante_cinquante_neuf, a.age_soixante_soixante_neuf, "
    "a.age_soixante_dix_plus, a.age_non_communique, a.statut_scolarise, a.statut_sans_emploi, a.statut_en_emploi, "
    "a.statut_retraite, a.statut_non_communique, a.deja_accompagne_non";

Brut brut_of(const std::vector<storage::Value>& r) {
  Brut b;
  b.id = as_int(r[0]);
  b.mediateur_id = as_int(r[1]);
  b.collectif = as_text(r[2]) == "collectif";
  auto j = jour_of(as_text(r[3]));
  if (!j || *j < 0 || *j > 65535) throw std::runtime_error(fmt::format("activité {}: date hors limites", b.id));
  b.jour = *j;
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
  return b;
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
};

}  // namespace

struct Engine::Impl {
  storage::Database& db;
  Regions regions;
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

  std::vector<Partition> mois;  // index: month since 2020-01
  std::vector<std::uint16_t> dir_mois;
  std::vector<std::uint32_t> dir_slot;
  std::int64_t vivantes = 0;

  // dimensions
  std::vector<Mediateur> mediateurs;
  std::unordered_map<std::int64_t, std::uint32_t> mediateur_idx;
  std::vector<std::int64_t> structures{0};  // idx → structure id (0: none)
  std::unordered_map<std::int64_t, std::uint16_t> structure_idx;
  std::vector<std::string> communes{""};    // idx → INSEE (0: none)
  std::unordered_map<std::string, std::uint16_t> commune_idx;
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

  Impl(storage::Database& d, Regions r) : db(d), regions(std::move(r)) {}

  // ---- dimensions (called under the exclusive lock, or during construction) ----
  std::uint32_t mediateur(std::int64_t user_id) {
    auto it = mediateur_idx.find(user_id);
    if (it != mediateur_idx.end()) return it->second;
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
  std::uint16_t commune(const std::optional<std::string>& insee) {
    if (!insee || insee->empty()) return 0;
    auto it = commune_idx.find(*insee);
    if (it != commune_idx.end()) return it->second;
    if (communes.size() >= 65535) throw std::runtime_error("statistiques: plus de 65 535 communes");
    auto idx = static_cast<std::uint16_t>(communes.size());
    communes.push_back(*insee);
    commune_idx.emplace(*insee, idx);
    std::string dep = departement_of(*insee);
    auto r = regions.find(dep);
    commune_dep.push_back(dep);
    commune_reg.push_back(r == regions.end() ? "" : r->second);
    return idx;
  }
  void benef_set(std::int64_t id, bool anonyme, const std::optional<std::string>& genre,
                 const std::optional<std::string>& tranche, const std::optional<std::string>& statut,
                 const std::optional<std::string>& commune_insee) {
    if (id <= 0 || id >= static_cast<std::int64_t>(kPremier))
      throw std::runtime_error(fmt::format("statistiques: identifiant de bénéficiaire hors limites: {}", id));
    auto u = static_cast<std::size_t>(id);
    if (benef_attr.size() <= u) {
      benef_attr.resize(u + 1, 0);
      benef_commune.resize(u + 1, 0);
    }
    auto code = [](auto& list, const std::optional<std::string>& v) {
      int i = v ? index_of(list, *v) : -1;
      return static_cast<unsigned>(i >= 0 ? i : index_of(list, "non_communique"));
    };
    benef_attr[u] = static_cast<std::uint16_t>(code(act::genres, genre) | (code(act::tranches_age, tranche) << 2) |
                                               (code(act::statuts_social, statut) << 5) | ((anonyme ? 1u : 0u) << 8));
    benef_commune[u] = commune(commune_insee);
  }
  void charger_mediateur(Session& s, std::int64_t user_id, Mediateur& m) {
    m.emplois.clear();
    auto e = s.query("SELECT id, structure_id, debut, fin FROM employments WHERE user_id = ?", {user_id});
    for (auto& r : e.rows) {
      auto fin = as_opt_text(r[3]);
      m.emplois.push_back({jour_or_throw(as_text(r[2])), fin ? jour_or_throw(*fin) : INT_MAX, as_int(r[0]), as_int(r[1])});
    }
    auto c = s.query("SELECT COUNT(*) FROM user_roles WHERE user_id = ? AND conseiller_numerique = 1", {user_id});
    m.conseiller = as_int(c.rows[0][0]) > 0;
  }

  // ---- activities ----
  void ensure_dir(std::int64_t id) {
    if (id <= 0 || id > 0xFFFFFFFFLL) throw std::runtime_error(fmt::format("statistiques: identifiant d'activité hors limites: {}", id));
    auto u = static_cast<std::size_t>(id);
    if (dir_mois.size() <= u) {
      std::size_t n = std::max(u + 1, dir_mois.size() + dir_mois.size() / 2);
      dir_mois.resize(n, kAbsent);
      dir_slot.resize(n, 0);
    }
  }
  void tuer(std::int64_t id) {
    if (id <= 0 || static_cast<std::size_t>(id) >= dir_mois.size() || dir_mois[id] == kAbsent) return;
    Partition& p = mois[dir_mois[id]];
    p.flags[dir_slot[id]] |= kMort;
    p.morts++;
    vivantes--;
    std::uint16_t m = dir_mois[id];
    dir_mois[id] = kAbsent;
    if (p.morts * 4 > p.size() && p.size() > 64) compacter(m);
  }
  void ajouter(const Brut& b) {
    ensure_dir(b.id);
    int m = mois_of(b.jour);
    if (static_cast<std::size_t>(m) >= mois.size()) mois.resize(m + 1);
    Partition& p = mois[m];
    auto slot = static_cast<std::uint32_t>(p.size());
    std::uint32_t mi = mediateur(b.mediateur_id);
    p.id.push_back(static_cast<std::uint32_t>(b.id));
    p.jour.push_back(static_cast<std::uint8_t>(b.jour - premier_jour(m) + 1));
    p.med.push_back(mi);
    p.duree.push_back(static_cast<std::uint16_t>(b.duree));
    int canal = std::max(0, index_of(act::types_lieu, b.type_lieu));
    int auto_ = b.autonomie ? index_of(act::autonomies, *b.autonomie) + 1 : 0;
    int redir = b.redirection ? index_of(act::structures_redirection, *b.redirection) + 1 : 0;
    p.flags.push_back(static_cast<std::uint16_t>((b.collectif ? 1u : 0u) | (canal << 1) | (std::max(0, auto_) << 3) |
                                                 ((b.oriente ? 1u : 0u) << 5) | (std::max(0, redir) << 6) |
                                                 (mask_of(act::materiels, b.materiel) << 9)));
    p.codes.push_back(mask_of(act::thematiques, b.thematiques) | (mask_of(act::demarches, b.demarches) << 19));
    p.lieu.push_back(b.lieu ? structure(*b.lieu) : 0);
    p.commune.push_back(commune(b.commune));
    p.employeur.push_back(structure(mediateurs[mi].employeur(b.jour)));
    auto lien = [](const std::pair<std::int64_t, bool>& l) {
      return static_cast<std::uint32_t>(l.first) | (l.second ? kPremier : 0u);
    };
    for (auto& l : b.liens)
      if (static_cast<std::size_t>(l.first) >= benef_attr.size())  // link to a row loaded later: placeholder
        benef_set(l.first, true, std::nullopt, std::nullopt, std::nullopt, std::nullopt);
    if (!b.collectif) {
      p.benef.push_back(b.liens.empty() ? 0u : lien(b.liens.front()));
    } else {
      Atelier a;
      a.debut = static_cast<std::uint32_t>(p.participants.size());
      for (auto& l : b.liens) p.participants.push_back(lien(l));
      a.fin = static_cast<std::uint32_t>(p.participants.size());
      a.total = static_cast<std::uint16_t>(b.anonymes[0]);
      for (int k = 0; k < 3; ++k) a.genre[k] = static_cast<std::uint16_t>(b.anonymes[1 + k]);
      for (int k = 0; k < 8; ++k) a.age[k] = static_cast<std::uint16_t>(b.anonymes[4 + k]);
      for (int k = 0; k < 5; ++k) a.statut[k] = static_cast<std::uint16_t>(b.anonymes[12 + k]);
      a.deja_non = static_cast<std::uint16_t>(b.anonymes[17]);
      p.benef.push_back(static_cast<std::uint32_t>(p.ateliers.size()));
      p.ateliers.push_back(a);
    }
    for (auto t : b.tags) p.tags.push_back(static_cast<std::uint32_t>(t));
    p.tag_debut.push_back(static_cast<std::uint32_t>(p.tags.size()));
    dir_mois[b.id] = static_cast<std::uint16_t>(m);
    dir_slot[b.id] = slot;
    vivantes++;
  }
  void compacter(std::uint16_t m) {
    Partition& old = mois[m];
    Partition p;
    for (std::size_t i = 0; i < old.size(); ++i) {
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
      p.tags.insert(p.tags.end(), old.tags.begin() + old.tag_debut[i], old.tags.begin() + old.tag_debut[i + 1]);
      p.tag_debut.push_back(static_cast<std::uint32_t>(p.tags.size()));
      dir_slot[old.id[i]] = slot;
    }
    mois[m] = std::move(p);
  }
  void set_premier(std::int64_t activite_id, std::int64_t beneficiaire_id, bool premier) {
    if (activite_id <= 0 || static_cast<std::size_t>(activite_id) >= dir_mois.size() || dir_mois[activite_id] == kAbsent)
      return;
    Partition& p = mois[dir_mois[activite_id]];
    std::uint32_t i = dir_slot[activite_id];
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
    if (activite_id <= 0 || static_cast<std::size_t>(activite_id) >= dir_mois.size() || dir_mois[activite_id] == kAbsent)
      return out;
    const Partition& p = mois[dir_mois[activite_id]];
    std::uint32_t i = dir_slot[activite_id];
    if (!f_type(p.flags[i])) {
      if (p.benef[i]) out.push_back(p.benef[i] & ~kPremier);
    } else {
      const Atelier& a = p.ateliers[p.benef[i]];
      for (std::uint32_t k = a.debut; k < a.fin; ++k) out.push_back(p.participants[k] & ~kPremier);
    }
    return out;
  }

  // Reads activities with id in (after, …] in chunks; calls fn for each with its links and tags.
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
    std::int64_t n = cap(mois) + cap(dir_mois) + cap(dir_slot) + cap(benef_attr) + cap(benef_commune) + cap(structures) +
                     cap(communes) + cap(commune_dep) + cap(commune_reg);
    for (auto& p : mois) n += p.octets() - static_cast<std::int64_t>(sizeof(Partition));
    for (auto& m : mediateurs) n += static_cast<std::int64_t>(sizeof(Mediateur) + m.emplois.capacity() * sizeof(Emploi));
    // hash tables: buckets + one node (key, value, next pointer) per entry
    auto table = [](const auto& t, std::size_t node) {
      return static_cast<std::int64_t>(t.bucket_count() * sizeof(void*) + t.size() * node);
    };
    n += table(mediateur_idx, 32) + table(structure_idx, 32) + table(commune_idx, 56) + table(coordination, 64);
    for (auto& c : communes) n += static_cast<std::int64_t>(c.capacity() > 15 ? c.capacity() : 0);
    return n;
  }

  Tableau calculer(const Filtres& f, const Perimetre& p, std::string_view aujourdhui) const;
};

Engine::Engine(storage::Database& db, Regions regions) : impl_(std::make_unique<Impl>(db, std::move(regions))) {}
Engine::~Engine() = default;

void Engine::construire() {
  auto t0 = std::chrono::steady_clock::now();
  Impl::Tour tour(*impl_);
  auto fresh = std::make_unique<Impl>(impl_->db, impl_->regions);
  Impl& n = *fresh;
  n.db.read([&](Session& s) {
    // mediators' employments and conseiller flag
    for (auto& r : s.query("SELECT user_id, id, structure_id, debut, fin FROM employments ORDER BY user_id, id").rows) {
      auto fin = as_opt_text(r[4]);
      n.mediateurs[n.mediateur(as_int(r[0]))].emplois.push_back(
          {jour_or_throw(as_text(r[3])), fin ? jour_or_throw(*fin) : INT_MAX, as_int(r[1]), as_int(r[2])});
    }
    for (auto& r : s.query("SELECT DISTINCT user_id FROM user_roles WHERE conseiller_numerique = 1").rows)
      n.mediateurs[n.mediateur(as_int(r[0]))].conseiller = true;
    // beneficiaries
    std::int64_t after = 0;
    for (;;) {
      auto rows = s.query("SELECT id, anonyme, genre, tranche_age, statut_social, commune_insee FROM beneficiaires "
                          "WHERE id > ? ORDER BY id LIMIT ?",
                          {after, kChunk});
      for (auto& r : rows.rows)
        n.benef_set(as_int(r[0]), as_int(r[1]) != 0, as_opt_text(r[2]), as_opt_text(r[3]), as_opt_text(r[4]),
                    as_opt_text(r[5]));
      if (rows.size() < static_cast<std::size_t>(kChunk)) break;
      after = as_int(rows.rows.back()[0]);
    }
    // activities, in id chunks
    after = 0;
    auto max_id = as_opt_int(s.query("SELECT MAX(id) FROM activites").rows[0][0]).value_or(0);
    if (max_id > 0) n.ensure_dir(max_id);
    while (after < max_id) {
      n.lire_activites(s, "a.id > ? AND a.id <= ?", {after, after + kChunk}, [&](Brut&& b) { n.ajouter(b); });
      after += kChunk;
    }
    for (auto& r : s.query("SELECT id, coordinateur_id, type, date, duree, participants FROM coordination_activites "
                           "WHERE deleted_at IS NULL")
                       .rows)
      n.coordination.emplace(as_int(r[0]), n.coord_of(r));
  });
  // push_back growth leaves up to half of each column unused: give it back once built.
  for (auto& p : n.mois) {
    auto fit = [](auto&... v) { (v.shrink_to_fit(), ...); };
    fit(p.id, p.jour, p.med, p.duree, p.flags, p.lieu, p.commune, p.employeur, p.codes, p.benef, p.tag_debut, p.tags,
        p.ateliers, p.participants);
  }
  n.benef_attr.shrink_to_fit();
  n.benef_commune.shrink_to_fit();
  n.construction_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  tour.attendre();
  auto lock = impl_->exclusif();
  // move the state, keep the mutexes
  impl_->mois = std::move(n.mois);
  impl_->dir_mois = std::move(n.dir_mois);
  impl_->dir_slot = std::move(n.dir_slot);
  impl_->vivantes = n.vivantes;
  impl_->mediateurs = std::move(n.mediateurs);
  impl_->mediateur_idx = std::move(n.mediateur_idx);
  impl_->structures = std::move(n.structures);
  impl_->structure_idx = std::move(n.structure_idx);
  impl_->communes = std::move(n.communes);
  impl_->commune_idx = std::move(n.commune_idx);
  impl_->commune_dep = std::move(n.commune_dep);
  impl_->commune_reg = std::move(n.commune_reg);
  impl_->benef_attr = std::move(n.benef_attr);
  impl_->benef_commune = std::move(n.benef_commune);
  impl_->coordination = std::move(n.coordination);
  impl_->construction_ms = n.construction_ms;
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
    if (b && static_cast<std::size_t>(id) < d.dir_mois.size() && d.dir_mois[id] != kAbsent)
      d.mois[d.dir_mois[id]].commune[d.dir_slot[id]] = d.commune(b->commune);
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
  return s;
}

Tableau Engine::calculer(const Filtres& f, const Perimetre& p, std::string_view aujourdhui) const {
  auto r = impl_->partage();
  return impl_->calculer(f, p, aujourdhui);
}

namespace {
// Scratch bitmaps for distinct beneficiaries, reused by the queries of a thread.
struct Scratch {
  std::vector<std::uint64_t> vu, nouveau;
  std::vector<std::uint32_t> touches;
};
thread_local Scratch scratch;

template <std::size_t N>
Repartition repartition_codes(const act::Code (&list)[N], const Compte* c) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> m;
  for (std::size_t i = 0; i < N; ++i) m[std::string(list[i].code)] = {c[i].valeur, c[i].activites};
  return repartition(std::move(m));
}
}  // namespace

Tableau Engine::Impl::calculer(const Filtres& f, const Perimetre& per, std::string_view aujourdhui) const {
  Jour du = f.du ? jour_or_throw(*f.du) : INT_MIN;
  Jour au = f.au ? jour_or_throw(*f.au) : INT_MAX;
  Jour fin_evol = f.au ? au : jour_or_throw(aujourdhui);
  int mois_fin = mois_of(fin_evol), mois_debut_evol = mois_fin - 11;

  // ---- prepared predicates ----
  unsigned types_mask = 0;
  for (auto& t : f.types) types_mask |= t == "individuel" ? 1u : t == "collectif" ? 2u : 4u;
  if (f.types.empty()) types_mask = 3;

  const std::size_t nm = mediateurs.size();
  std::vector<std::uint8_t> med_ok(nm, 1);
  if (!f.mediateurs.empty()) {
    std::fill(med_ok.begin(), med_ok.end(), 0);
    for (auto id : f.mediateurs)
      if (auto it = mediateur_idx.find(id); it != mediateur_idx.end()) med_ok[it->second] = 1;
  }
  if (f.conseiller_numerique != Conseiller::indifferent)
    for (std::size_t i = 0; i < nm; ++i)
      if (mediateurs[i].conseiller != (f.conseiller_numerique == Conseiller::oui)) med_ok[i] = 0;
  // scope by mediators: intervals per mediator index
  std::vector<std::vector<std::pair<Jour, Jour>>> intervalles;
  if (per.kind == Perimetre::Kind::mediateurs) {
    intervalles.resize(nm);
    for (auto& mp : per.mediateurs)
      if (auto it = mediateur_idx.find(mp.mediateur_id); it != mediateur_idx.end())
        intervalles[it->second].emplace_back(mp.depuis ? jour_or_throw(*mp.depuis) : INT_MIN,
                                             mp.jusqua ? jour_or_throw(*mp.jusqua) : INT_MAX);
    for (std::size_t i = 0; i < nm; ++i)
      if (intervalles[i].empty()) med_ok[i] = 0;
  }

  const std::size_t ns = structures.size();
  std::vector<std::uint8_t> lieu_ok, employeur_ok;
  if (!f.lieux.empty()) {
    lieu_ok.assign(ns, 0);
    for (auto id : f.lieux)
      if (auto it = structure_idx.find(id); it != structure_idx.end()) lieu_ok[it->second] = 1;
  }
  if (!f.structures_employeuses.empty() || per.kind == Perimetre::Kind::structure) {
    employeur_ok.assign(ns, 1);
    employeur_ok[0] = 0;
    auto restrict_to = [&](const std::vector<std::int64_t>& ids) {
      std::vector<std::uint8_t> m(ns, 0);
      for (auto id : ids)
        if (auto it = structure_idx.find(id); it != structure_idx.end()) m[it->second] = 1;
      for (std::size_t i = 0; i < ns; ++i) employeur_ok[i] &= m[i];
    };
    if (!f.structures_employeuses.empty()) restrict_to(f.structures_employeuses);
    if (per.kind == Perimetre::Kind::structure) restrict_to({per.structure_id});
  }

  const std::size_t nc = communes.size();
  std::vector<std::uint8_t> commune_ok;
  auto contains = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  bool territoire = per.kind == Perimetre::Kind::departements || per.kind == Perimetre::Kind::regions;
  if (!f.communes.empty() || !f.departements.empty() || !f.regions.empty() || territoire) {
    commune_ok.assign(nc, 0);
    for (std::size_t i = 1; i < nc; ++i) {
      bool ok = (f.communes.empty() || contains(f.communes, communes[i])) &&
                (f.departements.empty() || contains(f.departements, commune_dep[i])) &&
                (f.regions.empty() || (!commune_reg[i].empty() && contains(f.regions, commune_reg[i])));
      if (per.kind == Perimetre::Kind::departements) ok = ok && contains(per.codes, commune_dep[i]);
      if (per.kind == Perimetre::Kind::regions) ok = ok && !commune_reg[i].empty() && contains(per.codes, commune_reg[i]);
      commune_ok[i] = ok;
    }
  }

  std::uint32_t them_mask = 0;
  bool them_filtre = !f.thematiques.empty();
  for (auto& t : f.thematiques) {
    int i = index_of(act::thematiques, t);
    if (i >= 0) them_mask |= 1u << i;
  }
  std::vector<std::uint32_t> tags_f;
  for (auto t : f.tags) tags_f.push_back(static_cast<std::uint32_t>(t));
  std::sort(tags_f.begin(), tags_f.end());
  std::vector<std::uint32_t> benef_f;
  for (auto b : f.beneficiaires) benef_f.push_back(static_cast<std::uint32_t>(b));
  std::sort(benef_f.begin(), benef_f.end());

  // ---- accumulators ----
  Tableau t;
  std::array<Compte, 2> c_type{};
  std::array<Compte, 19> c_them{};
  std::array<Compte, 11> c_dem{};
  std::array<Compte, 5> c_mat{};
  std::array<Compte, 4> c_canal{}, c_duree{};
  std::array<Compte, 4> c_auto{};   // 0: none
  std::array<Compte, 2> c_orient{};  // 0 non, 1 oui
  std::array<Compte, 8> c_redir{};  // 0: none
  std::vector<Compte> c_lieu(ns), c_commune(nc);
  std::unordered_map<std::uint32_t, Compte> c_tags;
  std::array<std::int64_t, 12> evol{};
  std::array<std::int64_t, 3> b_genre{};
  std::array<std::int64_t, 8> b_age{};
  std::array<std::int64_t, 5> b_statut{};
  std::vector<std::int64_t> b_commune(nc);
  std::vector<std::int64_t> par_jour;
  Jour jour0 = 0;

  Scratch& sc = scratch;
  std::size_t nb = benef_attr.size();
  if (sc.vu.size() < (nb + 63) / 64) {
    sc.vu.assign((nb + 63) / 64, 0);
    sc.nouveau.assign((nb + 63) / 64, 0);
  }
  sc.touches.clear();
  auto voir = [&](std::uint32_t lien) {
    std::uint32_t b = lien & ~kPremier;
    std::uint64_t bit = 1ull << (b & 63);
    if (!(sc.vu[b >> 6] & bit)) {
      sc.vu[b >> 6] |= bit;
      sc.touches.push_back(b);
      std::uint16_t at = benef_attr[b];
      if (at & 0x100) t.anonymes++; else t.suivis++;
      b_genre[at & 3]++;
      b_age[(at >> 2) & 7]++;
      b_statut[(at >> 5) & 7]++;
      b_commune[benef_commune[b]]++;
    }
    if ((lien & kPremier) && !(sc.nouveau[b >> 6] & bit)) {
      sc.nouveau[b >> 6] |= bit;
      t.nouveaux++;
    }
  };

  int m_lo = std::min(du == INT_MIN ? 0 : std::max(0, mois_of(du)), std::max(0, mois_debut_evol));
  int m_hi = std::max(au == INT_MAX ? static_cast<int>(mois.size()) - 1 : mois_of(au), mois_fin);
  m_hi = std::min(m_hi, static_cast<int>(mois.size()) - 1);
  if (m_hi >= m_lo) {
    Jour d0 = std::max(du, premier_jour(m_lo)), d1 = std::min(au, premier_jour(m_hi + 1) - 1);
    if (d1 >= d0) {
      jour0 = d0;
      par_jour.assign(static_cast<std::size_t>(d1 - d0 + 1), 0);
    }
  }
  for (int m = m_lo; m <= m_hi; ++m) {
    bool dans_evol = m >= mois_debut_evol && m <= mois_fin;
    Jour base = premier_jour(m);
    bool periode_mois = base + 31 > du && base <= au;
    if (!dans_evol && !periode_mois) continue;
    const Partition& p = mois[m];
    const std::size_t n = p.size();
    for (std::size_t i = 0; i < n; ++i) {
      std::uint16_t fl = p.flags[i];
      if (fl & kMort) continue;
      if (!((types_mask >> f_type(fl)) & 1u)) continue;
      std::uint32_t mi = p.med[i];
      if (!med_ok[mi]) continue;
      Jour d = base + p.jour[i] - 1;
      if (!intervalles.empty()) {
        bool ok = false;
        for (auto& [a, b] : intervalles[mi]) ok = ok || (d >= a && d < b);
        if (!ok) continue;
      }
      if (!commune_ok.empty() && !commune_ok[p.commune[i]]) continue;
      if (!lieu_ok.empty() && !lieu_ok[p.lieu[i]]) continue;
      if (!employeur_ok.empty() && !employeur_ok[p.employeur[i]]) continue;
      std::uint32_t codes = p.codes[i];
      if (them_filtre && !(codes & them_mask)) continue;
      if (!tags_f.empty()) {
        bool ok = false;
        for (std::uint32_t k = p.tag_debut[i]; k < p.tag_debut[i + 1] && !ok; ++k)
          ok = std::binary_search(tags_f.begin(), tags_f.end(), p.tags[k]);
        if (!ok) continue;
      }
      const Atelier* at = f_type(fl) ? &p.ateliers[p.benef[i]] : nullptr;
      if (!benef_f.empty()) {
        bool ok = false;
        if (!at) {
          ok = p.benef[i] && std::binary_search(benef_f.begin(), benef_f.end(), p.benef[i] & ~kPremier);
        } else {
          for (std::uint32_t k = at->debut; k < at->fin && !ok; ++k)
            ok = std::binary_search(benef_f.begin(), benef_f.end(), p.participants[k] & ~kPremier);
        }
        if (!ok) continue;
      }
      std::int64_t w = at ? at->fin - at->debut + at->total : 1;
      if (dans_evol) evol[m - mois_debut_evol] += w;
      if (d < du || d > au) continue;

      t.activites++;
      t.accompagnements += w;
      t.duree_totale += p.duree[i];
      par_jour[d - jour0] += w;
      c_type[f_type(fl)].add(w);
      for (std::uint32_t bits = codes & 0x7FFFFu; bits; bits &= bits - 1) c_them[__builtin_ctz(bits)].add(w);
      for (std::uint32_t bits = codes >> 19; bits; bits &= bits - 1) c_dem[__builtin_ctz(bits)].add(w);
      for (std::uint32_t bits = f_materiel(fl); bits; bits &= bits - 1) c_mat[__builtin_ctz(bits)].add(w);
      c_canal[f_canal(fl)].add(w);
      std::uint16_t du_ = p.duree[i];
      c_duree[du_ < 30 ? 0 : du_ < 60 ? 1 : du_ < 120 ? 2 : 3].add(w);
      c_lieu[p.lieu[i]].add(w);
      c_commune[p.commune[i]].add(w);
      for (std::uint32_t k = p.tag_debut[i]; k < p.tag_debut[i + 1]; ++k) c_tags[p.tags[k]].add(w);
      if (!at) {
        t.individuels++;
        c_auto[f_autonomie(fl)].add(1);
        c_orient[f_oriente(fl)].add(1);
        if (f_oriente(fl)) c_redir[f_redir(fl)].add(1);
        if (p.benef[i]) voir(p.benef[i]);
      } else {
        t.ateliers++;
        t.participants_ateliers += w;
        for (std::uint32_t k = at->debut; k < at->fin; ++k) voir(p.participants[k]);
        t.anonymes += at->total;
        t.nouveaux += at->deja_non;
        for (int k = 0; k < 3; ++k) b_genre[k] += at->genre[k];
        for (int k = 0; k < 8; ++k) b_age[k] += at->age[k];
        for (int k = 0; k < 5; ++k) b_statut[k] += at->statut[k];
        b_commune[0] += at->total;
      }
    }
  }
  for (auto b : sc.touches) {
    sc.vu[b >> 6] = 0;
    sc.nouveau[b >> 6] = 0;
  }
  t.beneficiaires = t.suivis + t.anonymes;

  // ---- output ----
  for (int k = 0; k < 12; ++k) t.par_mois.emplace_back(mois_texte(mois_debut_evol + k), evol[k]);
  for (std::size_t k = 0; k < par_jour.size(); ++k)
    if (par_jour[k]) t.par_jour.emplace_back(date_of(jour0 + static_cast<Jour>(k)), par_jour[k]);
  t.types = repartition_codes(act::types, c_type.data());
  t.thematiques = repartition_codes(act::thematiques, c_them.data());
  t.demarches = repartition_codes(act::demarches, c_dem.data());
  t.materiel = repartition_codes(act::materiels, c_mat.data());
  t.canaux = repartition_codes(act::types_lieu, c_canal.data());
  {
    static constexpr act::Code buckets[] = {{"moins_30", ""}, {"30_60", ""}, {"60_120", ""}, {"120_plus", ""}};
    t.durees = repartition_codes(buckets, c_duree.data());
  }
  auto with_none = [](const auto& list, const Compte* c, std::size_t n) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> m;
    m[""] = {c[0].valeur, c[0].activites};
    for (std::size_t i = 1; i < n; ++i) m[std::string(list[i - 1].code)] = {c[i].valeur, c[i].activites};
    return repartition(std::move(m));
  };
  t.autonomie = with_none(act::autonomies, c_auto.data(), 4);
  t.redirections = with_none(act::structures_redirection, c_redir.data(), 8);
  t.orientation = repartition({{"non", {c_orient[0].valeur, c_orient[0].activites}},
                               {"oui", {c_orient[1].valeur, c_orient[1].activites}}});
  {
    // built as vectors (thousands of communes nationally), sorted once by repartition()
    std::vector<Ligne> l;
    for (std::size_t i = 0; i < ns; ++i)
      if (c_lieu[i].activites) l.push_back({i ? std::to_string(structures[i]) : "", c_lieu[i].valeur, c_lieu[i].activites, 0});
    t.lieux = repartition(std::move(l));
    l = {};
    for (std::size_t i = 0; i < nc; ++i)
      if (c_commune[i].activites) l.push_back({communes[i], c_commune[i].valeur, c_commune[i].activites, 0});
    t.communes = repartition(std::move(l));
    l = {};
    for (auto& [tag, c] : c_tags) l.push_back({std::to_string(tag), c.valeur, c.activites, 0});
    t.tags = repartition(std::move(l));
    l = {};
    for (std::size_t i = 0; i < nc; ++i)
      if (b_commune[i]) l.push_back({communes[i], b_commune[i], 0, 0});
    t.communes_residence = repartition(std::move(l));
  }
  auto attr = [](const auto& list, const std::int64_t* v) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> m;
    for (std::size_t i = 0; i < std::size(list); ++i) m[std::string(list[i].code)] = {v[i], 0};
    return repartition(std::move(m));
  };
  t.genres = attr(act::genres, b_genre.data());
  t.tranches_age = attr(act::tranches_age, b_age.data());
  t.statuts = attr(act::statuts_social, b_statut.data());

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
