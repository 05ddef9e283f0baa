-- « Mot de passe oublié »: one row per reset link sent (features/motdepasse/). The token itself
-- is never stored, only its SHA-256. A link is usable while used_at and revoked_at are NULL and
-- expires_at is in the future; a successful reset sets used_at on its link and revoked_at on the
-- account's other outstanding links.
CREATE TABLE reinitialisations_mot_de_passe (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  revoked_at TEXT,
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reinitialisations_user ON reinitialisations_mot_de_passe (user_id, created_at);
