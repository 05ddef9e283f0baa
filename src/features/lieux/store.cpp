// GCC 12 at -O2 reports a false -Wmaybe-uninitialized in std::variant's move when a Params
// (vector of variants) grows with push_back (as in discussion/store_messages.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "features/lieux/store.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/activites/store.hpp"
#include "features/lieux/horaires.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop::lieux::store {

namespace {

using storage::as_int;
using storage::as_opt_int;
using storage::as_text;
using storage::Value;

// The column of a field: the standard's name, except `id` (the table's key) → `ident`.
std::string_view colonne(std::size_t i) { return i == ch::id ? std::string_view("ident") : champs()[i].nom; }

const std::string& colonnes_champs() {
  static const std::string s = [] {
    std::string out;
    for (std::size_t i = 0; i < kNbChamps; ++i) out += (i ? ", " : "") + std::string(colonne(i));
    return out;
  }();
  return s;
}

const std::string& select_lieux() {
  static const std::string s = "SELECT id, cle_source, " + colonnes_champs() +
                               ", structure_id, visible_carte, completude, horaires_valides, cree_le, modifie_le "
                               "FROM lieux";
  return s;
}

std::string texte_nombre(const Value& v) {
  if (storage::is_null(v)) return "";
  return fmt::format("{}", storage::as_double(v));
}

Enregistrement lire_ligne(const std::vector<Value>& r) {
  Enregistrement e;
  e.id = as_int(r[0]);
  e.cle_source = as_text(r[1]);
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    const auto& v = r[2 + i];
    e.lieu.valeurs[i] = (i == ch::latitude || i == ch::longitude) ? texte_nombre(v) : as_text(v);
  }
  std::size_t k = 2 + kNbChamps;
  e.structure_id = as_opt_int(r[k]);
  e.visible_carte = as_int(r[k + 1]) != 0;
  e.completude = static_cast<int>(as_int(r[k + 2]));
  if (auto h = as_opt_int(r[k + 3])) e.horaires_valides = *h != 0;
  e.cree_le = as_text(r[k + 4]);
  e.modifie_le = as_text(r[k + 5]);
  return e;
}

Value nombre_ou_null(const std::string& t) {
  if (t.empty()) return nullptr;
  double d = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  if (ec != std::errc() || p != t.data() + t.size()) return nullptr;
  return d;
}

std::string recherche(const Lieu& l) { return core::fold(l[ch::nom]) + " " + core::fold(l[ch::commune]); }

Value bool_ou_null(std::optional<bool> b) { return b ? Value(std::int64_t{*b ? 1 : 0}) : Value(nullptr); }

// The bound values of the 32 fields, in column order.
void lier_champs(storage::Params& p, const Lieu& l) {
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    if (i == ch::latitude || i == ch::longitude) p.push_back(nombre_ou_null(l.valeurs[i]));
    else p.push_back(l.valeurs[i]);
  }
}

// ville_insee, departement, nom_normalise, texte_recherche, completude, horaires_valides.
void lier_derives(storage::Params& p, const Lieu& l, std::optional<bool> horaires_valides) {
  p.push_back(ville_insee(l[ch::code_insee]));
  p.push_back(departement_de(l));
  p.push_back(nom_normalise(l[ch::nom]));
  p.push_back(recherche(l));
  p.push_back(std::int64_t{completude(l)});
  p.push_back(bool_ou_null(horaires_valides));
}

void ecrire_valeurs(Session& s, std::int64_t id, const Lieu& l) {
  s.exec("DELETE FROM lieux_valeurs WHERE lieu_id = ?", {id});
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    if (champs()[i].genre != Genre::liste || i == ch::courriels || i == ch::site_web) continue;
    for (const auto& v : separer(l.valeurs[i]))
      s.exec("INSERT INTO lieux_valeurs (lieu_id, champ, valeur) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
             {id, std::string(champs()[i].nom), v});
  }
}

std::string json_changements(const std::vector<Changement>& cs) {
  boost::json::array a;
  for (const auto& c : cs) a.push_back(boost::json::object{{"champ", c.champ}, {"avant", c.avant}, {"apres", c.apres}});
  return boost::json::serialize(a);
}

