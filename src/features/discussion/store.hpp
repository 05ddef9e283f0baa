// Discussion store: the SQL of channels, members, topics, messages, read markers, mentions,
// reactions, search, moderation and the event log. Written once for both engines (the search
// index differs: FTS5 on SQLite, a tsvector on PostgreSQL).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace coop::discussion::store {

using storage::Session;

struct Canal {
  std::int64_t id = 0;
  std::string type, code, nom, description;
  bool archive = false;
  std::optional<std::int64_t> cree_par;
  std::string cree_le;
  std::int64_t dernier_message_id = 0;
  std::optional<std::string> dernier_message_le;
};

struct Membre {
  std::int64_t canal_id = 0, user_id = 0;
  std::string role = "membre";
  bool automatique = false;
  std::optional<std::string> sourdine_jusqu_au;
  std::int64_t lu_jusqu_a = 0;
};

struct Personne {
  std::int64_t id = 0;
  std::string nom;
  std::optional<std::string> structure;
  std::string role;  // channel role, in member lists
  std::optional<std::string> sourdine_jusqu_au;  // in member lists
};

struct Sujet {
  std::int64_t id = 0, canal_id = 0;
  std::string titre;
  std::int64_t nb_messages = 0, dernier_message_id = 0;
  std::optional<std::string> dernier_message_le;
  std::optional<std::int64_t> dernier_auteur_id;
  std::string dernier_auteur_nom;
};

struct Message {
  std::int64_t id = 0, canal_id = 0, sujet_id = 0;
  std::optional<std::int64_t> auteur_id;
  std::string auteur_nom, texte, html, liens;  // liens: Coop paths, one per line
  std::string cree_le;
  std::optional<std::string> modifie_le, supprime_le, epingle_le;
  std::string sujet_titre;
};

struct Reaction {
  std::string emoji;
  std::int64_t nb = 0;
  bool moi = false;
};

// ---- Channels
std::optional<Canal> canal(Session& s, std::int64_t id);
std::optional<Canal> canal_par_code(Session& s, const std::string& type, const std::string& code);
std::int64_t creer_canal(Session& s, const std::string& type, const std::string& code, const std::string& nom,
                         const std::string& description, std::optional<std::int64_t> par);
// The channel of a fixed (type, code), created on first use (concurrent creators: one wins).
std::int64_t canal_fixe(Session& s, const std::string& type, const std::string& code, const std::string& nom);
void modifier_canal(Session& s, const Canal& c);
// Public channels (theme, annonces) have unique folded names (migration 0019): creer_canal and
// modifier_canal store it, a taken one throws DbError unique_violation. The public channel of
// that name (folded), other than `sauf`:
std::optional<Canal> canal_public_par_nom(Session& s, const std::string& nom, std::int64_t sauf = 0);
// Fills the folded name of the public channels created before migration 0019 (at start); a name
// already taken stays unset. Returns how many are left unset that way.
std::int64_t plier_noms_publics(Session& s);
std::vector<Canal> canaux_de(Session& s, std::int64_t user_id);
std::vector<Canal> canaux_publics(Session& s);  // theme + annonces
std::map<std::int64_t, std::int64_t> nb_membres(Session& s, const std::vector<std::int64_t>& canaux);

// ---- Members (every arrival and departure is kept in discussion_adhesions)
std::optional<Membre> membre(Session& s, std::int64_t canal_id, std::int64_t user_id);
std::map<std::int64_t, Membre> adhesions_de(Session& s, std::int64_t user_id);
bool ajouter_membre(Session& s, std::int64_t canal_id, std::int64_t user_id, const std::string& role, bool automatique,
                    const std::string& motif, std::optional<std::int64_t> par);
bool retirer_membre(Session& s, std::int64_t canal_id, std::int64_t user_id, const std::string& motif,
                    std::optional<std::int64_t> par);
void modifier_membre(Session& s, std::int64_t canal_id, std::int64_t user_id, const std::string& role,
                     const std::optional<std::string>& sourdine_jusqu_au);
std::vector<std::int64_t> ids_membres(Session& s, std::int64_t canal_id);
std::vector<Personne> membres(Session& s, std::int64_t canal_id, const std::string& today);
std::vector<Personne> participants(Session& s, std::int64_t canal_id);  // id + nom
struct Adhesion {
  std::int64_t canal_id = 0;
  std::string action, motif, le;
};
std::vector<Adhesion> historique(Session& s, std::int64_t user_id);
// Users (active accounts) whose names are looked up: all, or the members of a channel (id and
// name only: the structures of the few kept come from structures_du_jour).
std::vector<Personne> personnes(Session& s, std::optional<std::int64_t> canal_id);
std::map<std::int64_t, std::string> structures_du_jour(Session& s, const std::vector<std::int64_t>& ids,
                                                      const std::string& today);
