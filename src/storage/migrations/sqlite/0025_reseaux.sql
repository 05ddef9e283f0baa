-- Réseaux locaux (issue 12 point 8, features/reseaux): a network of structures on a territory,
-- animated by its creator and co-animators, with its own discussion channel (a private group,
-- discussion_canaux.type 'groupe', whose members follow the member structures).
CREATE TABLE reseaux (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  canal_id INTEGER REFERENCES discussion_canaux(id) ON DELETE SET NULL,
  cree_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  cree_le TEXT NOT NULL,
  modifie_le TEXT NOT NULL
);

-- The territory: départements and/or communes (INSEE codes), at least one.
CREATE TABLE reseau_territoires (
  reseau_id INTEGER NOT NULL REFERENCES reseaux(id) ON DELETE CASCADE,
  niveau TEXT NOT NULL CHECK (niveau IN ('departement', 'commune')),
  code TEXT NOT NULL,
  PRIMARY KEY (reseau_id, niveau, code)
);

CREATE TABLE reseau_structures (
  reseau_id INTEGER NOT NULL REFERENCES reseaux(id) ON DELETE CASCADE,
  structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
  depuis TEXT NOT NULL,
  ajoutee_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  PRIMARY KEY (reseau_id, structure_id)
);
CREATE INDEX reseau_structures_structure ON reseau_structures (structure_id);

-- The creator ('createur') and co-animators.
CREATE TABLE reseau_animateurs (
  reseau_id INTEGER NOT NULL REFERENCES reseaux(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('createur', 'co_animateur')),
  depuis TEXT NOT NULL,
  PRIMARY KEY (reseau_id, user_id)
);
CREATE INDEX reseau_animateurs_user ON reseau_animateurs (user_id);

-- Invitations of structures, answered by one of their gestionnaires. At most one pending per pair.
CREATE TABLE reseau_invitations (
  id INTEGER PRIMARY KEY,
  reseau_id INTEGER NOT NULL REFERENCES reseaux(id) ON DELETE CASCADE,
  structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
  statut TEXT NOT NULL CHECK (statut IN ('en_attente', 'acceptee', 'refusee')),
  invitee_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  invitee_le TEXT NOT NULL,
  repondue_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  repondue_le TEXT
);
CREATE UNIQUE INDEX reseau_invitations_en_attente ON reseau_invitations (reseau_id, structure_id) WHERE statut = 'en_attente';
CREATE INDEX reseau_invitations_structure ON reseau_invitations (structure_id, statut);

-- A person's choice to show their contact (e-mail, telephone) in the networks' directories.
CREATE TABLE annuaire_visibilite (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  visible INTEGER NOT NULL DEFAULT 0,
  modifie_le TEXT NOT NULL
);
