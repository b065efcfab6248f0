-- Grants, column grants, revoked PUBLIC defaults and default privileges.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dump_reader') THEN CREATE ROLE dump_reader; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dump_writer') THEN CREATE ROLE dump_writer; END IF;
END $$;
CREATE TABLE docs (id integer PRIMARY KEY, body text, secret text);
CREATE SEQUENCE docs_seq;
CREATE VIEW docs_view AS SELECT id, body FROM docs;
CREATE FUNCTION doc_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM docs $$;
CREATE TYPE doc_kind AS ENUM ('memo', 'letter');
GRANT SELECT, INSERT ON docs TO dump_writer WITH GRANT OPTION;
GRANT SELECT (id, body), UPDATE (body) ON docs TO dump_reader;
GRANT SELECT ON docs_view TO PUBLIC;
GRANT USAGE, SELECT ON SEQUENCE docs_seq TO dump_writer;
REVOKE EXECUTE ON FUNCTION doc_count() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION doc_count() TO dump_reader;
REVOKE USAGE ON TYPE doc_kind FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO dump_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE testuser IN SCHEMA public GRANT USAGE ON SEQUENCES TO dump_writer WITH GRANT OPTION;
