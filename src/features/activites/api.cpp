// HTTP handlers of the activities feature: the CRA vocabulary, a mediator's activities (list
// with filters and keyset pagination, create, read, replace with a version check, duplicate,
// soft delete, bin, restore) and their lieux d'activité. docs/api-activites.md is the contract.
#include "features/activites/api.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <tuple>

#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/accounts/store.hpp"
#include "features/activites/model.hpp"
#include "features/activites/store.hpp"
#include "features/purge/purge.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/statistiques/synchro.hpp"
#include "features/tags/api.hpp"
#include "http/context.hpp"
#include "http/json.hpp"

namespace coop::activites {

namespace json = boost::json;
using accounts::access::mediateur;
using http::Context;
using http::JsonBody;
using http::Response;
using storage::Session;

namespace {

json::value opt_json(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt_json(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::array codes_json(std::span<const Code> list) {
  json::array out;
  for (auto& c : list) out.push_back(json::object{{"code", c.code}, {"label", c.label}});
  return out;
}

json::array strings_json(const std::vector<std::string>& v) {
  json::array out;
  for (auto& s : v) out.push_back(json::value(s));
  return out;
}

template <std::size_t N>
json::object breakdown_json(std::span<const Code> list, const std::array<std::int64_t, N>& counts) {
  json::object o;
  for (std::size_t i = 0; i < N; ++i) o[list[i].code] = counts[i];
  return o;
}

const referentiel::Commune* commune_of(const Context& ctx, const std::optional<std::string>& code) {
  return code ? ctx.services.territoires.commune(*code) : nullptr;
}

json::object personne_json(const store::Personne& p) {
  return {{"id", p.id}, {"anonyme", p.anonyme}, {"prenom", opt_json(p.prenom)}, {"nom", opt_json(p.nom)}};
}

json::object profil_json(const Context& ctx, const ProfilAnonyme& p) {
  const referentiel::Commune* c = commune_of(ctx, p.commune_insee);
  return {{"genre", opt_json(p.genre)},
          {"tranche_age", opt_json(p.tranche_age)},
          {"statut_social", opt_json(p.statut_social)},
          {"commune_insee", opt_json(p.commune_insee)},
          {"code_postal", opt_json(p.code_postal)},
          {"commune_nom", c ? json::value(c->nom) : json::value(nullptr)}};
}

json::object activite_json(const Context& ctx, const store::Vue& v) {
  const Activite& a = v.a;
  const referentiel::Commune* c = commune_of(ctx, a.commune_insee ? a.commune_insee : v.lieu_commune_insee);
  json::array tags, participants;
  for (auto& t : v.tags) tags.push_back(json::object{{"id", t.id}, {"nom", t.nom}, {"portee", t.portee}});
  for (auto& p : v.participants) participants.push_back(personne_json(p));
  const auto& n = a.anonymes;
  return {{"id", a.id},
          {"version", a.version},
          {"mediateur_id", a.mediateur_id},
          {"type", a.type},
          {"date", a.date},
          {"duree", a.duree},
          {"type_lieu", a.type_lieu},
          {"lieu_activite_id", opt_json(a.lieu_activite_id)},
          {"lieu_activite_nom", a.lieu_activite_id ? opt_json(v.lieu_nom) : json::value(nullptr)},
          {"commune_insee", opt_json(a.commune_insee)},
          {"code_postal", opt_json(a.code_postal)},
          {"commune_nom", c ? json::value(c->nom) : json::value(nullptr)},
          {"materiel", strings_json(a.materiel)},
          {"thematiques", strings_json(a.thematiques)},
          {"demarches", strings_json(a.demarches)},
          {"precisions_demarche", opt_json(a.precisions_demarche)},
          {"notes", opt_json(a.notes)},
          {"tags", std::move(tags)},
          {"beneficiaire", v.beneficiaire ? json::value(personne_json(*v.beneficiaire)) : json::value(nullptr)},
          {"beneficiaire_anonyme", a.beneficiaire_anonyme ? json::value(profil_json(ctx, *a.beneficiaire_anonyme))
                                                          : json::value(nullptr)},
          {"autonomie", opt_json(a.autonomie)},
          {"oriente_vers_structure", a.oriente_vers_structure},
          {"structure_de_redirection", opt_json(a.structure_de_redirection)},
          {"orientation_lieu_id", opt_json(a.orientation_lieu_id)},
          {"orientation_lieu",
           a.orientation_lieu_id && v.orientation_lieu_nom
               ? json::value(json::object{{"id", *a.orientation_lieu_id},
                                          {"nom", *v.orientation_lieu_nom},
                                          {"commune", v.orientation_lieu_commune.value_or("")},
                                          {"code_postal", v.orientation_lieu_code_postal.value_or("")}})
               : json::value(nullptr)},
          {"orientation_services", strings_json(a.orientation_services)},
          {"titre_atelier", opt_json(a.titre_atelier)},
          {"niveau", opt_json(a.niveau)},
          {"participants", std::move(participants)},
          {"participants_anonymes",
           json::object{{"total", n.total},
                        {"genre", breakdown_json(genres, n.genre)},
                        {"tranche_age", breakdown_json(tranches_age, n.tranche_age)},
                        {"statut_social", breakdown_json(statuts_social, n.statut_social)},
                        {"deja_accompagne", breakdown_json(deja_accompagnes, n.deja_accompagne)}}},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at},
          {"deleted_at", opt_json(a.deleted_at)}};
}

json::object lieu_json(const Context& ctx, const store::Lieu& l) {
  const referentiel::Commune* c = ctx.services.territoires.commune(l.commune_insee);
  return {{"id", l.id},
          {"structure_id", l.structure_id},
          {"nom", l.nom},
          {"adresse", l.adresse},
          {"commune_insee", l.commune_insee},
          {"commune_nom", c ? json::value(c->nom) : json::value(nullptr)},
          {"debut", l.debut},
          {"fin", opt_json(l.fin)}};
}

// ---- Reading an activity from a JSON body ----

std::vector<std::string> read_codes(JsonBody& b, const char* field) {
  std::vector<std::string> out;
  const json::value* v = b.raw(field);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) {
    b.add_error(field, "Doit être une liste de codes.");
    return out;
  }
  for (auto& x : v->as_array()) {
    if (!x.is_string()) {
      b.add_error(field, "Doit être une liste de codes.");
      return {};
    }
    out.emplace_back(x.as_string());
  }
  return out;
}

std::optional<std::int64_t> as_id(const json::value& x) {
  if (x.is_int64() && x.as_int64() > 0) return x.as_int64();
  if (x.is_uint64() && x.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(x.as_uint64());
  if (x.is_object())
    if (auto* id = x.as_object().if_contains("id")) return as_id(*id);
  return std::nullopt;
}

// A list of ids, given as numbers or as objects with an "id" (what GET returns).
std::vector<std::int64_t> read_ids(JsonBody& b, const char* field) {
  std::vector<std::int64_t> out;
  const json::value* v = b.raw(field);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) {
    b.add_error(field, "Doit être une liste d'identifiants.");
    return out;
  }
  for (auto& x : v->as_array()) {
    auto id = as_id(x);
    if (!id) {
      b.add_error(field, "Doit être une liste d'identifiants.");
      return {};
    }
    out.push_back(*id);
  }
  return out;
}

std::optional<std::int64_t> read_count(JsonBody& b, const json::value& v, const std::string& field) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= 1'000'000) return static_cast<std::int64_t>(v.as_uint64());
  b.add_error(field, "Doit être un nombre entier.");
  return std::nullopt;
}