void historiser(Session& s, std::int64_t id, std::optional<std::int64_t> auteur, const std::string& origine,
                const std::vector<Changement>& cs, const std::string& maintenant) {
  s.exec("INSERT INTO lieux_historique (lieu_id, auteur_id, origine, changements, cree_le) VALUES (?, ?, ?, ?, ?)",
         {id, storage::nullable(auteur), origine, json_changements(cs), maintenant});
}

void mettre_a_jour(Session& s, std::int64_t id, const Lieu& l, std::optional<bool> horaires_valides,
                   std::optional<bool> visible, std::optional<std::int64_t> auteur, const std::string& maintenant) {
  std::string sql = "UPDATE lieux SET ";
  for (std::size_t i = 0; i < kNbChamps; ++i) sql += std::string(colonne(i)) + " = ?, ";
  sql += "ville_insee = ?, departement = ?, nom_normalise = ?, texte_recherche = ?, completude = ?, horaires_valides = ?, modifie_le = ?, "
         "modifie_par = ?";
  storage::Params p;
  lier_champs(p, l);
  lier_derives(p, l, horaires_valides);
  p.push_back(maintenant);
  p.push_back(storage::nullable(auteur));
  if (visible) {
    sql += ", visible_carte = ?";
    p.push_back(std::int64_t{*visible ? 1 : 0});
  }
  sql += " WHERE id = ?";
  p.push_back(id);
  s.exec(sql, p);
  ecrire_valeurs(s, id, l);
}

std::string clause(const Filtre& f, storage::Params& p) {
  std::string w = " WHERE id > ?";
  p.push_back(f.apres_id);
  if (!f.q.empty()) {
    w += " AND texte_recherche LIKE ? ESCAPE '\\'";
    p.push_back(storage::like_contains(core::fold(f.q)));
  }
  if (!f.code_postal.empty()) {
    w += " AND code_postal = ?";
    p.push_back(f.code_postal);
  }
  if (!f.departement.empty()) {
    w += " AND departement = ?";
    p.push_back(f.departement);
  }
  if (!f.service.empty()) {
    w += " AND id IN (SELECT lieu_id FROM lieux_valeurs WHERE champ = 'services' AND valeur = ?)";
    p.push_back(f.service);
  }
  if (f.carte_seulement) w += " AND visible_carte = 1 AND services <> ''";
  return w;
}

std::string json_valeurs(const Lieu& l) {
  boost::json::array a;
  for (const auto& v : l.valeurs) a.emplace_back(v);
  return boost::json::serialize(a);
}

Lieu lieu_de_json(const std::string& texte) {
  Lieu l;
  auto v = boost::json::parse(texte);
  const auto& a = v.as_array();
  for (std::size_t i = 0; i < kNbChamps && i < a.size(); ++i) l.valeurs[i] = std::string(a[i].as_string());
  return l;
}

// A row whose (cle_source, id) took part in a merge, the retired lieu's or the survivor's
// (store.hpp « Fusion »): compared with the values last read from that source. nullopt when the
// key never took part in a merge.
std::optional<Resultat> enregistrer_fusionne(Session& s, const Ecriture& e, std::int64_t* id_out) {
  auto r = s.query("SELECT id, survivant_id, valeurs FROM lieux_fusions WHERE cle_source = ? AND ident = ?",
                   {e.cle_source, e.lieu[ch::id]});
  if (r.empty()) return std::nullopt;
  const auto fusion_id = as_int(r.rows[0][0]);
  const auto survivant = as_int(r.rows[0][1]);
  if (id_out) *id_out = survivant;
  const Lieu lu = lieu_de_json(as_text(r.rows[0][2]));
  auto surv = lire(s, survivant);
  if (!surv) return Resultat::inchange;  // cannot happen: the mapping cascades with its survivor
  Lieu nouveau = surv->lieu;
  bool horaires = false, change = false;
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    if (i == ch::id || lu.valeurs[i] == e.lieu.valeurs[i]) continue;
    change = true;
    nouveau.valeurs[i] = e.lieu.valeurs[i];
    if (i == ch::horaires) horaires = true;
  }
  if (!change) return Resultat::inchange;
  s.exec("UPDATE lieux_fusions SET valeurs = ? WHERE id = ?", {json_valeurs(e.lieu), fusion_id});
  auto cs = differences(surv->lieu, nouveau);
  if (cs.empty()) return Resultat::inchange;
  mettre_a_jour(s, survivant, nouveau, horaires ? e.horaires_valides : surv->horaires_valides, std::nullopt, e.auteur_id,
                e.maintenant);
  historiser(s, survivant, e.auteur_id, e.origine, cs, e.maintenant);
  return Resultat::modifie;
}

}  // namespace

