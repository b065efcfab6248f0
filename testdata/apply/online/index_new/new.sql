CREATE TABLE orders (id bigint PRIMARY KEY, customer text, placed_at timestamptz);
CREATE INDEX orders_customer_placed ON orders (customer, placed_at DESC);
CREATE UNIQUE INDEX orders_id_customer ON orders (id, customer) WHERE customer IS NOT NULL;
