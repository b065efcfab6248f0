-- Enum, composite and range types, and tables using them (arrays too).
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE empty_enum AS ENUM ();

CREATE TYPE address AS (
    street text,
    city text COLLATE "C",
    zip character varying(10)
);

CREATE TYPE person AS (
    name text,
    home address,
    moods mood[]
);

CREATE TYPE floatrange AS RANGE (
    subtype = float8,
    subtype_diff = float8mi
);

CREATE TYPE textrange_c AS RANGE (
    subtype = text,
    collation = "C",
    multirange_type_name = textranges_c
);

CREATE TABLE diary (
    id integer,
    current_mood mood NOT NULL DEFAULT 'ok'::mood,
    history mood[],
    author person,
    span floatrange
);

COMMENT ON TYPE mood IS 'How it feels';
