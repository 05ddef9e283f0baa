-- The log the search's in-memory index follows (features/ressources/index.hpp): every change of a
-- resource's facets, visibility, status, dates or counters, and of its thématiques and publics,
-- adds a row here, whatever wrote it (the server, another instance, a command). A search first
-- reloads the resources named by the rows it has not seen (seq above its last). Rows older than
-- a day are purged hourly (features/purge); an index idle longer than that rebuilds.
CREATE TABLE ressources_changements (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  ressource_id INTEGER NOT NULL,
  cree_le TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ressources_changements_cree_le ON ressources_changements (cree_le);
CREATE TRIGGER ressources_changement_cree AFTER INSERT ON ressources
BEGIN INSERT INTO ressources_changements (ressource_id) VALUES (NEW.id); END;
CREATE TRIGGER ressources_changement_modifie AFTER UPDATE OF auteur_id, structure_id, format, niveau, licence,
  visibilite, statut, masque_le, publie_le, modifie_le, utiles, vues, telechargements ON ressources
BEGIN INSERT INTO ressources_changements (ressource_id) VALUES (NEW.id); END;
CREATE TRIGGER ressources_changement_supprime AFTER DELETE ON ressources
BEGIN INSERT INTO ressources_changements (ressource_id) VALUES (OLD.id); END;
CREATE TRIGGER ressources_changement_thematique_cree AFTER INSERT ON ressources_thematiques
BEGIN INSERT INTO ressources_changements (ressource_id) VALUES (NEW.ressource_id); END;
CREATE TRIGGER ressources_changement_thematique_supprime AFTER DELETE ON ressources_thematiques
BEGIN INSERT INTO ressources_changements (ressource_id) VALUES (OLD.ressource_id); END;
CREATE TRIGGER ressources_changement_public_cree AFTER INSERT ON ressources_publics
BEGIN INSERT INTO ressources_changements (ressource_id) VALUES (NEW.ressource_id); END;
CREATE TRIGGER ressources_changement_public_supprime AFTER DELETE ON ressources_publics
BEGIN INSERT INTO ressources_changements (ressource_id) VALUES (OLD.ressource_id); END;
-- The search as you type asks for prefixes (« sécu » → secu*): FTS5 then merges the lists of
-- every word that starts so (securite, securiser, secur…), 8 ms at 100,000 resources. Prefix
-- indexes of 2 to 6 characters answer them from one list (1.7 ms; the index grows by about a
-- third). The table is rebuilt with them, its rows copied as they are.
CREATE VIRTUAL TABLE ressources_recherche_prefixes USING fts5(titre, resume, corps,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6');
INSERT INTO ressources_recherche_prefixes (rowid, titre, resume, corps)
  SELECT rowid, titre, resume, corps FROM ressources_recherche;
DROP TABLE ressources_recherche;
ALTER TABLE ressources_recherche_prefixes RENAME TO ressources_recherche;
