#!/usr/bin/env bash
# Makes sure the Redis server the tests use answers; starts the machine's standard one if not.
set -euo pipefail
url=${REDIS_URL:-redis://127.0.0.1:6379}
if redis-cli -u "$url" ping >/dev/null 2>&1; then
  echo "redis answers at $url"
  exit 0
fi
if [ -n "${REDIS_URL:-}" ]; then
  echo "REDIS_URL=$REDIS_URL does not answer" >&2
  exit 1
fi
mkdir -p /var/lib/redis /var/log/redis
redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log
for _ in $(seq 1 50); do
  if redis-cli -u "$url" ping >/dev/null 2>&1; then
    echo "started redis at $url"
    exit 0
  fi
  sleep 0.1
done
echo "redis did not start; see /var/log/redis/ci.log" >&2
exit 1
