-- Operator classes named explicitly: the defaults (which the catalog does not print, also
-- through domains, enums, arrays and binary-coercible types) and real non-default ones.
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE DOMAIN email AS varchar(200);

CREATE TABLE docs (
    id bigint PRIMARY KEY,
    title text,
    slug varchar(80),
    contact email,
    state mood,
    tags text[],
    body jsonb,
    seen_at timestamptz,
    net cidr
);

CREATE INDEX docs_slug ON docs (slug text_ops, contact pg_catalog.text_ops);
CREATE INDEX docs_state ON docs (state enum_ops, seen_at timestamptz_ops DESC);
CREATE INDEX docs_tags ON docs USING gin (tags array_ops);
CREATE INDEX docs_body ON docs USING gin (body jsonb_path_ops);
CREATE INDEX docs_title_prefix ON docs (title text_pattern_ops);
CREATE INDEX docs_net ON docs (net inet_ops);
CREATE INDEX docs_state_hash ON docs USING hash (state enum_ops);
CREATE INDEX docs_seen_brin ON docs USING brin (seen_at timestamptz_minmax_ops);

-- Exclusion constraints naming the default operator class of a range column.
CREATE TABLE bookings (
    room integer,
    during tsrange,
    CONSTRAINT bookings_during_excl EXCLUDE USING gist (during range_ops WITH &&)
);
CREATE INDEX bookings_during ON bookings USING gist (during range_ops);
