CREATE TABLE keep (id serial PRIMARY KEY);
