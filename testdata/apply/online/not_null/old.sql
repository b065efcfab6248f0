CREATE TABLE "Profiles" (id int PRIMARY KEY, "displayName" text, bio text);
INSERT INTO "Profiles" VALUES (1, 'x', NULL);
