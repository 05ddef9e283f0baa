-- Delivery of the outbox (features/courriels/envoi.cpp). A sender claims a mail by setting its
-- lease (bail_jusqu_a, bail_par) with a conditional UPDATE: several instances sharing one
-- database never send the same mail at once. journalise: the mail was written to the log once
-- (no SMTP server configured).
ALTER TABLE courriels ADD COLUMN bail_jusqu_a TEXT;
ALTER TABLE courriels ADD COLUMN bail_par TEXT;
ALTER TABLE courriels ADD COLUMN journalise INTEGER NOT NULL DEFAULT 0;
CREATE INDEX courriels_destinataire ON courriels (destinataire, id);

-- The 14-day CRA reminder (features/courriels/rappels.cpp): rappels_cra = 0 when the user opted
-- out in « Mon compte »; rappel_cra_at = when the last reminder was queued (a new one only after
-- a CRA recorded since then and 14 more days without one).
ALTER TABLE users ADD COLUMN rappels_cra INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN rappel_cra_at TEXT;

-- A user's own change of e-mail address, pending until confirmed from the new address
-- (single-use link: only the SHA-256 of its token is stored; valid 24 hours).
CREATE TABLE changements_courriel (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  ancien_email TEXT NOT NULL,
  nouvel_email TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  confirme_at TEXT,
  annule_at TEXT
);
CREATE INDEX changements_courriel_user ON changements_courriel (user_id, created_at);
