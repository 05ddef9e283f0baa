-- Accounts, structures, teams, invitations, sessions, audit log.
-- Timestamps are UTC ISO-8601 text ("2026-11-28T21:04:10.123Z"), dates are "YYYY-MM-DD".
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  nom TEXT NOT NULL,
  prenom TEXT NOT NULL DEFAULT '',
  telephone TEXT,
  password_hash TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT
);

CREATE TABLE structures (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  siret TEXT UNIQUE,
  adresse TEXT NOT NULL DEFAULT '',
  commune_insee TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE user_roles (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('mediateur', 'coordinateur', 'gestionnaire_structure', 'admin')),
  structure_id INTEGER REFERENCES structures(id) ON DELETE CASCADE,
  conseiller_numerique INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, COALESCE(structure_id, 0));

CREATE TABLE employments (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
  debut TEXT NOT NULL,
  fin TEXT,
  created_at TEXT NOT NULL,
  CHECK (fin IS NULL OR fin >= debut)
);
CREATE INDEX employments_structure ON employments (structure_id);
CREATE INDEX employments_user ON employments (user_id);

CREATE TABLE team_members (
  id INTEGER PRIMARY KEY,
  coordinateur_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  mediateur_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  debut TEXT NOT NULL,
  fin TEXT,
  created_at TEXT NOT NULL,
  CHECK (fin IS NULL OR fin >= debut)
);
CREATE INDEX team_members_coordinateur ON team_members (coordinateur_id);
CREATE INDEX team_members_mediateur ON team_members (mediateur_id);

CREATE TABLE invitations (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('mediateur', 'coordinateur', 'gestionnaire_structure', 'admin')),
  structure_id INTEGER REFERENCES structures(id) ON DELETE CASCADE,
  conseiller_numerique INTEGER NOT NULL DEFAULT 0,
  invited_by INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  accepted_at TEXT,
  accepted_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX invitations_invited_by ON invitations (invited_by);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  event TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  subject_email TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_email ON audit_log (event, subject_email, at);
CREATE INDEX audit_log_ip ON audit_log (event, ip, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
