-- Routines, triggers, policies, privileges and types written the way people type them.
CREATE TYPE mood AS ENUM ('sad', 'happy');
ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';
CREATE TYPE pair AS (a int4, b varchar(10));
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE DOMAIN small_positive AS positive CONSTRAINT small_positive_max CHECK (VALUE < 100) NOT NULL;
CREATE DOMAIN code AS varchar(8) DEFAULT 'x' CHECK (VALUE ~ '^[a-z]+$');

CREATE TABLE docs (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner name DEFAULT current_user,
    title varchar(200) NOT NULL,
    feeling mood DEFAULT 'ok',
    size small_positive,
    body text,
    updated timestamptz
);

CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := now();
    RETURN NEW;
END $$;
CREATE FUNCTION split(str text, OUT head text, OUT tail text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT split_part(str, ' ', 1), split_part(str, ' ', 2) $$;
CREATE FUNCTION titles(min_len int DEFAULT 3) RETURNS TABLE (doc_id int, title varchar)
    LANGUAGE sql STABLE ROWS 50
    AS 'SELECT id, title FROM docs WHERE length(title) >= min_len';
CREATE FUNCTION add(a int, b int) RETURNS int RETURN a + b;
CREATE FUNCTION secret() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp COST 5
    AS $$ SELECT 42 $$;
CREATE PROCEDURE archive(IN keep_days int) LANGUAGE sql
    BEGIN ATOMIC
        DELETE FROM docs WHERE updated < now() - make_interval(days => keep_days);
    END;
CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0', PARALLEL = SAFE);

CREATE TRIGGER docs_touch BEFORE INSERT OR UPDATE OF title, body ON docs
    FOR EACH ROW WHEN (NEW.body IS NOT NULL) EXECUTE PROCEDURE touch();
CREATE TRIGGER docs_audit AFTER DELETE ON docs REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION touch();

ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE docs FORCE ROW LEVEL SECURITY;
CREATE POLICY own_docs ON docs AS RESTRICTIVE FOR UPDATE TO app_writer, app_admin
    USING (owner = current_user) WITH CHECK (size BETWEEN 1 AND 50);
CREATE POLICY read_all ON docs FOR SELECT USING (true);

GRANT SELECT (id, title), UPDATE (title) ON docs TO app_reader;
GRANT SELECT, INSERT ON docs TO app_writer WITH GRANT OPTION;
GRANT ALL ON FUNCTION add(int, int) TO app_writer;
REVOKE EXECUTE ON FUNCTION secret() FROM PUBLIC;
GRANT USAGE ON TYPE mood TO app_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO app_reader;
CREATE TABLE later (id int);

COMMENT ON FUNCTION add(integer, integer) IS 'Adds';
COMMENT ON TRIGGER docs_touch ON docs IS 'Keeps updated fresh';
COMMENT ON POLICY read_all ON docs IS 'Everyone reads';
COMMENT ON CONSTRAINT docs_pkey ON docs IS 'Identity';
COMMENT ON TYPE mood IS 'How it feels';
COMMENT ON DOMAIN code IS 'Short code';
COMMENT ON AGGREGATE total(int) IS 'Sum';
COMMENT ON PROCEDURE archive(int) IS 'Old docs out';
