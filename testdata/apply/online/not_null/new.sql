CREATE TABLE "Profiles" (id int PRIMARY KEY, "displayName" text NOT NULL, bio text);
