-- One database for the suite, one role and one schema per service (docs/decisions.md, decision 1).
-- Run as a superuser with psql, after replacing each password: psql -v ON_ERROR_STOP=1 -f postgres.sql
-- Each service's Flyway then creates its tables in its own schema at start-up; no role can read
-- another service's tables.
CREATE DATABASE countersign;
\connect countersign
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE ROLE registration LOGIN PASSWORD 'REPLACE-ME';
CREATE ROLE provisioning LOGIN PASSWORD 'REPLACE-ME';
CREATE ROLE otp LOGIN PASSWORD 'REPLACE-ME';
CREATE ROLE push LOGIN PASSWORD 'REPLACE-ME';
CREATE SCHEMA registration AUTHORIZATION registration;
CREATE SCHEMA provisioning AUTHORIZATION provisioning;
CREATE SCHEMA otp AUTHORIZATION otp;
CREATE SCHEMA push AUTHORIZATION push;
