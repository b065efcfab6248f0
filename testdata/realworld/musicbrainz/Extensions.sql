\set ON_ERROR_STOP 1
BEGIN;

CREATE EXTENSION cube;

COMMIT;

-- vi: set ts=4 sw=4 et :