// A breakdown object {code: count}; absent → everyone "non_communique".
template <std::size_t N>
void read_breakdown(JsonBody& b, const json::object& o, const char* name, std::span<const Code> list,
                    std::array<std::int64_t, N>& out, std::int64_t total) {
  const std::string field = std::string("participants_anonymes.") + name;
  out.fill(0);
  const json::value* v = o.if_contains(name);
  if (!v || v->is_null()) {
    for (std::size_t i = 0; i < N; ++i)
      if (list[i].code == "non_communique") out[i] = total;
    return;
  }
  if (!v->is_object()) {
    b.add_error(field, "Doit être un objet {code: nombre}.");
    return;
  }
  for (auto& [k, x] : v->as_object()) {
    std::size_t i = 0;
    while (i < N && list[i].code != std::string_view(k)) ++i;
    if (i == N) {
      b.add_error(field, "Code inconnu : « " + std::string(k) + " ».");
      continue;
    }
    if (x.is_null()) continue;
    if (auto n = read_count(b, x, field)) out[i] = *n;
  }
}

void read_anonymes(JsonBody& b, ParticipantsAnonymes& n) {
  const json::value* v = b.raw("participants_anonymes");
  if (!v || v->is_null()) return;
  if (!v->is_object()) {
    b.add_error("participants_anonymes", "Doit être un objet.");
    return;
  }
  auto& o = v->as_object();
  if (auto* t = o.if_contains("total"); t && !t->is_null())
    if (auto x = read_count(b, *t, "participants_anonymes.total")) n.total = *x;
  read_breakdown(b, o, "genre", genres, n.genre, n.total);
  read_breakdown(b, o, "tranche_age", tranches_age, n.tranche_age, n.total);
  read_breakdown(b, o, "statut_social", statuts_social, n.statut_social, n.total);
  read_breakdown(b, o, "deja_accompagne", deja_accompagnes, n.deja_accompagne, n.total);
}

