# Sourced by every Rivet4j script: selects the Temurin 25 JDK and exports JAVA_HOME.
# The default `java` on these machines is OpenJDK 17; Temurin 25 lives in the same JVM folder.
rivet4j_find_jdk() {
  if [ -n "${RIVET4J_JAVA_HOME:-}" ] && [ -x "$RIVET4J_JAVA_HOME/bin/java" ]; then
    echo "$RIVET4J_JAVA_HOME"; return 0
  fi
  local dirs=() default_java
  if default_java=$(command -v java 2>/dev/null); then
    dirs+=("$(dirname "$(dirname "$(dirname "$(readlink -f "$default_java")")")")")
  fi
  dirs+=(/usr/lib/jvm /opt/java)
  local d cand
  for d in "${dirs[@]}"; do
    for cand in "$d"/temurin-25* "$d"/jdk-25*; do
      if [ -x "$cand/bin/java" ] && "$cand/bin/java" -version 2>&1 | grep -q 'version "25'; then
        echo "$cand"; return 0
      fi
    done
  done
  return 1
}
if ! JAVA_HOME=$(rivet4j_find_jdk); then
  echo "error: the Temurin 25 JDK was not found (looked next to the default java and in /usr/lib/jvm)." >&2
  echo "       Install Temurin 25 or set RIVET4J_JAVA_HOME to a JDK 25 folder." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
