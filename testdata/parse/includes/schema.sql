-- A main file that includes a folder and a single file.
\i parts/types.sql
\ir parts/tables/
CREATE VIEW active_users AS SELECT id, email FROM users WHERE status = 'active';
