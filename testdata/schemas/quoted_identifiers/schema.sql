-- Names that need quoting: mixed case, spaces, reserved words, quotes.
CREATE TYPE "Color" AS ENUM ('Red', 'Green');

CREATE TABLE "Users" (
    "Id" integer NOT NULL,
    "user" text,
    "select" integer,
    "Display Name" text,
    "say ""hi""" text,
    favorite "Color",
    CONSTRAINT "Users_pkey" PRIMARY KEY ("Id")
);

CREATE TABLE "order" (
    id integer PRIMARY KEY,
    "userId" integer REFERENCES "Users" ("Id")
);

CREATE INDEX "Users Display Idx" ON "Users" ("Display Name", lower("user"));

CREATE SEQUENCE "Weird Seq";

CREATE FUNCTION "Add"("Left" integer, "right" integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT "Left" + "right" $$;

CREATE VIEW "Active Users" AS SELECT "Id", "Display Name" FROM "Users";

CREATE FUNCTION "Touch"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER "Before Insert" BEFORE INSERT ON "Users" FOR EACH ROW EXECUTE FUNCTION "Touch"();