std::optional<std::string> nom_personne(Session& s, std::int64_t user_id);
std::vector<std::int64_t> utilisateurs_existants(Session& s, const std::vector<std::int64_t>& ids);

// ---- Bans
bool banni(Session& s, std::int64_t user_id);
void bannir(Session& s, std::int64_t user_id, const std::string& motif, std::int64_t par);
bool lever_bannissement(Session& s, std::int64_t user_id);
struct Bannissement {
  std::int64_t user_id = 0;
  std::string nom, motif, le;
  std::optional<std::int64_t> par;
  std::string par_nom;
};
std::vector<Bannissement> bannissements(Session& s);  // newest first

// ---- Topics
std::optional<Sujet> sujet(Session& s, std::int64_t id);
std::optional<Sujet> sujet_par_titre(Session& s, std::int64_t canal_id, const std::string& titre);
std::int64_t creer_sujet(Session& s, std::int64_t canal_id, const std::string& titre, std::optional<std::int64_t> par);
std::vector<Sujet> sujets(Session& s, std::int64_t canal_id);
void renommer_sujet(Session& s, std::int64_t id, const std::string& titre);
void recalculer_sujet(Session& s, std::int64_t id);  // nb_messages, last message

// ---- Messages
struct NouveauMessage {
  std::int64_t canal_id = 0, sujet_id = 0, auteur_id = 0;
  std::string texte, html, liens, index;  // index: francais::indexer(texte)
};
std::int64_t creer_message(Session& s, const NouveauMessage& m);
std::optional<Message> message(Session& s, std::int64_t id);
std::vector<Message> messages(Session& s, const std::vector<std::int64_t>& ids);  // in the order of ids
enum class Sens { derniers, avant, apres };
// Up to `limite` messages of the channel (or topic), oldest first: the last ones, those before
// `ancre` (excluded), or those after it (excluded).
std::vector<Message> page(Session& s, std::int64_t canal_id, std::optional<std::int64_t> sujet_id, Sens sens,
                          std::int64_t ancre, std::int64_t limite);
bool existe(Session& s, std::int64_t canal_id, std::optional<std::int64_t> sujet_id, bool avant, std::int64_t id);
void modifier_message(Session& s, std::int64_t id, const std::string& texte, const std::string& html,
                      const std::string& liens, const std::string& index);
void supprimer_message(Session& s, std::int64_t id, std::int64_t par);
void epingler(Session& s, std::int64_t id, std::optional<std::int64_t> par);
std::vector<Message> epingles(Session& s, std::int64_t canal_id);
void deplacer(Session& s, const std::vector<std::int64_t>& ids, std::int64_t sujet_id);
std::int64_t messages_depuis(Session& s, std::int64_t auteur_id, const std::string& depuis);
// An imported message keeps its original date (coop import mattermost): the message, and its
// topic's and channel's « last message » dates when it is their last message.
void antidater(Session& s, std::int64_t id, const std::string& cree_le);

// ---- Reactions
std::map<std::int64_t, std::vector<Reaction>> reactions(Session& s, const std::vector<std::int64_t>& ids,
                                                        std::int64_t moi);
bool reagir(Session& s, std::int64_t message_id, std::int64_t user_id, const std::string& emoji);
bool retirer_reaction(Session& s, std::int64_t message_id, std::int64_t user_id, const std::string& emoji);

// ---- Read markers, unread counts
// Effective marker of a topic: its own row, else the channel-wide one.
std::int64_t marqueur(Session& s, std::int64_t user_id, std::int64_t sujet_id, std::int64_t base);
void lire_sujet(Session& s, std::int64_t user_id, std::int64_t sujet_id, std::int64_t jusqu_a);
void lire_canal(Session& s, std::int64_t user_id, std::int64_t canal_id, std::int64_t jusqu_a);
void marquer_non_lu(Session& s, std::int64_t user_id, std::int64_t sujet_id, std::int64_t message_id);
// Unread messages of others (not deleted), per channel / per topic of one channel.
std::map<std::int64_t, std::int64_t> non_lus_par_canal(Session& s, std::int64_t user_id);
std::map<std::int64_t, std::int64_t> non_lus_par_sujet(Session& s, std::int64_t user_id, std::int64_t canal_id);
std::optional<std::int64_t> premier_non_lu(Session& s, std::int64_t user_id, std::int64_t canal_id,
                                           std::optional<std::int64_t> sujet_id);

