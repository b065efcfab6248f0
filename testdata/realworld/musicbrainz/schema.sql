-- Written for this corpus, not MusicBrainz's own file: the extensions first (admin/sql/Extensions.sql,
-- meant to land in public), then the application's tables (admin/sql/CreateTables.sql) in its own
-- schema with search_path = musicbrainz, public, the layout MusicBrainz's databases use.
\ir Extensions.sql
CREATE SCHEMA musicbrainz;
SET search_path = musicbrainz, public;
\ir CreateTables.sql