Resultat enregistrer(Session& s, const Ecriture& e, std::int64_t* id_out) {
  if (auto r = enregistrer_fusionne(s, e, id_out)) return *r;
  auto existant = lire_par_cle(s, e.cle_source, e.lieu[ch::id]);
  if (existant) {
    if (id_out) *id_out = existant->id;
    auto cs = differences(existant->lieu, e.lieu);
    if (cs.empty()) {
      // Same values: only the derived validity of the hours may be new (a validator installed since).
      if (existant->horaires_valides != e.horaires_valides)
        s.exec("UPDATE lieux SET horaires_valides = ? WHERE id = ?", {bool_ou_null(e.horaires_valides), existant->id});
      return Resultat::inchange;
    }
    mettre_a_jour(s, existant->id, e.lieu, e.horaires_valides, std::nullopt, e.auteur_id, e.maintenant);
    historiser(s, existant->id, e.auteur_id, e.origine, cs, e.maintenant);
    return Resultat::modifie;
  }
  std::string sql = "INSERT INTO lieux (cle_source, " + colonnes_champs() +
                    ", ville_insee, departement, nom_normalise, texte_recherche, completude, horaires_valides, cree_le, modifie_le, "
                    "modifie_par) VALUES (?";
  for (std::size_t i = 0; i < kNbChamps + 9; ++i) sql += ", ?";
  sql += ")";
  storage::Params p{e.cle_source};
  lier_champs(p, e.lieu);
  lier_derives(p, e.lieu, e.horaires_valides);
  p.push_back(e.maintenant);
  p.push_back(e.maintenant);
  p.push_back(storage::nullable(e.auteur_id));
  // Another transaction (a second instance starting, a concurrent import) may have created the
  // same (source, id) meanwhile: then it is an update of that row.
  sql += " ON CONFLICT (cle_source, ident) DO NOTHING";
  auto id = s.insert(sql, p);
  if (id == 0) {
    if (!lire_par_cle(s, e.cle_source, e.lieu[ch::id])) throw storage::DbError(storage::DbError::Kind::other, "lieu introuvable après conflit");
    return enregistrer(s, e, id_out);
  }
  ecrire_valeurs(s, id, e.lieu);
  historiser(s, id, e.auteur_id, e.origine, differences(Lieu{}, e.lieu), e.maintenant);
  if (id_out) *id_out = id;
  return Resultat::cree;
}

std::optional<Enregistrement> lire(Session& s, std::int64_t id) {
  auto r = s.query(select_lieux() + " WHERE id = ?", {id});
  if (r.empty()) return std::nullopt;
  return lire_ligne(r.rows[0]);
}

std::optional<Enregistrement> lire_par_cle(Session& s, const std::string& cle_source, const std::string& ident) {
  auto r = s.query(select_lieux() + " WHERE cle_source = ? AND ident = ?", {cle_source, ident});
  if (r.empty()) return std::nullopt;
  return lire_ligne(r.rows[0]);
}

std::optional<Enregistrement> lire_par_structure(Session& s, std::int64_t structure_id) {
  auto r = s.query(select_lieux() + " WHERE structure_id = ?", {structure_id});
  if (r.empty()) return std::nullopt;
  return lire_ligne(r.rows[0]);
}

std::vector<Changement> modifier(Session& s, std::int64_t id, const Lieu& lieu, std::optional<bool> horaires_valides,
                                 bool visible_carte, std::optional<std::int64_t> auteur_id,
                                 const std::string& maintenant) {
  auto avant = lire(s, id);
  if (!avant) return {};
  auto cs = differences(avant->lieu, lieu);
  if (avant->visible_carte != visible_carte)
    cs.push_back({"visible_carte", avant->visible_carte ? "oui" : "non", visible_carte ? "oui" : "non"});
  if (cs.empty() && avant->horaires_valides == horaires_valides) return {};
  mettre_a_jour(s, id, lieu, horaires_valides, visible_carte, auteur_id, maintenant);
  if (!cs.empty()) historiser(s, id, auteur_id, "edition", cs, maintenant);
  return cs;
}

