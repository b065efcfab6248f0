-- PostgreSQL 18 temporal keys: WITHOUT OVERLAPS primary/unique keys and PERIOD foreign keys.
-- Scalar columns in a WITHOUT OVERLAPS key need btree_gist's GiST operator classes.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE rooms (
    room_id integer NOT NULL,
    booked_during tstzrange NOT NULL,
    label text,
    CONSTRAINT rooms_pkey PRIMARY KEY (room_id, booked_during WITHOUT OVERLAPS)
);

-- unnamed: the generated name must match the server's
CREATE TABLE room_prices (
    room_id integer,
    valid_at daterange,
    price numeric(10,2) NOT NULL,
    PRIMARY KEY (room_id, valid_at WITHOUT OVERLAPS),
    UNIQUE (price, valid_at WITHOUT OVERLAPS)
);

CREATE TABLE bookings (
    booking_id bigint PRIMARY KEY,
    room_id integer NOT NULL,
    stay tstzrange NOT NULL,
    FOREIGN KEY (room_id, PERIOD stay) REFERENCES rooms (room_id, PERIOD booked_during)
);

CREATE TABLE "Range Only" (
    "Kind" int4range NOT NULL,
    "Span" int4range NOT NULL,
    CONSTRAINT "Range Only_key" UNIQUE ("Kind", "Span" WITHOUT OVERLAPS)
);

CREATE TABLE cleanings (
    room_id integer NOT NULL,
    during tstzrange NOT NULL
);
ALTER TABLE cleanings ADD CONSTRAINT cleanings_room_fkey
    FOREIGN KEY (room_id, PERIOD during) REFERENCES rooms (room_id, PERIOD booked_during) ON DELETE NO ACTION;
