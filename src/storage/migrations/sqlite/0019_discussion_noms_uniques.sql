-- Public channels (theme, annonces: the directory) have unique names, compared folded (case,
-- accents and spaces aside: core::fold, computed by the server at creation and renaming), so two
-- people creating « Aide CAF » at the same instant end with one channel (the second gets 409 on
-- `nom`). Channels created before this migration get their folded name when `coop serve` starts
-- (discussion::synchroniser_tous); a name already taken then stays NULL (not unique-checked).
-- Direct conversations were already unique by (type, code) (0016).
ALTER TABLE discussion_canaux ADD COLUMN nom_plie TEXT;
CREATE UNIQUE INDEX discussion_canaux_nom_public ON discussion_canaux (nom_plie)
  WHERE type IN ('theme', 'annonces');
