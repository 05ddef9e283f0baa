#include "features/lieux/recherche.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "core/francais.hpp"
#include "core/text.hpp"
#include "features/lieux/model.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop::lieux::recherche {

using storage::as_int;
using storage::as_text;
using storage::Dialect;
using storage::Params;
using storage::Session;
using storage::Value;

namespace {


const std::array<Champ, 8> kChamps = {ch::services, ch::publics_specifiquement_adresses, ch::prise_en_charge_specifique,
                                      ch::frais_a_charge, ch::modalites_acces, ch::modalites_accompagnement,
                                      ch::dispositif_programmes_nationaux, ch::formations_labels};

constexpr const char* kColonnes =
    "SELECT id, latitude, longitude, services, publics_specifiquement_adresses, prise_en_charge_specifique, "
    "frais_a_charge, modalites_acces, modalites_accompagnement, dispositif_programmes_nationaux, formations_labels, "
    "code_insee, ville_insee, code_postal, departement, nom, commune, presentation_resume, presentation_detail, "
    "horaires, horaires_valides, fiche_acces_libre, prise_rdv, visible_carte, modifie_le FROM lieux";

std::uint64_t bits_de(std::size_t f, std::string_view valeur) {
  std::uint64_t b = 0;
  const auto& voc = vocabulaire_du_filtre(f);
  for (const auto& v : separer(valeur))
    for (std::size_t i = 0; i < voc.size() && i < 64; ++i)
      if (voc[i] == v) b |= std::uint64_t{1} << i;
  return b;
}

std::string liste(std::size_t n) {
  std::string in;
  for (std::size_t i = 0; i < n; ++i) in += i ? ", ?" : "?";
  return in;
}

std::vector<std::string> mots_tries(const std::string& texte) {
  auto v = francais::mots(texte);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Each word of the query starts a word of the lieu (mots sorted: the first word >= w).
bool mots_trouves(const std::vector<std::string>& mots, const std::vector<std::string>& requete) {
  for (const auto& w : requete) {
    auto it = std::lower_bound(mots.begin(), mots.end(), w);
    if (it == mots.end() || it->compare(0, w.size(), w) != 0) return false;
  }
  return true;
}

bool contient(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// Horaires usable by the opening filters: given and valid.
bool ouvert_selon(const horaires::Horaires* h, const Requete& r, const horaires::HeureLocale& maintenant) {
  if (r.ouvert_maintenant && (!h || horaires::etat(*h, maintenant) != horaires::Etat::ouvert)) return false;
  if (r.jour && (!h || !horaires::ouvert_pendant(*h, *r.jour, r.de, r.a, horaires::Couverture::une_partie))) return false;
  return true;
}

struct Boite {
  double lat_min, lat_max, lon_min, lon_max;
  bool lon_tout;
};
Boite boite(const Position& c, double rayon_m) {
  constexpr double kR = 6371008.8;
  const double dlat = rayon_m / kR * 180 / M_PI;
  const double coslat = std::cos(c.lat * M_PI / 180);
  const bool tout = coslat < 1e-6 || std::abs(c.lat) + dlat >= 89;
  const double dlon = tout ? 180 : std::min(180.0, dlat / coslat);
  return {c.lat - dlat, c.lat + dlat, c.lon - dlon, c.lon + dlon, tout || dlon >= 180};
}
bool dans(const Boite& b, double lat, double lon) {
  if (lat < b.lat_min || lat > b.lat_max) return false;
  if (b.lon_tout) return true;
  if (lon >= b.lon_min && lon <= b.lon_max) return true;
  return lon + 360 <= b.lon_max || lon - 360 >= b.lon_min;  // across the antimeridian
}

}  // namespace

const std::vector<std::string_view>& vocabulaire_du_filtre(std::size_t i) {
  switch (i) {
    case 0: return vocabulaire_services();
    case 1: return vocabulaire_publics();
    case 2: return vocabulaire_prise_en_charge();
    case 3: return vocabulaire_frais();
    case 4: return vocabulaire_modalites_acces();
    case 5: return vocabulaire_modalites_accompagnement();
    case 6: return vocabulaire_dispositifs();
    default: return vocabulaire_labels();
  }
}

// ---- Synchronisation (the design of ressources::Index::synchroniser)

Index::Entree Index::lire_entree(const std::vector<Value>& r) {
  Entree e;
  e.id = as_int(r[0]);
  if (!storage::is_null(r[1]) && !storage::is_null(r[2])) {
    e.lat = storage::as_double(r[1]);
    e.lon = storage::as_double(r[2]);
    e.a_position = true;
  }
  for (std::size_t f = 0; f < 8; ++f) e.bits[f] = bits_de(f, as_text(r[3 + f]));
  e.code_insee = as_text(r[11]);
  e.ville_insee = as_text(r[12]);
  e.code_postal = as_text(r[13]);
  e.departement = as_text(r[14]);
  if (const auto* d = territoires_.departement(e.departement)) e.region = d->region;
  const auto nom = as_text(r[15]);
  e.nom_tri = core::fold(nom);
  e.mots = mots_tries(nom + " " + as_text(r[16]) + " " + as_text(r[17]) + " " + as_text(r[18]));
  const auto h = as_text(r[19]);
  if (!h.empty() && storage::as_opt_int(r[20]).value_or(0) != 0) {
    auto& partage = horaires_partages_[h];
    e.horaires = partage.lock();
    if (!e.horaires) {
      auto a = horaires::analyser(h);
      if (a.horaires) {
        e.horaires = std::make_shared<const horaires::Horaires>(std::move(*a.horaires));
        partage = e.horaires;
      }
    }
  }
  e.fiche = !as_text(r[21]).empty();
  e.rdv = !as_text(r[22]).empty();
  e.sur_la_carte = as_int(r[23]) != 0 && e.bits[0] != 0;
  e.modifie_le = as_text(r[24]);
  return e;
}

void Index::indexer_mots(const Entree& e) {
  for (const auto& m : e.mots) {
    auto& ids = mots_[m];
    if (ids.empty() || ids.back() < e.id) ids.push_back(e.id);  // charger_tout: ids come in order
    else if (auto it = std::lower_bound(ids.begin(), ids.end(), e.id); it == ids.end() || *it != e.id) ids.insert(it, e.id);
  }
}

void Index::desindexer_mots(const Entree& e) {
  for (const auto& m : e.mots) {
    auto k = mots_.find(m);
    if (k == mots_.end()) continue;
    auto& ids = k->second;
    if (auto it = std::lower_bound(ids.begin(), ids.end(), e.id); it != ids.end() && *it == e.id) ids.erase(it);
    if (ids.empty()) mots_.erase(k);
  }
}

std::optional<std::vector<std::int64_t>> Index::candidats(const std::vector<std::string>& requete) const {
  // The words of the index that a query word starts: [w, next) in the map's order.
  auto plage = [&](const std::string& w) { return std::pair(mots_.lower_bound(w), mots_.end()); };
  auto commence = [](const std::string& mot, const std::string& w) { return mot.compare(0, w.size(), w) == 0; };
  const double limite = seuil_mots_ * static_cast<double>(entrees_.size());
  const std::string* meilleur = nullptr;
  double moins = limite;
  for (const auto& w : requete) {
    double n = 0;
    for (auto [it, fin] = plage(w); it != fin && commence(it->first, w) && n <= moins; ++it) n += static_cast<double>(it->second.size());
    if (n == 0) return std::vector<std::int64_t>{};  // a query word that starts no word: nothing matches
    if (n <= moins) {
      moins = n;
      meilleur = &w;
    }
  }
  if (!meilleur) return std::nullopt;
  std::vector<std::int64_t> ids;
  ids.reserve(static_cast<std::size_t>(moins));
  std::size_t listes = 0;
  for (auto [it, fin] = plage(*meilleur); it != fin && commence(it->first, *meilleur); ++it, ++listes)
    ids.insert(ids.end(), it->second.begin(), it->second.end());
  if (listes > 1) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  return ids;
}

void Index::charger_tout(Session& s) {
  auto rows = s.query(std::string(kColonnes) + " ORDER BY id").rows;
  std::vector<Entree> v;
  v.reserve(rows.size());
  {
    std::unique_lock lock(donnees_);
    horaires_partages_.clear();
    mots_.clear();
    for (const auto& r : rows) v.push_back(lire_entree(r));
    for (const auto& e : v) indexer_mots(e);
    entrees_ = std::move(v);
  }
}

void Index::recharger(Session& s, std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::vector<Value>> lignes;
  constexpr std::size_t kLot = 500;
  for (std::size_t i = 0; i < ids.size(); i += kLot) {
    const std::size_t n = std::min(kLot, ids.size() - i);
    const Params p(ids.begin() + static_cast<std::ptrdiff_t>(i), ids.begin() + static_cast<std::ptrdiff_t>(i + n));
    for (auto& r : s.query(std::string(kColonnes) + " WHERE id IN (" + liste(n) + ")", p).rows) lignes.push_back(std::move(r));
  }
  std::unique_lock lock(donnees_);
  std::vector<Entree> lus;
  for (const auto& r : lignes) lus.push_back(lire_entree(r));
  std::sort(lus.begin(), lus.end(), [](const Entree& a, const Entree& b) { return a.id < b.id; });
  // The words of every entry named leave the word index (those read back come in again).
  for (auto id : ids)
    if (const auto* e = entree(id)) desindexer_mots(*e);
  for (const auto& e : lus) indexer_mots(e);
  // Named but not read back: deleted.
  std::erase_if(entrees_, [&](const Entree& e) {
    return std::binary_search(ids.begin(), ids.end(), e.id) &&
           !std::binary_search(lus.begin(), lus.end(), e.id, [](const auto& a, const auto& b) {
             if constexpr (std::is_same_v<std::decay_t<decltype(a)>, Entree>) return a.id < b;
             else return a < b.id;
           });
  });
  for (auto& e : lus) {
    auto it = std::lower_bound(entrees_.begin(), entrees_.end(), e.id, [](const Entree& a, std::int64_t x) { return a.id < x; });
    if (it != entrees_.end() && it->id == e.id) *it = std::move(e);
    else entrees_.insert(it, std::move(e));
  }
  std::erase_if(horaires_partages_, [](const auto& kv) { return kv.second.expired(); });
}

void Index::synchroniser(Session& s) {
  std::lock_guard lock(synchro_);
  auto n = suivi_.lire(s);
  if (n.tout) charger_tout(s);
  else if (!n.ids.empty()) recharger(s, std::move(n.ids));
  suivi_.confirmer();
}

std::size_t Index::taille() const {
  std::shared_lock lock(donnees_);
  return entrees_.size();
}

const Index::Entree* Index::entree(std::int64_t id) const {
  auto it = std::lower_bound(entrees_.begin(), entrees_.end(), id, [](const Entree& a, std::int64_t x) { return a.id < x; });
  return it != entrees_.end() && it->id == id ? &*it : nullptr;
}

std::shared_ptr<const horaires::Horaires> Index::horaires_de(std::int64_t id) const {
  std::shared_lock lock(donnees_);
  const auto* e = entree(id);
  return e ? e->horaires : nullptr;
}

std::optional<Position> Index::position_lieu(Session& s, std::int64_t id) {
  synchroniser(s);
  std::shared_lock lock(donnees_);
  const auto* e = entree(id);
  if (!e || !e->a_position) return std::nullopt;
  return Position{e->lat, e->lon};
}

std::optional<Position> Index::position_commune(Session& s, std::string_view code) {
  if (auto p = positions_.position(code)) return p;
  synchroniser(s);
  std::shared_lock lock(donnees_);
  double lat = 0, lon = 0;
  std::int64_t n = 0;
  for (const auto& e : entrees_)
    if (e.a_position && (e.code_insee == code || e.ville_insee == code)) {
      lat += e.lat;
      lon += e.lon;
      ++n;
    }
  if (n == 0) return std::nullopt;
  return Position{lat / static_cast<double>(n), lon / static_cast<double>(n)};
}

// ---- Search

template <class F>
void Index::parcourir(const Requete& r, F&& f) {
  std::array<std::uint64_t, 8> masque{};
  std::array<bool, 8> actif{};
  for (std::size_t i = 0; i < 8; ++i) {
    if (r.vocabulaires[i].empty()) continue;
    actif[i] = true;
    for (const auto& v : r.vocabulaires[i]) masque[i] |= bits_de(i, v);
  }
  const auto requete = francais::mots(r.q);
  const auto maintenant = horaires::heure_de_paris(r.instant);
  const bool horaires_filtres = r.ouvert_maintenant || r.jour.has_value();
  std::unordered_map<const horaires::Horaires*, bool> verdicts;
  const bool par_distance = r.centre.has_value();
  const Boite b = par_distance ? boite(*r.centre, r.rayon_m) : Boite{0, 0, 0, 0, true};
  auto examiner = [&](const Entree& e) {
    if (e.id <= r.apres_id) return;
    if (!r.hors_carte && !e.sur_la_carte) return;
    if (r.parmi && !std::binary_search(r.parmi->begin(), r.parmi->end(), e.id)) return;
    std::optional<double> d;
    if (par_distance) {
      if (!e.a_position || !dans(b, e.lat, e.lon)) return;
      d = distance_m(r.centre->lat, r.centre->lon, e.lat, e.lon);
      if (*d > r.rayon_m) return;
    }
    bool ok = true;
    for (std::size_t i = 0; i < 8 && ok; ++i) ok = !actif[i] || (e.bits[i] & masque[i]);
    if (!ok) return;
    if (r.fiche_acces_libre && !e.fiche) return;
    if (r.prise_rdv && !e.rdv) return;
    if (!r.communes.empty() && !contient(r.communes, e.code_insee) && !contient(r.communes, e.ville_insee)) return;
    if (!r.codes_postaux.empty() && !contient(r.codes_postaux, e.code_postal)) return;
    if (!r.departements.empty() && !contient(r.departements, e.departement)) return;
    if (!r.regions.empty() && !contient(r.regions, e.region)) return;
    if (!requete.empty() && !mots_trouves(e.mots, requete)) return;
    if (horaires_filtres) {
      // One evaluation per distinct opening hours in a search (lieux share their parsed value).
      auto [it, nouveau] = verdicts.try_emplace(e.horaires.get(), false);
      if (nouveau) it->second = ouvert_selon(e.horaires.get(), r, maintenant);
      if (!it->second) return;
    }
    f(e, d);
  };
  // Text: the word index's candidates (in id order, as the scan), else every lieu.
  if (auto ids = requete.empty() ? std::nullopt : candidats(requete)) {
    // Both in id order: each candidate is found by galloping forward from the previous one.
    auto par_id = [](const Entree& a, std::int64_t x) { return a.id < x; };
    auto it = entrees_.begin();
    const auto fin = entrees_.end();
    for (auto id : *ids) {
      std::ptrdiff_t pas = 1;
      while (pas < fin - it && (it + pas)->id < id) pas *= 2;
      it = std::lower_bound(it + pas / 2, pas < fin - it ? it + pas + 1 : fin, id, par_id);
      if (it == fin) break;
      if (it->id == id) examiner(*it);
    }
    return;
  }
  for (const auto& e : entrees_) examiner(e);
}

Resultat Index::rechercher(Session& s, const Requete& r) {
  synchroniser(s);
  struct C {
    const Entree* e;
    std::optional<double> d;
  };
  std::vector<C> v;
  Resultat out;
  std::shared_lock lock(donnees_);
  parcourir(r, [&](const Entree& e, std::optional<double> d) { v.push_back({&e, d}); });
  out.total = static_cast<std::int64_t>(v.size());
  std::size_t debut = 0, fin = 0;
  auto ordre = [&](const C& a, const C& b) {
    if (r.apres_id >= 0) return a.e->id < b.e->id;
    if (a.d && b.d && *a.d != *b.d) return *a.d < *b.d;
    if (!a.d || !b.d) {
      if (int c = a.e->nom_tri.compare(b.e->nom_tri); c != 0) return c < 0;
    }
    return a.e->id < b.e->id;
  };
  if (r.apres_id >= 0) {
    fin = std::min(v.size(), static_cast<std::size_t>(r.par_page));
    out.suite = v.size() > fin;
  } else {
    debut = static_cast<std::size_t>(std::max<std::int64_t>(0, (r.page - 1) * r.par_page));
    fin = std::min(v.size(), debut + static_cast<std::size_t>(r.par_page));
  }
  if (debut < fin) {
    if (r.apres_id < 0) std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(fin), v.end(), ordre);
    for (std::size_t i = debut; i < fin; ++i) out.page.push_back({v[i].e->id, v[i].d});
  }
  return out;
}

Points Index::points(Session& s, const Requete& r) {
  synchroniser(s);
  Points out;
  std::shared_lock lock(donnees_);
  parcourir(r, [&](const Entree& e, std::optional<double>) {
    ++out.total;
    if (e.a_position) out.points.push_back({static_cast<double>(e.id), e.lat, e.lon});
    if (!e.departement.empty()) ++out.par_departement[e.departement];
  });
  return out;
}

std::vector<Trouve> Index::page_v1(Session& s, const Requete& r, const std::optional<std::pair<std::string, std::int64_t>>& apres,
                                   const std::optional<std::string>& depuis, std::size_t limite) {
  synchroniser(s);
  struct C {
    const Entree* e;
    std::optional<double> d;
  };
  std::vector<C> v;
  std::shared_lock lock(donnees_);
  parcourir(r, [&](const Entree& e, std::optional<double> d) {
    if (depuis && e.modifie_le < *depuis) return;
    if (apres && (e.modifie_le < apres->first || (e.modifie_le == apres->first && e.id <= apres->second))) return;
    v.push_back({&e, d});
  });
  auto ordre = [](const C& a, const C& b) {
    if (int c = a.e->modifie_le.compare(b.e->modifie_le); c != 0) return c < 0;
    return a.e->id < b.e->id;
  };
  const auto fin = std::min(v.size(), limite);
  std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(fin), v.end(), ordre);
  std::vector<Trouve> out;
  for (std::size_t i = 0; i < fin; ++i) out.push_back({v[i].e->id, v[i].d});
  return out;
}