std::optional<std::string> nonempty(std::optional<std::string> s) {
  if (s && s->empty()) return std::nullopt;
  return s;
}

// "beneficiaire_anonyme": {genre, tranche_age, statut_social, commune_insee, code_postal}, each a
// code or null; null or absent object → none. Other keys (commune_nom from GET) are ignored.
std::optional<ProfilAnonyme> read_profil(JsonBody& b) {
  const json::value* v = b.raw("beneficiaire_anonyme");
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_object()) {
    b.add_error("beneficiaire_anonyme", "Doit être un objet {genre, tranche_age, statut_social, commune_insee, code_postal}.");
    return std::nullopt;
  }
  ProfilAnonyme p;
  auto field = [&](const char* name, std::optional<std::string>& out, std::size_t max) {
    const json::value* x = v->as_object().if_contains(name);
    if (!x || x->is_null()) return;
    const std::string key = std::string("beneficiaire_anonyme.") + name;
    if (!x->is_string()) return b.add_error(key, "Doit être une chaîne de caractères.");
    if (x->as_string().size() > max) return b.add_error(key, "Ce champ est trop long.");
    out = nonempty(std::string(x->as_string()));
  };
  field("genre", p.genre, 40);
  field("tranche_age", p.tranche_age, 40);
  field("statut_social", p.statut_social, 40);
  field("commune_insee", p.commune_insee, 10);
  field("code_postal", p.code_postal, 10);
  return p;
}

