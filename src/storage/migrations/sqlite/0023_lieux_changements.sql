-- The log the lieux search's in-memory index follows (features/lieux/recherche.hpp), the design
-- of ressources_changements (0021): every insert, update or delete of a lieu adds a row here,
-- whatever wrote it (the server, an import command, another instance). A search first reloads
-- the lieux named by the rows it has not seen (seq above its last). Rows older than a day are
-- purged hourly (features/purge); an index idle longer than that rebuilds.
CREATE TABLE lieux_changements (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  lieu_id INTEGER NOT NULL,
  cree_le TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX lieux_changements_cree_le ON lieux_changements (cree_le);
CREATE TRIGGER lieux_changement_cree AFTER INSERT ON lieux
BEGIN INSERT INTO lieux_changements (lieu_id) VALUES (NEW.id); END;
CREATE TRIGGER lieux_changement_modifie AFTER UPDATE ON lieux
BEGIN INSERT INTO lieux_changements (lieu_id) VALUES (NEW.id); END;
CREATE TRIGGER lieux_changement_supprime AFTER DELETE ON lieux
BEGIN INSERT INTO lieux_changements (lieu_id) VALUES (OLD.id); END;
