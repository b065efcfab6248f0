CREATE TABLE authors (id int PRIMARY KEY, name text);
CREATE TABLE books (id int PRIMARY KEY, author_id int, title text);
INSERT INTO authors VALUES (1, 'a'); INSERT INTO books VALUES (1, 1, 't');
