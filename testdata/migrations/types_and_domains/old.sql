CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TYPE unused_enum AS ENUM ('a', 'b', 'c');
CREATE TYPE address AS (street text, city text, zip integer);
CREATE DOMAIN rating AS integer DEFAULT 1 CONSTRAINT rating_check CHECK (VALUE > 0);
CREATE DOMAIN code AS text NOT NULL;
CREATE TABLE people (id integer PRIMARY KEY, feeling mood, home address, stars rating, tag code);
