CREATE TABLE posts (id integer PRIMARY KEY, title text, body text);
COMMENT ON TABLE posts IS 'old';
COMMENT ON COLUMN posts.title IS 'The title';
CREATE VIEW post_titles AS SELECT id, title FROM posts;
COMMENT ON COLUMN post_titles.title IS 'shown';
CREATE FUNCTION n() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
COMMENT ON FUNCTION n() IS 'one';
COMMENT ON SCHEMA public IS 'standard public schema';
