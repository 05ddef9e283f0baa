#include "features/statistiques/api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <span>
#include <tuple>

#include "core/security.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/accounts/store.hpp"
#include "features/activites/model.hpp"
#include "features/coordination/model.hpp"
#include "features/exports/table.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/reseaux/store.hpp"
#include "features/statistiques/engine.hpp"
#include "http/app.hpp"
#include "http/context.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"

namespace coop::statistiques {

namespace json = boost::json;
using accounts::Role;
using http::Context;
using http::Response;
using storage::Session;

namespace {

constexpr std::size_t kMaxValeurs = 500;  // values of one list filter
constexpr std::size_t kMaxRequete = 4000;  // characters of a shared view's query
// A dashboard shows the largest lines of the breakdowns that can have thousands (communes, lieux,
// tags): the first kMaxLignes by valeur, then one line "_autres" holding the rest, whose
// percentage keeps the total at exactly 100. `complet=1` (and the exports) keep every line.
constexpr std::size_t kMaxLignes = 100;
constexpr std::string_view kAutres = "_autres";

// ---- Filters ----

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= v.size()) {
    auto comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    std::string item = core::trim(std::string_view(v).substr(start, comma - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

bool is_code(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
}

}  // namespace

Filtres filtres_from_query(const std::vector<std::pair<std::string, std::string>>& query) {
  Filtres f;
  std::map<std::string, std::string> errors;
  std::map<std::string, std::string> values;  // a parameter given twice: the last one wins
  for (auto& [k, v] : query) values[k] = v;
  auto get = [&](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end() || core::trim(it->second).empty()) return std::nullopt;
    return it->second;
  };
  auto list = [&](const char* name) {
    auto v = get(name);
    std::vector<std::string> items = v ? split_list(*v) : std::vector<std::string>{};
    if (items.size() > kMaxValeurs) {
      errors[name] = "Trop de valeurs (" + std::to_string(kMaxValeurs) + " au plus).";
      items.clear();
    }
    return items;
  };
  auto ids = [&](const char* name) {
    std::vector<std::int64_t> out;
    for (auto& s : list(name)) {
      std::int64_t id = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
      if (ec != std::errc() || p != s.data() + s.size() || id <= 0) {
        errors[name] = "Identifiants attendus (nombres entiers séparés par des virgules).";
        return std::vector<std::int64_t>{};
      }
      out.push_back(id);
    }
    return out;
  };
  auto date = [&](const char* name) -> std::optional<std::string> {
    auto v = get(name);
    if (!v) return std::nullopt;
    if (!core::valid_date(*v)) {
      errors[name] = "Date invalide (format AAAA-MM-JJ).";
      return std::nullopt;
    }
    return v;
  };
  auto codes = [&](const char* name, std::span<const activites::Code> vocab) {
    auto items = list(name);
    for (auto& c : items)
      if (!activites::known(vocab, c)) {
        errors[name] = "Valeur inconnue : « " + core::utf8_prefix(c, 60) + " ».";
        return std::vector<std::string>{};
      }
    return items;
  };
  auto territoires = [&](const char* name, std::size_t max) {
    auto items = list(name);
    for (auto& c : items)
      if (!is_code(c, max)) {
        errors[name] = "Code INSEE invalide : « " + core::utf8_prefix(c, 60) + " ».";
        return std::vector<std::string>{};
      }
    return items;
  };

  f.du = date("du");
  f.au = date("au");
  if (f.du && f.au && *f.au < *f.du) errors["au"] = "La date de fin doit suivre la date de début.";
  f.types = codes("types", activites::types);
  f.mediateurs = ids("mediateurs");
  f.beneficiaires = ids("beneficiaires");
  f.lieux = ids("lieux");
  f.communes = territoires("communes", 5);
  f.departements = territoires("departements", 3);
  f.regions = territoires("regions", 3);
  f.thematiques = codes("thematiques", activites::thematiques);
  f.tags = ids("tags");
  f.structures_employeuses = ids("structures");
  if (auto cn = get("conseiller_numerique")) {
    if (*cn == "oui") f.conseiller_numerique = Conseiller::oui;
    else if (*cn == "non") f.conseiller_numerique = Conseiller::non;
    else errors["conseiller_numerique"] = "Valeur attendue : oui ou non.";
  }
  if (!errors.empty()) throw http::validation_error(errors);
  return f;
}

std::vector<MediateurPeriode> membres_equipe(storage::Session& s, std::int64_t coordinateur_id) {
  std::vector<MediateurPeriode> out;
  for (auto& r : s.query("SELECT mediateur_id, debut, fin FROM team_members WHERE coordinateur_id = ? ORDER BY id",
                         {coordinateur_id})
                     .rows) {
    // team_members.fin is the last day of membership: the member's activities count up to and
    // including it (jusqua is exclusive).
    auto fin = storage::as_opt_text(r[2]);
    auto jour = fin ? jour_of(*fin) : std::nullopt;
    out.push_back({storage::as_int(r[0]), storage::as_text(r[1]),
                   jour ? std::optional<std::string>(date_of(*jour + 1)) : std::nullopt});
  }
  return out;
}

namespace {

// ---- Scopes (périmètres) ----

struct Choix {
  std::string code, libelle;
  Perimetre p;
  bool personnel = false;  // "moi" of a mediator: the only scope where beneficiary ids make sense
};

std::string territoire_libelle(const referentiel::Territoires& t, const accounts::Territoire& x) {
  if (x.niveau == "departement") {
    auto* d = t.departement(x.code);
    return d ? d->nom + " (" + d->code + ")" : "Département " + x.code;
  }
  auto* r = t.region(x.code);
  return r ? r->nom : "Région " + x.code;
}


// The scopes this user may choose, the default first. Admins may also ask for any structure,
// département or région by code (not listed: there are thousands).
std::vector<std::pair<std::string, std::string>> perimetres_of(Context& ctx) {
  const auto& u = ctx.user();
  std::vector<std::pair<std::string, std::string>> out;
  if (u.has(Role::mediateur) || u.has(Role::coordinateur)) out.emplace_back("moi", "Mes statistiques");
  if (u.has(Role::coordinateur)) out.emplace_back("equipe", "Mon équipe");
  auto managed = u.managed_structures();
  if (!managed.empty()) {
    ctx.db().read([&](Session& s) {
      for (auto id : managed)
        if (auto st = accounts::store::structure_by_id(s, id)) out.emplace_back("structure:" + std::to_string(id), st->nom);
    });
  }
  for (auto& t : u.territoires())
    if (auto x = accounts::parse_territoire(t)) out.emplace_back(t, territoire_libelle(ctx.services.territoires, *x));
  // The local networks the user animates or belongs to (features/reseaux).
  ctx.db().read([&](Session& s) {
    for (const auto& r : reseaux::store::de_utilisateur(s, u.user_id, core::today()))
      out.emplace_back("reseau:" + std::to_string(r.id), "Réseau · " + r.nom);
  });
  if (u.is_admin()) out.emplace_back("national", "National");
  return out;
}

// The first scope of perimetres_of(), without its names (no database read).
std::optional<std::string> perimetre_par_defaut(const accounts::Principal& u) {
  if (u.has(Role::mediateur) || u.has(Role::coordinateur)) return "moi";
  if (auto managed = u.managed_structures(); !managed.empty()) return "structure:" + std::to_string(managed.front());
  for (auto& t : u.territoires())
    if (accounts::parse_territoire(t)) return t;
  if (u.is_admin()) return "national";
  return std::nullopt;
}

Choix resoudre(Context& ctx, std::optional<std::string> code) {
  const auto& u = ctx.user();
  if (!code || code->empty()) {
    code = perimetre_par_defaut(u);
    if (!code) throw http::forbidden("Aucune statistique n'est disponible pour votre compte.");
  }
  Choix c;
  c.code = *code;

  if (*code == "national") {
    if (!u.is_admin()) throw http::forbidden("Les statistiques nationales sont réservées aux administrateurs.");
    c.p = Perimetre::national();
    c.libelle = "National";
    return c;
  }
  if (*code == "moi") {
    if (!u.has(Role::mediateur) && !u.has(Role::coordinateur))
      throw http::forbidden("Vous n'enregistrez pas d'activités : choisissez un autre périmètre.");
    c.p.kind = Perimetre::Kind::mediateurs;
    if (u.has(Role::mediateur)) c.p.mediateurs.push_back({u.user_id, std::nullopt, std::nullopt});
    if (u.has(Role::coordinateur)) c.p.coordinateurs.push_back(u.user_id);
    c.personnel = u.has(Role::mediateur);
    c.libelle = "Mes statistiques";
    return c;
  }
  if (*code == "equipe") {
    if (!u.has(Role::coordinateur)) throw http::forbidden("Seul un coordinateur a une équipe.");
    c.p.kind = Perimetre::Kind::mediateurs;
    c.p.coordinateurs.push_back(u.user_id);
    c.libelle = "Mon équipe";
    ctx.db().read([&](Session& s) { c.p.mediateurs = membres_equipe(s, u.user_id); });
    return c;
  }
  if (code->starts_with("structure:")) {
    std::int64_t id = 0;
    auto digits = std::string_view(*code).substr(10);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc() || p != digits.data() + digits.size() || id <= 0)
      throw http::validation_error({{"perimetre", "Périmètre invalide."}});
    if (!u.is_admin() && !accounts::can_manage_structure(u, id))
      throw http::forbidden("Vous ne gérez pas cette structure.");
    ctx.db().read([&](Session& s) {
      auto st = accounts::store::structure_by_id(s, id);
      if (!st) throw http::not_found("Structure introuvable.");
      c.libelle = st->nom;
      // Coordination activities of the coordinators employed there (at any time).
      auto rows = s.query(
          "SELECT DISTINCT e.user_id FROM employments e JOIN user_roles r ON r.user_id = e.user_id "
          "AND r.role = 'coordinateur' WHERE e.structure_id = ? AND e.statut = 'confirme' ORDER BY e.user_id",
          {id});
      for (auto& r : rows.rows) c.p.coordinateurs.push_back(storage::as_int(r[0]));
    });
    c.p.kind = Perimetre::Kind::structure;
    c.p.structure_id = id;
    return c;
  }
  if (code->starts_with("reseau:")) {
    std::int64_t id = 0;
    auto digits = std::string_view(*code).substr(7);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc() || p != digits.data() + digits.size() || id <= 0)
      throw http::validation_error({{"perimetre", "Périmètre invalide."}});
    ctx.db().read([&](Session& s) {
      auto r = reseaux::store::lire(s, id);
      if (!r) throw http::not_found("Réseau introuvable.");
      if (!accounts::reseaux_peut_voir_chiffres(u, reseaux::store::droits(s, id, u.user_id, core::today())))
        throw http::forbidden("Les chiffres d'un réseau sont réservés à ses animateurs et aux structures membres.");
      c.libelle = "Réseau · " + r->nom;
      c.p.structures = reseaux::store::ids_structures(s, id);
      c.p.coordinateurs = reseaux::store::coordinateurs(s, c.p.structures);
    });
    c.p.kind = Perimetre::Kind::reseau;
    return c;
  }
  if (auto x = accounts::parse_territoire(*code)) {
    const auto& t = ctx.services.territoires;
    bool known = x->niveau == "departement" ? t.departement(x->code) != nullptr : t.region(x->code) != nullptr;
    if (!known) throw http::validation_error({{"perimetre", "Territoire inconnu : « " + *code + " »."}});
    bool allowed = u.is_admin();
    for (auto& held : u.territoires()) {
      if (held == *code) allowed = true;
      // A région's pilot may look at each of its départements.
      auto h = accounts::parse_territoire(held);
      if (h && h->niveau == "region" && x->niveau == "departement") {
        auto* d = t.departement(x->code);
        if (d && d->region == h->code) allowed = true;
      }
    }
    if (!allowed) throw http::forbidden("Ce territoire ne fait pas partie des vôtres.");
    c.p.kind = x->niveau == "departement" ? Perimetre::Kind::departements : Perimetre::Kind::regions;
    c.p.codes = {x->code};
    c.libelle = territoire_libelle(t, *x);
    return c;
  }
  throw http::validation_error({{"perimetre", "Périmètre inconnu : « " + core::utf8_prefix(*code, 60) + " »."}});
}

// ---- Labels ----

std::string libelle_vocab(std::span<const activites::Code> vocab, const std::string& cle) {
  if (cle.empty()) return "Non renseigné";
  auto l = activites::label(vocab, cle);
  return l ? std::string(*l) : cle;
}

std::string libelle_duree(const std::string& cle) {
  if (cle == "moins_30") return "Moins de 30 min";
  if (cle == "30_60") return "De 30 min à 1 h";
  if (cle == "60_120") return "De 1 h à 2 h";
  if (cle == "120_plus") return "2 h et plus";
  return cle;
}

std::string libelle_commune(const referentiel::Territoires& t, const std::string& cle) {
  if (cle.empty()) return "Non renseignée";
  auto* c = t.commune(cle);
  return c ? c->nom + " (" + c->departement + ")" : cle;
}

// Names of the structures (lieux) and tags that appear in a Tableau: one query per kind.
struct Noms {
  std::map<std::string, std::string> lieux, tags;
  std::map<std::string, std::string> lieux_orientation;  // table lieux: « nom (commune) »
};

Noms noms_of(Context& ctx, const Tableau& t) {
  Noms n;
  auto load = [&](Session& s, const Repartition& r, const char* sql_prefix, std::map<std::string, std::string>& out) {
    std::vector<std::int64_t> ids;
    for (auto& l : r.lignes)
      if (!l.cle.empty() && l.cle != kAutres) ids.push_back(std::stoll(l.cle));
    for (std::size_t i = 0; i < ids.size(); i += 200) {
      std::string sql = sql_prefix;
      storage::Params params;
      for (std::size_t j = i; j < std::min(ids.size(), i + 200); ++j) {
        sql += j == i ? "?" : ", ?";
        params.emplace_back(ids[j]);
      }
      for (auto& row : s.query(sql + ")", params).rows) out[std::to_string(storage::as_int(row[0]))] = storage::as_text(row[1]);
    }
  };
  if (t.lieux.lignes.empty() && t.tags.lignes.empty() && t.orientations_lieux.lignes.empty()) return n;
  ctx.db().read([&](Session& s) {
    load(s, t.lieux, "SELECT id, nom FROM structures WHERE id IN (", n.lieux);
    load(s, t.tags, "SELECT id, nom FROM tags WHERE id IN (", n.tags);
    load(s, t.orientations_lieux,
         "SELECT id, CASE WHEN commune = '' THEN nom ELSE nom || ' (' || commune || ')' END FROM lieux WHERE id IN (",
         n.lieux_orientation);
  });
  return n;
}

// ---- The answer ----

struct Vue {
  Choix choix;
  Filtres filtres;
  Tableau tableau;
  Noms noms;
  double calcul_ms = 0;
  Repartition departements;  // the communes breakdown summed by département (before any folding)
  std::map<std::string, std::size_t> autres;  // breakdown key → lines folded into its "_autres" line
};


std::size_t resumer(Repartition& r) {
  if (r.lignes.size() <= kMaxLignes) return 0;
  std::vector<Ligne> par_valeur = std::move(r.lignes);
  // The kMaxLignes largest (keys are distinct: a strict total order) by selection, not a full
  // sort of tens of thousands of communes; they are sorted by cle below.
  std::nth_element(par_valeur.begin(), par_valeur.begin() + static_cast<std::ptrdiff_t>(kMaxLignes) - 1,
                   par_valeur.end(), [](const Ligne& a, const Ligne& b) {
                     return a.valeur != b.valeur ? a.valeur > b.valeur : a.cle < b.cle;
                   });
  Ligne autres{std::string(kAutres), 0, 0, 100};
  for (std::size_t i = 0; i < par_valeur.size(); ++i) {
    if (i < kMaxLignes) {
      autres.pourcentage -= par_valeur[i].pourcentage;
    } else {
      autres.valeur += par_valeur[i].valeur;
      autres.activites += par_valeur[i].activites;
    }
  }
  std::size_t folded = par_valeur.size() - kMaxLignes;
  par_valeur.resize(kMaxLignes);
  std::sort(par_valeur.begin(), par_valeur.end(), [](const Ligne& a, const Ligne& b) { return a.cle < b.cle; });
  par_valeur.push_back(std::move(autres));
  r.lignes = std::move(par_valeur);
  return folded;
}

Engine& engine_of(Context& ctx) {
  if (!ctx.services.statistiques)
    throw http::ApiError(503, "statistiques_indisponibles", "Les statistiques ne sont pas disponibles sur ce serveur.");
  return *ctx.services.statistiques;
}

Vue calculer_vue(Context& ctx, Choix choix, Filtres f, bool complet) {
  Vue v{std::move(choix), std::move(f), {}, {}, 0, {}, {}};
  auto start = std::chrono::steady_clock::now();
  v.tableau = engine_of(ctx).calculer(v.filtres, v.choix.p, core::today());
  v.calcul_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  {
    // The communes come sorted by INSEE code, so a département's communes are mostly adjacent:
    // one map lookup per run of them (tens of thousands of communes at national scope).
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> par_departement;
    std::string dep_courant;
    std::pair<std::int64_t, std::int64_t>* d = nullptr;
    for (auto& l : v.tableau.communes.lignes) {
      std::string dep = l.cle.empty() ? std::string() : departement_of(l.cle);
      if (!d || dep != dep_courant) d = &par_departement[dep], dep_courant = std::move(dep);
      d->first += l.valeur;
      d->second += l.activites;
    }
    v.departements = repartition(std::move(par_departement));
  }
  if (!complet) {
    auto& t = v.tableau;
    for (auto [key, r] : {std::pair{"lieux", &t.lieux}, std::pair{"communes", &t.communes}, std::pair{"tags", &t.tags},
                          std::pair{"communes_residence", &t.communes_residence},
                          std::pair{"orientations_lieux", &t.orientations_lieux}})
      if (auto n = resumer(*r)) v.autres[key] = n;
  }
  v.noms = noms_of(ctx, v.tableau);
  return v;
}

using Libelle = std::function<std::string(const std::string&)>;

// The labelled breakdowns, in display order: {json key, French title, label of a key}.
std::vector<std::tuple<const char*, const char*, const Repartition*, Libelle>> repartitions(const Vue& v,
                                                                                            const referentiel::Territoires& terr) {
  const Tableau& t = v.tableau;
  auto vocab = [](std::span<const activites::Code> list) {
    return Libelle([list](const std::string& c) { return libelle_vocab(list, c); });
  };
  auto from = [](const std::map<std::string, std::string>& names, const char* none) {
    return Libelle([&names, none](const std::string& c) {
      if (c.empty()) return std::string(none);
      auto it = names.find(c);
      return it != names.end() ? it->second : "n° " + c;
    });
  };
  auto commune = Libelle([&terr](const std::string& c) { return libelle_commune(terr, c); });
  auto oui_non = Libelle([](const std::string& c) {
    return c == "oui" ? std::string("Orienté vers une structure") : std::string("Non orienté");
  });
  return {
      {"types", "Types d'activité", &t.types, vocab(activites::types)},
      {"thematiques", "Thématiques", &t.thematiques, vocab(activites::thematiques)},
      {"demarches", "Démarches administratives", &t.demarches, vocab(activites::demarches)},
      {"materiel", "Matériel utilisé", &t.materiel, vocab(activites::materiels)},
      {"canaux", "Canaux d'accompagnement", &t.canaux, vocab(activites::types_lieu)},
      {"durees", "Durées", &t.durees, Libelle(libelle_duree)},
      {"autonomie", "Autonomie des bénéficiaires", &t.autonomie, vocab(activites::autonomies)},
      {"orientation", "Orientation", &t.orientation, oui_non},
      {"redirections", "Structures de redirection", &t.redirections, vocab(activites::structures_redirection)},
      {"lieux", "Lieux d'activité", &t.lieux, from(v.noms.lieux, "Sans lieu d'activité")},
      {"departements", "Départements des activités", &v.departements,
       Libelle([&terr](const std::string& c) {
         if (c.empty()) return std::string("Non renseigné");
         auto* d = terr.departement(c);
         return d ? d->nom + " (" + d->code + ")" : c;
       })},
      {"communes", "Communes des activités", &t.communes, commune},
      {"tags", "Tags", &t.tags, from(v.noms.tags, "Sans tag")},
      {"genres", "Bénéficiaires par genre", &t.genres, vocab(activites::genres)},
      {"tranches_age", "Bénéficiaires par tranche d'âge", &t.tranches_age, vocab(activites::tranches_age)},
      {"statuts", "Bénéficiaires par statut", &t.statuts, vocab(activites::statuts_social)},
      {"communes_residence", "Bénéficiaires par commune de résidence", &t.communes_residence, commune},
      {"orientations_lieux", "Orientations par lieu", &t.orientations_lieux,
       from(v.noms.lieux_orientation, "Lieu supprimé")},
      {"orientations_services", "Orientations par service", &t.orientations_services,
       Libelle([](const std::string& c) { return c; })},
  };
}

json::array strings_json(const std::vector<std::string>& v) {
  json::array a;
  for (auto& s : v) a.push_back(json::value(s));
  return a;
}
json::array ids_json(const std::vector<std::int64_t>& v) {
  json::array a;
  for (auto id : v) a.push_back(id);
  return a;
}

json::object filtres_json(const Filtres& f) {
  auto opt = [](const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); };
  const char* cn = f.conseiller_numerique == Conseiller::oui ? "oui" : f.conseiller_numerique == Conseiller::non ? "non" : nullptr;
  return {{"du", opt(f.du)},
          {"au", opt(f.au)},
          {"types", strings_json(f.types)},
          {"mediateurs", ids_json(f.mediateurs)},
          {"beneficiaires", ids_json(f.beneficiaires)},
          {"lieux", ids_json(f.lieux)},
          {"communes", strings_json(f.communes)},
          {"departements", strings_json(f.departements)},
          {"regions", strings_json(f.regions)},
          {"thematiques", strings_json(f.thematiques)},
          {"tags", ids_json(f.tags)},
          {"conseiller_numerique", cn ? json::value(cn) : json::value(nullptr)},
          {"structures", ids_json(f.structures_employeuses)}};
}