std::vector<Enregistrement> lister(Session& s, const Filtre& f) {
  storage::Params p;
  auto w = clause(f, p);
  p.push_back(f.limite);
  auto r = s.query(select_lieux() + w + " ORDER BY id LIMIT ?", p);
  std::vector<Enregistrement> out;
  for (const auto& row : r.rows) out.push_back(lire_ligne(row));
  return out;
}

std::int64_t compter(Session& s, const Filtre& f) {
  storage::Params p;
  Filtre g = f;
  g.apres_id = 0;
  auto w = clause(g, p);
  return as_int(s.query("SELECT COUNT(*) FROM lieux" + w, p).rows[0][0]);
}

std::vector<Enregistrement> lire_plusieurs(Session& s, const std::vector<std::int64_t>& ids) {
  std::vector<Enregistrement> out;
  if (ids.empty()) return out;
  std::map<std::int64_t, Enregistrement> lus;
  constexpr std::size_t kLot = 500;
  for (std::size_t i = 0; i < ids.size(); i += kLot) {
    const std::size_t n = std::min(kLot, ids.size() - i);
    storage::Params p(ids.begin() + static_cast<std::ptrdiff_t>(i), ids.begin() + static_cast<std::ptrdiff_t>(i + n));
    std::string in;
    for (std::size_t k = 0; k < n; ++k) in += k ? ", ?" : "?";
    for (const auto& row : s.query(select_lieux() + " WHERE id IN (" + in + ")", p).rows) {
      auto e = lire_ligne(row);
      lus.emplace(e.id, std::move(e));
    }
  }
  for (auto id : ids)
    if (auto it = lus.find(id); it != lus.end()) out.push_back(it->second);
  return out;
}

void parcourir(Session& s, const std::function<void(const Enregistrement&)>& fn) {
  // Pages of 1,000 by id: bounded memory, no statement held open between pages.
  std::int64_t apres = 0;
  for (;;) {
    auto r = s.query(select_lieux() + " WHERE id > ? ORDER BY id LIMIT 1000", {apres});
    for (const auto& row : r.rows) {
      auto e = lire_ligne(row);
      apres = e.id;
      fn(e);
    }
    if (r.size() < 1000) break;
  }
}

std::vector<Historique> historique(Session& s, std::int64_t lieu_id) {
  auto r = s.query(
      "SELECT h.id, h.auteur_id, COALESCE(u.prenom || ' ' || u.nom, ''), h.origine, h.cree_le, h.changements "
      "FROM lieux_historique h LEFT JOIN users u ON u.id = h.auteur_id WHERE h.lieu_id = ? ORDER BY h.id DESC",
      {lieu_id});
  std::vector<Historique> out;
  for (const auto& row : r.rows) {
    Historique h{.id = as_int(row[0]),
                 .auteur_id = as_opt_int(row[1]),
                 .auteur_nom = core::trim(as_text(row[2])),
                 .origine = as_text(row[3]),
                 .cree_le = as_text(row[4]),
                 .changements = {}};
    auto v = boost::json::parse(as_text(row[5]));
    for (const auto& c : v.as_array()) {
      const auto& o = c.as_object();
      h.changements.push_back({std::string(o.at("champ").as_string()), std::string(o.at("avant").as_string()),
                               std::string(o.at("apres").as_string())});
    }
    out.push_back(std::move(h));
  }
  return out;
}