Activite read_activite(JsonBody& b) {
  Activite a;
  a.type = b.text("type", false, 40).value_or("");
  a.date = b.text("date", false, 20).value_or("");
  a.duree = b.integer("duree").value_or(0);
  a.type_lieu = b.text("type_lieu", false, 40).value_or("");
  a.lieu_activite_id = b.integer("lieu_activite_id");
  a.commune_insee = nonempty(b.text("commune_insee", false, 10));
  a.code_postal = nonempty(b.text("code_postal", false, 10));
  a.materiel = read_codes(b, "materiel");
  a.thematiques = read_codes(b, "thematiques");
  a.demarches = read_codes(b, "demarches");
  a.precisions_demarche = nonempty(b.text("precisions_demarche", false, max_precisions));
  a.notes = nonempty(b.text("notes", false, max_notes));
  a.autonomie = nonempty(b.text("autonomie", false, 60));
  a.oriente_vers_structure = b.boolean("oriente_vers_structure").value_or(false);
  a.structure_de_redirection = nonempty(b.text("structure_de_redirection", false, 60));
  // The orientation lieu: "orientation_lieu_id", or the "orientation_lieu" object GET returns.
  if (b.has("orientation_lieu_id")) a.orientation_lieu_id = b.integer("orientation_lieu_id");
  else if (auto* v = b.raw("orientation_lieu"); v && !v->is_null()) {
    a.orientation_lieu_id = as_id(*v);
    if (!a.orientation_lieu_id) b.add_error("orientation_lieu_id", "Doit être l'identifiant d'un lieu.");
  }
  a.orientation_services = read_codes(b, "orientation_services");
  a.titre_atelier = nonempty(b.text("titre_atelier", false, max_titre));
  a.niveau = nonempty(b.text("niveau", false, 40));
  // The individual's beneficiary: "beneficiaire_id", or the "beneficiaire" object GET returns.
  if (b.has("beneficiaire_id")) a.beneficiaire_id = b.integer("beneficiaire_id");
  else if (auto* v = b.raw("beneficiaire"); v && !v->is_null()) {
    // GET shows an anonymous beneficiary as {anonyme: true} next to its profile: not an id to keep.
    const json::value* anonyme = v->is_object() ? v->as_object().if_contains("anonyme") : nullptr;
    if (!(anonyme && anonyme->is_bool() && anonyme->as_bool())) {
      a.beneficiaire_id = as_id(*v);
      if (!a.beneficiaire_id) b.add_error("beneficiaire_id", "Doit être un identifiant.");
    }
  }
  a.beneficiaire_anonyme = read_profil(b);
  a.participants = read_ids(b, "participants");
  a.tag_ids = read_ids(b, "tags");
  read_anonymes(b, a.anonymes);
  normalize(a);
  return a;
}

Contexte contexte(const Context& ctx, Session& s, std::int64_t mediateur_id) {
  return {core::today(), &ctx.services.territoires, store::periodes(store::lieux_of(s, mediateur_id))};
}

// The model's rules, then those that need the database (whose beneficiaries, which tags).
void check(const Context& ctx, Session& s, const Activite& a) {
  auto errors = validate(a, contexte(ctx, s, a.mediateur_id));
  if (a.beneficiaire_id && a.type == "individuel" &&
      store::beneficiaires_of(s, a.mediateur_id, {*a.beneficiaire_id}).empty())
    errors.emplace("beneficiaire_id", "Bénéficiaire introuvable parmi les vôtres.");
  if (!a.participants.empty() && a.type == "collectif" &&
      store::beneficiaires_of(s, a.mediateur_id, a.participants).size() != a.participants.size())
    errors.emplace("participants", "Un ou plusieurs participants sont introuvables parmi vos bénéficiaires.");
  // The tags the author sees (GET /api/tags): one rule, tags::store::visible_among.
  if (!a.tag_ids.empty() && tags::store::visible_among(s, tags::viewer_of(ctx, s), a.tag_ids).size() != a.tag_ids.size())
    errors.emplace("tags", "Une ou plusieurs étiquettes sont inconnues ou ne vous sont pas accessibles.");
  if (a.orientation_lieu_id && !errors.count("orientation_lieu_id")) {
    auto services = store::services_du_lieu(s, *a.orientation_lieu_id);
    if (!services)
      errors.emplace("orientation_lieu_id", "Lieu introuvable : aucun lieu n'a l'identifiant " +
                                                std::to_string(*a.orientation_lieu_id) + ".");
    else if (!errors.count("orientation_services"))
      for (auto& x : a.orientation_services)
        if (std::find(services->begin(), services->end(), x) == services->end()) {
          errors.emplace("orientation_services", "« " + x + " » n'est pas un service de ce lieu.");
          break;
        }
  }
  if (!errors.empty()) throw http::validation_error(errors);
}

