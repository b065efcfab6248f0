-- Expressions whose catalog text does not parse back into the same tree unless the dump helps:
-- IN lists on varchar columns become varchar arrays cast to text[] as a whole.
CREATE TABLE orders (
    id integer PRIMARY KEY,
    status varchar(50) NOT NULL CHECK (status IN ('new', 'paid', 'it''s, complicated')),
    code char(2) DEFAULT 'aa',
    amount numeric(10, 2)
);
CREATE INDEX orders_open_idx ON orders (id) WHERE status IN ('new', 'paid');
CREATE VIEW paid_orders AS
    SELECT id AS order_id, status,
           CASE WHEN status IN ('paid', 'completed') THEN amount ELSE NULL END AS paid_amount
    FROM orders
    ORDER BY order_id, status;
CREATE VIEW coded AS SELECT id FROM orders WHERE code IN ('aa', 'bb') AND id IN (1, 2, 3);
