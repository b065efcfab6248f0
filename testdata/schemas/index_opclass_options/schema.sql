-- Operator class parameters on index keys (core operator classes only, so every server runs it):
-- the catalog keeps them per index column (pg_attribute.attoptions) and always prints the
-- operator class with them, even the type's default one (tsvector_ops for gist).
CREATE TABLE articles (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    body tsvector,
    hits integer,
    published_at timestamptz
);

CREATE INDEX articles_body_sig ON articles USING gist (body tsvector_ops (siglen = 100));
CREATE INDEX articles_title_sig ON articles
    USING gist ((to_tsvector('simple'::regconfig, title)) tsvector_ops (siglen = 8));
CREATE INDEX articles_hits_multi ON articles
    USING brin (hits int4_minmax_multi_ops (values_per_range = 16), published_at);
CREATE INDEX articles_hits_bloom ON articles
    USING brin (hits int4_bloom_ops (n_distinct_per_range = 100, false_positive_rate = 0.05));
-- no parameters: the default operator class is not printed, as before
CREATE INDEX articles_body_plain ON articles USING gist (body tsvector_ops);