std::vector<std::int64_t> people_of(const Activite& a) {
  auto out = a.participants;
  if (a.beneficiaire_id) out.push_back(*a.beneficiaire_id);
  return out;
}

store::Vue load_own(const Context& ctx, Session& s, std::int64_t id, bool deleted = false) {
  auto v = store::activite_by_id(s, id, deleted);
  if (!v || !accounts::owns_activite(ctx.user(), v->a.mediateur_id) || (deleted && !v->a.deleted_at))
    throw http::not_found("Activité introuvable.");
  return std::move(*v);
}

// ---- Handlers ----

Response get_referentiel(Context& ctx) {
  const auto uid = ctx.user().user_id;
  auto today = core::today();
  std::vector<std::int64_t> frequentes;
  std::vector<store::Lieu> lieux;
  std::optional<std::int64_t> dernier;
  ctx.db().read([&](Session& s) {
    frequentes = store::durees_frequentes(s, uid, frequent_duration_threshold);
    lieux = store::lieux_of(s, uid);
    dernier = store::dernier_lieu(s, uid);
  });
  json::array lieux_json, presets, freq;
  for (auto& l : lieux)
    if (LieuPeriode{l.structure_id, l.debut, l.fin}.valid_on(today)) lieux_json.push_back(lieu_json(ctx, l));
  for (int d : duree_presets) presets.push_back(d);
  for (auto d : frequentes) freq.push_back(d);
  return http::json_response(
      200, json::object{{"types", codes_json(types)},
                        {"types_lieu", codes_json(types_lieu)},
                        {"materiel", codes_json(materiels)},
                        {"thematiques", codes_json(thematiques)},
                        {"demarches", codes_json(demarches)},
                        {"autonomie", codes_json(autonomies)},
                        {"structures_de_redirection", codes_json(structures_redirection)},
                        {"niveaux", codes_json(niveaux)},
                        {"genres", codes_json(genres)},
                        {"tranches_age", codes_json(tranches_age)},
                        {"statuts_social", codes_json(statuts_social)},
                        {"deja_accompagne", codes_json(deja_accompagnes)},
                        {"portees_tag", codes_json(portees_tag)},
                        {"durees", std::move(presets)},
                        {"durees_frequentes", std::move(freq)},
                        {"duree_max", duree_max},
                        {"date_min", date_min},
                        {"aujourdhui", today},
                        {"lieux", std::move(lieux_json)},
                        {"dernier_lieu_id", opt_json(dernier)}});
}

std::int64_t positive_id(const std::string& v, const char* field) {
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out <= 0)
    throw http::validation_error({{field, "Identifiant invalide."}}, "Paramètre de requête invalide.");
  return out;
}

