# Sourced by ./tsunagu, ./mvnw and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: an existing JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm.
tsunagu_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}
tsunagu_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(tsunagu_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ]; then return 0; fi
  fi
  local restore_noglob=""
  case $- in *f*) restore_noglob=1; set +f ;; esac
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(tsunagu_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] && [ "${major:-0}" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -n "$restore_noglob" ]; then set -f; fi
  if [ -z "$best" ]; then
    echo "tsunagu: no JDK >= 21 found (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm/*)." >&2
    echo "tsunagu: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 25, or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
tsunagu_find_jdk
