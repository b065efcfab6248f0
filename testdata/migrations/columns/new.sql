CREATE TABLE accounts (
    id bigint NOT NULL,
    code text DEFAULT 'y',
    amount numeric(12,2) DEFAULT 1,
    status integer,
    nickname text,
    total numeric GENERATED ALWAYS AS (amount * 3) STORED,
    ident integer GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5),
    label text COLLATE "POSIX",
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    serial_no bigint GENERATED ALWAYS AS IDENTITY
);
