# Example $CATALINA_BASE/bin/setenv.sh for the topic-processor (Tomcat runs it at every start).
# catalina.sh already adds the --add-opens flags Tomcat's leak detection needs on Java 17.

# Heap: the processor itself needs little; size it for your backlog (TOPIC_PROCESSOR_QUEUE_CAPACITY).
CATALINA_OPTS="$CATALINA_OPTS -Xms256m -Xmx512m"
# The collector (G1): no class unloading at the end of its concurrent cycle. In the benchmark
# (-Xmx256m) that remark pause, unloading Weld's and Jersey's generated classes, was the longest of
# all (up to 143 ms; 25 remarks over 50 ms in a run). A full GC still unloads the classes of an
# undeployed application (the JVM runs one when the metaspace of redeploys reaches its limit).
CATALINA_OPTS="$CATALINA_OPTS -XX:-ClassUnloadingWithConcurrentMark"

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
