-- File store (features/fichiers): content-addressed (the key is the SHA-256 of the bytes), kept
-- in the database so that every instance sharing it reads the same files. The type is the one
-- sniffed from the content; apercu is a reduced JPEG of a large image (NULL: the original is
-- small enough to be its own preview, or not an image).
CREATE TABLE fichiers (
  sha256 TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  taille BIGINT NOT NULL,
  largeur BIGINT,
  hauteur BIGINT,
  contenu BYTEA NOT NULL,
  apercu BYTEA,
  cree_le TEXT NOT NULL
);
-- Who uploaded a file, under which name (one row per user and file: the last name given).
CREATE TABLE fichiers_televersements (
  sha256 TEXT NOT NULL REFERENCES fichiers(sha256) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  nom TEXT NOT NULL,
  cree_le TEXT NOT NULL,
  PRIMARY KEY (sha256, user_id)
);
CREATE INDEX fichiers_televersements_user ON fichiers_televersements (user_id, cree_le);
-- A feature's object that uses a file (domaine "discussion": a message's attachment…): the
-- feature's checker registered with fichiers::autoriser_domaine decides who may read it.
CREATE TABLE fichiers_references (
  sha256 TEXT NOT NULL REFERENCES fichiers(sha256) ON DELETE CASCADE,
  domaine TEXT NOT NULL,
  objet_id BIGINT NOT NULL,
  nom TEXT NOT NULL,
  cree_le TEXT NOT NULL,
  PRIMARY KEY (sha256, domaine, objet_id)
);
CREATE INDEX fichiers_references_objet ON fichiers_references (domaine, objet_id);