// ---- Mentions
void mentionner(Session& s, std::int64_t message_id, std::int64_t canal_id, const std::vector<std::int64_t>& users);
std::map<std::int64_t, std::int64_t> mentions_non_lues_par_canal(Session& s, std::int64_t user_id);
void lire_mentions(Session& s, std::int64_t user_id, std::int64_t canal_id, std::optional<std::int64_t> sujet_id,
                   std::int64_t jusqu_a);
// Mark unread: the mentions of the user in the topic from that message on are unread again.
void rouvrir_mentions(Session& s, std::int64_t user_id, std::int64_t sujet_id, std::int64_t depuis);
std::vector<std::int64_t> mentions(Session& s, std::int64_t user_id, std::optional<std::int64_t> avant,
                                   std::int64_t limite);
std::set<std::int64_t> mentionne(Session& s, std::int64_t user_id, const std::vector<std::int64_t>& ids);
std::set<std::int64_t> mentionnes(Session& s, std::int64_t message_id);

// ---- Search (message ids, newest first, among the channels the user belongs to)
struct Filtres {
  std::string expression;  // francais::requete_fts5 / requete_tsquery for the engine
  std::optional<std::int64_t> canal_id, auteur_id, sujet_id, avant;
  std::optional<std::string> du, au;  // dates YYYY-MM-DD, included
  std::int64_t limite = 20;
};
// Matches counted exactly up to this; beyond, rechercher() answers kRechercheTotalMax + 1 (« more
// than 1,000 »): an exact count of a common word would read every match (bench/chat).
constexpr std::int64_t kRechercheTotalMax = 1000;
// PostgreSQL's search plan (see rechercher in store_messages.cpp): a GIN index cannot stop at the
// newest matches nor at the bound of the count, so a common word first reads the newest
// `fenetre` messages of the user's channels; when they hold enough matches (`dense_pour_mille`
// per thousand for the count), the page comes from them and the count from the last `pages`
// pages of the table, else from the GIN index. Tests shrink them to reach every path.
struct Reglages {
  std::int64_t fenetre = 1000;
  std::int64_t dense_pour_mille = 50;
  std::int64_t pages = 6000;
};
std::pair<std::vector<std::int64_t>, std::int64_t> rechercher(Session& s, std::int64_t user_id, const Filtres& f,
                                                              const Reglages& r = {});

// ---- Event log
std::int64_t evenement(Session& s, std::optional<std::int64_t> canal_id, std::optional<std::int64_t> user_id,
                       const std::string& type, const std::string& donnees);
std::int64_t dernier_seq(Session& s);
struct Evenement {
  std::int64_t seq = 0;
  std::optional<std::int64_t> canal_id, user_id;
  std::string type, donnees;
};
std::vector<Evenement> evenements_depuis(Session& s, std::int64_t user_id, std::int64_t depuis, std::int64_t limite);
std::optional<Evenement> evenement_par_seq(Session& s, std::int64_t seq);
// The oldest seq still in the log (nullopt: empty log). A resume from before it is incomplete.
std::optional<std::int64_t> premier_seq(Session& s);
// Retention (features/purge): deletes up to `limite` of the oldest events created before `avant`
// (ISO instant), never the newest one (it keeps the seq a resume is compared with). Returns the
// number deleted.
std::int64_t purger_evenements(Session& s, const std::string& avant, std::int64_t limite);

// ---- Reports
struct Signalement {
  std::int64_t id = 0, message_id = 0, canal_id = 0;
  std::optional<std::int64_t> signale_par;
  std::string signale_par_nom, motif, cree_le;
  std::optional<std::string> decision, decide_le;
};
std::int64_t signaler(Session& s, std::int64_t message_id, std::int64_t canal_id, std::int64_t par,
                      const std::string& motif);
std::optional<Signalement> signalement(Session& s, std::int64_t id);
// Pending reports, of every channel (canaux empty and tous) or of these channels.
std::vector<Signalement> signalements(Session& s, bool tous, const std::vector<std::int64_t>& canaux);
void decider(Session& s, std::int64_t id, const std::string& decision, std::int64_t par);
std::vector<std::int64_t> canaux_moderes(Session& s, std::int64_t user_id);

}  // namespace coop::discussion::store
