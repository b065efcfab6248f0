CREATE TYPE mood AS ENUM ('very sad', 'sad', 'ok', 'happy', 'ecstatic');
CREATE TYPE unused_enum AS ENUM ('c', 'a');
CREATE TYPE address AS (street text, city text, country text);
CREATE DOMAIN rating AS integer DEFAULT 3 CONSTRAINT rating_check CHECK (VALUE > 0 AND VALUE <= 10) CONSTRAINT rating_even CHECK (VALUE % 1 = 0);
CREATE DOMAIN code AS text;
CREATE TABLE people (id integer PRIMARY KEY, feeling mood DEFAULT 'ok', home address, stars rating, tag code);
