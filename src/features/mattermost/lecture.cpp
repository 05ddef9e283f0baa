#include "features/mattermost/lecture.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <set>
#include <stdexcept>

namespace coop::mattermost {

namespace json = boost::json;

namespace {

// A field the file must hold, or an error naming it.
struct Manquant : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string texte(const json::object& o, std::string_view cle, bool requis = false) {
  auto* v = o.if_contains(cle);
  if (!v || v->is_null()) {
    if (requis) throw Manquant(fmt::format("le champ « {} » manque", cle));
    return {};
  }
  if (!v->is_string()) throw Manquant(fmt::format("le champ « {} » n'est pas un texte", cle));
  return std::string(v->as_string());
}

std::int64_t entier(const json::object& o, std::string_view cle, bool requis = false) {
  auto* v = o.if_contains(cle);
  if (!v || v->is_null()) {
    if (requis) throw Manquant(fmt::format("le champ « {} » manque", cle));
    return 0;
  }
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  throw Manquant(fmt::format("le champ « {} » n'est pas un nombre", cle));
}

bool booleen(const json::object& o, std::string_view cle) {
  auto* v = o.if_contains(cle);
  return v && v->is_bool() && v->as_bool();
}

const json::array* tableau(const json::object& o, std::string_view cle) {
  auto* v = o.if_contains(cle);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_array()) throw Manquant(fmt::format("le champ « {} » n'est pas une liste", cle));
  return &v->as_array();
}

const json::object& objet(const json::value& v, std::string_view quoi) {
  if (!v.is_object()) throw Manquant(fmt::format("{} n'est pas un objet JSON", quoi));
  return v.as_object();
}

std::vector<std::string> textes(const json::object& o, std::string_view cle) {
  std::vector<std::string> out;
  if (auto* a = tableau(o, cle))
    for (auto& x : *a) {
      if (!x.is_string()) throw Manquant(fmt::format("« {} » doit être une liste de textes", cle));
      out.emplace_back(x.as_string());
    }
  return out;
}

std::vector<Reaction> reactions(const json::object& o) {
  std::vector<Reaction> out;
  if (auto* a = tableau(o, "reactions"))
    for (auto& x : *a) {
      auto& r = objet(x, "une réaction");
      out.push_back({texte(r, "user", true), texte(r, "emoji_name", true), entier(r, "create_at")});
    }
  return out;
}

std::vector<std::string> attachments(const json::object& o) {
  std::vector<std::string> out;
  if (auto* a = tableau(o, "attachments"))
    for (auto& x : *a) out.push_back(texte(objet(x, "une pièce jointe"), "path", true));
  return out;
}

std::vector<Reply> replies(const json::object& o) {
  std::vector<Reply> out;
  if (auto* a = tableau(o, "replies"))
    for (auto& x : *a) {
      auto& r = objet(x, "une réponse");
      out.push_back({texte(r, "user", true), texte(r, "message"), entier(r, "create_at", true), reactions(r),
                     attachments(r)});
    }
  return out;
}

}  // namespace

Export lire(std::istream& in, std::size_t max_ligne) {
  Export e;
  static const std::set<std::string, std::less<>> ignores = {"scheme", "emoji", "bot", "role", "user_group", "thread"};
  std::string ligne;
  std::size_t n = 0;
  bool premiere = true;
  while (std::getline(in, ligne)) {
    ++n;
    if (!ligne.empty() && ligne.back() == '\r') ligne.pop_back();
    if (ligne.find_first_not_of(" \t") == std::string::npos) continue;
    if (ligne.size() > max_ligne) {
      e.problemes.push_back({n, fmt::format("ligne trop longue ({} octets, au plus {})", ligne.size(), max_ligne)});
      continue;
    }
    boost::system::error_code ec;
    auto v = json::parse(ligne, ec);
    if (ec) {
      e.problemes.push_back({n, "ligne qui n'est pas du JSON valide (" + ec.message() + ")"});
      continue;
    }
    try {
      auto& o = objet(v, "la ligne");
      const auto type = texte(o, "type", true);
      if (premiere && type != "version")
        e.problemes.push_back({n, "la première ligne d'un export Mattermost est l'objet « version » (lu quand même)"});
      premiere = false;
      if (type == "version") {
        e.version = static_cast<int>(entier(o, "version", true));
        if (e.version != 1) e.problemes.push_back({n, fmt::format("version {} inconnue (seule la version 1 existe)", e.version)});
        continue;
      }
      auto* corps = o.if_contains(type);
      if (ignores.contains(type)) {
        ++e.ignores[type];
        continue;
      }
      if (!corps) throw Manquant(fmt::format("l'objet « {} » manque", type));
      auto& c = objet(*corps, "« " + type + " »");
      if (type == "team") {
        e.teams.push_back({texte(c, "name", true), texte(c, "display_name"), texte(c, "type"), texte(c, "description")});
      } else if (type == "channel") {
        e.channels.push_back({texte(c, "team", true), texte(c, "name", true), texte(c, "display_name"), texte(c, "type"),
                              texte(c, "header"), texte(c, "purpose")});
      } else if (type == "user") {
        User u{texte(c, "username", true), texte(c, "email"), texte(c, "first_name"), texte(c, "last_name"),
               texte(c, "nickname"), texte(c, "roles"), {}};
        if (auto* teams = tableau(c, "teams"))
          for (auto& t : *teams) {
            auto& to = objet(t, "une équipe de l'utilisateur");
            auto nom = texte(to, "name", true);
            if (auto* chans = tableau(to, "channels"))
              for (auto& ch : *chans) {
                auto& co = objet(ch, "un canal de l'utilisateur");
                u.channels.push_back({nom, texte(co, "name", true), texte(co, "roles")});
              }
          }
        e.users.push_back(std::move(u));
      } else if (type == "post") {
        e.posts.push_back({n, texte(c, "team", true), texte(c, "channel", true), texte(c, "user", true), texte(c, "message"),
                           entier(c, "create_at", true), booleen(c, "is_pinned"), replies(c), reactions(c),
                           attachments(c)});
      } else if (type == "direct_channel") {
        auto membres = textes(c, "members");
        if (membres.size() < 2) throw Manquant("une conversation directe a au moins deux membres");
        e.direct_channels.push_back({std::move(membres), texte(c, "header")});
      } else if (type == "direct_post") {
        auto membres = textes(c, "channel_members");
        if (membres.size() < 2) throw Manquant("« channel_members » doit nommer au moins deux membres");
        e.direct_posts.push_back({n, std::move(membres), texte(c, "user", true), texte(c, "message"),
                                  entier(c, "create_at", true), booleen(c, "is_pinned"), replies(c), reactions(c),
                           attachments(c)});
      } else {
        e.problemes.push_back({n, "type d'objet inconnu : « " + type + " »"});
      }
    } catch (const Manquant& m) {
      e.problemes.push_back({n, m.what()});
    }
  }
  e.lignes = n;
  if (n == 0) e.problemes.push_back({0, "le fichier est vide"});
  return e;
}

}  // namespace coop::mattermost
