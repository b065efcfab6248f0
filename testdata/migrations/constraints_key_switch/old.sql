CREATE TABLE cases (
    id integer NOT NULL,
    name text,
    score integer,
    CONSTRAINT cases_id_key UNIQUE (id),
    CONSTRAINT cases_score_check CHECK (score > 0)
);
CREATE TABLE notes (
    id integer PRIMARY KEY,
    case_id integer CONSTRAINT notes_case_id_fkey REFERENCES cases (id)
);
CREATE TABLE tags (
    id integer PRIMARY KEY,
    case_id integer CONSTRAINT tags_case_id_fkey REFERENCES cases (id) ON DELETE CASCADE,
    label text
);