// The filters of GET /api/activites (also those of the exports, features/exports).
store::Filtres parse_filtres(const Context& ctx) {
  store::Filtres f;
  f.mediateur_id = ctx.user().user_id;
  f.limite = http::query_int(ctx.req, "limite", 20, 1, 100);
  std::map<std::string, std::string> errors;
  for (auto& [k, v] : ctx.req.query) {
    if (v.empty()) continue;
    if (k == "du" || k == "au") {
      if (!core::valid_date(v)) errors.emplace(k, "Date invalide (format AAAA-MM-JJ).");
      else (k == "du" ? f.du : f.au) = v;
    } else if (k == "type") {
      if (!known(types, v)) errors.emplace(k, "Type d'activité inconnu.");
      else f.types.push_back(v);
    } else if (k == "thematique") {
      if (!known(thematiques, v)) errors.emplace(k, "Thématique inconnue.");
      else f.thematiques.push_back(v);
    } else if (k == "commune") {
      if (!ctx.services.territoires.commune(v)) errors.emplace(k, "Commune inconnue.");
      else f.communes.push_back(ctx.services.territoires.commune(v)->code);
    } else if (k == "lieu") {
      f.lieux.push_back(positive_id(v, "lieu"));
    } else if (k == "beneficiaire") {
      f.beneficiaires.push_back(positive_id(v, "beneficiaire"));
    } else if (k == "tag") {
      f.tags.push_back(positive_id(v, "tag"));
    } else if (k == "tri") {
      static const std::set<std::string> tris{"date", "-date", "duree", "-duree", "type", "-type"};
      if (!tris.count(v)) errors.emplace(k, "Tri inconnu (date, -date, duree, -duree, type, -type).");
      else f.tri = v;
    } else if (k == "apres") {
      f.apres = v;
    }
  }
  if (f.apres) {  // "<value>~<id>", the value matching the sort key
    auto tilde = f.apres->rfind('~');
    bool ok = tilde != std::string::npos && tilde + 1 < f.apres->size() && f.apres->size() < 100;
    if (ok) {
      std::string value = f.apres->substr(0, tilde), id = f.apres->substr(tilde + 1);
      ok = std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }) && id.size() < 19;
      std::string key = f.tri.substr(f.tri[0] == '-' ? 1 : 0);
      if (key == "date") ok = ok && core::valid_date(value);
      else if (key == "type") ok = ok && known(types, value);
      else ok = ok && !value.empty() && value.size() < 6 &&
                std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
    }
    if (!ok) errors.emplace("apres", "Curseur invalide (il ne correspond pas au tri demandé).");
  }
  if (!errors.empty()) throw http::validation_error(errors, "Paramètre de requête invalide.");
  return f;
}

Response list_activites(Context& ctx) {
  store::Filtres f = parse_filtres(ctx);
  auto page = ctx.db().read_value([&](Session& s) { return store::list(s, f); });
  json::array items;
  for (auto& v : page.items) items.push_back(activite_json(ctx, v));
  return http::json_response(200, json::object{{"items", std::move(items)},
                                               {"suivant", opt_json(page.suivant)},
                                               {"total", page.total}});
}

// The Idempotency-Key header of POST /api/activites, when there is one (offline entry).
std::optional<std::string> cle_of(const Context& ctx) {
  auto h = ctx.req.header("idempotency-key");
  if (!h) return std::nullopt;
  auto cle = cle_idempotence(*h);
  if (!cle)
    throw http::validation_error({{"Idempotency-Key", "La clé d'idempotence doit être un UUID (8-4-4-4-12 chiffres hexadécimaux)."}},
                                 "En-tête Idempotency-Key invalide.");
  return cle;
}

// A retry of a keyed creation: the CRA the key created (also when it went to the bin since), 200.
std::optional<Response> deja_creee(Context& ctx, const std::string& cle) {
  const auto uid = ctx.user().user_id;
  auto v = ctx.db().read_value([&](Session& s) -> std::optional<store::Vue> {
    auto id = store::activite_par_cle(s, uid, cle);
    if (!id) return std::nullopt;
    return store::activite_by_id(s, *id, true);
  });
  if (!v) return std::nullopt;
  return http::json_response(200, activite_json(ctx, *v));
}

