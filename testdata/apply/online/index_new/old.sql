CREATE TABLE orders (id bigint PRIMARY KEY, customer text, placed_at timestamptz);
INSERT INTO orders SELECT g, 'c' || (g % 50), now() FROM generate_series(1, 5000) g;
