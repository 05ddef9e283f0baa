#include "features/ressources/index.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <bit>
#include <charconv>
#include <chrono>
#include <unordered_set>

#include "features/ressources/model.hpp"

namespace coop::ressources {

using storage::as_int;
using storage::as_text;
using storage::Dialect;
using storage::Params;
using storage::Session;

namespace {

constexpr std::uint8_t kInconnu = 255;
static_assert(std::size(activites::thematiques) <= 64 && std::size(publics) <= 64, "facet codes are bits of a uint64");
static_assert(std::size(formats) < 64 && std::size(niveaux) < 64 && std::size(licences) < 64);

std::uint8_t indice(std::span<const Code> v, std::string_view code) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i].code == code) return static_cast<std::uint8_t>(i);
  return kInconnu;
}
std::uint64_t bit(std::uint8_t i) { return i == kInconnu ? 0 : std::uint64_t{1} << i; }

std::uint8_t visibilite_de(std::string_view v) { return v == "public" ? 0 : v == "equipe" ? 1 : 2; }

constexpr const char* kColonnes =
    "SELECT id, COALESCE(auteur_id, 0), COALESCE(structure_id, 0), utiles, vues + telechargements, format, niveau, "
    "licence, visibilite, statut, CASE WHEN masque_le IS NULL THEN 0 ELSE 1 END, COALESCE(publie_le, modifie_le) "
    "FROM ressources";

template <class Row>
Index::Entree entree_de(const Row& row) {
  Index::Entree e;
  e.id = row.integer(0);
  e.auteur_id = row.integer(1);
  e.structure_id = row.integer(2);
  e.utiles = row.integer(3);
  e.populaire = row.integer(4);
  e.format = indice(formats, row.text(5));
  e.niveau = indice(niveaux, row.text(6));
  e.licence = indice(licences, row.text(7));
  e.visibilite = visibilite_de(row.text(8));
  e.publie = row.text(9) == "publie";
  e.masque = row.integer(10) != 0;
  e.date = std::string(row.text(11));
  return e;
}

// A materialised row seen through the RowView calls entree_de uses.
struct Ligne {
  const std::vector<storage::Value>& v;
  std::int64_t integer(int i) const { return std::holds_alternative<std::nullptr_t>(v[i]) ? 0 : as_int(v[i]); }
  std::string_view text(int i) const {
    return std::holds_alternative<std::string>(v[i]) ? std::string_view(std::get<std::string>(v[i])) : std::string_view();
  }
};

Index::Entree* trouver(std::vector<Index::Entree>& v, std::int64_t id) {
  auto it = std::lower_bound(v.begin(), v.end(), id, [](const Index::Entree& e, std::int64_t x) { return e.id < x; });
  return it != v.end() && it->id == id ? &*it : nullptr;
}