std::int64_t fiche_de_structure(Session& s, std::int64_t structure_id, const referentiel::Territoires& territoires,
                                const std::string& maintenant) {
  if (auto e = lire_par_structure(s, structure_id)) return e->id;
  auto st = accounts::store::structure_by_id(s, structure_id);
  if (!st) return 0;
  std::array<std::string, kNbChamps> v;
  v[ch::id] = fmt::format("structure-{}", structure_id);
  v[ch::pivot] = st->siret.empty() ? "00000000000000" : st->siret;
  v[ch::nom] = st->nom;
  v[ch::adresse] = st->adresse;
  v[ch::code_insee] = st->commune_insee;
  if (const auto* c = territoires.commune(st->commune_insee)) {
    // An arrondissement of Paris, Lyon or Marseille: the commune is the city (« Lyon »), the
    // code stays the arrondissement's (model.hpp).
    const auto* ville = c->arrondissement() ? territoires.commune(c->commune_parente) : nullptr;
    v[ch::commune] = ville ? ville->nom : c->nom;
    if (!c->codes_postaux.empty()) v[ch::code_postal] = c->codes_postaux.front();
  }
  v[ch::source] = "Coop";
  v[ch::date_maj] = maintenant.substr(0, 10);
  // Kept even when incomplete (an address missing): the sheet is what the gestionnaire completes.
  auto a = analyser(v);
  for (const auto& err : a.erreurs) {
    auto c = champ_nomme(err.champ);
    if (c && *c != ch::code_insee) a.lieu[*c] = core::trim(v[*c]);
  }
  std::int64_t id = 0;
  enregistrer(s,
              {.cle_source = std::string(kSourceCoop),
               .lieu = a.lieu,
               .horaires_valides = a.horaires_valides,
               .auteur_id = std::nullopt,
               .origine = "creation",
               .maintenant = maintenant},
              &id);
  s.exec("UPDATE lieux SET structure_id = ? WHERE id = ? AND structure_id IS NULL", {structure_id, id});
  return id;
}

bool mediateur_de_la_structure(Session& s, std::int64_t user_id, std::int64_t structure_id, const std::string& aujourdhui) {
  auto r = s.query(
      "SELECT 1 FROM lieux_activite WHERE mediateur_id = ? AND structure_id = ? AND debut <= ? AND (fin IS NULL OR fin >= ?) "
      "UNION ALL SELECT 1 FROM employments WHERE user_id = ? AND structure_id = ? AND debut <= ? AND "
      "(fin IS NULL OR fin >= ?)",
      {user_id, structure_id, aujourdhui, aujourdhui, user_id, structure_id, aujourdhui, aujourdhui});
  return !r.empty();
}

std::vector<Enregistrement> page_v1(Session& s, const std::optional<std::pair<std::string, std::int64_t>>& apres,
                                    const std::optional<std::string>& depuis, std::int64_t limite) {
  std::string sql = select_lieux() + " WHERE 1 = 1";
  storage::Params p;
  if (apres) {
    sql += " AND (modifie_le > ? OR (modifie_le = ? AND id > ?))";
    p.push_back(apres->first);
    p.push_back(apres->first);
    p.push_back(apres->second);
  }
  if (depuis) {
    sql += " AND modifie_le >= ?";
    p.push_back(*depuis);
  }
  sql += " ORDER BY modifie_le, id LIMIT ?";
  p.push_back(limite);
  std::vector<Enregistrement> out;
  for (const auto& row : s.query(sql, p).rows) out.push_back(lire_ligne(row));
  return out;
}

int evaluer_horaires(Session& s, bool toutes) {
  auto r = s.query(std::string("SELECT id, horaires FROM lieux WHERE horaires <> ''") +
                   (toutes ? "" : " AND horaires_valides IS NULL") + " ORDER BY id");
  for (const auto& row : r.rows)
    s.exec("UPDATE lieux SET horaires_valides = ? WHERE id = ?",
           {std::int64_t{horaires::analyser(as_text(row[1])).valide() ? 1 : 0}, as_int(row[0])});
  return static_cast<int>(r.size());
}

int completer_fiches(Session& s, const referentiel::Territoires& territoires, const std::string& maintenant) {
  auto r = s.query("SELECT id FROM structures WHERE id NOT IN (SELECT structure_id FROM lieux WHERE structure_id IS NOT "
                   "NULL) ORDER BY id");
  int n = 0;
  for (const auto& row : r.rows)
    if (fiche_de_structure(s, as_int(row[0]), territoires, maintenant) > 0) ++n;
  return n;
}

