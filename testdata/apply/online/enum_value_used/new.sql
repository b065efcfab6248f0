CREATE TYPE status AS ENUM ('new', 'doing', 'done');
CREATE TABLE tasks (id int PRIMARY KEY, s status DEFAULT 'doing');
