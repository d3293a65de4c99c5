"""Make sure the PostgreSQL database `make serve` uses exists (created empty if not), with a
clear message when the server cannot be reached."""

import os
import sys

import psycopg
from psycopg import sql


def main() -> int:
    name = os.environ.get("PGDATABASE", "dangvu")
    params = {"host": os.getenv("PGHOST", "127.0.0.1"), "port": os.getenv("PGPORT", "5432"),
              "user": os.getenv("PGUSER", "postgres"), "password": os.getenv("PGPASSWORD") or None}
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **params) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return 0
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Tạo cơ sở dữ liệu PostgreSQL {name}.")
    except psycopg.OperationalError as exc:
        print(f"Không kết nối được PostgreSQL tại {params['host']}:{params['port']} "
              f"(người dùng {params['user']}): {str(exc).strip()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
