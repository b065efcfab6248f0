-- Text search dictionaries and configurations with their mappings, and what uses them.
CREATE TEXT SEARCH DICTIONARY my_stop (TEMPLATE = pg_catalog.simple, STOPWORDS = english, ACCEPT = false);
COMMENT ON TEXT SEARCH DICTIONARY my_stop IS 'simple, without English stop words';
CREATE TEXT SEARCH DICTIONARY "My Stem" (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION docs (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION docs ALTER MAPPING FOR asciiword, word WITH my_stop, "My Stem";
ALTER TEXT SEARCH CONFIGURATION docs DROP MAPPING FOR email, url;
COMMENT ON TEXT SEARCH CONFIGURATION docs IS 'documents';
CREATE TEXT SEARCH CONFIGURATION "Plain" (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION "Plain" ADD MAPPING FOR asciiword, word, "int", "float" WITH simple;
CREATE TABLE doc (
    id integer PRIMARY KEY,
    body text,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('docs', body)) STORED
);
CREATE INDEX doc_body_fts ON doc USING gin (to_tsvector('docs'::regconfig, body));
CREATE VIEW doc_words AS SELECT id, to_tsvector('"Plain"'::regconfig, body) AS words FROM doc;
