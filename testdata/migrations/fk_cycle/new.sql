CREATE TABLE existing (id integer PRIMARY KEY, a_id integer);
CREATE TABLE a (id integer PRIMARY KEY, b_id integer, existing_id integer REFERENCES existing (id));
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));
ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES b (id);
ALTER TABLE existing ADD CONSTRAINT existing_a_fk FOREIGN KEY (a_id) REFERENCES a (id);
CREATE TABLE self_ref (id integer PRIMARY KEY, parent integer REFERENCES self_ref (id));
