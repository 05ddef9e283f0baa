-- A mediator is at most once a current member of a given coordinator's team, even when two
-- requests add them at the same time.
CREATE UNIQUE INDEX team_members_current ON team_members (coordinateur_id, mediateur_id) WHERE fin IS NULL;