int proposer_doublons(Session& s, std::int64_t lieu_id, const std::string& maintenant) {
  auto l = lire(s, lieu_id);
  if (!l) return 0;
  const auto& pivot = l->lieu[ch::pivot];
  const bool vrai_pivot = pivot.find_first_not_of('0') != std::string::npos;
  auto r = s.query(
      "SELECT id, nom_normalise, pivot, latitude, longitude FROM lieux WHERE id <> ? AND cle_source <> ? AND "
      "(code_postal = ? OR (? = 1 AND pivot = ?))",
      {lieu_id, l->cle_source, l->lieu[ch::code_postal], std::int64_t{vrai_pivot ? 1 : 0}, pivot});
  const auto nom = nom_normalise(l->lieu[ch::nom]);
  const bool pos = !l->lieu[ch::latitude].empty();
  int n = 0;
  for (const auto& row : r.rows) {
    auto autre = as_int(row[0]);
    double sim = similarite_noms(nom, as_text(row[1]));
    std::optional<double> d;
    if (pos && !storage::is_null(row[3]) && !storage::is_null(row[4]))
      d = distance_m(std::stod(l->lieu[ch::latitude]), std::stod(l->lieu[ch::longitude]), storage::as_double(row[3]),
                     storage::as_double(row[4]));
    const bool meme_pivot = vrai_pivot && as_text(row[2]) == pivot;
    std::vector<std::string> raisons;
    if (meme_pivot) raisons.push_back("même SIRET/RNA");
    if (d) raisons.push_back(fmt::format("à {:.0f} m", *d));
    raisons.push_back(fmt::format("noms similaires à {:.0f} %", sim * 100));
    const bool propose = (meme_pivot && (!d || *d <= kDistancePivot)) || sim >= kSimilaireFort ||
                         (sim >= kSimilaire && d && *d <= kDistanceProche);
    if (!propose) continue;
    std::string texte;
    for (const auto& x : raisons) texte += (texte.empty() ? "" : ", ") + x;
    n += static_cast<int>(s.exec(
        "INSERT INTO lieux_doublons (lieu_id, autre_id, similarite, distance_m, raisons, cree_le) VALUES (?, ?, ?, ?, ?, "
        "?) ON CONFLICT DO NOTHING",
        {std::min(lieu_id, autre), std::max(lieu_id, autre), sim, d ? Value(*d) : Value(nullptr), texte, maintenant}));
  }
  return n;
}

namespace {
constexpr const char* kSelectDoublons =
    "SELECT d.id, d.lieu_id, d.autre_id, d.similarite, d.distance_m, d.raisons, d.statut, d.cree_le, a.nom, b.nom, "
    "a.cle_source, b.cle_source, a.commune FROM lieux_doublons d JOIN lieux a ON a.id = d.lieu_id "
    "JOIN lieux b ON b.id = d.autre_id";

Doublon lire_doublon(const std::vector<Value>& row) {
  return {.id = as_int(row[0]),
          .lieu_id = as_int(row[1]),
          .autre_id = as_int(row[2]),
          .similarite = storage::as_double(row[3]),
          .distance_m = storage::is_null(row[4]) ? std::nullopt : std::optional(storage::as_double(row[4])),
          .raisons = as_text(row[5]),
          .statut = as_text(row[6]),
          .cree_le = as_text(row[7]),
          .nom_lieu = as_text(row[8]),
          .nom_autre = as_text(row[9]),
          .source_lieu = as_text(row[10]),
          .source_autre = as_text(row[11]),
          .commune = as_text(row[12])};
}
}  // namespace

std::vector<Doublon> doublons(Session& s, const std::string& statut) {
  auto r = s.query(std::string(kSelectDoublons) + " WHERE d.statut = ? ORDER BY d.id", {statut});
  std::vector<Doublon> out;
  for (const auto& row : r.rows) out.push_back(lire_doublon(row));
  return out;
}

