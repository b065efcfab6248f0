-- Names that need quotes: mixed case, reserved words, spaces, embedded quotes.
CREATE TYPE "Status" AS ENUM ('New', 'it''s done', 'back\slash');
CREATE TABLE "User" (
    "Id" integer PRIMARY KEY,
    "order" integer NOT NULL,
    "select" text,
    "from date" date,
    "weird""name" text,
    status "Status" DEFAULT 'New'
);
CREATE TABLE "order" (
    id integer PRIMARY KEY,
    "User" integer REFERENCES "User" ("Id"),
    "Group" "Status"[]
);
CREATE INDEX "Idx Order User" ON "order" ("User");
CREATE UNIQUE INDEX "user_Order_key" ON "User" ("order", "select");
ALTER TABLE "User" ADD CONSTRAINT "Check Order" CHECK ("order" > 0);
CREATE FUNCTION "Get User"("UserId" integer) RETURNS text LANGUAGE sql STABLE
    AS $$ SELECT "select" FROM "User" WHERE "Id" = "UserId" $$;
CREATE VIEW "User View" AS SELECT "Id", "order", "select" AS "Select" FROM "User";
CREATE SEQUENCE "Seq.With.Dots";
COMMENT ON TABLE "User" IS 'quote '' and backslash \ here';
COMMENT ON COLUMN "User"."weird""name" IS 'weird';