json::object vue_json(const Vue& v, const referentiel::Territoires& terr) {
  const Tableau& t = v.tableau;
  json::object totaux{{"activites", t.activites},
                      {"accompagnements", t.accompagnements},
                      {"individuels", t.individuels},
                      {"ateliers", t.ateliers},
                      {"participants_ateliers", t.participants_ateliers},
                      {"beneficiaires", t.beneficiaires},
                      {"nouveaux", t.nouveaux},
                      {"suivis", t.suivis},
                      {"anonymes", t.anonymes},
                      {"duree_totale_minutes", t.duree_totale}};
  json::array mois, jours, coordination;
  for (auto& [m, n] : t.par_mois) mois.push_back(json::object{{"mois", m}, {"accompagnements", n}});
  for (auto& [d, n] : t.par_jour) jours.push_back(json::object{{"jour", d}, {"accompagnements", n}});
  json::object reps;
  for (auto& [key, titre, rep, libelle] : repartitions(v, terr)) {
    json::array lignes;
    for (auto& l : rep->lignes)
      lignes.push_back(json::object{{"cle", l.cle},
                                    {"libelle", l.cle == kAutres ? "Autres (" + std::to_string(v.autres.at(key)) + ")"
                                                                 : libelle(l.cle)},
                                    {"valeur", l.valeur},
                                    {"activites", l.activites},
                                    {"pourcentage", l.pourcentage}});
    reps[key] = std::move(lignes);
  }
  for (auto& c : t.coordination)
    coordination.push_back(json::object{{"type", c.type},
                                        {"libelle", std::string(coordination::type_label(c.type))},
                                        {"activites", c.activites},
                                        {"duree_minutes", c.duree},
                                        {"participants", c.participants}});
  return {{"perimetre", json::object{{"code", v.choix.code}, {"libelle", v.choix.libelle}}},
          {"filtres", filtres_json(v.filtres)},
          {"totaux", std::move(totaux)},
          {"par_mois", std::move(mois)},
          {"par_jour", std::move(jours)},
          {"repartitions", std::move(reps)},
          {"coordination", std::move(coordination)},
          {"calcul_ms", v.calcul_ms}};
}

