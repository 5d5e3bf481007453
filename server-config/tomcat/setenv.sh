# Example $CATALINA_BASE/bin/setenv.sh for the topic-processor (Tomcat runs it at every start).
# catalina.sh already adds the --add-opens flags Tomcat's leak detection needs on Java 17.

# Heap: the processor itself needs little; size it for your backlog (TOPIC_PROCESSOR_QUEUE_CAPACITY).
CATALINA_OPTS="$CATALINA_OPTS -Xms256m -Xmx512m"
# The collector (G1): a 20 ms pause target and no class unloading in its concurrent cycle (the
# remark pause unloaded classes, up to 143 ms in the benchmark; a full GC still unloads them).
# With both, the benchmark's longest pause at 5,000 events/s fell from 143 to 65 ms (-Xmx256m).
CATALINA_OPTS="$CATALINA_OPTS -XX:MaxGCPauseMillis=20 -XX:-ClassUnloadingWithConcurrentMark"

# Settings can also be environment variables or system properties (context.xml entries win).
# Secrets are better in a file only the Tomcat user can read than on a command line that `ps` shows:
if [ -r /etc/topic-processor/momento.env ]; then
  # Lines like MOMENTO_API_KEY=... and MOMENTO_WEBHOOK_SECRETS=...
  set -a
  . /etc/topic-processor/momento.env
  set +a
fi

# Local mode against a Local Momento running as its own process (java -jar local-momento.jar):
# export MOMENTO_LOCAL_ENDPOINT=127.0.0.1:9443   (default: embedded)

export CATALINA_OPTS
