#include "features/mattermost/import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include <fstream>
#include <iterator>

#include "core/francais.hpp"
#include "core/markdown.hpp"
#include "core/security.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/discussion/model.hpp"
#include "features/discussion/store.hpp"
#include "features/fichiers/apercu.hpp"
#include "features/fichiers/model.hpp"
#include "features/fichiers/store.hpp"
#include "features/mattermost/model.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop::mattermost {

namespace ds = discussion::store;
using storage::Session;

namespace {

std::optional<std::int64_t> source(Session& s, const std::string& cle) {
  auto r = s.query("SELECT objet_id FROM discussion_sources WHERE cle = ?", {cle});
  if (r.empty()) return std::nullopt;
  return storage::as_int(r.rows[0][0]);
}

void noter(Session& s, const std::string& cle, const char* objet, std::int64_t id) {
  s.exec("INSERT INTO discussion_sources (cle, objet, objet_id, importe_le) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
         {cle, std::string(objet), id, core::now_iso()});
}

std::string tronquer(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  auto n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

class Importeur {
 public:
  Importeur(storage::Database& db, const referentiel::Territoires& t, const std::string& public_url, Rapport& r,
            const PiecesJointes& pj)
      : db_(db), t_(t), public_url_(public_url), r_(r), pj_(pj) {}

  void utilisateurs(const Export& e) {
    db_.read([&](Session& s) {
      for (auto& u : e.users) {
        if (u.email.empty()) {
          r_.problemes.push_back({0, "utilisateur « " + u.username + " » sans adresse : ses messages ne sont pas importés"});
          continue;
        }
        auto c = accounts::store::user_by_email(s, u.email);
        if (!c) {
          r_.problemes.push_back({0, "utilisateur « " + u.username + " » (" + u.email +
                                         ") : aucun compte Coop à cette adresse, ses messages ne sont pas importés"});
          continue;
        }
        ids_[u.username] = c->id;
        noms_[c->id] = c->prenom + " " + c->nom;
        ++r_.utilisateurs_trouves;
      }
    });
  }

  void canaux(const Export& e) {
    auto nom_dep = [&](std::string_view code) -> std::optional<std::string> {
      auto* d = t_.departement(code);
      return d ? std::optional<std::string>(d->nom) : std::nullopt;
    };
    for (auto& c : e.channels) {
      const auto cle = cle_canal(c);
      const auto cible = canal_cible(c, nom_dep);
      db_.write([&](Session& s) {
        if (auto id = source(s, cle)) {
          ++r_.canaux_retrouves;
          canaux_[c.team + "/" + c.name] = {*id, cible.type};
          return;
        }
        std::int64_t id = 0;
        if (cible.type == CanalCible::Type::general || cible.type == CanalCible::Type::departement) {
          const std::string type = cible.type == CanalCible::Type::general ? "general" : "departement";
          const std::string code = cible.type == CanalCible::Type::general ? "" : cible.departement;
          const bool existait = ds::canal_par_code(s, type, code).has_value();
          const std::string nom = cible.type == CanalCible::Type::general
                                      ? "Général"
                                      : discussion::nom_departement(code, t_.departement(code)->nom);
          id = ds::canal_fixe(s, type, code, nom);
          ++(existait ? r_.canaux_retrouves : r_.canaux_crees);
        } else if (auto meme = cible.type == CanalCible::Type::groupe
                                   ? std::nullopt
                                   : ds::canal_public_par_nom(s, tronquer(cible.nom, discussion::max_nom_canal))) {
          // Public channels have unique names: a Coop channel of that name receives the import.
          id = meme->id;
          ++r_.canaux_retrouves;
        } else {
          id = ds::creer_canal(s, cible.type == CanalCible::Type::groupe ? "groupe" : "theme", "",
                               tronquer(cible.nom, discussion::max_nom_canal),
                               tronquer(cible.description, discussion::max_description), std::nullopt);
          ++r_.canaux_crees;
        }
        noter(s, cle, "canal", id);
        canaux_[c.team + "/" + c.name] = {id, cible.type};
      });
    }
  }

  // Memberships of thematic channels and groups (région and département channels follow the
  // accounts' structures, as for every Coop user).
  void adhesions(const Export& e) {
    db_.write([&](Session& s) {
      for (auto& u : e.users) {
        auto uid = ids_.find(u.username);
        if (uid == ids_.end()) continue;
        for (auto& uc : u.channels) {
          auto c = canaux_.find(uc.team + "/" + uc.channel);
          if (c == canaux_.end()) continue;
          if (c->second.type != CanalCible::Type::theme && c->second.type != CanalCible::Type::groupe) continue;
          const bool admin = uc.roles.find("channel_admin") != std::string::npos;
          if (ds::ajouter_membre(s, c->second.id, uid->second, admin ? "moderateur" : "membre", false,
                                 "import Mattermost", std::nullopt))
            ++r_.adhesions;
        }
      }
    });
  }

  void messages(const Export& e) {
    for (auto& p : e.posts) {
      auto c = canaux_.find(p.team + "/" + p.channel);
      if (c == canaux_.end()) {
        r_.problemes.push_back({p.line, "message du canal « " + p.team + "/" + p.channel + " » absent du fichier : non importé"});
        continue;
      }
      transaction(p.line, [&](Session& s) {
        fil(s, c->second.id, p.line, cle_post(p), p.user, p.message, p.create_at, p.is_pinned, p.reactions, p.replies,
            std::nullopt, p.attachments);
      });
    }
  }

  void directs(const Export& e) {
    for (auto& dc : e.direct_channels) transaction(0, [&](Session& s) { conversation(s, dc.members, 0); });
    for (auto& p : e.direct_posts) {
      transaction(p.line, [&](Session& s) {
        auto canal = conversation(s, p.channel_members, p.line);
        if (!canal) return;
        auto sujet = ds::sujet_par_titre(s, *canal, std::string(discussion::titre_conversation));
        fil(s, *canal, p.line, cle_direct(p), p.user, p.message, p.create_at, p.is_pinned, p.reactions, p.replies,
            sujet ? std::optional<std::int64_t>(sujet->id) : std::nullopt, p.attachments);
      });
    }
  }

  // The imported history counts as read for the members of the channels it went into.
  void marquer_lu() {
    db_.write([&](Session& s) {
      for (auto& [canal, dernier] : derniers_)
        for (auto uid : ds::ids_membres(s, canal)) ds::lire_canal(s, uid, canal, dernier);
    });
  }

 private:
  // One write transaction; when it fails, nothing of it counts and the import goes on.
  template <class F>
  void transaction(std::size_t ligne, F&& fn) {
    const auto nb_problemes = r_.problemes.size();
    auto problemes = std::move(r_.problemes);
    const Rapport avant = r_;
    r_.problemes = std::move(problemes);
    const auto derniers = derniers_;
    try {
      db_.write(fn);
    } catch (const std::exception& ex) {
      problemes = std::move(r_.problemes);
      problemes.resize(nb_problemes);
      r_ = avant;
      r_.problemes = std::move(problemes);
      derniers_ = derniers;
      r_.problemes.push_back({ligne, std::string("non importé, erreur de la base : ") + ex.what()});
    }
  }

  struct CanalConnu {
    std::int64_t id = 0;
    CanalCible::Type type = CanalCible::Type::theme;
  };

  // The direct conversation of these usernames, created when missing; nullopt (reported) when
  // one of them has no Coop account or they are too many.
  std::optional<std::int64_t> conversation(Session& s, const std::vector<std::string>& membres, std::size_t ligne) {
    std::vector<std::int64_t> ids;
    for (auto& m : membres) {
      auto it = ids_.find(m);
      if (it == ids_.end()) {
        r_.problemes.push_back({ligne, "conversation directe avec « " + m + " », sans compte Coop : non importée"});
        return std::nullopt;
      }
      ids.push_back(it->second);
    }
    discussion::Participants parts;
    std::vector<std::int64_t> autres(ids.begin() + 1, ids.end());
    if (auto err = discussion::participants_direct(ids.front(), autres, parts)) {
      r_.problemes.push_back({ligne, "conversation directe : " + *err});
      return std::nullopt;
    }
    if (auto c = ds::canal_par_code(s, "direct", parts.code)) return c->id;
    auto id = ds::creer_canal(s, "direct", parts.code, "Conversation", "", std::nullopt);
    for (auto u : parts.ids) ds::ajouter_membre(s, id, u, "membre", false, "import Mattermost", std::nullopt);
    ds::creer_sujet(s, id, std::string(discussion::titre_conversation), std::nullopt);
    ++r_.conversations;
    return id;
  }

  // Mattermost's mentions in Coop's syntax: @username of a known account → @**Prénom Nom|id**,
  // @channel / @all → @canal, @here → @ici.
  std::string mentions(const std::string& texte) {
    static const std::regex re(R"((^|[^A-Za-z0-9_.@-])@([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9_]|[A-Za-z0-9]))");
    std::string out;
    auto debut = texte.cbegin();
    for (std::sregex_iterator it(texte.begin(), texte.end(), re), fin; it != fin; ++it) {
      const auto& m = *it;
      out.append(debut, m[0].first);
      out += m[1].str();
      const auto nom = m[2].str();
      if (nom == "channel" || nom == "all") out += "@canal";
      else if (nom == "here") out += "@ici";
      else if (auto id = ids_.find(nom); id != ids_.end()) out += "@**" + noms_[id->second] + "|" + std::to_string(id->second) + "**";
      else out += "@" + nom;
      debut = m[0].second;
    }
    out.append(debut, texte.cend());
    return out;
  }

  // One message, created unless its key is already there. Returns its id (nullopt: not imported).
  std::optional<std::int64_t> message(Session& s, std::int64_t canal, std::int64_t sujet, std::size_t ligne,
                                      const std::string& cle, const std::string& auteur, const std::string& texte,
                                      std::int64_t create_at, bool epingle, const std::vector<Reaction>& reactions,
                                      const std::vector<std::string>& pieces) {
    if (auto id = source(s, cle)) {
      ++r_.messages_deja_la;
      return id;
    }
    auto a = ids_.find(auteur);
    if (a == ids_.end()) {
      r_.problemes.push_back({ligne, "message de « " + auteur + " », sans compte Coop : non importé"});
      return std::nullopt;
    }
    // The attachments first: a message of files only is imported when one of them could be.
    std::vector<std::pair<std::string, std::string>> fichiers;  // sha256, name
    for (auto& chemin : pieces)
      if (auto f = piece_jointe(s, ligne, chemin, a->second)) fichiers.push_back(*f);
    if (texte.find_first_not_of(" \t\r\n") == std::string::npos && fichiers.empty()) {
      r_.problemes.push_back({ligne, "message sans texte ni pièce jointe lisible : non importé"});
      return std::nullopt;
    }
    const auto t = mentions(texte);
    auto rendu = markdown::rendre(t, {.public_url = public_url_});
    std::string liens;
    for (auto& l : rendu.liens_coop) liens += (liens.empty() ? "" : "\n") + l;
    auto id = ds::creer_message(s, {.canal_id = canal,
                                    .sujet_id = sujet,
                                    .auteur_id = a->second,
                                    .texte = t,
                                    .html = rendu.html,
                                    .liens = liens,
                                    .index = francais::indexer(t)});
    ds::antidater(s, id, instant(create_at));
    for (auto& [sha, nom] : fichiers)
      if (fichiers::store::referencer(s, sha, discussion::domaine_fichiers, id, a->second)) ++r_.pieces_jointes;
    if (epingle) {
      ds::epingler(s, id, a->second);
      ++r_.epingles;
    }
    for (auto& re : reactions) {
      auto u = ids_.find(re.user);
      if (u == ids_.end()) continue;
      if (ds::reagir(s, id, u->second, emoji(re.emoji))) ++r_.reactions;
    }
    noter(s, cle, "message", id);
    ++r_.messages_importes;
    auto& d = derniers_[canal];
    d = std::max(d, id);
    return id;
  }

  // One attachment read from the export's folder and stored as uploaded by `auteur`: its SHA-256
  // and name, or nullopt (a problem of the line).
  std::optional<std::pair<std::string, std::string>> piece_jointe(Session& s, std::size_t ligne,
                                                                   const std::string& chemin, std::int64_t auteur) {
    namespace fs = std::filesystem;
    const fs::path relatif(chemin);
    const auto normal = relatif.lexically_normal();
    if (chemin.empty() || relatif.is_absolute() || normal.empty() || *normal.begin() == "..") {
      r_.problemes.push_back({ligne, "pièce jointe « " + chemin + " » hors du dossier de l'export : ignorée"});
      return std::nullopt;
    }
    const auto complet = pj_.dossier / normal;
    std::error_code ec;
    const auto taille = fs::is_regular_file(complet, ec) ? fs::file_size(complet, ec) : 0;
    if (ec || !fs::is_regular_file(complet, ec)) {
      r_.problemes.push_back({ligne, "pièce jointe « " + chemin + " » introuvable dans " + pj_.dossier.string() + " : ignorée"});
      return std::nullopt;
    }
    if (taille > pj_.taille_max) {
      r_.problemes.push_back({ligne, fmt::format("pièce jointe « {} » de {} octets, au-delà de --fichiers-max-ko : ignorée",
                                                 chemin, taille)});
      return std::nullopt;
    }
    std::ifstream in(complet, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      r_.problemes.push_back({ligne, "pièce jointe « " + chemin + " » illisible : ignorée"});
      return std::nullopt;
    }
    if (data.empty()) {
      r_.problemes.push_back({ligne, "pièce jointe « " + chemin + " » vide : ignorée"});
      return std::nullopt;
    }
    const auto type = fichiers::sniffer(data);  // as an upload: never the name
    fichiers::store::Nouveau nouveau{.contenu = std::move(data), .type = type.mime, .largeur = {}, .hauteur = {}, .apercu = {}};
    if (type.image)
      if (auto d = fichiers::dimensions(nouveau.contenu, type.mime)) {
        nouveau.largeur = d->largeur;
        nouveau.hauteur = d->hauteur;
        nouveau.apercu = fichiers::reduire(nouveau.contenu, type.mime, *d);
      }
    const auto sha = core::sha256_hex(nouveau.contenu);
    const auto nom = fichiers::nettoyer_nom(normal.filename().string());
    fichiers::store::enregistrer(s, nouveau, sha, auteur, nom);
    return std::make_pair(sha, nom);
  }

  // The topic of a thread: the one it got at an earlier import, else a new one named after the
  // root message (« (2) »… when the title is taken); a lone post goes to the topic of its day.
  std::int64_t sujet_du_fil(Session& s, std::int64_t canal, const std::string& cle, const std::string& texte,
                            std::int64_t create_at, bool a_des_reponses) {
    if (auto deja = source(s, "mm:sujet:" + cle)) return *deja;
    if (auto racine = source(s, cle))
      if (auto m = ds::message(s, *racine)) return m->sujet_id;
    if (a_des_reponses) {
      const auto base = titre_de_fil(texte, discussion::max_titre_sujet - 6);
      auto titre = base;
      for (int n = 2; ds::sujet_par_titre(s, canal, titre); ++n) titre = fmt::format("{} ({})", base, n);
      auto id = ds::creer_sujet(s, canal, titre, std::nullopt);
      noter(s, "mm:sujet:" + cle, "sujet", id);
      ++r_.sujets_crees;
      return id;
    }
    const auto titre = titre_du_jour(jour_paris(create_at));
    if (auto t = ds::sujet_par_titre(s, canal, titre)) return t->id;
    ++r_.sujets_crees;
    return ds::creer_sujet(s, canal, titre, std::nullopt);
  }

  // A root post and its replies (one transaction). `sujet_impose`: the topic of a direct
  // conversation; otherwise a thread gets its own topic, a lone post the topic of its day.
  void fil(Session& s, std::int64_t canal, std::size_t ligne, const std::string& cle, const std::string& auteur,
           const std::string& texte, std::int64_t create_at, bool epingle, const std::vector<Reaction>& reactions,
           const std::vector<Reply>& replies, std::optional<std::int64_t> sujet_impose,
           const std::vector<std::string>& pieces) {
    const std::int64_t sujet = sujet_impose ? *sujet_impose : sujet_du_fil(s, canal, cle, texte, create_at, !replies.empty());
    message(s, canal, sujet, ligne, cle, auteur, texte, create_at, epingle, reactions, pieces);
    for (auto& r : replies)
      message(s, canal, sujet, ligne, cle_reponse(cle, r), r.user, r.message, r.create_at, false, r.reactions,
              r.attachments);
    ds::recalculer_sujet(s, sujet);
  }

  storage::Database& db_;
  const referentiel::Territoires& t_;
  std::string public_url_;
  Rapport& r_;
  const PiecesJointes& pj_;
  std::map<std::string, std::int64_t> ids_;      // username → Coop account
  std::map<std::int64_t, std::string> noms_;     // Coop account → « Prénom Nom »
  std::map<std::string, CanalConnu> canaux_;     // "team/channel" → Coop channel
  std::map<std::int64_t, std::int64_t> derniers_;  // channel → last imported message
};

}  // namespace

Rapport importer(storage::Database& db, const referentiel::Territoires& t, const Export& e, const std::string& public_url,
                 const PiecesJointes& pj) {
  Rapport r;
  r.lignes = e.lignes;
  r.problemes = e.problemes;
  for (auto& [type, n] : e.ignores)
    r.problemes.push_back({0, fmt::format("{} objet(s) « {} » ignoré(s) : Coop n'en a pas l'usage", n, type)});
  if (!e.teams.empty() && e.teams.size() > 1)
    r.problemes.push_back({0, fmt::format("{} équipes : leurs canaux vont tous dans l'espace unique de Coop", e.teams.size())});
  Importeur imp(db, t, public_url, r, pj);
  imp.utilisateurs(e);
  imp.canaux(e);
  imp.adhesions(e);
  imp.messages(e);
  imp.directs(e);
  imp.marquer_lu();
  return r;
}

std::string decrire(const Rapport& r) {
  std::string out = fmt::format(
      "{} ligne(s) lue(s) ; {} compte(s) Coop retrouvé(s) par leur adresse.\n"
      "Canaux : {} créé(s), {} déjà là ; {} adhésion(s) ; {} conversation(s) directe(s) créée(s).\n"
      "Sujets créés : {} ; messages importés : {} (déjà là : {}) ; réactions : {} ; épinglés : {} ; pièces jointes : {}.\n",
      r.lignes, r.utilisateurs_trouves, r.canaux_crees, r.canaux_retrouves, r.adhesions, r.conversations, r.sujets_crees,
      r.messages_importes, r.messages_deja_la, r.reactions, r.epingles, r.pieces_jointes);
  if (r.problemes.empty()) return out + "Aucun problème.\n";
  out += fmt::format("{} problème(s) :\n", r.problemes.size());
  for (auto& p : r.problemes)
    out += p.ligne ? fmt::format("  ligne {} : {}\n", p.ligne, p.quoi) : fmt::format("  {}\n", p.quoi);
  return out;
}

}  // namespace coop::mattermost