// A query from the UI or the API: scope + filters, checked for this user.
Vue vue_de_requete(Context& ctx, const std::vector<std::pair<std::string, std::string>>& query, bool complet = false) {
  std::optional<std::string> perimetre;
  for (auto& [k, v] : query) {
    if (k == "perimetre") perimetre = v;
    if (k == "complet" && v == "1") complet = true;
  }
  Filtres f = filtres_from_query(query);
  Choix c = resoudre(ctx, perimetre);
  if (!f.beneficiaires.empty() && !c.personnel)
    throw http::validation_error(
        {{"beneficiaires", "Le filtre par bénéficiaire n'existe que sur vos propres statistiques (périmètre « moi »)."}});
  return calculer_vue(ctx, std::move(c), std::move(f), complet);
}

Response get_statistiques(Context& ctx) {
  return http::json_response(200, vue_json(vue_de_requete(ctx, ctx.req.query), ctx.services.territoires));
}

Response get_perimetres(Context& ctx) {
  auto list = perimetres_of(ctx);
  json::array a;
  for (auto& [code, libelle] : list) a.push_back(json::object{{"code", code}, {"libelle", libelle}});
  return http::json_response(200, json::object{{"perimetres", std::move(a)},
                                                {"defaut", list.empty() ? json::value(nullptr) : json::value(list.front().first)},
                                                {"tous_territoires", ctx.user().is_admin()}});
}

