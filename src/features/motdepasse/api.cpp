// HTTP handlers of « Mot de passe oublié »: the request for a link (same answer whatever the
// address), the link's page (is it still usable?) and the reset itself.
#include "features/motdepasse/api.hpp"

#include <array>
#include <functional>
#include <mutex>

#include "core/security.hpp"
#include "core/time.hpp"
#include "features/accounts/model.hpp"
#include "features/accounts/store.hpp"
#include "features/courriels/envoi.hpp"
#include "features/courriels/store.hpp"
#include "features/motdepasse/model.hpp"
#include "features/motdepasse/store.hpp"
#include "http/app.hpp"
#include "http/json.hpp"

namespace coop::motdepasse {

namespace json = boost::json;
using http::ApiError;
using http::Context;
using http::JsonBody;
using http::Response;
using storage::Session;
namespace acc = accounts::store;

namespace {

// The one answer to every request that is not refused for its IP address (nor invalid).
constexpr const char* kReponse =
    "Si un compte Coop correspond à cette adresse, un e-mail contenant un lien pour choisir un nouveau mot de passe "
    "vient de lui être envoyé. Ce lien est valable 1 heure. Pensez à regarder dans vos courriers indésirables.";

Limites limites(const http::Config& c) {
  return {c.reset_max_per_address, c.reset_max_per_account, c.reset_max_per_ip, std::chrono::minutes(60)};
}

// Requests for the same address (or from the same IP address) are serialised within this process,
// so that parallel requests cannot all pass the count before any is recorded (as for log-in).
constexpr std::size_t kStripes = 64;
std::array<std::mutex, kStripes> address_stripes, ip_stripes;
std::mutex& stripe(std::array<std::mutex, kStripes>& a, const std::string& key) {
  return a[std::hash<std::string>{}(key) % kStripes];
}

Response demander(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto email = b.text("email", true, 254);
  if (email && !email->empty())
    if (auto e = accounts::check_email(*email)) b.add_error("email", *e);
  b.done();
  const std::string adresse = accounts::normalize_email(*email);
  const std::string ip = ctx.ip();
  const Limites lim = limites(ctx.services.config);
  // The same work whatever the address: a token, its hash and the mail are made every time, the
  // same queries run in one write transaction; only the two inserts of a real request differ.
  const std::string token = core::random_token(octets_jeton);
  const std::string hash = core::sha256_hex(token);
  const std::string lien = ctx.services.config.public_url + "/reinitialisation/" + token;
  std::scoped_lock serial(stripe(address_stripes, adresse), stripe(ip_stripes, ip));
  const auto now = core::Clock::now();
  const std::string since = core::iso_utc(now - lim.fenetre);
  const Limite limite = ctx.db().write_value([&](Session& s) {
    auto user = acc::user_by_email(s, adresse);
    const std::optional<std::int64_t> uid = user ? std::optional(user->id) : std::nullopt;
    Compteurs c{store::demandes_pour_adresse(s, adresse, since), store::liens_envoyes(s, uid.value_or(0), since),
                store::demandes_depuis_ip(s, ip, since)};
    auto mail = courriel_reinitialisation(user ? user->prenom : "", adresse, uid, lien);
    const Limite l = limite_atteinte(c, lim);
    if (l != Limite::aucune) {
      acc::audit(s, evt_limite, uid, std::nullopt, adresse, ip, std::string(nom_limite(l)));
      return l;
    }
    if (user && !user->disabled) {
      store::creer_lien(s, hash, user->id, core::iso_utc(now), core::iso_utc(now + validite_lien), ip);
      courriels::store::mettre_en_file(s, mail);
      acc::audit(s, evt_demande, uid, std::nullopt, adresse, ip, "lien envoyé");
    } else {
      acc::audit(s, evt_demande, uid, std::nullopt, adresse, ip,
                 user ? "compte désactivé : aucun lien envoyé" : "aucun compte : aucun lien envoyé");
    }
    return Limite::aucune;
  });
  if (limite == Limite::ip)
    throw ApiError(429, "trop_de_demandes",
                   "Trop de demandes de réinitialisation depuis votre connexion. Patientez une heure avant de "
                   "réessayer.");
  courriels::signaler(ctx.services.bus);  // deliver now rather than at the next poll
  return http::json_response(202, json::object{{"message", kReponse}});
}

struct LienCharge {
  store::LienStocke lien;
  acc::User user;
};

// The link of a token if it can still be used. Otherwise records the refusal in the audit log and
// throws the French error: 429 (too many refused links from this IP address: checked before the
// token is even looked up), 404 unknown, 410 used / cancelled / expired, 403 account disabled.
LienCharge lien_utilisable(Context& ctx, const std::string& token) {
  const std::string ip = ctx.ip();
  const Limites lim = limites(ctx.services.config);
  const std::string since = core::iso_utc(core::Clock::now() - lim.fenetre);
  const std::string hash = token.size() <= 128 ? core::sha256_hex(token) : "";
  std::int64_t refus = 0;
  std::optional<store::LienStocke> lien;
  std::optional<acc::User> user;
  ctx.db().read([&](Session& s) {
    refus = store::liens_refuses_depuis_ip(s, ip, since);
    if (refus >= lim.par_ip || hash.empty()) return;
    lien = store::lien_par_hash(s, hash);
    if (lien) user = acc::user_by_id(s, lien->user_id);
  });
  auto refuser = [&](const std::string& detail, const ApiError& e) -> ApiError {
    ctx.db().write([&](Session& s) {
      acc::audit(s, evt_lien_refuse, user ? std::optional(user->id) : std::nullopt, std::nullopt,
                 user ? user->email : "", ip, detail);
    });
    return e;
  };
  if (refus >= lim.par_ip)
    throw refuser("ip", ApiError(429, "trop_de_tentatives",
                                 "Trop de liens invalides ont été essayés depuis votre connexion. Patientez une heure "
                                 "avant de réessayer."));
  if (!lien || !user)
    throw refuser("inconnu", http::not_found("Ce lien de réinitialisation n'existe pas. Vérifiez que vous avez copié "
                                             "le lien en entier, ou demandez-en un nouveau.",
                                             "lien_inconnu"));
  const EtatLien etat = etat_lien({lien->expires_at, lien->used_at, lien->revoked_at, user->disabled}, core::now_iso());
  switch (etat) {
    case EtatLien::valide: return {*lien, *user};
    case EtatLien::utilise:
      throw refuser("utilise", ApiError(410, "lien_utilise",
                                        "Ce lien a déjà servi à changer le mot de passe : il ne fonctionne qu'une fois. "
                                        "Connectez-vous, ou demandez un nouveau lien."));
    case EtatLien::annule:
      throw refuser("annule", ApiError(410, "lien_annule",
                                       "Ce lien n'est plus valable : le mot de passe a été changé depuis son envoi. "
                                       "Connectez-vous, ou demandez un nouveau lien."));
    case EtatLien::expire:
      throw refuser("expire", ApiError(410, "lien_expire",
                                       "Ce lien a expiré : il n'est valable qu'1 heure. Demandez-en un nouveau."));
    case EtatLien::compte_desactive:
      throw refuser("compte_desactive",
                    ApiError(403, "compte_desactive", "Ce compte est désactivé. Contactez votre administrateur."));
  }
  throw std::logic_error("état de lien inconnu");
}

Response consulter(Context& ctx) {
  auto charge = lien_utilisable(ctx, ctx.req.params.at("token"));
  return http::json_response(200, json::object{{"email", charge.user.email}, {"expires_at", charge.lien.expires_at}});
}

Response reinitialiser(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto password = b.text("password", true, 256);
  // The link first: no point in choosing a password for a link that no longer works.
  auto charge = lien_utilisable(ctx, ctx.req.params.at("token"));
  if (password && !password->empty())
    if (auto e = accounts::check_password(*password)) b.add_error("password", *e);
  b.done();
  const std::string hash = core::hash_password(*password);
  const auto& user = charge.user;
  std::vector<std::int64_t> closed;
  ctx.db().write([&](Session& s) {
    const std::string now = core::now_iso();
    if (!store::marquer_utilise(s, charge.lien.id, now))
      throw ApiError(410, "lien_utilise", "Ce lien vient de servir à changer le mot de passe : il ne fonctionne qu'une fois.");
    acc::set_password_hash(s, user.id, hash);
    const auto annules = store::annuler_liens(s, user.id, now);
    // Whoever was in (with the old password, or a stolen session) is out.
    closed = acc::revoke_user_sessions(s, user.id, 0);
    acc::audit(s, evt_reinitialise, user.id, user.id, user.email, ctx.ip(),
               std::to_string(closed.size()) + " session(s) fermée(s), " + std::to_string(annules) +
                   " autre(s) lien(s) annulé(s)");
    courriels::store::mettre_en_file(s, courriel_mot_de_passe_modifie(user.prenom, user.email, user.id, core::today(),
                                                                       ctx.services.config.public_url));
  });
  for (auto id : closed) ctx.services.bus.publish({"session_closed", user.id, std::to_string(id)});
  if (ctx.principal && ctx.principal->user_id == user.id)
    ctx.extra_headers.emplace_back(
        "Set-Cookie", http::clear_session_cookie_header(http::request_is_secure(ctx.req, ctx.services.config)));
  courriels::signaler(ctx.services.bus);  // deliver now rather than at the next poll
  return http::json_response(200, json::object{{"email", user.email}});
}

}  // namespace

void register_routes(http::Router& r) {
  r.add("POST", "/api/auth/mot-de-passe-oublie", accounts::access::anyone(), demander);
  r.add("GET", "/api/auth/reinitialisation/{token}", accounts::access::anyone(), consulter);
  r.add("POST", "/api/auth/reinitialisation/{token}", accounts::access::anyone(), reinitialiser);
}

}  // namespace coop::motdepasse
