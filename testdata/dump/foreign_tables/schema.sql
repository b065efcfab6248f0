-- Foreign tables on a server the database holds (the wrapper and server are database-wide).
CREATE FOREIGN DATA WRAPPER dump_fdw;
CREATE SERVER dump_remote FOREIGN DATA WRAPPER dump_fdw OPTIONS (host 'example');
CREATE FOREIGN TABLE events (
    id bigint OPTIONS (column_name 'event_id') NOT NULL,
    kind text DEFAULT 'click',
    "At" timestamptz,
    CONSTRAINT kind_known CHECK (kind <> '')
) SERVER dump_remote OPTIONS (schema_name 'app', table_name 'it''s');
COMMENT ON FOREIGN TABLE events IS 'from the app database';
COMMENT ON COLUMN events."At" IS 'when';
CREATE FOREIGN TABLE "Empty" () SERVER dump_remote;
CREATE VIEW clicks AS SELECT id, "At" FROM events WHERE kind = 'click';
