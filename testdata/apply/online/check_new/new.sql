CREATE TABLE items (id int PRIMARY KEY, price numeric(10,2), qty int,
    CONSTRAINT items_price_positive CHECK (price > 0),
    CONSTRAINT items_qty_check CHECK (qty BETWEEN 1 AND 100));
