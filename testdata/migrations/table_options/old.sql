CREATE TABLE hot (id integer PRIMARY KEY, v text) WITH (fillfactor = 70, autovacuum_enabled = false);
CREATE UNLOGGED TABLE scratch (id integer);
CREATE TABLE logged_one (id integer);
