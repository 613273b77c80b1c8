#!/usr/bin/env bash
# Lists the facts of Core ML's model format (every message, field name, number, type, packing, oneof, enum value)
# from the format's own .proto files, in the form SchemaMatchesFormatTest compares against our schema.
# Usage: tools/format-facts.sh FORMAT_DIR [OUT]
#   FORMAT_DIR: the directory holding the format's .proto files (mlmodel/format in a checkout of apple/coremltools)
#   OUT: where to write the list (default: the test resource the test reads)
# Nothing from FORMAT_DIR is copied into the repository: only the derived facts are written.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
format="${1:?usage: tools/format-facts.sh FORMAT_DIR [OUT]}"
out="${2:-$root/probes/src/test/resources/dev/aneprobe/probes/coreml/format-facts.txt}"
cd "$root"
mvn -B -ntp -q -pl probes test-compile
protoc="$(ls probes/target/protoc-plugins/protoc-*.exe | head -n 1)"
version="$(sed -n 's:.*<protobuf.version>\(.*\)</protobuf.version>.*:\1:p' pom.xml)"
cp="probes/target/test-classes:probes/target/classes:$HOME/.m2/repository/com/google/protobuf/protobuf-java/$version/protobuf-java-$version.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$format" && "$root/$protoc" -I. --include_imports --descriptor_set_out="$work/format.pb" ./*.proto)
{
  echo "# Facts of Core ML's model format: one line per message, field, enum and enum value."
  echo "# Made by tools/format-facts.sh from the format's .proto files${FORMAT_REVISION:+ ($FORMAT_REVISION)}."
  java -cp "$cp" dev.aneprobe.probes.coreml.FormatFacts "$work/format.pb"
} > "$work/facts.txt"
mv "$work/facts.txt" "$out"
echo "wrote $(grep -vc '^#' "$out") facts to $out"
