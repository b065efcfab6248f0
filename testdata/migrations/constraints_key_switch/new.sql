CREATE TABLE cases (
    id integer PRIMARY KEY,
    name text,
    score integer,
    CONSTRAINT cases_score_check CHECK (score >= 0),
    CONSTRAINT cases_name_key UNIQUE NULLS NOT DISTINCT (name)
);
CREATE TABLE notes (
    id integer PRIMARY KEY,
    case_id integer CONSTRAINT notes_case_id_fkey REFERENCES cases (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE tags (
    id integer PRIMARY KEY,
    case_id integer CONSTRAINT tags_case_id_fkey REFERENCES cases (id) ON DELETE CASCADE,
    label text CONSTRAINT tags_label_check CHECK (label <> '')
);
CREATE TABLE files (
    id integer PRIMARY KEY,
    case_id integer CONSTRAINT files_case_id_fkey REFERENCES cases (id)
);
