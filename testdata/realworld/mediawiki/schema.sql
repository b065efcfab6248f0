-- MediaWiki core tables and two bundled extensions, loaded through includes.
\ir tables-generated.sql
\ir extensions/abusefilter.sql
\ir extensions/oathauth.sql