std::vector<std::int64_t> trier(std::vector<std::int64_t> v) {
  if (!std::is_sorted(v.begin(), v.end())) std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::vector<std::int64_t> ids_de(Session& s, const std::string& sql, const Params& p) {
  std::vector<std::int64_t> out;
  for (auto& r : s.query(sql, p).rows) out.push_back(as_int(r[0]));
  return trier(std::move(out));
}

// The integers of a comma-separated list (group_concat / string_agg of one query): tens of
// thousands of matches come back as one value, not as as many rows (3× faster at 30,000).
std::vector<std::int64_t> entiers(const storage::Value& v) {
  std::vector<std::int64_t> out;
  if (!std::holds_alternative<std::string>(v)) return out;
  const auto& t = std::get<std::string>(v);
  out.reserve(t.size() / 6);
  const char* p = t.data();
  const char* fin = p + t.size();
  while (p < fin) {
    std::int64_t x = 0;
    auto r = std::from_chars(p, fin, x);
    if (r.ec != std::errc()) break;
    out.push_back(x);
    p = r.ptr + (r.ptr < fin ? 1 : 0);
  }
  return out;
}
std::vector<std::int64_t> ids_groupes(Session& s, const std::string& sql, const Params& p) {
  return trier(entiers(s.query(sql, p).rows.at(0).at(0)));
}

std::string liste(std::size_t n) {
  std::string in;
  for (std::size_t i = 0; i < n; ++i) in += i ? ", ?" : "?";
  return in;
}

// The viewer's network, the facts of store::sql_reseau: the structures where they work (or that
// they manage), and the authors who work in one of their structures or share a team with them.
struct Reseau {
  std::unordered_set<std::int64_t> structures, auteurs;
};
Reseau reseau(Session& s, const store::Lecteur& l) {
  Reseau r;
  const storage::Value u = l.user_id, d = l.aujourdhui;
  for (auto& row : s.query("SELECT structure_id FROM employments WHERE user_id = ? AND (fin IS NULL OR fin >= ?) "
                           "UNION SELECT structure_id FROM user_roles WHERE user_id = ? AND role = 'gestionnaire_structure' "
                           "AND structure_id IS NOT NULL",
                           {u, d, u})
                      .rows)
    r.structures.insert(as_int(row[0]));
  for (auto& row : s.query("SELECT e2.user_id FROM employments e1 JOIN employments e2 ON e2.structure_id = e1.structure_id "
                           "WHERE e1.user_id = ? AND (e1.fin IS NULL OR e1.fin >= ?) AND (e2.fin IS NULL OR e2.fin >= ?) "
                           "UNION SELECT mediateur_id FROM team_members WHERE coordinateur_id = ? AND (fin IS NULL OR fin >= ?) "
                           "UNION SELECT coordinateur_id FROM team_members WHERE mediateur_id = ? AND (fin IS NULL OR fin >= ?) "
                           "UNION SELECT t2.mediateur_id FROM team_members t1 JOIN team_members t2 "
                           "ON t2.coordinateur_id = t1.coordinateur_id WHERE t1.mediateur_id = ? "
                           "AND (t1.fin IS NULL OR t1.fin >= ?) AND (t2.fin IS NULL OR t2.fin >= ?)",
                           {u, d, d, u, d, u, d, u, d, d})
                      .rows)
    r.auteurs.insert(as_int(row[0]));
  return r;
}

}  // namespace

// ---- Synchronisation

void Index::charger_tout(Session& s) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Entree> v;
  s.stream(std::string(kColonnes) + " ORDER BY id", [&](const storage::RowView& row) { v.push_back(entree_de(row)); });
  auto codes = [&](const char* table, std::span<const Code> voc, std::uint64_t Entree::*champ) {
    Entree* e = nullptr;
    s.stream(std::string("SELECT ressource_id, code FROM ") + table + " ORDER BY ressource_id", [&](const storage::RowView& row) {
      const auto id = row.integer(0);
      if (!e || e->id != id) e = trouver(v, id);
      if (e) e->*champ |= bit(indice(voc, row.text(1)));
    });
  };
  codes("ressources_thematiques", activites::thematiques, &Entree::thematiques);
  codes("ressources_publics", publics, &Entree::publics);
  {
    std::unique_lock lock(donnees_);
    entrees_ = std::move(v);
    placer();
  }
  construction_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void Index::recharger(Session& s, std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<Entree> lus;
  constexpr std::size_t kLot = 500;
  for (std::size_t i = 0; i < ids.size(); i += kLot) {
    const std::size_t n = std::min(kLot, ids.size() - i);
    const Params p(ids.begin() + static_cast<std::ptrdiff_t>(i), ids.begin() + static_cast<std::ptrdiff_t>(i + n));
    const std::string in = " IN (" + liste(n) + ")";
    const auto debut = lus.size();
    for (auto& r : s.query(std::string(kColonnes) + " WHERE id" + in + " ORDER BY id", p).rows) lus.push_back(entree_de(Ligne{r}));
    std::vector<Entree> lot(lus.begin() + static_cast<std::ptrdiff_t>(debut), lus.end());
    for (auto& r : s.query("SELECT ressource_id, code FROM ressources_thematiques WHERE ressource_id" + in, p).rows)
      if (auto* e = trouver(lot, as_int(r[0]))) e->thematiques |= bit(indice(activites::thematiques, as_text(r[1])));
    for (auto& r : s.query("SELECT ressource_id, code FROM ressources_publics WHERE ressource_id" + in, p).rows)
      if (auto* e = trouver(lot, as_int(r[0]))) e->publics |= bit(indice(publics, as_text(r[1])));
    std::move(lot.begin(), lot.end(), lus.begin() + static_cast<std::ptrdiff_t>(debut));
  }
  std::unique_lock lock(donnees_);
  // Deleted: named but not read back.
  std::vector<std::int64_t> partis;
  for (auto id : ids)
    if (!std::binary_search(lus.begin(), lus.end(), id, [](const auto& a, const auto& b) {
          if constexpr (std::is_same_v<std::decay_t<decltype(a)>, Entree>) return a.id < b;
          else return a < b.id;
        }))
      partis.push_back(id);
  bool deplaces = !partis.empty();
  if (deplaces)
    std::erase_if(entrees_, [&](const Entree& e) { return std::binary_search(partis.begin(), partis.end(), e.id); });
  for (auto& e : lus) {
    if (auto* x = trouver(entrees_, e.id)) {
      *x = std::move(e);
    } else if (entrees_.empty() || entrees_.back().id < e.id) {
      entrees_.push_back(std::move(e));
      if (!deplaces) placer(entrees_.size() - 1);
    } else {
      entrees_.insert(std::lower_bound(entrees_.begin(), entrees_.end(), e.id,
                                       [](const Entree& a, std::int64_t x) { return a.id < x; }),
                      std::move(e));
      deplaces = true;
    }
  }
  if (deplaces) placer();
  rechargements_ += static_cast<std::int64_t>(ids.size());
}

