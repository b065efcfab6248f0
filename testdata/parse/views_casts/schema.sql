-- View and expression spellings that the catalog rewrites: casts, aliases, qualifiers, joins.
CREATE TABLE products (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL,
    price numeric(10, 2) CHECK (price > 0),
    category text,
    stock int DEFAULT 0
);
CREATE TABLE sales (
    id integer PRIMARY KEY,
    product_id integer REFERENCES products (id),
    sold_at timestamptz DEFAULT now(),
    qty integer
);
CREATE VIEW cheap_products AS
    SELECT products.id, products.name AS name, price::int AS rounded
    FROM products
    WHERE price BETWEEN 1 AND 10 AND category IN ('a', 'b') AND name LIKE 'x%';
CREATE VIEW product_sales AS
    SELECT p.id, p.name, count(s.id) AS sales, sum(s.qty) AS units
    FROM products p
    JOIN sales s ON s.product_id = p.id
    GROUP BY p.id, p.name;
CREATE VIEW all_products AS SELECT * FROM products;
CREATE MATERIALIZED VIEW category_totals AS
    SELECT category, count(*) FROM products GROUP BY category
    WITH NO DATA;
CREATE INDEX ON category_totals (category);
CREATE INDEX sales_recent ON sales (sold_at) WHERE qty > 1 AND sold_at > '2024-01-01';
CREATE VIEW sale_lines AS
    SELECT name, qty, price * qty AS revenue
    FROM sales JOIN products ON product_id = products.id
    WHERE qty > 0
    ORDER BY revenue DESC;
