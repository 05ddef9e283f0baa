-- RGPD erasure mark: an erased beneficiary keeps no personal field (anonymous row, deleted),
-- so that the activities it took part in keep counting one anonymous participant.
ALTER TABLE beneficiaires ADD COLUMN efface_at TEXT;

-- Two-step import: the analysed valid rows wait here (JSON payload, owner only) until confirmed
-- or expired (1 hour). The payload is emptied on confirmation; expired rows are purged.
CREATE TABLE imports_beneficiaires (
  id INTEGER PRIMARY KEY,
  mediateur_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  payload TEXT NOT NULL,
  lignes INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  confirmed_at TEXT
);
CREATE INDEX imports_beneficiaires_expiry ON imports_beneficiaires (expires_at);
