#!/usr/bin/env bash
# Installs what the fuzz runs need: afl-fuzz (Debian afl++) and the SharpFuzz instrumentation tool
# (NuGet dotnet tool SharpFuzz.CommandLine, pinned in dotnet-tools.json beside this script).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "Installing afl++ (Debian package) ..."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq afl++ >/dev/null
fi
dotnet tool restore >/dev/null
