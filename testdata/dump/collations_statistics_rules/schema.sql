-- Collations, extended statistics and rules, with what stands on them.
CREATE COLLATION posix_c (locale = 'POSIX');
CREATE COLLATION "Mixed Case" (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
COMMENT ON COLLATION posix_c IS 'byte order';

CREATE TABLE accounts (
    id integer PRIMARY KEY,
    code text COLLATE posix_c NOT NULL,
    label text COLLATE "Mixed Case",
    region text,
    city text,
    zip text
);
CREATE INDEX accounts_label_idx ON accounts (label COLLATE posix_c);

CREATE STATISTICS accounts_geo ON region, city, zip FROM accounts;
CREATE STATISTICS accounts_geo_mcv (mcv, ndistinct) ON zip, city FROM accounts;
CREATE STATISTICS accounts_lower_code ON lower(code) FROM accounts;
CREATE STATISTICS accounts_mixed ON region, (lower(city) || zip) FROM accounts;
ALTER STATISTICS accounts_geo SET STATISTICS 500;
COMMENT ON STATISTICS accounts_geo IS 'cities are in regions';

CREATE TABLE audit (account_id integer, action text, at timestamptz DEFAULT now());

CREATE RULE accounts_no_delete AS ON DELETE TO accounts DO INSTEAD NOTHING;
CREATE RULE accounts_log_update AS ON UPDATE TO accounts
    WHERE NEW.code <> OLD.code
    DO ALSO (INSERT INTO audit (account_id, action) VALUES (NEW.id, 'code');
             UPDATE audit SET at = now() WHERE audit.account_id = OLD.id);
CREATE RULE audit_insert_notify AS ON INSERT TO audit DO ALSO NOTIFY audit_changed;
ALTER TABLE audit DISABLE RULE audit_insert_notify;
COMMENT ON RULE accounts_no_delete ON accounts IS 'accounts are closed, never deleted';

CREATE VIEW open_accounts AS SELECT id, code, label FROM accounts;
CREATE RULE open_accounts_insert AS ON INSERT TO open_accounts
    DO INSTEAD INSERT INTO accounts (id, code, label) VALUES (NEW.id, NEW.code, NEW.label);
