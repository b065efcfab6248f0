-- Statements in an order psql could not run: comments, ALTERs and grants before their objects.
COMMENT ON TABLE orders IS 'Customer orders';
COMMENT ON COLUMN orders.status IS 'Lifecycle state';
ALTER TABLE orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
GRANT SELECT ON orders TO PUBLIC;
CREATE INDEX orders_status_idx ON orders (status);
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_open ON orders FOR SELECT USING (status <> 'closed');
COMMENT ON FUNCTION touch() IS 'Sets updated_at';
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE orders DISABLE TRIGGER orders_touch;
CREATE VIEW open_orders AS SELECT * FROM orders WHERE status = 'open';
ALTER SEQUENCE order_numbers OWNED BY orders.number;

CREATE TABLE orders (
    id integer NOT NULL,
    customer_id integer,
    number bigint,
    status text DEFAULT 'open' NOT NULL,
    updated_at timestamptz
);
ALTER TABLE orders ADD PRIMARY KEY (id);
CREATE SEQUENCE order_numbers;
CREATE TABLE customers (id integer PRIMARY KEY, name text);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
