CREATE TYPE status AS ENUM ('new', 'done');
CREATE TABLE tasks (id int PRIMARY KEY, s status);
