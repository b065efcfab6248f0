-- Enough rows that the new index on orders builds visibly (CREATE INDEX CONCURRENTLY progress).
-- The rows are consistent by construction, so foreign-key triggers are skipped while seeding
-- (the demo runs as the throwaway server's superuser): seeding takes a second, not ten.
SET session_replication_role = replica;
INSERT INTO customers (email, name)
    SELECT 'customer' || g || '@example.com', 'Customer ' || g FROM generate_series(1, 2000) g;
INSERT INTO products (sku, name, price, stock)
    SELECT 'SKU-' || g, 'Product ' || g, (g % 90) + 9.99, g % 50 FROM generate_series(1, 200) g;
INSERT INTO orders (customer_id, status, total, created_at)
    SELECT 1 + g % 2000, (ARRAY['new', 'paid', 'shipped'])[1 + g % 3], (g % 500) + 0.5,
           now() - make_interval(mins => g)
    FROM generate_series(1, 250000) g;
INSERT INTO order_items (order_id, product_id, quantity, unit_price)
    SELECT id, 1 + id % 200, 1 + id % 4, 9.99 FROM orders;
INSERT INTO payments (order_id, amount) SELECT id, total FROM orders WHERE id <= 1000;
INSERT INTO legacy_coupons VALUES ('WELCOME10', 10), ('SPRING5', 5), ('VIP20', 20);
RESET session_replication_role;
ANALYZE;
