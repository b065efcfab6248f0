CREATE TABLE hot (id integer PRIMARY KEY, v text) WITH (fillfactor = 80);
CREATE TABLE scratch (id integer);
CREATE UNLOGGED TABLE logged_one (id integer);
