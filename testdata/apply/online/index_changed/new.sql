CREATE TABLE "Accounts" (id int PRIMARY KEY, "Email" text, region text);
CREATE INDEX "Accounts_email" ON "Accounts" (lower("Email"), region);
