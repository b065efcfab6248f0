CREATE TABLE items (id int PRIMARY KEY, price numeric(10,2), qty int);
INSERT INTO items VALUES (1, 9.5, 1), (2, 3, 4);
