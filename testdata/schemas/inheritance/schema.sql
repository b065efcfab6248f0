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

-- A child's CHECK on an inherited timestamptz column: the literal is typed like the column's.
CREATE TABLE stamped (id integer, at timestamptz);
CREATE TABLE stamped_2024 (CONSTRAINT stamped_2024_at_check CHECK (at >= '2024-01-01')) INHERITS (stamped);
