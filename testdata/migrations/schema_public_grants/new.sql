-- pg_dump-style: the revoke of the initial privilege, then everything back to PUBLIC.
DO $$ BEGIN CREATE ROLE mig_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT ALL ON SCHEMA public TO PUBLIC;
CREATE TABLE t (id integer PRIMARY KEY);
