DO $$ BEGIN CREATE ROLE mig_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE docs (id integer PRIMARY KEY, owner text, public boolean);
CREATE FUNCTION is_owner(o text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT o = current_user $$;
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_read ON docs FOR SELECT USING (public);
CREATE POLICY docs_write ON docs FOR INSERT WITH CHECK (is_owner(owner));
CREATE POLICY docs_gone ON docs USING (true);
CREATE TABLE open_data (id integer);
