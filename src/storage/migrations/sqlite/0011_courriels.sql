-- The e-mail outbox: every mail Coop sends is first a row here, written in the same transaction
-- as the event that causes it (an invitation, a password reset…), then delivered by the sender
-- thread (features/courriels/). statut: en_attente (to send or to retry at prochain_essai_at),
-- envoye (accepted by the SMTP server at envoye_at), abandonne (given up after too many tries).
CREATE TABLE courriels (
  id INTEGER PRIMARY KEY,
  modele TEXT NOT NULL,
  destinataire TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  sujet TEXT NOT NULL,
  texte TEXT NOT NULL,
  html TEXT NOT NULL,
  statut TEXT NOT NULL DEFAULT 'en_attente' CHECK (statut IN ('en_attente', 'envoye', 'abandonne')),
  essais INTEGER NOT NULL DEFAULT 0,
  derniere_erreur TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  prochain_essai_at TEXT NOT NULL,
  envoye_at TEXT
);
CREATE INDEX courriels_a_envoyer ON courriels (statut, prochain_essai_at);
CREATE INDEX courriels_created ON courriels (created_at, id);
CREATE INDEX courriels_user ON courriels (user_id, created_at);
