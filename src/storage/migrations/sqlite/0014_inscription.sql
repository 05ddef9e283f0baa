-- Sign-up (features/inscription/).
-- users.email_confirme: 0 for an account created by the sign-up form until its address is
-- confirmed (log-in refused meanwhile); every other account (admin, invitation, demo, CLI) is 1.
ALTER TABLE users ADD COLUMN email_confirme INTEGER NOT NULL DEFAULT 1;

-- Single-use confirmation links of the sign-up: only the SHA-256 of the token is stored; a new
-- link makes the older unused ones unusable (used_at set).
CREATE TABLE inscription_jetons (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX inscription_jetons_user ON inscription_jetons (user_id);

-- Employments declared by the person at sign-up wait for a gestionnaire of the structure (or an
-- administrator): statut en_attente → confirme or refuse (motif_refus optional). Employments
-- created by a gestionnaire, an administrator or an invitation are confirme. Only confirmed
-- employments count: the structure's team, its statistics, the structures a person may open.
ALTER TABLE employments ADD COLUMN statut TEXT NOT NULL DEFAULT 'confirme'
  CHECK (statut IN ('en_attente', 'confirme', 'refuse'));
ALTER TABLE employments ADD COLUMN motif_refus TEXT NOT NULL DEFAULT '';
ALTER TABLE employments ADD COLUMN decide_par INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE employments ADD COLUMN decide_at TEXT;
ALTER TABLE users ADD COLUMN cgu_acceptees_at TEXT;
CREATE INDEX employments_en_attente ON employments (structure_id) WHERE statut = 'en_attente';