std::optional<Doublon> doublon(Session& s, std::int64_t id) {
  auto r = s.query(std::string(kSelectDoublons) + " WHERE d.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return lire_doublon(r.rows[0]);
}

bool ecarter_doublon(Session& s, std::int64_t id) {
  return s.exec("UPDATE lieux_doublons SET statut = 'ecarte' WHERE id = ? AND statut = 'propose'", {id}) > 0;
}

std::optional<std::int64_t> survivant_de(Session& s, std::int64_t ancien_id) {
  auto r = s.query("SELECT survivant_id FROM lieux_fusions WHERE ancien_id = ?", {ancien_id});
  if (r.empty()) return std::nullopt;
  return as_int(r.rows[0][0]);
}

Fusion fusionner(Session& s, std::int64_t survivant, std::int64_t retire, const Lieu& lieu,
                 std::optional<bool> horaires_valides, std::optional<std::int64_t> auteur_id, const std::string& maintenant) {
  if (survivant == retire) throw ErreurFusion("survivant", "Un lieu ne se fusionne pas avec lui-même.");
  auto sv = lire(s, survivant);
  auto rt = lire(s, retire);
  if (!sv || !rt) throw ErreurFusion("survivant", "L'un des deux lieux n'existe plus (déjà fusionné ou supprimé).");
  if (sv->structure_id && rt->structure_id)
    throw ErreurFusion("survivant",
                       "Ces deux lieux sont les fiches de deux structures Coop différentes : fusionner des structures n'est pas "
                       "possible ici. Écartez la proposition ou corrigez l'une des fiches.");
  Fusion out{.survivant_id = survivant, .retire_id = retire, .changements = {}, .doublons = 0, .activites_orientees = {}};
  // The retired lieu is remembered: its source key, and the keys merged into it before, now map
  // to the survivor.
  s.exec("UPDATE lieux_fusions SET survivant_id = ? WHERE survivant_id = ?", {survivant, retire});
  // A key already listed (the retired lieu survived an earlier merge) keeps the values last read
  // from its source.
  const char* inserer =
      "INSERT INTO lieux_fusions (cle_source, ident, ancien_id, survivant_id, nom, valeurs, auteur_id, cree_le) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cle_source, ident) DO UPDATE SET ancien_id = excluded.ancien_id, "
      "survivant_id = excluded.survivant_id";
  s.exec(inserer, {rt->cle_source, rt->lieu[ch::id], retire, survivant, rt->lieu[ch::nom], json_valeurs(rt->lieu),
                   storage::nullable(auteur_id), maintenant});
  s.exec(inserer, {sv->cle_source, sv->lieu[ch::id], nullptr, survivant, sv->lieu[ch::nom], json_valeurs(sv->lieu),
                   storage::nullable(auteur_id), maintenant});
  s.exec("UPDATE lieux_historique SET lieu_id = ? WHERE lieu_id = ?", {survivant, retire});
  // Dismissed pairs of the retired lieu are the survivor's (the same place); its proposals are
  // recomputed below from the survivor's values.
  auto ecartes = s.query(
      "SELECT lieu_id, autre_id, similarite, distance_m, raisons, cree_le FROM lieux_doublons WHERE (lieu_id = ? OR autre_id = ?) "
      "AND statut = 'ecarte'",
      {retire, retire});
  for (const auto& row : ecartes.rows) {
    const auto a = as_int(row[0]), b = as_int(row[1]);
    const auto x = a == retire ? b : a;
    if (x == survivant) continue;
    s.exec("INSERT INTO lieux_doublons (lieu_id, autre_id, similarite, distance_m, raisons, statut, cree_le) VALUES (?, ?, ?, ?, "
           "?, 'ecarte', ?) ON CONFLICT (lieu_id, autre_id) DO UPDATE SET statut = 'ecarte'",
           {std::min(survivant, x), std::max(survivant, x), row[2], row[3], row[4], row[5]});
  }
  // The sheet of a Coop structure: the structure's sheet is now the survivor (structure_id is
  // unique: cleared on the retired row first).
  if (rt->structure_id) s.exec("UPDATE lieux SET structure_id = NULL WHERE id = ?", {retire});
  out.activites_orientees = activites::store::deplacer_orientations(s, retire, survivant);
  s.exec("DELETE FROM lieux WHERE id = ?", {retire});
  if (rt->structure_id) s.exec("UPDATE lieux SET structure_id = ? WHERE id = ?", {*rt->structure_id, survivant});
  Lieu nouveau = lieu;
  nouveau[ch::id] = sv->lieu[ch::id];
  out.changements = differences(sv->lieu, nouveau);
  mettre_a_jour(s, survivant, nouveau, horaires_valides, std::nullopt, auteur_id, maintenant);
  auto cs = out.changements;
  cs.insert(cs.begin(), Changement{.champ = "fusion",
                                   .avant = "",
                                   .apres = fmt::format("« {} » (n° {}, source « {} », id « {} ») fusionné dans ce lieu",
                                                        rt->lieu[ch::nom], retire, rt->cle_source, rt->lieu[ch::id])});
  historiser(s, survivant, auteur_id, "fusion", cs, maintenant);
  out.doublons = proposer_doublons(s, survivant, maintenant);
  return out;
}

}  // namespace coop::lieux::store