void Index::synchroniser(Session& s) {
  std::lock_guard lock(synchro_);
  auto n = suivi_.lire(s);
  if (n.tout) charger_tout(s);
  else if (!n.ids.empty()) recharger(s, std::move(n.ids));
  suivi_.confirmer();
}

void Index::placer() {
  positions_.assign(entrees_.empty() ? 0 : static_cast<std::size_t>(entrees_.back().id) + 1, 0);
  for (std::size_t i = 0; i < entrees_.size(); ++i) positions_[static_cast<std::size_t>(entrees_[i].id)] = static_cast<std::uint32_t>(i + 1);
}

void Index::placer(std::size_t i) {
  const auto id = static_cast<std::size_t>(entrees_[i].id);
  if (positions_.size() <= id) positions_.resize(id + 1, 0);
  positions_[id] = static_cast<std::uint32_t>(i + 1);
}

const Index::Entree* Index::entree(std::int64_t id) const {
  if (id <= 0 || static_cast<std::size_t>(id) >= positions_.size()) return nullptr;
  const auto p = positions_[static_cast<std::size_t>(id)];
  return p ? &entrees_[p - 1] : nullptr;
}

Index::Etat Index::etat() const {
  std::shared_lock lock(donnees_);
  return Etat{.ressources = entrees_.size(), .construction_ms = construction_ms_, .rechargements = rechargements_};
}

// ---- Search

namespace {

struct Candidat {
  const Index::Entree* e;
  int score;
};

}  // namespace

