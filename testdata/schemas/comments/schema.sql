-- COMMENT ON every kind of object the IR carries a comment for.
COMMENT ON SCHEMA public IS 'Application schema';

CREATE TYPE status AS ENUM ('new', 'done');
CREATE TYPE pair AS (a integer, b integer);
CREATE DOMAIN percent AS integer CHECK (VALUE BETWEEN 0 AND 100);
CREATE SEQUENCE counter;

CREATE TABLE tasks (
    id integer PRIMARY KEY,
    title text NOT NULL,
    state status,
    progress percent,
    CONSTRAINT tasks_title_check CHECK (title <> '')
);
CREATE INDEX tasks_title_idx ON tasks (title);

CREATE FUNCTION task_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM tasks $$;
CREATE PROCEDURE clear_tasks() LANGUAGE sql AS $$ DELETE FROM tasks $$;
CREATE FUNCTION tasks_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER tasks_trg BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_trigger();
CREATE AGGREGATE concat_all(text) (SFUNC = textcat, STYPE = text, INITCOND = '');
CREATE VIEW open_tasks AS SELECT id, title FROM tasks WHERE state = 'new';
CREATE MATERIALIZED VIEW task_stats AS SELECT state, count(*) AS n FROM tasks GROUP BY state;
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_all ON tasks USING (true);

COMMENT ON TYPE status IS 'Task status';
COMMENT ON TYPE pair IS 'Two integers';
COMMENT ON DOMAIN percent IS 'Zero to one hundred';
COMMENT ON SEQUENCE counter IS 'A counter';
COMMENT ON TABLE tasks IS 'Things to do';
COMMENT ON COLUMN tasks.title IS 'What to do';
COMMENT ON CONSTRAINT tasks_title_check ON tasks IS 'Titles are not empty';
COMMENT ON CONSTRAINT tasks_pkey ON tasks IS 'Identity of a task';
COMMENT ON INDEX tasks_title_idx IS 'Lookup by title';
COMMENT ON FUNCTION task_count() IS 'How many tasks';
COMMENT ON PROCEDURE clear_tasks() IS 'Remove every task';
COMMENT ON TRIGGER tasks_trg ON tasks IS 'Before insert';
COMMENT ON AGGREGATE concat_all(text) IS 'Concatenate';
COMMENT ON VIEW open_tasks IS 'Tasks not done';
COMMENT ON COLUMN open_tasks.title IS 'Title of an open task';
COMMENT ON MATERIALIZED VIEW task_stats IS 'Counts per state';
COMMENT ON COLUMN task_stats.n IS 'How many';
COMMENT ON POLICY tasks_all ON tasks IS 'Everyone sees everything';