// With an Idempotency-Key, the server creates the CRA once per (mediator, key): a retry answers
// the CRA already created (same id, 200 instead of 201) and does not count it again; a retry
// racing the first request loses on the primary key of activites_cles and reads the winner's CRA.
// A CRA refused by validation stores no key: the corrected CRA is sent again with the same key.
Response create_activite(Context& ctx) {
  auto cle = cle_of(ctx);
  JsonBody b(ctx.req.body);
  Activite a = read_activite(b);
  b.done();
  a.mediateur_id = ctx.user().user_id;
  if (cle)
    if (auto r = deja_creee(ctx, *cle)) return std::move(*r);
  std::optional<store::Vue> v;
  try {
    v = ctx.db().write_value([&](Session& s) -> std::optional<store::Vue> {
      if (cle && store::activite_par_cle(s, a.mediateur_id, *cle)) return std::nullopt;  // committed meanwhile
      check(ctx, s, a);
      auto id = store::insert_activite(s, a);
      if (cle) store::enregistrer_cle(s, a.mediateur_id, *cle, id);
      store::recompute_premier(s, people_of(a));
      return store::activite_by_id(s, id, false);
    });
  } catch (const storage::DbError& e) {
    if (!cle || e.kind != storage::DbError::Kind::unique_violation) throw;
  }
  if (!v) {  // the key was used by a concurrent request, committed before or during this one
    if (auto r = deja_creee(ctx, *cle)) return std::move(*r);
    throw http::conflict("Cette activité est déjà en cours d'enregistrement : réessayez dans un instant.", "conflit");
  }
  statistiques::activites_modifiees(ctx.services.bus, {v->a.id});
  return http::json_response(201, activite_json(ctx, *v));
}

Response get_activite(Context& ctx) {
  auto id = ctx.path_id("id");
  auto v = ctx.db().read_value([&](Session& s) { return load_own(ctx, s, id); });
  return http::json_response(200, activite_json(ctx, v));
}

[[noreturn]] void stale() {
  throw http::conflict(
      "Cette activité a été modifiée entre-temps (dans un autre onglet ou par une autre session). "
      "Rechargez-la pour voir la dernière version avant de la modifier.",
      "version_perimee");
}

Response put_activite(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto version = b.integer("version", true);
  Activite a = read_activite(b);
  b.done();
  a.id = id;
  a.mediateur_id = ctx.user().user_id;
  a.version = *version;
  auto v = ctx.db().write_value([&](Session& s) {
    auto before = load_own(ctx, s, id);
    if (before.a.version != a.version) stale();
    check(ctx, s, a);
    if (!store::update_activite(s, a)) stale();
    auto people = people_of(before.a);
    for (auto p : people_of(a)) people.push_back(p);
    store::recompute_premier(s, people);
    return *store::activite_by_id(s, id, false);
  });
  statistiques::activites_modifiees(ctx.services.bus, {id});
  return http::json_response(200, activite_json(ctx, v));
}

Response delete_activite(Context& ctx) {
  auto id = ctx.path_id("id");
  ctx.db().write([&](Session& s) {
    auto v = load_own(ctx, s, id);
    if (!store::soft_delete(s, id, v.a.mediateur_id)) throw http::not_found("Activité introuvable.");
    store::recompute_premier(s, people_of(v.a));
  });
  statistiques::activites_modifiees(ctx.services.bus, {id});
  return http::no_content();
}

Response dupliquer_activite(Context& ctx) {
  auto id = ctx.path_id("id");
  auto v = ctx.db().write_value([&](Session& s) {
    Activite a = load_own(ctx, s, id).a;
    a.id = 0;
    a.version = 1;
    a.date = core::today();
    a.deleted_at.reset();
    check(ctx, s, a);
    auto nid = store::insert_activite(s, a);
    store::recompute_premier(s, people_of(a));
    return *store::activite_by_id(s, nid, false);
  });
  statistiques::activites_modifiees(ctx.services.bus, {v.a.id});
  return http::json_response(201, activite_json(ctx, v));
}

Response get_corbeille(Context& ctx) {
  auto items = ctx.db().read_value([&](Session& s) { return store::corbeille(s, ctx.user().user_id, purge::bin_since()); });
  json::array arr;
  for (auto& v : items) arr.push_back(activite_json(ctx, v));
  return http::json_response(200, json::object{{"items", std::move(arr)}});
}

Response restaurer_activite(Context& ctx) {
  auto id = ctx.path_id("id");
  auto v = ctx.db().write_value([&](Session& s) {
    auto before = load_own(ctx, s, id, true);
    if (!store::restore(s, id, before.a.mediateur_id, purge::bin_since()))
      throw http::not_found("Cette activité n'est plus dans la corbeille (30 jours).");
    store::recompute_premier(s, people_of(before.a));
    return *store::activite_by_id(s, id, false);
  });
  statistiques::activites_modifiees(ctx.services.bus, {id});
  return http::json_response(200, activite_json(ctx, v));
}

