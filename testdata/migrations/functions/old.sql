CREATE TABLE orders (id integer PRIMARY KEY, amount numeric);
CREATE FUNCTION total(order_id integer) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT amount FROM orders WHERE id = order_id $$;
CREATE FUNCTION discount(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT p * 0.9 $$;
CREATE FUNCTION old_one(a integer, b integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + b $$;
CREATE FUNCTION renamed_arg(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;
CREATE PROCEDURE archive(days integer) LANGUAGE plpgsql AS $$ BEGIN PERFORM days; END $$;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW order_totals AS SELECT id, discount(amount) AS d FROM orders;