store::Resultat Index::rechercher(Session& s, const store::Lecteur& l, const store::Recherche& q) {
  synchroniser(s);
  const bool pg = s.dialect() == Dialect::postgres;
  const bool texte = !q.fts5.empty();
  const bool pertinence = texte && q.tri == "pertinence";

  // The text, asked once of the engine: the matches, and where they match for the relevance
  // (4 when the title matches the whole query, + 2 for the summary, + 1 anywhere).
  std::vector<std::int64_t> trouves, titre, resume;
  if (texte) {
    if (pg) {
      // id × 4 + 2 (title) + 1 (summary), aggregated in one value.
      const std::string drapeaux = pertinence ? " * 4 + CASE WHEN recherche_titre @@ to_tsquery('simple', ?) THEN 2 ELSE 0 END"
                                                " + CASE WHEN recherche_resume @@ to_tsquery('simple', ?) THEN 1 ELSE 0 END"
                                              : " * 4";
      Params p;
      if (pertinence) p = {q.tsquery, q.tsquery};
      p.emplace_back(q.tsquery);
      auto v = entiers(s.query("SELECT string_agg((id" + drapeaux + ")::text, ',') FROM ressources_recherche "
                               "WHERE recherche @@ to_tsquery('simple', ?)", p).rows.at(0).at(0));
      std::sort(v.begin(), v.end());
      for (auto x : v) {
        trouves.push_back(x / 4);
        if (x & 2) titre.push_back(x / 4);
        if (x & 1) resume.push_back(x / 4);
      }
    } else {
      // Three passes (all, title, summary) cost less than one asking each row where it matched:
      // that reads every row's positions (measured: 11 ms instead of 6 ms for « smartphone »).
      const std::string sql = "SELECT group_concat(rowid) FROM ressources_recherche WHERE ressources_recherche MATCH ?";
      trouves = ids_groupes(s, sql, {q.fts5});
      if (pertinence && !trouves.empty()) {
        titre = ids_groupes(s, sql, {"{titre} : (" + q.fts5 + ")"});
        resume = ids_groupes(s, sql, {"{resume} : (" + q.fts5 + ")"});
      }
    }
  }
  // Lists of the viewer's (collection, favourites, follows), intersected.
  std::optional<std::vector<std::int64_t>> parmi;
  auto restreindre = [&](std::vector<std::int64_t> v) {
    if (!parmi) {
      parmi = std::move(v);
      return;
    }
    std::vector<std::int64_t> x;
    std::set_intersection(parmi->begin(), parmi->end(), v.begin(), v.end(), std::back_inserter(x));
    parmi = std::move(x);
  };
  if (texte) restreindre(trouves);
  if (q.collection_id)
    restreindre(ids_de(s, "SELECT ressource_id FROM ressources_collection_elements WHERE collection_id = ?", {*q.collection_id}));
  if (q.favoris) restreindre(ids_de(s, "SELECT ressource_id FROM ressources_favoris WHERE user_id = ?", {l.user_id}));
  if (q.suivis)
    restreindre(ids_de(s,
                       "SELECT r.id FROM ressources r WHERE r.auteur_id IN (SELECT auteur_id FROM ressources_suivis "
                       "WHERE user_id = ? AND auteur_id IS NOT NULL) UNION SELECT e.ressource_id FROM "
                       "ressources_collection_elements e JOIN ressources_suivis f ON f.collection_id = e.collection_id "
                       "WHERE f.user_id = ?",
                       {l.user_id, l.user_id}));
  const Reseau net = l.user_id != 0 && !l.moderateur ? reseau(s, l) : Reseau{};

  // The facet filters as bit sets; a facet without a filter lets everything through.
  constexpr std::size_t F = std::size(facettes);
  std::array<std::uint64_t, F> filtre{};
  std::array<bool, F> actif{};
  for (std::size_t f = 0; f < F; ++f) {
    auto it = q.filtres.find(std::string(facettes[f]));
    if (it == q.filtres.end() || it->second.empty()) continue;
    actif[f] = true;
    for (const auto& c : it->second) filtre[f] |= bit(indice(vocabulaire(facettes[f]), c));
  }
  auto valeurs = [](const Entree& e, std::size_t f) -> std::uint64_t {
    switch (f) {
      case 0: return e.thematiques;
      case 1: return e.publics;
      case 2: return bit(e.format);
      case 3: return bit(e.niveau);
      default: return bit(e.licence);
    }
  };
  std::array<std::array<std::int64_t, 64>, F> compte{};
  auto compter = [&](std::size_t f, std::uint64_t v) {
    for (; v; v &= v - 1) ++compte[f][static_cast<std::size_t>(std::countr_zero(v))];
  };

  store::Resultat out;
  std::vector<Candidat> gardes;
  {
    std::shared_lock lock(donnees_);
    auto it_titre = titre.cbegin(), it_resume = resume.cbegin();
    auto voir = [&](const Entree& e) {
      const bool mienne = l.user_id != 0 && e.auteur_id == l.user_id;
      // accounts::ressources_peut_voir (store::sql_visible)
      bool visible;
      if (l.user_id == 0) visible = e.publie && !e.masque && e.visibilite == 0;
      else
        visible = mienne || (e.publie && (!e.masque || l.moderateur) &&
                             (e.visibilite == 0 || (e.visibilite == 1 && (l.moderateur || net.structures.contains(e.structure_id) ||
                                                                         net.auteurs.contains(e.auteur_id)))));
      if (!visible) return;
      if (q.miennes ? !mienne : !e.publie) return;
      if (q.auteur_id && e.auteur_id != *q.auteur_id) return;
      if (q.structure_id && e.structure_id != *q.structure_id) return;
      unsigned rates = 0;
      std::array<std::uint64_t, F> v{};
      for (std::size_t f = 0; f < F; ++f) {
        v[f] = valeurs(e, f);
        if (actif[f] && !(v[f] & filtre[f])) rates |= 1u << f;
      }
      if (rates == 0) {
        int score = 0;
        if (pertinence) {  // ids come in increasing order: walk the two lists along
          while (it_titre != titre.end() && *it_titre < e.id) ++it_titre;
          while (it_resume != resume.end() && *it_resume < e.id) ++it_resume;
          score = (it_titre != titre.end() && *it_titre == e.id ? 4 : 0) +
                  (it_resume != resume.end() && *it_resume == e.id ? 2 : 0) + 1;
        }
        gardes.push_back({&e, score});
        if (q.facettes)
          for (std::size_t f = 0; f < F; ++f) compter(f, v[f]);
      } else if (q.facettes && std::has_single_bit(rates)) {
        // Fails one facet's filter only: counts for that facet (what choosing it would give).
        const auto f = static_cast<std::size_t>(std::countr_zero(rates));
        compter(f, v[f]);
      }
    };
    if (parmi) {
      for (auto id : *parmi)  // increasing
        if (const auto* e = entree(id)) voir(*e);
    } else {
      for (const auto& e : entrees_) voir(e);
    }
    out.total = static_cast<std::int64_t>(gardes.size());

    // The order: the sort's keys, then the newest, then the highest id.
    auto recent = [](const Candidat& a, const Candidat& b) {
      if (int c = a.e->date.compare(b.e->date); c != 0) return c > 0;
      return a.e->id > b.e->id;
    };
    std::function<bool(const Candidat&, const Candidat&)> avant;
    if (pertinence)
      avant = [&](const Candidat& a, const Candidat& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.e->utiles != b.e->utiles) return a.e->utiles > b.e->utiles;
        return recent(a, b);
      };
    else if (q.tri == "utiles")
      avant = [&](const Candidat& a, const Candidat& b) {
        if (a.e->utiles != b.e->utiles) return a.e->utiles > b.e->utiles;
        return recent(a, b);
      };
    else if (q.tri == "populaires")
      avant = [&](const Candidat& a, const Candidat& b) {
        if (a.e->populaire != b.e->populaire) return a.e->populaire > b.e->populaire;
        if (a.e->utiles != b.e->utiles) return a.e->utiles > b.e->utiles;
        return recent(a, b);
      };
    else
      avant = recent;
    const auto debut = static_cast<std::size_t>(std::max<std::int64_t>(0, (q.page - 1) * q.par_page));
    const auto fin = std::min(gardes.size(), debut + static_cast<std::size_t>(q.par_page));
    if (debut < fin) {
      std::partial_sort(gardes.begin(), gardes.begin() + static_cast<std::ptrdiff_t>(fin), gardes.end(), avant);
      for (std::size_t i = debut; i < fin; ++i) out.ids.push_back(gardes[i].e->id);
    }
  }
  if (!q.facettes) return out;
  for (std::size_t f = 0; f < F; ++f) {
    auto& v = out.facettes[std::string(facettes[f])];
    const auto voc = vocabulaire(facettes[f]);
    for (std::size_t i = 0; i < voc.size(); ++i)
      if (compte[f][i] > 0) v.emplace_back(std::string(voc[i].code), compte[f][i]);
  }
  return out;
}

}  // namespace coop::ressources
