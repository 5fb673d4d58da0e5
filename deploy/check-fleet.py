#!/usr/bin/env python3
"""Checks docker-compose.yml's "fleet" profile without a Docker engine (Fleet/LoadBalancerTests runs it in CI).

What Docker would only find out at `docker compose up`: services, profiles, images, the secret and volume names they
use, the catalog address against the database service, the shared producer-files volume, and that every variable
deploy/haproxy.cfg reads is set by the load balancer's service and names a gateway node's listen and health ports.
Prints the load balancer's environment and the gateway nodes' DATAMESH_* keys as JSON (the test checks those keys
against the gateway's settings and runs `haproxy -c` with that environment); exits 1 naming every problem.
Usage: deploy/check-fleet.py [REPOSITORY_ROOT]
"""
import json
import os
import re
import sys
from urllib.parse import urlparse

import yaml

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)
    return condition


with open(os.path.join(root, "docker-compose.yml"), encoding="utf-8") as f:
    compose = yaml.safe_load(f)
services = compose.get("services", {})
volumes = set((compose.get("volumes") or {}).keys())
secrets = set((compose.get("secrets") or {}).keys())
fleet = {"catalog-db", "gateway-a", "gateway-b", "load-balancer"}

check("profiles" not in services.get("gateway", {}), "the single gateway must stay outside every profile (docker compose up)")
for name in sorted(fleet):
    if check(name in services, f"service {name} is missing"):
        check(services[name].get("profiles") == ["fleet"], f"service {name} must be in the fleet profile only")
for name, service in services.items():
    for volume in service.get("volumes", []):
        source = volume.split(":")[0]
        if not source.startswith((".", "/", "$")):
            check(source in volumes, f"{name} mounts the undeclared volume {source}")
    for secret in service.get("secrets", []):
        check(secret in secrets, f"{name} uses the undeclared secret {secret}")
    for dependency in service.get("depends_on", []):
        check(dependency in services, f"{name} depends on the unknown service {dependency}")
for secret, definition in (compose.get("secrets") or {}).items():
    check(set(definition) & {"file", "environment"}, f"secret {secret} has no file or environment source")

db = services.get("catalog-db", {})
check(str(db.get("image", "")).startswith("postgres:"), "catalog-db must run PostgreSQL's official image")
db_env = db.get("environment", {})
nodes = ["gateway-a", "gateway-b"]
keys = set()
data_volumes = []
for name in nodes:
    node = services.get(name, {})
    env = node.get("environment", {})
    keys.update(k for k in env if k.startswith("DATAMESH_"))
    url = urlparse(env.get("DATAMESH_CATALOG", ""))
    check(url.scheme == "postgresql" and url.hostname == "catalog-db", f"{name}: DATAMESH_CATALOG must be postgresql://…@catalog-db/…")
    check(url.username == db_env.get("POSTGRES_USER") and url.path.lstrip("/") == db_env.get("POSTGRES_DB"),
          f"{name}: DATAMESH_CATALOG's user and database must be catalog-db's POSTGRES_USER and POSTGRES_DB")
    check(url.password is None, f"{name}: no password in DATAMESH_CATALOG (DATAMESH_CATALOG_PASSWORD_FILE)")
    password_file = env.get("DATAMESH_CATALOG_PASSWORD_FILE", "")
    check(password_file == db_env.get("POSTGRES_PASSWORD_FILE") and password_file.startswith("/run/secrets/")
          and password_file[len("/run/secrets/"):] in node.get("secrets", []),
          f"{name}: the catalog password file must be the secret catalog-db reads")
    check(node.get("depends_on", {}).get("catalog-db", {}).get("condition") == "service_healthy", f"{name} must wait for a healthy catalog-db")
    data_dir = env.get("DATAMESH_DATADIR", "")
    mounts = dict((v.split(":")[1], v.split(":")[0]) for v in node.get("volumes", []))
    check(data_dir in mounts, f"{name}: its data directory {data_dir} is not a volume")
    data_volumes.append(mounts.get(data_dir))
    check(mounts.get(data_dir + "/accounts") == "fleet-accounts", f"{name}: the shared fleet-accounts volume must be mounted at {data_dir}/accounts")
    check("--demo" not in node.get("command", []) or "DATAMESH_CATALOG" in env, f"{name}: --demo without a shared catalog")
check(len(set(data_volumes)) == len(nodes), "each gateway node needs a data directory volume of its own")

lb = services.get("load-balancer", {})
check(str(lb.get("image", "")).startswith("haproxy:"), "the load balancer must run HAProxy's official image")
check("./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in lb.get("volumes", []),
      "the load balancer must mount deploy/haproxy.cfg read-only where the official image reads it")
lb_env = {k: str(v) for k, v in lb.get("environment", {}).items()}
with open(os.path.join(root, "deploy", "haproxy.cfg"), encoding="utf-8") as f:
    used = set(re.findall(r"\$\{(\w+)\}", f.read()))
for variable in sorted(used):
    check(variable in lb_env, f"deploy/haproxy.cfg reads ${{{variable}}}, which the load balancer's service does not set")
for letter, node in (("A", "gateway-a"), ("B", "gateway-b")):
    env = services.get(node, {}).get("environment", {})
    check(lb_env.get(f"NODE_{letter}_HOST") == node, f"NODE_{letter}_HOST must be {node}")
    check(env.get("DATAMESH_LISTEN", "").endswith(":" + lb_env.get(f"NODE_{letter}_PORT", "?")), f"NODE_{letter}_PORT must be {node}'s listen port")
    check(env.get("DATAMESH_METRICSLISTEN", "").endswith(":" + lb_env.get(f"NODE_{letter}_HEALTH_PORT", "?")),
          f"NODE_{letter}_HEALTH_PORT must be {node}'s metrics port (where /health answers)")
listen_port = lb_env.get("LB_LISTEN", "").rsplit(":", 1)[-1]
check(any(str(p).endswith(":" + listen_port) for p in lb.get("ports", [])), "the load balancer's listen port is not published")

if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(json.dumps({"haproxy_environment": lb_env, "gateway_keys": sorted(keys)}))
