#!/usr/bin/env bash
# Makes sure a `prometheus` binary is available for the end-to-end tests and prints its path.
#
# - PROMETHEUS_BIN set: that binary is used (it must be executable).
# - `prometheus` on PATH: used as is.
# - Otherwise, on Debian/Ubuntu: installs Debian's `prometheus` package with apt-get (as root, or
#   through sudo when available). The package's service is not started: the tests run their own
#   Prometheus on a free loopback port with a temporary storage directory.
# Anything else: fails with a message saying what to install.
set -euo pipefail

log() { printf '[ensure-prometheus] %s\n' "$*" >&2; }

if [[ -n "${PROMETHEUS_BIN:-}" ]]; then
  if [[ -x "$PROMETHEUS_BIN" ]]; then
    printf '%s\n' "$PROMETHEUS_BIN"
    exit 0
  fi
  log "PROMETHEUS_BIN=$PROMETHEUS_BIN is not an executable file"
  exit 1
fi

if command -v prometheus >/dev/null 2>&1; then
  command -v prometheus
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "prometheus is not on PATH and apt-get is not available: install Prometheus (2.33 or newer) or set PROMETHEUS_BIN"
  exit 1
fi

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    log "prometheus is not on PATH; installing it needs root (apt-get install prometheus) or set PROMETHEUS_BIN"
    exit 1
  fi
fi

log "installing Debian's prometheus package"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d exit 101: the package's service must not be started (nothing may listen on 9090).
POLICY=/usr/sbin/policy-rc.d
CREATED_POLICY=0
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  CREATED_POLICY=1
fi
cleanup() { if [[ "$CREATED_POLICY" == 1 ]]; then "${SUDO[@]}" rm -f "$POLICY"; fi; }
trap cleanup EXIT

timeout 600 "${SUDO[@]}" apt-get update -qq >&2
timeout 900 "${SUDO[@]}" apt-get install -y -qq --no-install-recommends prometheus >&2

if ! command -v prometheus >/dev/null 2>&1; then
  log "apt-get finished but prometheus is still not on PATH"
  exit 1
fi
command -v prometheus
