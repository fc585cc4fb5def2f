#!/usr/bin/env bash
# The compose 'db' service's first start (mounted into /docker-entrypoint-initdb.d): the two roles of README's
# "Database roles". compromisos_owner owns the database and migrates it; compromisos_app may only log in until the
# service's migration grants it the DML of src/CompromisosApi/Persistence/Privilegios.sql.
set -euo pipefail
: "${COMPROMISOS_OWNER_PASSWORD:?}" "${COMPROMISOS_APP_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v owner_pw="$COMPROMISOS_OWNER_PASSWORD" -v app_pw="$COMPROMISOS_APP_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE compromisos_owner LOGIN PASSWORD :'owner_pw';
CREATE ROLE compromisos_app LOGIN PASSWORD :'app_pw';
ALTER DATABASE :"db" OWNER TO compromisos_owner;
SQL
