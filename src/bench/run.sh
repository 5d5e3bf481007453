#!/usr/bin/env bash
# The benchmark (README, "Performance"): run after `mvn package`, on an otherwise idle machine.
#   src/bench/run.sh [--runs=3] [--seconds=6] [--jfr] [--only=subscription|e2e|ingest|sinks]
#   src/bench/run.sh --cluster [--runs=3] [--seconds=10]   (sizing: one node against two, ~4 min)
#   BENCH_SERVER_JVM_OPTIONS="-XX:..." src/bench/run.sh ...   (more options for Tomcat's JVM)
# Installs wrk and PostgreSQL (Debian) and the seed handler's @gomomento/sdk (npm) where missing,
# then starts Local Momento, Tomcat (processor, baseline servlet, plain Jakarta peer), the Node.js
# peer and the sinks' receivers (HTTP, PostgreSQL, an ActiveMQ Artemis broker) on loopback,
# measures, and writes target/bench/results.json plus a table. About 20 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f target/topic-processor.war ] || [ ! -f target/local-momento.jar ]; then
  echo "bench: run 'mvn package' first (target/topic-processor.war, target/local-momento.jar)" >&2
  exit 2
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk from Debian's packages"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
main=dev.topicprocessor.bench.Bench
if [ "${1:-}" = "--cluster" ]; then
  main=dev.topicprocessor.bench.ClusterBench # sizing: one node against two (PostgreSQL journal)
fi
# PostgreSQL: the cluster's journal, and the JDBC sink's table in the benchmark
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "bench: installing PostgreSQL from Debian's packages"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
for tool in node npm; do
  [ "$main" = dev.topicprocessor.bench.Bench ] || continue # the Node.js peer is not in --cluster
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (Debian: apt-get install nodejs npm)" >&2; exit 2; }
done

if [ "$main" = dev.topicprocessor.bench.Bench ]; then
  echo "bench: installing the Node.js peer's dependencies (npm ci)"
  mkdir -p target/bench/node
  cp src/bench/node/package.json src/bench/node/package-lock.json src/bench/node/handler.mjs target/bench/node/
  (cd target/bench/node && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "bench: compiling the driver and unpacking Tomcat (mvn)"
mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true \
  test-compile \
  dependency:unpack@unpack-tomcat \
  dependency:copy@artemis-client-for-tomcat \
  resources:copy-resources@tomcat-test-config \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt

tomcat_home=$(ls -d target/tomcat/apache-tomcat-*/ | head -n 1)
exec java -Xmx1g \
  -Dit.war=target/topic-processor.war \
  -Dit.tomcat.home="$PWD/${tomcat_home%/}" \
  -Djava.util.logging.config.file=src/test/resources/logging.properties \
  -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  "$main" "$@"
