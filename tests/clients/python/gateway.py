"""Connection settings the xunit tests pass in the environment, shared by the probes in this folder."""
import json
import os
import sys

HOST = os.environ.get("DM_HOST", "127.0.0.1")
PORT = int(os.environ["DM_PORT"])
USER = os.environ.get("DM_USER", "bob")
PASSWORD = os.environ.get("DM_PASSWORD", USER)
DATABASE = os.environ.get("DM_DATABASE", "ml_research")


def dsn() -> str:
    return f"host={HOST} port={PORT} user={USER} password={PASSWORD} dbname={DATABASE} sslmode=disable"


def url(driver: str) -> str:
    return f"postgresql+{driver}://{USER}:{PASSWORD}@{HOST}:{PORT}/{DATABASE}?sslmode=disable"


def emit(facts: dict) -> None:
    """One JSON object on stdout: the facts the C# test asserts on."""
    json.dump(facts, sys.stdout, default=str, ensure_ascii=False)
    sys.stdout.write("\n")
