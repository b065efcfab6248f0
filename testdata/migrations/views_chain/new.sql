CREATE TABLE item (id integer PRIMARY KEY, title text, status text, price numeric(10,2));
CREATE VIEW item_v AS SELECT i.id, i.status AS title, i.price FROM item i;
CREATE VIEW item_cheap AS SELECT id, title FROM item_v WHERE price < 10;
CREATE MATERIALIZED VIEW item_summary AS SELECT id, title FROM item_cheap;
CREATE INDEX item_summary_id_idx ON item_summary (id);
CREATE VIEW item_plain AS SELECT id, title FROM item;
CREATE VIEW item_priced AS SELECT id, price FROM item;
COMMENT ON VIEW item_plain IS 'ids and titles';
