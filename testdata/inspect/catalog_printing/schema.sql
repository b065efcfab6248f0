-- Objects whose catalog text inspection builds without the pg_get_*def function that prints
-- the whole object: the test compares each piece with what that function prints.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE SEQUENCE ticket_no;

CREATE TABLE people (
    id integer GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
    "Email" text NOT NULL,
    "select" text COLLATE "C",
    nickname varchar(30) DEFAULT 'anon'::character varying,
    feeling mood DEFAULT 'ok',
    ticket bigint DEFAULT nextval('ticket_no'),
    created timestamptz DEFAULT now() - interval '1 day',
    score numeric(8, 2) DEFAULT 0,
    doubled numeric GENERATED ALWAYS AS (score * 2) STORED,
    label text GENERATED ALWAYS AS (lower("Email") || '-' || "select") STORED,
    CONSTRAINT people_email_key UNIQUE ("Email") INCLUDE (nickname),
    CONSTRAINT people_score_check CHECK (score >= 0 AND score < 1000 OR score IS NULL),
    CONSTRAINT people_email_check CHECK ("Email" LIKE '%@%') NO INHERIT
);
ALTER TABLE people ADD CONSTRAINT people_nick_check CHECK (char_length(nickname) > 1) NOT VALID;
ALTER TABLE people ADD CONSTRAINT people_feeling_check CHECK (feeling <> 'sad'::mood);
COMMENT ON CONSTRAINT people_score_check ON people IS 'scores are small';
COMMENT ON COLUMN people."Email" IS 'where to write';

CREATE TABLE visits (
    person_id integer NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    at timestamptz NOT NULL,
    note text,
    PRIMARY KEY (person_id, at)
);

CREATE INDEX people_mixed_idx ON people ("Email", lower("select"), score DESC NULLS LAST);
CREATE INDEX people_expr_idx ON people ((score + 1), (coalesce(nickname, '')) text_pattern_ops);
CREATE INDEX people_collated_idx ON people ("select" COLLATE "POSIX") INCLUDE (score) WHERE score > 0;
CREATE UNIQUE INDEX visits_note_idx ON visits (person_id, note) WHERE note IS NOT NULL;
COMMENT ON INDEX people_mixed_idx IS 'mixed keys';