// ---- Exports ----

exports::Table table_of(const Vue& v, const referentiel::Territoires& terr) {
  using exports::Column;
  exports::Table tab;
  tab.columns = {{"Rubrique", Column::Kind::text, 34},   {"Code", Column::Kind::text, 18},
                 {"Libellé", Column::Kind::text, 44},    {"Valeur", Column::Kind::integer, 12},
                 {"Activités", Column::Kind::integer, 12}, {"Pourcentage", Column::Kind::integer, 12}};
  auto row = [&](std::string rubrique, std::string code, std::string libelle, std::int64_t valeur,
                 std::optional<std::int64_t> activites, std::optional<std::int64_t> pct) {
    std::vector<exports::Cell> r{std::move(rubrique), std::move(code), std::move(libelle), valeur};
    r.push_back(activites ? exports::Cell(*activites) : exports::Cell());
    r.push_back(pct ? exports::Cell(*pct) : exports::Cell());
    tab.rows.push_back(std::move(r));
  };
  const Tableau& t = v.tableau;
  const std::string totaux = "Totaux (" + v.choix.libelle + ")";
  row(totaux, "activites", "Activités", t.activites, {}, {});
  row(totaux, "accompagnements", "Accompagnements", t.accompagnements, {}, {});
  row(totaux, "individuels", "Accompagnements individuels", t.individuels, {}, {});
  row(totaux, "ateliers", "Ateliers collectifs", t.ateliers, {}, {});
  row(totaux, "participants_ateliers", "Participants aux ateliers", t.participants_ateliers, {}, {});
  row(totaux, "beneficiaires", "Bénéficiaires", t.beneficiaires, {}, {});
  row(totaux, "nouveaux", "Nouveaux bénéficiaires", t.nouveaux, {}, {});
  row(totaux, "suivis", "Bénéficiaires suivis", t.suivis, {}, {});
  row(totaux, "anonymes", "Bénéficiaires anonymes", t.anonymes, {}, {});
  row(totaux, "duree_totale_minutes", "Temps total d'accompagnement (minutes)", t.duree_totale, {}, {});
  for (auto& [m, n] : t.par_mois) row("Accompagnements par mois", m, m, n, {}, {});
  for (auto& [d, n] : t.par_jour) row("Accompagnements par jour", d, d, n, {}, {});
  for (auto& [key, titre, rep, libelle] : repartitions(v, terr))
    for (auto& l : rep->lignes) row(titre, l.cle, libelle(l.cle), l.valeur, l.activites, l.pourcentage);
  for (auto& c : t.coordination) {
    std::string label(coordination::type_label(c.type));
    row("Coordination : activités", c.type, label, c.activites, {}, {});
    row("Coordination : durée (minutes)", c.type, label, c.duree, {}, {});
    row("Coordination : participants", c.type, label, c.participants, {}, {});
  }
  return tab;
}

