-- Classic table inheritance with a local column and an inherited CHECK constraint.
CREATE TABLE vehicles (
    id integer NOT NULL,
    wheels integer CHECK (wheels >= 0)
);
CREATE TABLE trucks (
    payload_kg integer
) INHERITS (vehicles);
CREATE TABLE amphibians (
    hull text
) INHERITS (vehicles, trucks);
