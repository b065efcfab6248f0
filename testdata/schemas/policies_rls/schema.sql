-- Row-level security: enabled and forced, permissive and restrictive policies per command.
CREATE TABLE notes (
    id integer PRIMARY KEY,
    owner_name text NOT NULL,
    body text,
    published boolean DEFAULT false
);

ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;

CREATE FUNCTION current_owner() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT current_user::text $$;

CREATE POLICY notes_owner ON notes
    USING (owner_name = current_owner());

CREATE POLICY notes_read_published ON notes FOR SELECT TO PUBLIC
    USING (published);

CREATE POLICY notes_insert ON notes AS PERMISSIVE FOR INSERT TO testuser, postgres
    WITH CHECK (owner_name = current_user);

CREATE POLICY notes_no_empty ON notes AS RESTRICTIVE FOR UPDATE
    USING (true)
    WITH CHECK (body IS NOT NULL);

CREATE POLICY notes_delete ON notes FOR DELETE TO testuser
    USING (NOT published);

CREATE TABLE open_table (id integer);
ALTER TABLE open_table ENABLE ROW LEVEL SECURITY;

-- PUBLIC with other roles is PUBLIC alone (PostgreSQL warns and drops the others).
CREATE TABLE bulletins (id integer, body text);
ALTER TABLE bulletins ENABLE ROW LEVEL SECURITY;
CREATE POLICY bulletins_read ON bulletins FOR SELECT TO testuser, PUBLIC USING (true);
