-- Activities (CRA) of mediators, their places (lieux d'activité), followed participants, tags.
--
-- materiel, thematiques and demarches are stored as comma-separated codes ("email,sante"):
-- small closed vocabularies (≤ 19 codes), always read and written with the activity, never
-- renamed (national codes). One column keeps a list page to one row per activity with no join,
-- and a filter is `',' || thematiques || ',' LIKE '%,code,%'` on both engines. Tags and
-- participants, which are rows of other tables, have join tables.
CREATE TABLE lieux_activite (
  id INTEGER PRIMARY KEY,
  mediateur_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
  debut TEXT NOT NULL,
  fin TEXT,
  created_at TEXT NOT NULL,
  CHECK (fin IS NULL OR fin >= debut)
);
CREATE INDEX lieux_activite_mediateur ON lieux_activite (mediateur_id, structure_id);

CREATE TABLE activites (
  id INTEGER PRIMARY KEY,
  mediateur_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('individuel', 'collectif')),
  date TEXT NOT NULL,
  duree INTEGER NOT NULL CHECK (duree > 0 AND duree <= 1440),
  type_lieu TEXT NOT NULL CHECK (type_lieu IN ('lieu_activite', 'domicile', 'a_distance', 'autre')),
  -- the structure that is the lieu d'activité (lieux_activite.structure_id)
  lieu_activite_id INTEGER REFERENCES structures(id) ON DELETE SET NULL,
  commune_insee TEXT,
  code_postal TEXT,
  materiel TEXT NOT NULL DEFAULT '',
  thematiques TEXT NOT NULL,
  demarches TEXT NOT NULL DEFAULT '',
  precisions_demarche TEXT,
  notes TEXT,
  autonomie TEXT CHECK (autonomie IS NULL OR autonomie IN ('entierement_accompagne', 'partiellement_autonome', 'autonome')),
  oriente_vers_structure INTEGER NOT NULL DEFAULT 0,
  structure_de_redirection TEXT,
  titre_atelier TEXT,
  niveau TEXT CHECK (niveau IS NULL OR niveau IN ('debutant', 'intermediaire', 'avance')),
  -- anonymous participants: total and each breakdown (each sums to the total)
  anonymes_total INTEGER NOT NULL DEFAULT 0,
  genre_masculin INTEGER NOT NULL DEFAULT 0,
  genre_feminin INTEGER NOT NULL DEFAULT 0,
  genre_non_communique INTEGER NOT NULL DEFAULT 0,
  age_moins_de_douze INTEGER NOT NULL DEFAULT 0,
  age_douze_dix_huit INTEGER NOT NULL DEFAULT 0,
  age_dix_huit_vingt_quatre INTEGER NOT NULL DEFAULT 0,
  age_vingt_cinq_trente_neuf INTEGER NOT NULL DEFAULT 0,
  age_quarante_cinquante_neuf INTEGER NOT NULL DEFAULT 0,
  age_soixante_soixante_neuf INTEGER NOT NULL DEFAULT 0,
  age_soixante_dix_plus INTEGER NOT NULL DEFAULT 0,
  age_non_communique INTEGER NOT NULL DEFAULT 0,
  statut_scolarise INTEGER NOT NULL DEFAULT 0,
  statut_sans_emploi INTEGER NOT NULL DEFAULT 0,
  statut_en_emploi INTEGER NOT NULL DEFAULT 0,
  statut_retraite INTEGER NOT NULL DEFAULT 0,
  statut_non_communique INTEGER NOT NULL DEFAULT 0,
  deja_accompagne_oui INTEGER NOT NULL DEFAULT 0,
  deja_accompagne_non INTEGER NOT NULL DEFAULT 0,
  deja_accompagne_non_communique INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
-- A mediator's list by date with keyset pagination (live rows), the bin, the public API feed.
CREATE INDEX activites_mediateur_date ON activites (mediateur_id, date, id) WHERE deleted_at IS NULL;
CREATE INDEX activites_mediateur_deleted ON activites (mediateur_id, deleted_at, date, id);
CREATE INDEX activites_updated ON activites (updated_at, id);

CREATE TABLE activite_beneficiaires (
  activite_id INTEGER NOT NULL REFERENCES activites(id) ON DELETE CASCADE,
  beneficiaire_id INTEGER NOT NULL REFERENCES beneficiaires(id) ON DELETE CASCADE,
  premier_accompagnement INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (activite_id, beneficiaire_id)
);
CREATE INDEX activite_beneficiaires_beneficiaire ON activite_beneficiaires (beneficiaire_id, activite_id);

CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  portee TEXT NOT NULL CHECK (portee IN ('personnel', 'equipe', 'departemental')),
  owner_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
  departement TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX tags_owner ON tags (owner_id);
CREATE INDEX tags_departement ON tags (departement);

CREATE TABLE activite_tags (
  activite_id INTEGER NOT NULL REFERENCES activites(id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  PRIMARY KEY (activite_id, tag_id)
);
CREATE INDEX activite_tags_tag ON activite_tags (tag_id, activite_id);
