\ir structure.sql
