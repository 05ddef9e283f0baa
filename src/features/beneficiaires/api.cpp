// HTTP handlers of the beneficiaries feature: list/search, CRUD with version check, bulk delete,
// duplicates and merge, RGPD export and erasure, two-step import (CSV/XLSX), CSV export.
// Mediators only (route rule), and only their own beneficiaries (others' → 404).
#include "features/beneficiaires/api.hpp"

#include <spdlog/spdlog.h>

#include <set>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/beneficiaires/import.hpp"
#include "features/beneficiaires/model.hpp"
#include "features/beneficiaires/store.hpp"
#include "features/purge/purge.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/statistiques/synchro.hpp"
#include "http/app.hpp"
#include "http/json.hpp"
#include "http/multipart.hpp"

namespace coop::beneficiaires {

namespace json = boost::json;
using accounts::Access;
using accounts::Role;
using http::ApiError;
using http::Context;
using http::JsonBody;
using http::Response;
using storage::Session;

namespace {

Access mediateurs() { return Access::roles({Role::mediateur}); }

// Import analyses waiting for confirmation, per mediator (a new one expires the oldest beyond).
constexpr std::int64_t kMaxPendingImports = 5;

json::value opt_json(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt_json(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

int current_year() { return std::stoi(core::today().substr(0, 4)); }

json::array codes(const std::string& csv) {
  json::array out;
  std::size_t p = 0;
  while (p < csv.size()) {
    auto c = csv.find(',', p);
    if (c == std::string::npos) c = csv.size();
    if (c > p) out.emplace_back(csv.substr(p, c - p));
    p = c + 1;
  }
  return out;
}

json::object beneficiaire_json(const Beneficiaire& b, const referentiel::Territoires& t) {
  const referentiel::Commune* c = b.commune_insee ? t.commune(*b.commune_insee) : nullptr;
  return {{"id", b.id},
          {"version", b.version},
          {"anonyme", b.anonyme},
          {"prenom", opt_json(b.prenom)},
          {"nom", opt_json(b.nom)},
          {"annee_naissance", opt_json(b.annee_naissance)},
          {"telephone", opt_json(b.telephone)},
          {"pas_de_telephone", b.pas_de_telephone},
          {"email", opt_json(b.email)},
          {"adresse", opt_json(b.adresse)},
          {"commune_insee", opt_json(b.commune_insee)},
          {"code_postal", opt_json(b.code_postal)},
          {"commune_nom", c ? json::value(c->nom) : json::value(nullptr)},
          {"genre", opt_json(b.genre)},
          {"tranche_age", opt_json(b.tranche_age)},
          {"statut_social", opt_json(b.statut_social)},
          {"notes", opt_json(b.notes)},
          {"created_at", b.created_at},
          {"updated_at", b.updated_at}};
}

json::object with_suivi(json::object o, const store::Suivi& s) {
  o["nombre_accompagnements"] = s.nombre_accompagnements;
  o["dernier_accompagnement"] = opt_json(s.dernier_accompagnement);
  return o;
}

json::object history_json(const store::HistoryItem& h, bool full) {
  json::object o{{"id", h.id},
                 {"date", h.date},
                 {"type", h.type},
                 {"thematiques", codes(h.thematiques)},
                 {"duree", h.duree},
                 {"premier_accompagnement", h.premier_accompagnement}};
  if (full) {
    o["type_lieu"] = h.type_lieu;
    o["commune_insee"] = opt_json(h.commune_insee);
    o["materiel"] = codes(h.materiel);
    o["demarches"] = codes(h.demarches);
    o["autonomie"] = opt_json(h.autonomie);
    o["titre_atelier"] = opt_json(h.titre_atelier);
    o["notes"] = opt_json(h.notes);
  }
  return o;
}

// Body → Beneficiaire (every field; absent = blank). Field errors are added to `body`.
Beneficiaire read_beneficiaire(JsonBody& body) {
  Beneficiaire b;
  b.prenom = body.text("prenom", false, 100);
  b.nom = body.text("nom", false, 100);
  b.annee_naissance = body.integer("annee_naissance");
  b.telephone = body.text("telephone", false, 30);
  b.pas_de_telephone = body.boolean("pas_de_telephone").value_or(false);
  b.email = body.text("email", false, 254);
  b.adresse = body.text("adresse", false, kMaxAdresse);
  b.commune_insee = body.text("commune_insee", false, 10);
  b.code_postal = body.text("code_postal", false, 10);
  b.genre = body.text("genre", false, 40);
  b.tranche_age = body.text("tranche_age", false, 40);
  b.statut_social = body.text("statut_social", false, 40);
  b.notes = body.text("notes", false, kMaxNotes);
  auto anonyme = body.boolean("anonyme");
  auto named = [](const std::optional<std::string>& s) { return s && !s->empty(); };
  b.anonyme = anonyme.value_or(!named(b.prenom) && !named(b.nom));
  return b;
}

void check(Beneficiaire& b, JsonBody& body, const referentiel::Territoires& t) {
  normalize(b, t);
  for (auto& [k, v] : validate(b, t, current_year())) body.add_error(k, v);
  body.done();
}

Beneficiaire load(Session& s, const Context& ctx, std::int64_t id) {
  auto b = store::by_id(s, ctx.user().user_id, id);
  if (!b) throw http::not_found("Bénéficiaire introuvable.");
  return *b;
}

// ?anonymes=1: the anonymous beneficiaries too (default: followed ones only).
bool with_anonymes(const http::Request& req) {
  auto v = req.query_param("anonymes").value_or("0");
  if (v == "1" || v == "true") return true;
  if (v == "0" || v == "false" || v.empty()) return false;
  throw http::validation_error({{"anonymes", "Valeur attendue : 1 ou 0."}}, "Paramètre de requête invalide.");
}

std::pair<std::int64_t, std::int64_t> paging(const http::Request& req) {
  return {http::query_int(req, "page", 1, 1, 1'000'000), http::query_int(req, "per_page", 20, 1, 100)};
}

// ---- Handlers ----

Response list_beneficiaires(Context& ctx) {
  auto [page, per_page] = paging(ctx.req);
  auto q = ctx.req.query_param("q").value_or("");
  if (q.size() > 200) throw http::validation_error({{"q", "Recherche trop longue (200 caractères au plus)."}});
  const std::string folded = core::fold(q);
  const bool anonymes = with_anonymes(ctx.req);
  auto [items, total] = ctx.db().read_value(
      [&, page = page, per_page = per_page](Session& s) {  // explicit: clang < 16 cannot capture bindings
        return store::list(s, ctx.user().user_id, folded, page, per_page, anonymes);
      });
  json::array arr;
  for (auto& l : items) arr.push_back(with_suivi(beneficiaire_json(l.b, ctx.services.territoires), l.suivi));
  return http::json_response(
      200, json::object{{"items", std::move(arr)}, {"total", total}, {"page", page}, {"per_page", per_page}});
}

Response create_beneficiaire(Context& ctx) {
  JsonBody body(ctx.req.body);
  Beneficiaire b = read_beneficiaire(body);
  b.mediateur_id = ctx.user().user_id;
  check(b, body, ctx.services.territoires);
  auto created = ctx.db().write_value([&](Session& s) {
    auto id = store::create(s, b);
    return *store::by_id(s, b.mediateur_id, id);
  });
  return http::json_response(201, with_suivi(beneficiaire_json(created, ctx.services.territoires), {}));
}

Response get_beneficiaire(Context& ctx) {
  auto id = ctx.path_id("id");
  json::object out;
  ctx.db().read([&](Session& s) {
    auto b = load(s, ctx, id);
    out = with_suivi(beneficiaire_json(b, ctx.services.territoires), store::suivi(s, id));
    json::array acts;
    for (auto& h : store::history(s, id)) acts.push_back(history_json(h, false));
    out["activites"] = std::move(acts);
  });
  return http::json_response(200, out);
}

Response put_beneficiaire(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody body(ctx.req.body);
  Beneficiaire b = read_beneficiaire(body);
  auto version = body.integer("version", true);
  b.id = id;
  b.mediateur_id = ctx.user().user_id;
  b.version = version.value_or(0);
  check(b, body, ctx.services.territoires);
  json::object out;
  ctx.db().write([&](Session& s) {
    auto current = load(s, ctx, id);
    if (current.version != b.version || !store::update(s, b))
      throw http::conflict("Ce bénéficiaire a été modifié entre-temps (version " + std::to_string(current.version) +
                               ") : rechargez la fiche avant d'enregistrer.",
                           "version_perimee");
    out = with_suivi(beneficiaire_json(*store::by_id(s, b.mediateur_id, id), ctx.services.territoires),
                     store::suivi(s, id));
  });
  statistiques::beneficiaires_modifies(ctx.services.bus, {id});
  return http::json_response(200, out);
}

std::vector<std::int64_t> read_ids(JsonBody& body, const char* field) {
  std::vector<std::int64_t> ids;
  const json::value* v = body.raw(field);
  if (!v || !v->is_array() || v->as_array().empty()) {
    body.add_error(field, "Donnez la liste des identifiants (au moins un).");
  } else if (v->as_array().size() > 1000) {
    body.add_error(field, "1000 identifiants au plus par demande.");
  } else {
    for (auto& x : v->as_array()) {
      if (x.is_int64() && x.as_int64() > 0) ids.push_back(x.as_int64());
      else if (x.is_uint64() && x.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        ids.push_back(static_cast<std::int64_t>(x.as_uint64()));
      else {
        body.add_error(field, "Chaque identifiant doit être un entier positif.");
        break;
      }
    }
  }
  body.done();
  return ids;
}

Response bulk_delete(Context& ctx) {
  JsonBody body(ctx.req.body);
  auto ids = read_ids(body, "ids");
  auto n = ctx.db().write_value([&](Session& s) { return store::soft_delete(s, ctx.user().user_id, ids); });
  statistiques::beneficiaires_modifies(ctx.services.bus, ids);
  return http::json_response(200, json::object{{"supprimes", n}});
}

Response duplicates(Context& ctx) {
  json::array out;
  ctx.db().read([&](Session& s) {
    auto all = store::all_followed(s, ctx.user().user_id);
    std::map<std::int64_t, const Beneficiaire*> by_id;
    for (auto& b : all) by_id[b.id] = &b;
    for (auto& p : find_duplicates(all)) {
      json::array crit;
      for (auto& c : p.criteria) crit.emplace_back(c);
      out.push_back(json::object{
          {"a", with_suivi(beneficiaire_json(*by_id[p.a], ctx.services.territoires), store::suivi(s, p.a))},
          {"b", with_suivi(beneficiaire_json(*by_id[p.b], ctx.services.territoires), store::suivi(s, p.b))},
          {"criteres", std::move(crit)}});
    }
  });
  return http::json_response(200, json::object{{"items", std::move(out)}});
}

Response merge(Context& ctx) {
  auto target_id = ctx.path_id("id");
  JsonBody body(ctx.req.body);
  auto source_id = body.integer("source_id", true);
  if (source_id && *source_id == target_id) body.add_error("source_id", "Un bénéficiaire ne peut pas être fusionné avec lui-même.");
  body.done();
  json::object out;
  ctx.db().write([&](Session& s) {
    auto target = load(s, ctx, target_id);
    auto source = store::by_id(s, ctx.user().user_id, *source_id);
    if (!source) throw http::validation_error({{"source_id", "Bénéficiaire à fusionner introuvable."}});
    auto filled = merge_into(target, *source);
    if (!store::update(s, target))
      throw http::conflict("Ce bénéficiaire a été modifié entre-temps : rechargez la page.", "version_perimee");
    auto moved = store::merge_links(s, ctx.user().user_id, target_id, *source_id, filled);
    if (!moved) throw http::conflict("Le bénéficiaire à fusionner a été modifié entre-temps.", "version_perimee");
    json::array champs;
    for (auto& f : filled) champs.emplace_back(f);
    out = {{"beneficiaire", with_suivi(beneficiaire_json(*store::by_id(s, ctx.user().user_id, target_id),
                                                         ctx.services.territoires),
                                       store::suivi(s, target_id))},
           {"activites_deplacees", moved->activites_deplacees},
           {"champs_completes", std::move(champs)}};
  });
  statistiques::beneficiaires_modifies(ctx.services.bus, {target_id, *source_id});
  return http::json_response(200, out);
}

Response export_one(Context& ctx) {
  auto id = ctx.path_id("id");
  json::object out;
  ctx.db().read([&](Session& s) {
    auto b = load(s, ctx, id);
    json::array acts;
    for (auto& h : store::history(s, id)) acts.push_back(history_json(h, true));
    out = {{"exporte_le", core::now_iso()},
           {"responsable", json::object{{"id", ctx.user().user_id},
                                        {"prenom", ctx.user().prenom},
                                        {"nom", ctx.user().nom},
                                        {"email", ctx.user().email}}},
           {"beneficiaire", with_suivi(beneficiaire_json(b, ctx.services.territoires), store::suivi(s, id))},
           {"activites", std::move(acts)}};
  });
  auto r = http::json_response(200, out);
  r.set_header("Content-Disposition", "attachment; filename=\"beneficiaire-" + std::to_string(id) + ".json\"");
  return r;
}

Response erase(Context& ctx) {
  auto id = ctx.path_id("id");
  bool done = ctx.db().write_value([&](Session& s) {
    load(s, ctx, id);
    return store::erase(s, ctx.user().user_id, id);
  });
  if (!done) throw http::not_found("Bénéficiaire introuvable.");
  statistiques::beneficiaires_modifies(ctx.services.bus, {id});
  spdlog::info("beneficiaire {} effacé (RGPD) par l'utilisateur {}", id, ctx.user().user_id);
  return http::no_content();
}

// ---- Bin (corbeille) ----

Response get_corbeille(Context& ctx) {
  auto items = ctx.db().read_value([&](Session& s) { return store::corbeille(s, ctx.user().user_id, purge::bin_since()); });
  json::array arr;
  for (auto& x : items) {
    auto o = with_suivi(beneficiaire_json(x.b, ctx.services.territoires), x.suivi);
    o["supprime_le"] = x.deleted_at;
    arr.push_back(std::move(o));
  }
  return http::json_response(200, json::object{{"items", std::move(arr)}});
}

// Why a beneficiary cannot be restored, in French.
std::string refusal(store::NonRestorable r) {
  switch (r) {
    case store::NonRestorable::efface:
      return "Ce bénéficiaire a été effacé (droit à l'effacement, RGPD) : ses données personnelles n'existent plus, "
             "il ne peut pas être restauré.";
    case store::NonRestorable::fusionne:
      return "Ce bénéficiaire a été fusionné avec un autre : il ne peut pas être restauré. Ses activités sont sur la "
             "fiche du bénéficiaire conservé.";
    case store::NonRestorable::anonyme:
      return "Un bénéficiaire anonyme n'est pas restaurable seul : celui d'une activité revient avec elle (corbeille "
             "des activités).";
    case store::NonRestorable::trop_ancien:
      return "Ce bénéficiaire n'est plus dans la corbeille (" + std::to_string(purge::bin_days) + " jours).";
    case store::NonRestorable::introuvable:
      break;
  }
  return "Bénéficiaire introuvable dans la corbeille.";
}

[[noreturn]] void refuse(store::NonRestorable r) {
  if (r == store::NonRestorable::efface || r == store::NonRestorable::fusionne || r == store::NonRestorable::anonyme)
    throw http::conflict(refusal(r), "non_restaurable");
  throw http::not_found(refusal(r));
}

Response restore_one(Context& ctx) {
  auto id = ctx.path_id("id");
  const auto since = purge::bin_since();
  json::object out;
  ctx.db().write([&](Session& s) {
    if (auto r = store::check_restorable(s, ctx.user().user_id, id, since)) refuse(*r);
    if (!store::restore(s, ctx.user().user_id, id, since)) refuse(store::NonRestorable::introuvable);
    out = with_suivi(beneficiaire_json(*store::by_id(s, ctx.user().user_id, id), ctx.services.territoires),
                     store::suivi(s, id));
  });
  statistiques::beneficiaires_modifies(ctx.services.bus, {id});
  return http::json_response(200, out);
}

Response restore_many(Context& ctx) {
  JsonBody body(ctx.req.body);
  auto ids = read_ids(body, "ids");
  const auto since = purge::bin_since();
  std::int64_t n = 0;
  json::array refused;
  ctx.db().write([&](Session& s) {
    for (auto id : std::set<std::int64_t>(ids.begin(), ids.end())) {
      auto r = store::check_restorable(s, ctx.user().user_id, id, since);
      if (!r && store::restore(s, ctx.user().user_id, id, since)) ++n;
      else refused.push_back(json::object{{"id", id}, {"message", refusal(r.value_or(store::NonRestorable::introuvable))}});
    }
  });
  statistiques::beneficiaires_modifies(ctx.services.bus, ids);
  return http::json_response(200, json::object{{"restaures", n}, {"refuses", std::move(refused)}});
}

// ---- Import ----

// The file to analyse: the "fichier" part of a multipart/form-data body (what the web page
// sends), or the raw body (API clients). CSV or XLSX: the content type when it says so, else the
// file name's extension, else the content (a zip archive is an XLSX).
struct Fichier {
  std::string data;
  bool xlsx = false;
};

// `suffix` is lower-case ASCII.
bool ends_with_ci(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]) != suffix[i]) return false;
  return true;
}

// 400 fichier_illisible naming the field "fichier".
ApiError illisible(const std::string& message) { return ApiError(400, "fichier_illisible", message, {{"fichier", message}}); }

Fichier fichier_of(const http::Request& req) {
  const auto ct = req.header("content-type").value_or("");
  const std::string_view zip("PK\x03\x04", 4);
  if (!http::multipart::is_form_data(ct)) {
    if (req.body.empty())
      throw illisible("Envoyez le fichier (CSV ou XLSX) : formulaire multipart/form-data (champ « fichier ») ou corps brut.");
    return {req.body, ct.find("spreadsheetml") != std::string::npos || req.body.starts_with(zip)};
  }
  std::vector<http::multipart::Part> parts;
  try {
    parts = http::multipart::parse(req.body, http::multipart::boundary(ct));
  } catch (const http::multipart::ParseError& e) {
    throw illisible(std::string("Formulaire d'envoi illisible : ") + e.what());
  }
  http::multipart::Part* part = nullptr;
  for (auto& p : parts) {
    if (p.name != "fichier") continue;
    if (part) throw illisible("Envoyez un seul fichier à la fois (champ « fichier » répété).");
    part = &p;
  }
  if (!part) throw illisible("Choisissez le fichier à importer (champ « fichier » absent du formulaire).");
  if (part->data.empty()) throw illisible("Le fichier envoyé est vide.");
  const std::string name = part->filename.value_or("");
  const std::string& type = part->content_type;
  bool xlsx;
  if (type.find("spreadsheetml") != std::string::npos) xlsx = true;
  else if (type == "text/csv") xlsx = false;
  else if (ends_with_ci(name, ".xlsx")) xlsx = true;
  else if (ends_with_ci(name, ".csv") || ends_with_ci(name, ".txt")) xlsx = false;
  else if (ends_with_ci(name, ".xls") || ends_with_ci(name, ".ods"))
    throw illisible("Format non pris en charge : enregistrez le tableau au format XLSX ou CSV, puis réessayez.");
  else xlsx = part->data.starts_with(zip);
  return {std::move(part->data), xlsx};
}

json::object stored_json(const Beneficiaire& b) {
  json::object o;
  auto put = [&](const char* k, const std::optional<std::string>& v) {
    if (v) o[k] = *v;
  };
  put("prenom", b.prenom);
  put("nom", b.nom);
  if (b.annee_naissance) o["annee_naissance"] = *b.annee_naissance;
  put("telephone", b.telephone);
  put("email", b.email);
  put("adresse", b.adresse);
  put("commune_insee", b.commune_insee);
  put("code_postal", b.code_postal);
  put("genre", b.genre);
  put("tranche_age", b.tranche_age);
  put("statut_social", b.statut_social);
  put("notes", b.notes);
  return o;
}

Response import_analyse(Context& ctx) {
  const Fichier f = fichier_of(ctx.req);
  Analysis a;
  try {
    Sheet sheet = f.xlsx ? read_xlsx(f.data) : parse_csv(f.data);
    a = analyse(sheet, ctx.services.territoires, current_year());
  } catch (const ImportError& e) {
    throw illisible(e.what());
  }
  json::array lignes, payload;
  std::int64_t valides = 0, invalides = 0;
  for (auto& l : a.lignes) {
    json::object valeurs, erreurs;
    for (auto& [k, v] : l.valeurs) valeurs[k] = v;
    for (auto& [k, v] : l.erreurs) erreurs[k] = v;
    lignes.push_back(json::object{{"numero", l.numero}, {"valeurs", std::move(valeurs)}, {"erreurs", std::move(erreurs)}});
    if (l.erreurs.empty()) {
      ++valides;
      payload.push_back(stored_json(l.beneficiaire));
    } else {
      ++invalides;
    }
  }
  json::value import_id = nullptr;
  std::string expires_at;
  if (valides > 0) {
    auto now = core::Clock::now();
    expires_at = core::iso_utc(now + std::chrono::hours(1));
    import_id = ctx.db().write_value([&](Session& s) {
      auto id = store::save_import(s, ctx.user().user_id, json::serialize(payload), valides, expires_at);
      // At most kMaxPendingImports waiting per mediator: the oldest ones beyond expire now.
      store::cap_pending_imports(s, ctx.user().user_id, kMaxPendingImports, core::iso_utc(now));
      return id;
    });
  }
  json::array ignorees;
  for (auto& c : a.colonnes_ignorees) ignorees.emplace_back(c);
  return http::json_response(200, json::object{{"import_id", import_id},
                                               {"expire_le", expires_at.empty() ? json::value(nullptr) : json::value(expires_at)},
                                               {"lignes", std::move(lignes)},
                                               {"valides", valides},
                                               {"invalides", invalides},
                                               {"colonnes_ignorees", std::move(ignorees)}});
}

Response import_confirm(Context& ctx) {
  auto id = ctx.path_id("import_id");
  const auto& t = ctx.services.territoires;
  const int year = current_year();
  auto n = ctx.db().write_value([&](Session& s) -> std::int64_t {
    auto imp = store::import_by_id(s, ctx.user().user_id, id);
    if (!imp) throw http::not_found("Import introuvable.");
    if (imp->confirmed_at) throw http::conflict("Cet import a déjà été confirmé.", "import_deja_confirme");
    if (imp->expires_at <= core::now_iso())
      throw ApiError(410, "import_expire",
                     "Cette analyse a expiré (elle reste valable une heure, et seules vos " +
                         std::to_string(kMaxPendingImports) +
                         " analyses les plus récentes sont conservées) : analysez le fichier à nouveau.");
    if (!store::confirm_import(s, id)) throw http::conflict("Cet import a déjà été confirmé.", "import_deja_confirme");
    std::int64_t count = 0;
    const json::value rows = json::parse(imp->payload);
    for (auto& v : rows.as_array()) {
      JsonBody body(json::serialize(v));
      Beneficiaire b = read_beneficiaire(body);
      b.anonyme = false;
      b.mediateur_id = ctx.user().user_id;
      normalize(b, t);
      if (!body.ok() || !validate(b, t, year).empty()) continue;  // analysed valid: cannot happen
      store::create(s, b);
      ++count;
    }
    return count;
  });
  return http::json_response(200, json::object{{"importes", n}});
}

// ---- CSV export ----

std::string csv_cell(std::string v) {
  // Spreadsheet formula injection: a cell starting with = + - @ (not a number) is quoted as text.
  if (!v.empty() && (v[0] == '=' || v[0] == '@' || v[0] == '\t' || v[0] == '\r' ||
                     ((v[0] == '+' || v[0] == '-') && (v.size() == 1 || !(v[1] >= '0' && v[1] <= '9')))))
    v = "'" + v;
  if (v.find_first_of(";\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Response export_csv(Context& ctx) {
  const bool anonymes = with_anonymes(ctx.req);
  auto items = ctx.db().read_value(
      [&](Session& s) { return store::list(s, ctx.user().user_id, "", 1, 1'000'000, anonymes).first; });
  const auto& t = ctx.services.territoires;
  std::string out = "\xEF\xBB\xBF";
  out += "id;prenom;nom;annee_naissance;telephone;pas_de_telephone;email;adresse;code_postal;commune_insee;commune;"
         "genre;tranche_age;statut_social;notes;nombre_accompagnements;dernier_accompagnement;cree_le\r\n";
  for (auto& l : items) {
    const auto& b = l.b;
    const referentiel::Commune* c = b.commune_insee ? t.commune(*b.commune_insee) : nullptr;
    std::vector<std::string> cells = {std::to_string(b.id),
                                      b.prenom.value_or(""),
                                      b.nom.value_or(""),
                                      b.annee_naissance ? std::to_string(*b.annee_naissance) : "",
                                      b.telephone.value_or(""),
                                      b.pas_de_telephone ? "oui" : "non",
                                      b.email.value_or(""),
                                      b.adresse.value_or(""),
                                      b.code_postal.value_or(""),
                                      b.commune_insee.value_or(""),
                                      c ? c->nom : "",
                                      b.genre.value_or(""),
                                      b.tranche_age.value_or(""),
                                      b.statut_social.value_or(""),
                                      b.notes.value_or(""),
                                      std::to_string(l.suivi.nombre_accompagnements),
                                      l.suivi.dernier_accompagnement.value_or(""),
                                      b.created_at.substr(0, 10)};
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? ";" : "") + csv_cell(cells[i]);
    out += "\r\n";
  }
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(out);
  r.set_header("Content-Disposition", "attachment; filename=\"beneficiaires.csv\"");
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void register_routes(http::Router& r) {
  r.add("GET", "/api/beneficiaires", mediateurs(), list_beneficiaires);
  r.add("POST", "/api/beneficiaires", mediateurs(), create_beneficiaire);
  r.add("GET", "/api/beneficiaires/doublons", mediateurs(), duplicates);
  r.add("GET", "/api/beneficiaires/export.csv", mediateurs(), export_csv);
  r.add("POST", "/api/beneficiaires/suppression", mediateurs(), bulk_delete);
  r.add("GET", "/api/beneficiaires/corbeille", mediateurs(), get_corbeille);
  r.add("POST", "/api/beneficiaires/restauration", mediateurs(), restore_many);
  r.add("POST", "/api/beneficiaires/import/analyse", mediateurs(), import_analyse);
  r.add("POST", "/api/beneficiaires/import/{import_id}/confirmer", mediateurs(), import_confirm);
  r.add("GET", "/api/beneficiaires/{id}", mediateurs(), get_beneficiaire);
  r.add("PUT", "/api/beneficiaires/{id}", mediateurs(), put_beneficiaire);
  r.add("GET", "/api/beneficiaires/{id}/export", mediateurs(), export_one);
  r.add("POST", "/api/beneficiaires/{id}/effacer", mediateurs(), erase);
  r.add("POST", "/api/beneficiaires/{id}/fusionner", mediateurs(), merge);
  r.add("POST", "/api/beneficiaires/{id}/restaurer", mediateurs(), restore_one);
}

}  // namespace coop::beneficiaires
