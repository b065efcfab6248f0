CREATE TABLE keep (id int PRIMARY KEY);
CREATE TABLE events (at date NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_kind ON events (kind);
CREATE TABLE fresh (id int PRIMARY KEY, keep_id int REFERENCES keep (id), n int CHECK (n > 0));
CREATE INDEX fresh_n ON fresh (n);
