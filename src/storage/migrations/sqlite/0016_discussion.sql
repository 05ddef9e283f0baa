-- Discussion (issue 10): channels, topics, messages, reactions, read markers, mentions,
-- moderation and the event log of the real-time stream (its id is the resumable `seq`).
--
-- Channels: type general (one), region / departement (one per code, joined automatically from
-- the user's structures), theme, groupe (private, by invitation), direct (2–8 people, code =
-- the sorted participant ids "3,7,9"), annonces (only moderators post).
CREATE TABLE discussion_canaux (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('general', 'region', 'departement', 'theme', 'groupe', 'direct', 'annonces')),
  code TEXT NOT NULL DEFAULT '',
  nom TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  archive INTEGER NOT NULL DEFAULT 0,
  cree_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  cree_le TEXT NOT NULL,
  dernier_message_id INTEGER NOT NULL DEFAULT 0,
  dernier_message_le TEXT
);
CREATE UNIQUE INDEX discussion_canaux_code ON discussion_canaux (type, code)
  WHERE type IN ('general', 'region', 'departement', 'direct');

-- Members. lu_jusqu_a: the channel-wide read marker (message id), the base of every topic's
-- marker; automatique: joined from the user's structures (left again when they move).
CREATE TABLE discussion_membres (
  canal_id INTEGER NOT NULL REFERENCES discussion_canaux(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT 'membre' CHECK (role IN ('membre', 'moderateur')),
  automatique INTEGER NOT NULL DEFAULT 0,
  sourdine_jusqu_au TEXT,
  lu_jusqu_a INTEGER NOT NULL DEFAULT 0,
  rejoint_le TEXT NOT NULL,
  PRIMARY KEY (canal_id, user_id)
);
CREATE INDEX discussion_membres_user ON discussion_membres (user_id);

-- Every arrival and departure (automatic or not): the membership history.
CREATE TABLE discussion_adhesions (
  id INTEGER PRIMARY KEY,
  canal_id INTEGER NOT NULL REFERENCES discussion_canaux(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  action TEXT NOT NULL CHECK (action IN ('entree', 'sortie')),
  motif TEXT NOT NULL,
  par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  le TEXT NOT NULL
);
CREATE INDEX discussion_adhesions_user ON discussion_adhesions (user_id, id);

CREATE TABLE discussion_sujets (
  id INTEGER PRIMARY KEY,
  canal_id INTEGER NOT NULL REFERENCES discussion_canaux(id) ON DELETE CASCADE,
  titre TEXT NOT NULL,
  titre_plie TEXT NOT NULL,
  cree_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  cree_le TEXT NOT NULL,
  nb_messages INTEGER NOT NULL DEFAULT 0,
  dernier_message_id INTEGER NOT NULL DEFAULT 0,
  dernier_message_le TEXT,
  dernier_auteur_id INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX discussion_sujets_titre ON discussion_sujets (canal_id, titre_plie);
CREATE INDEX discussion_sujets_activite ON discussion_sujets (canal_id, dernier_message_id);

-- texte: the markdown as written (kept after a deletion for moderators); html: its rendering.
CREATE TABLE discussion_messages (
  id INTEGER PRIMARY KEY,
  canal_id INTEGER NOT NULL REFERENCES discussion_canaux(id) ON DELETE CASCADE,
  sujet_id INTEGER NOT NULL REFERENCES discussion_sujets(id) ON DELETE CASCADE,
  auteur_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  texte TEXT NOT NULL,
  html TEXT NOT NULL,
  liens TEXT NOT NULL DEFAULT '',
  cree_le TEXT NOT NULL,
  modifie_le TEXT,
  supprime_le TEXT,
  supprime_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  epingle_le TEXT,
  epingle_par INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX discussion_messages_canal ON discussion_messages (canal_id, id);
CREATE INDEX discussion_messages_sujet ON discussion_messages (sujet_id, id);
CREATE INDEX discussion_messages_auteur ON discussion_messages (auteur_id, cree_le);

-- Per-topic read markers overriding the channel-wide one (mark read / mark unread).
CREATE TABLE discussion_lectures (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  sujet_id INTEGER NOT NULL REFERENCES discussion_sujets(id) ON DELETE CASCADE,
  lu_jusqu_a INTEGER NOT NULL,
  PRIMARY KEY (user_id, sujet_id)
);

CREATE TABLE discussion_reactions (
  message_id INTEGER NOT NULL REFERENCES discussion_messages(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  emoji TEXT NOT NULL,
  cree_le TEXT NOT NULL,
  PRIMARY KEY (message_id, user_id, emoji)
);

-- One row per person mentioned (@**Nom|id**, or every member for @canal / @ici).
CREATE TABLE discussion_mentions (
  message_id INTEGER NOT NULL REFERENCES discussion_messages(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  canal_id INTEGER NOT NULL REFERENCES discussion_canaux(id) ON DELETE CASCADE,
  lu INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (message_id, user_id)
);
CREATE INDEX discussion_mentions_user ON discussion_mentions (user_id, message_id);

CREATE TABLE discussion_signalements (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES discussion_messages(id) ON DELETE CASCADE,
  canal_id INTEGER NOT NULL REFERENCES discussion_canaux(id) ON DELETE CASCADE,
  signale_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  motif TEXT NOT NULL,
  cree_le TEXT NOT NULL,
  decision TEXT CHECK (decision IS NULL OR decision IN ('supprimer', 'rejeter')),
  decide_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  decide_le TEXT
);
CREATE UNIQUE INDEX discussion_signalements_unique ON discussion_signalements (message_id, signale_par);
CREATE INDEX discussion_signalements_attente ON discussion_signalements (decision, id);

CREATE TABLE discussion_bannissements (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  motif TEXT NOT NULL,
  par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  le TEXT NOT NULL
);

-- The event log: id = seq of the WebSocket stream (global, increasing, assigned in the
-- transaction of the change). user_id set: a personal event (read marker, mention, the
-- departure of that user); else it goes to the members of canal_id.
CREATE TABLE discussion_evenements (
  id INTEGER PRIMARY KEY,
  canal_id INTEGER,
  user_id INTEGER,
  type TEXT NOT NULL,
  donnees TEXT NOT NULL,
  cree_le TEXT NOT NULL
);
CREATE INDEX discussion_evenements_canal ON discussion_evenements (canal_id, id);
CREATE INDEX discussion_evenements_user ON discussion_evenements (user_id, id);

-- French full-text search: rowid = message id, contenu = francais::indexer(texte) (stems).
CREATE VIRTUAL TABLE discussion_recherche USING fts5(contenu, tokenize = 'unicode61 remove_diacritics 2');
