#!/usr/bin/env bash
# Starts the Docker engine the end-to-end tests need, unless one already answers.
# Idempotent: a running engine is left alone. Needs root (dockerd) when it has to start one.
# Logs go to ${DRYDOCK_DOCKERD_LOG:-/tmp/drydock-dockerd.log}.
set -euo pipefail

log=${DRYDOCK_DOCKERD_LOG:-/tmp/drydock-dockerd.log}
wait_seconds=${DRYDOCK_DOCKERD_WAIT:-60}

# Debian's docker.io client (/usr/bin/docker) matches its dockerd; any client works for `info`.
docker_cli=$(command -v docker || true)
[ -x /usr/bin/docker ] && docker_cli=/usr/bin/docker
if [ -z "$docker_cli" ]; then
  echo "start-services: no docker client on PATH (apt-get install docker.io)" >&2
  exit 1
fi

if "$docker_cli" info >/dev/null 2>&1; then
  echo "start-services: docker engine already running"
  exit 0
fi

dockerd_bin=$(command -v dockerd || true)
[ -z "$dockerd_bin" ] && [ -x /usr/sbin/dockerd ] && dockerd_bin=/usr/sbin/dockerd
if [ -z "$dockerd_bin" ]; then
  echo "start-services: dockerd not found (apt-get install docker.io)" >&2
  exit 1
fi

echo "start-services: starting $dockerd_bin (log: $log)"
# setsid: the engine must outlive this script and the shell that ran it.
setsid "$dockerd_bin" >>"$log" 2>&1 </dev/null &

for _ in $(seq 1 "$wait_seconds"); do
  if "$docker_cli" info >/dev/null 2>&1; then
    echo "start-services: docker engine is up"
    exit 0
  fi
  sleep 1
done
echo "start-services: docker engine did not answer within ${wait_seconds}s; last log lines:" >&2
tail -n 30 "$log" >&2 || true
exit 1
