CREATE TABLE sessions (
    token text PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users ON DELETE CASCADE,
    expires timestamp NOT NULL
);