Response get_export(Context& ctx) {
  auto format = ctx.req.query_param("format").value_or("xlsx");
  if (format != "csv" && format != "xlsx")
    throw http::validation_error({{"format", "Format attendu : csv ou xlsx."}});
  auto v = vue_de_requete(ctx, ctx.req.query, true);  // exports: every line
  auto table = table_of(v, ctx.services.territoires);
  std::string safe_code;
  for (char ch : v.choix.code) safe_code += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '-';
  std::string name = "statistiques-" + safe_code + "-" + core::today() + "." + format;
  Response r;
  r.status = 200;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = exports::to_csv(table);
  } else {
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = exports::to_xlsx(table, "Statistiques");
  }
  r.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
  r.set_header("Cache-Control", "no-store");
  return r;
}

// ---- Share links ----

constexpr std::string_view kParametres[] = {"du",    "au",           "types",       "mediateurs", "lieux",
                                            "communes", "departements", "regions", "thematiques", "tags",
                                            "conseiller_numerique", "structures", "complet"};

std::string url_encode(std::string_view v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The stored query of a share: parsed like a request's query string.
std::vector<std::pair<std::string, std::string>> parse_requete(const std::string& requete) {
  http::Request fake;
  fake.target = "/?" + requete;
  if (!fake.parse_target()) throw http::validation_error({{"requete", "Paramètres de la vue invalides."}});
  return fake.query;
}

json::object partage_json(const std::vector<storage::Value>& r) {
  return {{"id", storage::as_int(r[0])},
          {"titre", storage::as_text(r[1])},
          {"perimetre", storage::as_text(r[2])},
          {"requete", storage::as_text(r[3])},
          {"created_at", storage::as_text(r[4])},
          {"revoked_at", storage::is_null(r[5]) ? json::value(nullptr) : json::value(storage::as_text(r[5]))}};
}

Response post_partage(Context& ctx) {
  http::JsonBody b(ctx.req.body);
  auto titre = b.text("titre", true, 120);
  auto requete = b.text("requete", false, kMaxRequete);
  b.done();
  std::string q = requete.value_or("");
  if (!q.empty() && q.front() == '?') q.erase(0, 1);
  auto query = parse_requete(q);
  // Check it now, as its creator: a share never opens more than its creator could see.
  auto v = vue_de_requete(ctx, query);
  if (!v.filtres.beneficiaires.empty())
    throw http::validation_error({{"requete", "Une vue filtrée par bénéficiaire ne peut pas être partagée."}});
  // Store the resolved scope explicitly (a default scope could change with the creator's roles)
  // and only the known filters, percent-encoded.
  std::string stored = "perimetre=" + url_encode(v.choix.code);
  for (auto& [k, val] : query)
    if (std::find(std::begin(kParametres), std::end(kParametres), k) != std::end(kParametres))
      stored += "&" + k + "=" + url_encode(val);
  std::string token = core::random_token();
  auto now = core::now_iso();
  auto id = ctx.db().write_value([&](Session& s) {
    return s.insert(
        "INSERT INTO statistiques_partages (token_hash, owner_id, titre, perimetre, filtres, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {core::sha256_hex(token), ctx.user().user_id, *titre, v.choix.code, stored, now});
  });
  return http::json_response(201, json::object{{"id", id},
                                               {"titre", *titre},
                                               {"perimetre", v.choix.code},
                                               {"requete", stored},
                                               {"url", "/partage/statistiques/" + token},
                                               {"created_at", now},
                                               {"revoked_at", nullptr}});
}

Response list_partages(Context& ctx) {
  json::array out;
  ctx.db().read([&](Session& s) {
    auto rows = s.query(
        "SELECT id, titre, perimetre, filtres, created_at, revoked_at FROM statistiques_partages WHERE owner_id = ? "
        "ORDER BY id DESC",
        {ctx.user().user_id});
    for (auto& r : rows.rows) out.push_back(partage_json(r));
  });
  return http::json_response(200, json::object{{"partages", std::move(out)}});
}

Response delete_partage(Context& ctx) {
  auto id = ctx.path_id("id");
  bool found = ctx.db().write_value([&](Session& s) {
    auto rows = s.query("SELECT owner_id FROM statistiques_partages WHERE id = ?", {id});
    if (rows.empty() || storage::as_int(rows.rows[0][0]) != ctx.user().user_id) return false;
    s.exec("UPDATE statistiques_partages SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", {core::now_iso(), id});
    return true;
  });
  if (!found) throw http::not_found("Lien de partage introuvable.");
  return http::no_content();
}

// The public page of a share: anyone with the link, no session. The scope is re-checked against
// the creator's current roles: a creator who lost access to a scope can no longer share it.
Response get_partage_public(Context& ctx) {
  auto token = ctx.req.params["jeton"];
  struct Partage {
    std::int64_t owner = 0;
    std::string titre, filtres, created_at;
  };
  std::optional<Partage> p;
  if (!token.empty() && token.size() <= 128) {
    ctx.db().read([&](Session& s) {
      auto rows = s.query(
          "SELECT owner_id, titre, filtres, created_at FROM statistiques_partages WHERE token_hash = ? AND revoked_at IS NULL",
          {core::sha256_hex(token)});
      if (!rows.empty()) {
        auto& r = rows.rows[0];
        p = Partage{storage::as_int(r[0]), storage::as_text(r[1]), storage::as_text(r[2]), storage::as_text(r[3])};
      }
    });
  }
  if (!p) throw http::not_found("Ce lien de partage n'existe pas ou a été révoqué.", "partage_introuvable");
  std::optional<accounts::Principal> owner;
  ctx.db().read([&](Session& s) {
    auto u = accounts::store::user_by_id(s, p->owner);
    if (u && !u->disabled) owner = accounts::Principal{u->id, u->email, u->nom, u->prenom, u->roles, 0};
  });
  if (!owner) throw http::not_found("Ce lien de partage n'existe plus.", "partage_introuvable");
  // The view is computed as its creator (the request itself has no session).
  struct AsOwner {
    Context& ctx;
    std::optional<accounts::Principal> saved;
    ~AsOwner() { ctx.principal = std::move(saved); }
  } as_owner{ctx, std::exchange(ctx.principal, std::move(owner))};
  Vue v;
  try {
    v = vue_de_requete(ctx, parse_requete(p->filtres));
  } catch (const http::ApiError& e) {
    if (e.status == 403) throw http::not_found("Ce lien de partage n'est plus valable.", "partage_introuvable");
    throw;
  }
  auto body = vue_json(v, ctx.services.territoires);
  body["partage"] = json::object{{"titre", p->titre}, {"created_at", p->created_at}};
  return http::json_response(200, body);
}

// ---- Public API v1 ----

Response get_v1(Context& ctx) {
  std::vector<std::pair<std::string, std::string>> query;
  for (auto& [k, v] : ctx.req.query) {
    if (k == "perimetre") throw http::validation_error({{"perimetre", "L'API publique donne le périmètre national ; filtrez par départements ou régions."}});
    if (k == "beneficiaires") throw http::validation_error({{"beneficiaires", "Filtre indisponible dans l'API publique."}});
    query.emplace_back(k, v);
  }
  Choix c;
  c.code = "national";
  c.libelle = "National";
  c.p = Perimetre::national();
  bool complet = false;
  for (auto& [k, val] : query)
    if (k == "complet") complet = val == "1";
  auto v = calculer_vue(ctx, std::move(c), filtres_from_query(query), complet);
  return http::json_response(200, vue_json(v, ctx.services.territoires));
}

}  // namespace

void register_routes(http::Router& r) {
  using accounts::Access;
  r.add("GET", "/api/statistiques", Access::logged_in(), get_statistiques);
  r.add("GET", "/api/statistiques/perimetres", Access::logged_in(), get_perimetres);
  r.add("GET", "/api/statistiques/export", Access::logged_in(), get_export);
  r.add("GET", "/api/statistiques/partages", Access::logged_in(), list_partages);
  r.add("POST", "/api/statistiques/partages", Access::logged_in(), post_partage);
  r.add("DELETE", "/api/statistiques/partages/{id}", Access::logged_in(), delete_partage);
  r.add("GET", "/api/partages/statistiques/{jeton}", Access::anyone(), get_partage_public);
  r.add("GET", "/api/v1/statistiques", Access::api_client("statistiques"), get_v1);
}

}  // namespace coop::statistiques
