-- What an import brought into the discussion space (coop import mattermost): the source's stable
-- key of each channel, topic and message, and the Coop row it became. Importing the same file
-- again finds every key and changes nothing.
CREATE TABLE discussion_sources (
  cle TEXT PRIMARY KEY,
  objet TEXT NOT NULL CHECK (objet IN ('canal', 'sujet', 'message')),
  objet_id BIGINT NOT NULL,
  importe_le TEXT NOT NULL
);