std::int64_t purger_changements(Session& s, const std::string& avant, std::int64_t limite) {
  return s.exec("DELETE FROM lieux_changements WHERE seq IN (SELECT seq FROM lieux_changements WHERE seq < "
                "(SELECT MAX(seq) FROM lieux_changements) ORDER BY seq LIMIT ?) AND cree_le < ?",
                {limite, avant});
}

// ---- The straightforward definition (tests)

std::vector<Trouve> definition(Session& s, const Requete& r, const referentiel::Territoires& t) {
  std::string sql = "SELECT id, latitude, longitude, nom, commune, presentation_resume, presentation_detail, horaires, "
                    "horaires_valides, departement FROM lieux WHERE id > ?";
  Params p{std::max<std::int64_t>(r.apres_id, 0)};
  if (r.apres_id < 0) p[0] = std::int64_t{-1};
  auto in = [&](const std::string& expr, const std::vector<std::string>& vs) {
    if (vs.empty()) return;
    sql += " AND " + expr + " IN (" + liste(vs.size()) + ")";
    for (const auto& v : vs) p.emplace_back(v);
  };
  if (!r.communes.empty()) {
    sql += " AND (code_insee IN (" + liste(r.communes.size()) + ") OR ville_insee IN (" + liste(r.communes.size()) + "))";
    for (int k = 0; k < 2; ++k)
      for (const auto& v : r.communes) p.emplace_back(v);
  }
  in("code_postal", r.codes_postaux);
  in("departement", r.departements);
  if (r.parmi) {
    sql += r.parmi->empty() ? " AND 1 = 0" : " AND id IN (" + liste(r.parmi->size()) + ")";
    for (auto id : *r.parmi) p.emplace_back(id);
  }
  for (std::size_t i = 0; i < 8; ++i) {
    if (r.vocabulaires[i].empty()) continue;
    sql += " AND id IN (SELECT lieu_id FROM lieux_valeurs WHERE champ = ? AND valeur IN (" + liste(r.vocabulaires[i].size()) + "))";
    p.emplace_back(std::string(kFiltresVocabulaire[i]));
    for (const auto& v : r.vocabulaires[i]) p.emplace_back(v);
  }
  if (r.fiche_acces_libre) sql += " AND fiche_acces_libre <> ''";
  if (r.prise_rdv) sql += " AND prise_rdv <> ''";
  if (!r.hors_carte) sql += " AND visible_carte = 1 AND services <> ''";
  const auto requete = francais::mots(r.q);
  const auto maintenant = horaires::heure_de_paris(r.instant);
  struct C {
    std::int64_t id;
    std::string nom;
    std::optional<double> d;
  };
  std::vector<C> v;
  for (auto& row : s.query(sql, p).rows) {
    if (!r.regions.empty()) {
      const auto* d = t.departement(as_text(row[9]));
      if (!d || !contient(r.regions, d->region)) continue;
    }
    if (!requete.empty()) {
      auto mots = mots_tries(as_text(row[3]) + " " + as_text(row[4]) + " " + as_text(row[5]) + " " + as_text(row[6]));
      if (!mots_trouves(mots, requete)) continue;
    }
    if (r.ouvert_maintenant || r.jour) {
      std::optional<horaires::Horaires> h;
      if (storage::as_opt_int(row[8]).value_or(0) != 0) h = horaires::analyser(as_text(row[7])).horaires;
      if (!ouvert_selon(h ? &*h : nullptr, r, maintenant)) continue;
    }
    std::optional<double> d;
    if (r.centre) {
      if (storage::is_null(row[1]) || storage::is_null(row[2])) continue;
      d = distance_m(r.centre->lat, r.centre->lon, storage::as_double(row[1]), storage::as_double(row[2]));
      if (*d > r.rayon_m) continue;
    }
    v.push_back({as_int(row[0]), core::fold(as_text(row[3])), d});
  }
  std::sort(v.begin(), v.end(), [&](const C& a, const C& b) {
    if (r.apres_id >= 0) return a.id < b.id;
    if (a.d && b.d && *a.d != *b.d) return *a.d < *b.d;
    if (!a.d && a.nom != b.nom) return a.nom < b.nom;
    return a.id < b.id;
  });
  std::vector<Trouve> out;
  for (auto& c : v) out.push_back({c.id, c.d});
  return out;
}

}  // namespace coop::lieux::recherche
