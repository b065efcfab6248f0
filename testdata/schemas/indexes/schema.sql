-- Standalone indexes: methods, expressions, opclasses, ordering, INCLUDE, partial, WITH.
CREATE TABLE docs (
    id integer NOT NULL,
    title text,
    body text,
    author text COLLATE "C",
    tags text[],
    meta jsonb,
    created_at timestamp with time zone,
    pos point
);

CREATE INDEX docs_title_idx ON docs (title);
CREATE UNIQUE INDEX docs_id_idx ON docs (id) INCLUDE (title);
CREATE INDEX docs_lower_title_idx ON docs (lower(title) DESC NULLS LAST);
CREATE INDEX docs_created_idx ON docs (created_at DESC, id NULLS FIRST);
CREATE INDEX docs_title_pattern_idx ON docs (title text_pattern_ops);
CREATE INDEX docs_author_collate_idx ON docs (title COLLATE "C");
CREATE INDEX docs_tags_idx ON docs USING gin (tags);
CREATE INDEX docs_meta_idx ON docs USING gin (meta jsonb_path_ops);
CREATE INDEX docs_body_hash_idx ON docs USING hash (body);
CREATE INDEX docs_pos_idx ON docs USING gist (pos);
CREATE INDEX docs_brin_idx ON docs USING brin (created_at) WITH (pages_per_range = 32);
CREATE INDEX docs_partial_idx ON docs (author) WHERE (body IS NOT NULL AND id > 10);
CREATE INDEX docs_fill_idx ON docs (id) WITH (fillfactor = 50);
CREATE UNIQUE INDEX docs_title_nnd_idx ON docs (title, author) NULLS NOT DISTINCT;

-- Unnamed indexes with INCLUDE columns: PostgreSQL names them after every column.
CREATE TABLE covering (a integer, b integer, c text);
CREATE INDEX ON covering (a) INCLUDE (b);
CREATE UNIQUE INDEX ON covering (lower(c)) INCLUDE (a, b);
