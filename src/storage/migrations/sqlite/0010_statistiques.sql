-- Statistics (issue 4): the territorial role and public share links.
--
-- user_roles gains the role 'territorial' and its territoire ("departement:69" / "region:84").
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt (nothing references it).
CREATE TABLE user_roles_new (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('mediateur', 'coordinateur', 'gestionnaire_structure', 'admin', 'territorial')),
  structure_id INTEGER REFERENCES structures(id) ON DELETE CASCADE,
  conseiller_numerique INTEGER NOT NULL DEFAULT 0,
  territoire TEXT,
  created_at TEXT NOT NULL,
  CHECK ((role = 'territorial') = (territoire IS NOT NULL))
);
INSERT INTO user_roles_new (id, user_id, role, structure_id, conseiller_numerique, created_at)
  SELECT id, user_id, role, structure_id, conseiller_numerique, created_at FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, COALESCE(structure_id, 0), COALESCE(territoire, ''));
CREATE INDEX user_roles_user ON user_roles (user_id);

-- A public, read-only link to one statistics view (scope + filters), revocable by its owner.
-- Only the SHA-256 of the token is stored; the link is shown once, at creation.
CREATE TABLE statistiques_partages (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  titre TEXT NOT NULL,
  perimetre TEXT NOT NULL,
  filtres TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX statistiques_partages_owner ON statistiques_partages (owner_id);