// ---- Lieux d'activité ----

Response list_lieux(Context& ctx) {
  auto lieux = ctx.db().read_value([&](Session& s) { return store::lieux_of(s, ctx.user().user_id); });
  json::array arr;
  for (auto& l : lieux) arr.push_back(lieu_json(ctx, l));
  return http::json_response(200, json::object{{"items", std::move(arr)}});
}

Response create_lieu(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto structure_id = b.integer("structure_id", true);
  auto debut = nonempty(b.text("debut", false, 10)).value_or(core::today());
  auto fin = nonempty(b.text("fin", false, 10));
  for (auto& [k, v] : check_lieu_period(debut, fin)) b.add_error(k, v);
  b.done();
  const auto uid = ctx.user().user_id;
  auto l = ctx.db().write_value([&](Session& s) {
    if (!accounts::store::structure_by_id(s, *structure_id))
      throw http::validation_error({{"structure_id", "Structure introuvable."}});
    for (auto& x : store::lieux_of(s, uid))
      if (x.structure_id == *structure_id && (!x.fin || !fin || *x.fin >= debut) && (!fin || x.debut <= *fin))
        throw http::conflict("Ce lieu fait déjà partie de vos lieux d'activité sur cette période.", "doublon",
                             {{"structure_id", "Ce lieu fait déjà partie de vos lieux d'activité sur cette période."}});
    return *store::lieu_by_id(s, store::create_lieu(s, uid, *structure_id, debut, fin));
  });
  return http::json_response(201, lieu_json(ctx, l));
}

Response patch_lieu(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto debut = nonempty(b.text("debut", false, 10));
  bool fin_null = false;
  auto fin = b.nullable_text("fin", &fin_null, 10);
  b.done();
  auto l = ctx.db().write_value([&](Session& s) {
    auto l = store::lieu_by_id(s, id);
    if (!l || !accounts::owns_activite(ctx.user(), l->mediateur_id)) throw http::not_found("Lieu d'activité introuvable.");
    std::string d = debut.value_or(l->debut);
    std::optional<std::string> f = fin_null ? std::nullopt : (b.has("fin") ? nonempty(fin) : l->fin);
    if (auto errs = check_lieu_period(d, f); !errs.empty()) throw http::validation_error(errs);
    store::update_lieu(s, id, d, f);
    return *store::lieu_by_id(s, id);
  });
  return http::json_response(200, lieu_json(ctx, l));
}

}  // namespace

json::object lieu_to_json(const Context& ctx, const store::Lieu& l) { return lieu_json(ctx, l); }

store::Filtres filtres_from_query(const http::Context& ctx) { return parse_filtres(ctx); }

void register_routes(http::Router& r) {
  r.add("GET", "/api/activites/referentiel", mediateur(), get_referentiel);
  r.add("GET", "/api/activites", mediateur(), list_activites);
  r.add("POST", "/api/activites", mediateur(), create_activite);
  r.add("GET", "/api/activites/corbeille", mediateur(), get_corbeille);
  r.add("GET", "/api/activites/{id}", mediateur(), get_activite);
  r.add("PUT", "/api/activites/{id}", mediateur(), put_activite);
  r.add("DELETE", "/api/activites/{id}", mediateur(), delete_activite);
  r.add("POST", "/api/activites/{id}/dupliquer", mediateur(), dupliquer_activite);
  r.add("POST", "/api/activites/{id}/restaurer", mediateur(), restaurer_activite);
  r.add("GET", "/api/lieux-activite", mediateur(), list_lieux);
  r.add("POST", "/api/lieux-activite", mediateur(), create_lieu);
  r.add("PATCH", "/api/lieux-activite/{id}", mediateur(), patch_lieu);
}

}  // namespace coop::activites
