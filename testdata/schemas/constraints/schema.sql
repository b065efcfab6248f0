-- Every table constraint kind and option.
CREATE TABLE accounts (
    id integer NOT NULL,
    code text NOT NULL,
    region text,
    owner_email text,
    CONSTRAINT accounts_pkey PRIMARY KEY (id),
    CONSTRAINT accounts_code_key UNIQUE (code) INCLUDE (region) WITH (fillfactor = 80),
    CONSTRAINT accounts_region_email_key UNIQUE NULLS NOT DISTINCT (region, owner_email),
    CONSTRAINT accounts_code_check CHECK (char_length(code) > 2)
);

CREATE TABLE transfers (
    id integer PRIMARY KEY,
    from_id integer,
    to_id integer,
    parent_id integer,
    amount numeric CONSTRAINT transfers_amount_positive CHECK (amount > 0) NO INHERIT,
    CONSTRAINT transfers_from_fkey FOREIGN KEY (from_id) REFERENCES accounts (id)
        ON UPDATE CASCADE ON DELETE SET NULL,
    CONSTRAINT transfers_to_fkey FOREIGN KEY (to_id) REFERENCES accounts (id)
        MATCH FULL ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT transfers_parent_fkey FOREIGN KEY (parent_id) REFERENCES transfers (id)
        ON DELETE CASCADE DEFERRABLE
);

ALTER TABLE transfers ADD CONSTRAINT transfers_distinct_check CHECK (from_id <> to_id) NOT VALID;

CREATE TABLE bookings (
    room integer,
    during tsrange,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&) WHERE (room > 0)
);

CREATE TABLE pairs (
    a integer,
    b integer,
    CONSTRAINT pairs_pkey PRIMARY KEY (a, b)
);
CREATE TABLE pair_refs (
    id integer,
    a integer,
    b integer
);
-- NOT VALID only sticks when added to an existing table
ALTER TABLE pair_refs ADD CONSTRAINT pair_refs_pair_fkey FOREIGN KEY (a, b) REFERENCES pairs (a, b) NOT VALID;
