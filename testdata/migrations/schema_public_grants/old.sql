-- The built-in schema public: PUBLIC's USAGE (an initial privilege since PostgreSQL 15)
-- revoked, and given to one role instead, as hardened databases do.
DO $$ BEGIN CREATE ROLE mig_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO mig_reader;
CREATE TABLE t (id integer PRIMARY KEY);
