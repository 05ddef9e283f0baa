-- Ressources (features/ressources): a shared library of teaching material (issue 11).
-- A resource's files are rows of fichiers_references (domaine 'ressources', objet_id = id);
-- its text, extracted from PDF and office files, is cached per file content in ressources_textes.
CREATE TABLE ressources (
  id INTEGER PRIMARY KEY,
  auteur_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  auteur_nom TEXT NOT NULL,
  structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL,
  titre TEXT NOT NULL,
  resume TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  description_html TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL,
  niveau TEXT NOT NULL,
  duree_minutes INTEGER,
  licence TEXT NOT NULL,
  visibilite TEXT NOT NULL CHECK (visibilite IN ('public', 'equipe', 'prive')),
  statut TEXT NOT NULL CHECK (statut IN ('brouillon', 'publie')),
  version INTEGER NOT NULL DEFAULT 1,
  origine_id INTEGER REFERENCES ressources(id) ON DELETE SET NULL,
  origine_credit TEXT,
  vues INTEGER NOT NULL DEFAULT 0,
  telechargements INTEGER NOT NULL DEFAULT 0,
  utiles INTEGER NOT NULL DEFAULT 0,
  masque_le TEXT,
  masque_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  masque_motif TEXT,
  cree_le TEXT NOT NULL,
  modifie_le TEXT NOT NULL,
  publie_le TEXT
);
CREATE INDEX ressources_publie ON ressources (statut, publie_le);
CREATE INDEX ressources_auteur ON ressources (auteur_id);
CREATE INDEX ressources_structure ON ressources (structure_id);
CREATE TABLE ressources_thematiques (
  ressource_id INTEGER NOT NULL REFERENCES ressources(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  PRIMARY KEY (ressource_id, code)
);
CREATE INDEX ressources_thematiques_code ON ressources_thematiques (code, ressource_id);
CREATE TABLE ressources_publics (
  ressource_id INTEGER NOT NULL REFERENCES ressources(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  PRIMARY KEY (ressource_id, code)
);
CREATE INDEX ressources_publics_code ON ressources_publics (code, ressource_id);
CREATE TABLE ressources_liens (
  id INTEGER PRIMARY KEY,
  ressource_id INTEGER NOT NULL REFERENCES ressources(id) ON DELETE CASCADE,
  rang INTEGER NOT NULL,
  url TEXT NOT NULL,
  titre TEXT NOT NULL
);
CREATE INDEX ressources_liens_ressource ON ressources_liens (ressource_id, rang);
-- A resource's versions: each publication of a change keeps what it replaced and its note.
CREATE TABLE ressources_versions (
  id INTEGER PRIMARY KEY,
  ressource_id INTEGER NOT NULL REFERENCES ressources(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  note TEXT NOT NULL,
  titre TEXT NOT NULL,
  resume TEXT NOT NULL,
  description TEXT NOT NULL,
  auteur_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  cree_le TEXT NOT NULL,
  UNIQUE (ressource_id, version)
);
-- Text extracted from a file's content (pdftotext, office XML), once per content.
CREATE TABLE ressources_textes (
  sha256 TEXT PRIMARY KEY REFERENCES fichiers(sha256) ON DELETE CASCADE,
  texte TEXT NOT NULL,
  extrait_le TEXT NOT NULL
);
-- French full-text search: rowid = resource id; columns hold francais::indexer(…) stems.
CREATE VIRTUAL TABLE ressources_recherche USING fts5(titre, resume, corps, tokenize = 'unicode61 remove_diacritics 2');
-- Collections (« bases ») of a person or of a structure.
CREATE TABLE ressources_collections (
  id INTEGER PRIMARY KEY,
  titre TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  proprietaire_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
  structure_id INTEGER REFERENCES structures(id) ON DELETE CASCADE,
  publique INTEGER NOT NULL DEFAULT 0,
  cree_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  cree_le TEXT NOT NULL,
  modifie_le TEXT NOT NULL,
  CHECK ((proprietaire_id IS NULL) <> (structure_id IS NULL))
);
CREATE INDEX ressources_collections_proprietaire ON ressources_collections (proprietaire_id);
CREATE INDEX ressources_collections_structure ON ressources_collections (structure_id);
CREATE TABLE ressources_collection_elements (
  collection_id INTEGER NOT NULL REFERENCES ressources_collections(id) ON DELETE CASCADE,
  ressource_id INTEGER NOT NULL REFERENCES ressources(id) ON DELETE CASCADE,
  ajoute_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  ajoute_le TEXT NOT NULL,
  PRIMARY KEY (collection_id, ressource_id)
);
CREATE INDEX ressources_collection_elements_ressource ON ressources_collection_elements (ressource_id);
CREATE TABLE ressources_favoris (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  ressource_id INTEGER NOT NULL REFERENCES ressources(id) ON DELETE CASCADE,
  cree_le TEXT NOT NULL,
  PRIMARY KEY (user_id, ressource_id)
);
CREATE TABLE ressources_utiles (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  ressource_id INTEGER NOT NULL REFERENCES ressources(id) ON DELETE CASCADE,
  cree_le TEXT NOT NULL,
  PRIMARY KEY (user_id, ressource_id)
);
CREATE INDEX ressources_utiles_ressource ON ressources_utiles (ressource_id);
CREATE TABLE ressources_suivis (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  collection_id INTEGER REFERENCES ressources_collections(id) ON DELETE CASCADE,
  auteur_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
  cree_le TEXT NOT NULL,
  CHECK ((collection_id IS NULL) <> (auteur_id IS NULL))
);
CREATE UNIQUE INDEX ressources_suivis_unique ON ressources_suivis (user_id, COALESCE(collection_id, 0), COALESCE(auteur_id, 0));
CREATE TABLE ressources_commentaires (
  id INTEGER PRIMARY KEY,
  ressource_id INTEGER NOT NULL REFERENCES ressources(id) ON DELETE CASCADE,
  auteur_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  auteur_nom TEXT NOT NULL,
  texte TEXT NOT NULL,
  html TEXT NOT NULL,
  cree_le TEXT NOT NULL,
  supprime_le TEXT
);
CREATE INDEX ressources_commentaires_ressource ON ressources_commentaires (ressource_id, cree_le);
CREATE TABLE ressources_signalements (
  id INTEGER PRIMARY KEY,
  ressource_id INTEGER NOT NULL REFERENCES ressources(id) ON DELETE CASCADE,
  auteur_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  motif TEXT NOT NULL,
  cree_le TEXT NOT NULL,
  traite_le TEXT,
  traite_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  decision TEXT
);
CREATE INDEX ressources_signalements_attente ON ressources_signalements (traite_le, cree_le);
CREATE UNIQUE INDEX ressources_signalements_unique ON ressources_signalements (ressource_id, auteur_id) WHERE traite_le IS NULL;
-- Files in pieces of 256 KiB (features/fichiers): a download reads one piece at a time. A file
-- stored in pieces has an empty contenu; older files keep their bytes in contenu.
CREATE TABLE fichiers_morceaux (
  sha256 TEXT NOT NULL REFERENCES fichiers(sha256) ON DELETE CASCADE,
  rang INTEGER NOT NULL,
  octets BLOB NOT NULL,
  PRIMARY KEY (sha256, rang)
);
ALTER TABLE fichiers ADD COLUMN morceaux INTEGER NOT NULL DEFAULT 0;
