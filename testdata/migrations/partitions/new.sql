CREATE TABLE measurements (id integer NOT NULL, taken date NOT NULL, value numeric, unit text) PARTITION BY RANGE (taken);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE loose (id integer NOT NULL, taken date NOT NULL, value numeric, unit text);
ALTER TABLE measurements ATTACH PARTITION loose FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
CREATE TABLE measurements_2023 (id integer NOT NULL, taken date NOT NULL, value numeric, unit text);
CREATE INDEX measurements_taken_idx ON measurements (taken);
