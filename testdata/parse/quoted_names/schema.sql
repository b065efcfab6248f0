-- Identifiers that need quotes, and names qualified with the target schema.
CREATE TABLE public."Users" (
    "Id" serial PRIMARY KEY,
    "E-mail" text UNIQUE,
    "order" integer CHECK ("order" > 0)
);
CREATE TABLE "select" (
    id int PRIMARY KEY,
    user_id int REFERENCES public."Users" ("Id")
);
CREATE INDEX ON "Users" ("E-mail", "order");
CREATE VIEW public."User View" AS SELECT "Id", "E-mail" FROM public."Users";
COMMENT ON COLUMN public."Users"."E-mail" IS 'Login';
CREATE TABLE a_table_with_a_really_long_name_that_goes_past_the_limit_of_identifiers (
    a_column_with_a_very_long_name_as_well_to_force_truncation_here integer UNIQUE,
    b integer CHECK (b > 0)
);
