CREATE TABLE "Accounts" (id int PRIMARY KEY, "Email" text, region text);
CREATE INDEX "Accounts_email" ON "Accounts" ("Email");
INSERT INTO "Accounts" SELECT g, 'u' || g || '@x', 'eu' FROM generate_series(1, 2000) g;
