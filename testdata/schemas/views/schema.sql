-- Views: plain, with options and check options, a view on a view, column comments.
CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric NOT NULL,
    discontinued boolean DEFAULT false
);

CREATE FUNCTION price_with_tax(p numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT p * 1.2 $$;

CREATE VIEW active_products AS
    SELECT id, name, price FROM products WHERE NOT discontinued;

CREATE VIEW priced_products WITH (security_invoker = true) AS
    SELECT id, name, price_with_tax(price) AS gross FROM active_products;

CREATE VIEW cheap_products AS
    SELECT id, name, price FROM products WHERE price < 10
    WITH CASCADED CHECK OPTION;

CREATE VIEW local_cheap AS
    SELECT id, name, price FROM cheap_products WHERE price > 1
    WITH LOCAL CHECK OPTION;

COMMENT ON VIEW active_products IS 'Products still for sale';
COMMENT ON COLUMN active_products.price IS 'Net price';
