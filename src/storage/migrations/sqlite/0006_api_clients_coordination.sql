-- Clients of the public API v1 (created by an administrator) and coordination activities of
-- coordinators (animation, événement, partenariat).
-- secret_hash: SHA-256 (hex) of a 256-bit random secret shown once (see features/api_clients/model.hpp).
-- scopes: comma-separated among statistiques, activites, structures, lieux_activite, utilisateurs.
CREATE TABLE api_clients (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  client_id TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL,
  valide_du TEXT NOT NULL,
  valide_au TEXT,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  CHECK (valide_au IS NULL OR valide_au >= valide_du)
);

CREATE TABLE coordination_activites (
  id INTEGER PRIMARY KEY,
  coordinateur_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('animation', 'evenement', 'partenariat')),
  date TEXT NOT NULL,
  duree INTEGER NOT NULL CHECK (duree > 0 AND duree <= 1440),
  titre TEXT NOT NULL,
  notes TEXT,
  participants INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX coordination_activites_coordinateur ON coordination_activites (coordinateur_id, deleted_at, date);
